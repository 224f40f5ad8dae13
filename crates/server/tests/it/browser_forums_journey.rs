//! Issue 16's journey in a real headless Chromium (see `browser_kit`): a
//! learner asks a question in a module's forum; another learner, subscribed
//! to that forum, gets the e-mail, follows its link and answers; the
//! instructor accepts the answer; a third learner's spam is flagged and a
//! moderator hides it, its author seeing why. Every page passes axe-core and
//! fits a phone; both backends.

use crate::{browser_kit, common, forums_kit};

use browser_kit::{check_accessibility, fits_a_phone, main_text, press, type_into, with_browser};
use common::{Backend, PASSWORD};
use fantoccini::{Client, Locator};
use lyceum_forums::settings::ForumSettings;
use lyceum_platform::auth::Role;

on_both_backends!(a_question_is_answered_accepted_and_spam_is_hidden);

async fn a_question_is_answered_accepted_and_spam_is_hidden(backend: Backend) {
    let c = forums_kit::class_with(backend, |s| s.section_mut::<ForumSettings>().notify_delay_seconds = 0).await;
    let app = &c.app;
    let forum = c.forum("module").await;
    // Bob follows the module's forum.
    let followed = c.bob.send(reqwest::Method::PUT, &format!("/api/v1/forums/{forum}/subscription"), None).await;
    assert_eq!(followed.json()["subscribed"], true, "{}", followed.text);
    app.create_user("carol@example.org", Role::Learner).await;
    crate::enrollment_kit::add_to_roster(&c.teacher, &c.course, "carol@example.org").await;

    let sign_in = async |b: &Client, email: &str| {
        b.goto(&format!("{}/login", app.url)).await.expect("open /login");
        type_into(b, "email", email).await;
        type_into(b, "password", PASSWORD).await;
        browser_kit::submit_form_of(b, "email").await;
    };
    let check = async |b: &Client, axe: Option<&str>, label: &str| {
        if let Some(axe) = axe {
            check_accessibility(b, axe, label).await;
        }
        fits_a_phone(b, label).await;
    };

    // Ada asks from the course's forums, through the module's forum.
    let ran = with_browser(async |b: &Client, axe: Option<&str>| {
        sign_in(b, "ada@example.org").await;
        b.goto(&format!("{}/learn/{}/forums", app.url, c.slug)).await.expect("open the forums");
        check(b, axe, "/learn/{slug}/forums").await;
        let Ok(link) = b.find(Locator::LinkText("Ownership")).await else {
            panic!("no link to the module's forum: {}", main_text(b).await);
        };
        link.click().await.expect("open it");
        check(b, axe, "/forums/{id}").await;
        press(b, "new-thread").await;
        check(b, axe, "/forums/{id}/new").await; // before typing: the phone check reloads the page
        type_into(b, "title", "When does a borrow end?").await;
        type_into(b, "body", "Is it at the end of the *scope*?").await;
        b.find(Locator::Css("input[name='kind'][value='question']")).await.unwrap().click().await.unwrap();
        press(b, "post-thread").await;
        let text = main_text(b).await;
        assert!(text.contains("When does a borrow end?") && text.contains("end of the scope"), "{text}");
        check(b, axe, "/forums/threads/{id}").await;
    })
    .await;
    if !ran {
        return;
    }

    // Bob gets the e-mail and answers from its link.
    let mails = app.mails_to("bob@example.org").await;
    let mail = mails.iter().find(|m| m.text.contains("When does a borrow end?")).expect("bob's e-mail of the question");
    let at = mail.text.find("/forums/threads/").expect("a link to the thread");
    let link: String =
        mail.text[at..].chars().take_while(|ch| !ch.is_whitespace() && *ch != '>' && *ch != ')').collect();
    with_browser(async |b: &Client, axe: Option<&str>| {
        sign_in(b, "bob@example.org").await;
        b.goto(&format!("{}{link}", app.url)).await.expect("open the e-mail's link");
        type_into(b, "body", "At its **last use**: non-lexical lifetimes.").await;
        press(b, "post-reply").await;
        let text = main_text(b).await;
        assert!(text.contains("last use"), "{text}");
        check(b, axe, "/forums/threads/{id} (answered)").await;
    })
    .await;

    // The instructor accepts Bob's answer.
    with_browser(async |b: &Client, axe: Option<&str>| {
        sign_in(b, "teacher@example.org").await;
        b.goto(&format!("{}/forums/{forum}", app.url)).await.expect("open the forum");
        b.find(Locator::LinkText("When does a borrow end?")).await.expect("the thread").click().await.unwrap();
        browser_kit::submit(b, "//article[@id='p2']//form[contains(@action, '/accept')]").await;
        let accepted = b.find(Locator::Css("#p2 .badge-success")).await.expect("the accepted badge");
        assert_eq!(accepted.text().await.unwrap(), "Accepted answer");
        check(b, axe, "/forums/threads/{id} (accepted)").await;
    })
    .await;
    let listed = c.ada.get(&format!("/api/v1/forums/{forum}/threads")).await.json();
    let question = listed["items"][0].clone();
    assert!(question["accepted_post_id"].is_string(), "{listed}");
    let thread = question["id"].as_str().unwrap().to_string();

    // Carol (a member for a while, her address verified) posts spam; Bob flags it.
    let mut carol = app.client();
    carol.login("carol@example.org", PASSWORD).await;
    let spam = carol
        .post(
            &format!("/api/v1/forums/threads/{thread}/posts"),
            serde_json::json!({"body": "Cheap essays at https://spam.example"}),
        )
        .await;
    assert_eq!(spam.status, 201, "{}", spam.text);
    let seq = spam.json()["seq"].as_i64().unwrap();
    with_browser(async |b: &Client, axe: Option<&str>| {
        sign_in(b, "bob@example.org").await;
        b.goto(&format!("{}/forums/threads/{thread}?page=1", app.url)).await.expect("open the thread");
        b.find(Locator::Id(&format!("p{seq}-flag-open"))).await.expect("the flag control").click().await.unwrap();
        let reason = b.find(Locator::Id(&format!("p{seq}-flag-reason"))).await.expect("the flag's reason");
        reason.send_keys("Spam: an advert for essays").await.expect("type the reason");
        press(b, &format!("p{seq}-flag")).await;
        b.find(Locator::Id(&format!("p{seq}-flagged"))).await.expect("flagged by bob");
        check(b, axe, "/forums/threads/{id} (flagged)").await;
    })
    .await;

    // A moderator hides it from the course's queue; Carol sees why, the others see a stub.
    with_browser(async |b: &Client, axe: Option<&str>| {
        sign_in(b, "teacher@example.org").await;
        b.goto(&format!("{}/learn/{}/forums/moderation", app.url, c.slug)).await.expect("open the queue");
        let queue = main_text(b).await;
        assert!(queue.contains("Spam: an advert for essays") && queue.contains("Cheap essays"), "{queue}");
        check(b, axe, "/learn/{slug}/forums/moderation").await;
        browser_kit::submit(b, "//ul[@id='flags']//form[.//button[contains(@id, '-hide')]]").await;
        assert!(b.find(Locator::Id("no-flags")).await.is_ok(), "the queue is empty: {}", main_text(b).await);
    })
    .await;
    let bob_sees = c.read(&c.bob, &thread, Some(1)).await;
    let spam_post = bob_sees["posts"].as_array().unwrap().iter().find(|p| p["seq"] == seq).unwrap().clone();
    assert_eq!((spam_post["hidden"].as_bool(), spam_post["html"].is_null()), (Some(true), true), "{spam_post}");
    let carol_sees = carol.get(&format!("/api/v1/forums/threads/{thread}?page=1")).await.json();
    let own = carol_sees["posts"].as_array().unwrap().iter().find(|p| p["seq"] == seq).unwrap().clone();
    assert_eq!(own["hidden_reason"], "Spam: an advert for essays", "{own}");
    c.app.stop().await;
}
