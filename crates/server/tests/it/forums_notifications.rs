//! Forum subscriptions and notifications: following a forum or a thread,
//! auto-subscribe and its preference, the fan-out in jobs (subscribers but
//! never the author; every learner for an announcement, an important one
//! even with its kind turned off; the post in its final form after the
//! edit delay; mentions), the e-mail's reply link and one-click
//! unsubscribe, and 404 for anyone outside the course — both backends.

use crate::{common, forums_kit};

use common::{Backend, Mail, TestClient};
use forums_kit::{Forums, class_with};
use lyceum_forums::settings::ForumSettings;
use reqwest::Method;
use serde_json::{Value, json};

on_both_backends!(
    members_subscribe_and_unsubscribe_forums_and_threads,
    auto_subscribe_follows_what_you_write_unless_turned_off,
    a_reply_notifies_the_threads_subscribers_but_not_its_author,
    an_announcement_reaches_every_learner_and_an_important_one_even_turned_off,
    a_post_is_sent_in_its_final_form_after_the_delay,
    a_mention_notifies_the_member_named,
    the_email_has_a_reply_link_and_one_click_unsubscribe_stops_the_thread,
    strangers_cannot_subscribe_to_another_courses_forums,
);

/// A class whose notifications leave as soon as the jobs run.
async fn class(backend: Backend) -> Forums {
    class_with(backend, |s| s.section_mut::<ForumSettings>().notify_delay_seconds = 0).await
}

async fn put(client: &TestClient, path: &str, body: Option<Value>) -> common::Reply {
    client.send(Method::PUT, path, body.as_ref()).await
}

async fn subscribed(client: &TestClient, path: &str) -> bool {
    let got = client.get(path).await;
    assert_eq!(got.status, 200, "{path}: {}", got.text);
    got.json()["subscribed"].as_bool().unwrap()
}

/// `client`'s notices of kind `kind`.
async fn notices(client: &TestClient, kind: &str) -> Vec<Value> {
    let listed = client.get("/api/v1/notifications?limit=100").await;
    assert_eq!(listed.status, 200, "{}", listed.text);
    listed.json()["items"].as_array().unwrap().iter().filter(|n| n["kind"] == kind).cloned().collect()
}

/// The e-mails to `to` holding `text`.
async fn mails_with(c: &Forums, to: &str, text: &str) -> Vec<Mail> {
    c.app.mails_to(to).await.into_iter().filter(|m| m.text.contains(text)).collect()
}

async fn set_channel(client: &TestClient, kind: &str, channel: &str) -> common::Reply {
    let body = json!({"preferences": {kind: channel}});
    client.send(Method::PUT, "/api/v1/users/me/notification-preferences", Some(&body)).await
}

async fn members_subscribe_and_unsubscribe_forums_and_threads(backend: Backend) {
    let c = class(backend).await;
    let general = c.forum("general").await;
    let path = format!("/api/v1/forums/{general}/subscription");
    assert!(!subscribed(&c.bob, &path).await);
    let on = put(&c.bob, &path, None).await;
    assert_eq!(on.status, 200, "{}", on.text);
    assert_eq!(on.json()["subscribed"], true);
    assert_eq!(c.bob.get(&format!("/api/v1/forums/{general}/threads")).await.json()["subscribed"], true);
    assert_eq!(put(&c.bob, &path, None).await.json()["subscribed"], true, "twice is once");
    assert_eq!(c.bob.delete(&path).await.json()["subscribed"], false);
    assert_eq!(c.bob.get(&format!("/api/v1/forums/{general}/threads")).await.json()["subscribed"], false);

    // A thread: its author follows it; Bob follows it, then leaves it.
    let thread = c.thread(&c.ada, &general, "Study group", "Who is in?").await;
    let tpath = format!("/api/v1/forums/threads/{thread}/subscription");
    assert_eq!(c.read(&c.ada, &thread, None).await["subscribed"], true);
    assert_eq!(c.read(&c.bob, &thread, None).await["subscribed"], false);
    assert_eq!(put(&c.bob, &tpath, None).await.json()["subscribed"], true);
    assert!(subscribed(&c.bob, &tpath).await);
    // Leaving a thread holds even while following its forum.
    put(&c.bob, &path, None).await;
    assert_eq!(c.bob.delete(&tpath).await.json()["subscribed"], false);
    assert!(!subscribed(&c.bob, &tpath).await, "muted despite the forum subscription");
    assert!(subscribed(&c.bob, &path).await);

    // The announcements reach everyone: nothing to leave.
    let announcements = c.forum("announcements").await;
    let apath = format!("/api/v1/forums/{announcements}/subscription");
    assert!(subscribed(&c.ada, &apath).await);
    let refused = c.ada.delete(&apath).await;
    assert_eq!(refused.status, 422, "{}", refused.text);
    assert_eq!(refused.error_fields(), ["forum"]);

    // The pages' buttons.
    let page = c.bob.get(&format!("/forums/{general}")).await;
    assert!(page.text.contains("Unsubscribe from this forum"), "{}", page.text);
    let csrf = c.bob.page_csrf(&format!("/forums/{general}")).await;
    let left = c.bob.form(&format!("/forums/{general}/subscription"), &[("csrf", &csrf), ("on", "0")]).await;
    assert!(left.status.is_redirection() || left.status == 200, "{}", left.status);
    assert!(!subscribed(&c.bob, &path).await);
    let thread_page = c.bob.get(&format!("/forums/threads/{thread}?page=1")).await;
    assert!(thread_page.text.contains("Subscribe to this thread"), "{}", thread_page.text);
    let done = c
        .bob
        .form(&format!("/forums/threads/{thread}/subscription"), &[("csrf", &csrf), ("on", "1"), ("page", "1")])
        .await;
    assert!(done.status.is_redirection(), "{}", done.status);
    assert!(subscribed(&c.bob, &tpath).await);
    c.app.stop().await;
}

async fn auto_subscribe_follows_what_you_write_unless_turned_off(backend: Backend) {
    let c = class(backend).await;
    let forum = c.forum("module").await;
    let prefs = c.bob.get("/api/v1/forums/preferences").await;
    assert_eq!(prefs.status, 200, "{}", prefs.text);
    assert_eq!(prefs.json()["auto_subscribe"], true, "on by default");
    let off = put(&c.bob, "/api/v1/forums/preferences", Some(json!({"auto_subscribe": false}))).await;
    assert_eq!(off.status, 200, "{}", off.text);
    assert_eq!(c.bob.get("/api/v1/forums/preferences").await.json()["auto_subscribe"], false);

    let thread = c.thread(&c.ada, &forum, "Lifetimes", "Why 'a?").await;
    c.reply(&c.bob, &thread, "Because of scopes.").await;
    c.reply(&c.teacher, &thread, "Both right.").await;
    assert_eq!(c.read(&c.ada, &thread, None).await["subscribed"], true, "started it");
    assert_eq!(c.read(&c.teacher, &thread, None).await["subscribed"], true, "replied");
    assert_eq!(c.read(&c.bob, &thread, None).await["subscribed"], false, "turned auto-subscribe off");

    // The preferences page, linked from the course's forums.
    let index = c.ada.get(&format!("/learn/{}/forums", c.slug)).await;
    assert!(index.text.contains("/forums/preferences"), "{}", index.text);
    let page = c.ada.get("/forums/preferences").await;
    assert_eq!(page.status, 200, "{}", page.text);
    assert!(page.text.contains("checked"), "{}", page.text);
    let csrf = c.ada.page_csrf("/forums/preferences").await;
    let saved = c.ada.form("/forums/preferences", &[("csrf", &csrf)]).await;
    assert_eq!(saved.status, 200, "{}", saved.text);
    assert_eq!(c.ada.get("/api/v1/forums/preferences").await.json()["auto_subscribe"], false);
    let bad = put(&c.ada, "/api/v1/forums/preferences", Some(json!({"auto_subscribe": "yes"}))).await;
    assert_eq!(bad.status, 422, "{}", bad.text);
    c.app.stop().await;
}

async fn a_reply_notifies_the_threads_subscribers_but_not_its_author(backend: Backend) {
    let c = class(backend).await;
    let forum = c.forum("module").await;
    put(&c.teacher, &format!("/api/v1/forums/{forum}/subscription"), None).await;
    let thread = c.thread(&c.ada, &forum, "Borrowing", "When does a borrow end?").await;
    c.app.drain_jobs().await;
    assert_eq!(notices(&c.teacher, "forum.post").await.len(), 1, "the forum's subscriber hears of the new thread");
    assert!(notices(&c.ada, "forum.post").await.is_empty(), "not its author");
    assert!(notices(&c.bob, "forum.post").await.is_empty(), "Bob follows nothing yet");

    c.reply(&c.bob, &thread, "At its last use, since NLL.").await;
    c.app.drain_jobs().await;
    let ada = notices(&c.ada, "forum.post").await;
    assert_eq!(ada.len(), 1, "{ada:?}");
    assert_eq!(ada[0]["message"], "At its last use, since NLL.");
    assert!(ada[0]["title"].as_str().unwrap().contains("Borrowing"), "{}", ada[0]["title"]);
    assert!(ada[0]["link"].as_str().unwrap().starts_with(&format!("/forums/threads/{thread}?page=1#p2")));
    assert!(notices(&c.bob, "forum.post").await.is_empty(), "never the author");
    assert_eq!(notices(&c.teacher, "forum.post").await.len(), 2);
    let mails = mails_with(&c, "ada@example.org", "At its last use").await;
    assert_eq!(mails.len(), 1, "e-mailed (the kind's default)");
    assert!(mails_with(&c, "bob@example.org", "At its last use").await.is_empty());
    assert!(mails_with(&c, "stranger@example.org", "Borrowing").await.is_empty());

    // Delivered again (a rerun of the fan-out), nothing doubles.
    c.app.exec("UPDATE jobs SET state = 'queued', run_at = 0 WHERE kind = 'forums.post_notices'").await;
    c.app.drain_jobs().await;
    assert_eq!(notices(&c.ada, "forum.post").await.len(), 1);

    // A member who left the course hears nothing more.
    c.app.exec("UPDATE enrollments SET status = 'cancelled' WHERE user_id IN (SELECT id FROM users WHERE email = 'ada@example.org')").await;
    c.reply(&c.teacher, &thread, "Exactly.").await;
    c.app.drain_jobs().await;
    assert!(mails_with(&c, "ada@example.org", "Exactly.").await.is_empty());
    assert_eq!(mails_with(&c, "bob@example.org", "Exactly.").await.len(), 1);
    c.app.stop().await;
}

async fn an_announcement_reaches_every_learner_and_an_important_one_even_turned_off(backend: Backend) {
    let c = class(backend).await;
    let announcements = c.forum("announcements").await;
    assert_eq!(set_channel(&c.bob, "forum.announcement", "off").await.status, 200);
    let refused = set_channel(&c.bob, "forum.announcement_important", "in_app").await;
    assert_eq!(refused.status, 422, "an important announcement's e-mail stays: {}", refused.text);

    c.thread(&c.teacher, &announcements, "Exam date", "The exam is on **Friday**.").await;
    c.app.drain_jobs().await;
    let ada = mails_with(&c, "ada@example.org", "The exam is on Friday.").await;
    assert_eq!(ada.len(), 1);
    assert!(ada[0].text.contains("/forums/unsubscribe?token="), "{}", ada[0].text);
    assert!(mails_with(&c, "bob@example.org", "exam").await.is_empty(), "Bob turned announcements off");
    assert!(notices(&c.bob, "forum.announcement").await.is_empty());
    assert!(mails_with(&c, "teacher@example.org", "The exam is on").await.is_empty(), "not its author");
    assert!(mails_with(&c, "stranger@example.org", "exam").await.is_empty());

    let made = c
        .teacher
        .post(
            &format!("/api/v1/forums/{announcements}/threads"),
            json!({"title": "Room change", "body": "We move to room 4.", "important": true}),
        )
        .await;
    assert_eq!(made.status, 201, "{}", made.text);
    c.app.drain_jobs().await;
    let bob = mails_with(&c, "bob@example.org", "We move to room 4.").await;
    assert_eq!(bob.len(), 1, "important: e-mailed even with announcements off");
    assert!(!bob[0].text.contains("unsubscribe?token="), "no unsubscribe link: {}", bob[0].text);
    assert_eq!(notices(&c.bob, "forum.announcement_important").await.len(), 1);
    assert_eq!(mails_with(&c, "ada@example.org", "We move to room 4.").await.len(), 1);
    c.app.stop().await;
}

async fn a_post_is_sent_in_its_final_form_after_the_delay(backend: Backend) {
    let c = class(backend).await;
    let forum = c.forum("general").await;
    let thread = c.thread(&c.ada, &forum, "Typos", "Anyone?").await;
    c.app.drain_jobs().await;
    let post = c.reply(&c.bob, &thread, "Teh borow checker").await;
    let id = post["id"].as_str().unwrap();
    let edited = c.bob.patch(&format!("/api/v1/forums/posts/{id}"), json!({"body": "The borrow checker"})).await;
    assert_eq!(edited.status, 200, "{}", edited.text);
    c.app.drain_jobs().await;
    let mails = c.app.mails_to("ada@example.org").await;
    assert!(mails.iter().any(|m| m.text.contains("The borrow checker")), "the final form");
    assert!(!mails.iter().any(|m| m.text.contains("Teh borow")), "never the draft");

    // A post deleted within the delay is never sent.
    let gone = c.reply(&c.bob, &thread, "Oops, wrong thread").await;
    assert_eq!(c.bob.delete(&format!("/api/v1/forums/posts/{}", gone["id"].as_str().unwrap())).await.status, 204);
    c.app.drain_jobs().await;
    assert!(mails_with(&c, "ada@example.org", "wrong thread").await.is_empty());
    c.app.stop().await;

    // With the default delay, nothing leaves at once: the notice waits for its time.
    let c = class_with(backend, |_| {}).await;
    let forum = c.forum("general").await;
    let thread = c.thread(&c.ada, &forum, "Later", "Soon").await;
    c.reply(&c.bob, &thread, "Held for a minute").await;
    c.app.drain_jobs().await;
    assert!(mails_with(&c, "ada@example.org", "Held for a minute").await.is_empty());
    c.app.exec("UPDATE jobs SET run_at = 0 WHERE kind = 'forums.post_notices'").await;
    c.app.drain_jobs().await;
    assert_eq!(mails_with(&c, "ada@example.org", "Held for a minute").await.len(), 1);
    c.app.stop().await;
}

async fn a_mention_notifies_the_member_named(backend: Backend) {
    let c = class(backend).await;
    let forum = c.forum("general").await;
    c.thread(&c.ada, &forum, "Pairing", "@Bob and @stranger, shall we pair? cc @TEACHER").await;
    c.app.drain_jobs().await;
    let bob = notices(&c.bob, "forum.mention").await;
    assert_eq!(bob.len(), 1, "{bob:?}");
    assert!(bob[0]["title"].as_str().unwrap().contains("mentioned you"), "{}", bob[0]["title"]);
    assert_eq!(notices(&c.teacher, "forum.mention").await.len(), 1, "any case");
    assert_eq!(mails_with(&c, "bob@example.org", "shall we pair").await.len(), 1);
    assert!(mails_with(&c, "stranger@example.org", "shall we pair").await.is_empty(), "not a member");
    assert!(notices(&c.ada, "forum.mention").await.is_empty());
    c.app.stop().await;
}

async fn the_email_has_a_reply_link_and_one_click_unsubscribe_stops_the_thread(backend: Backend) {
    let c = class(backend).await;
    let forum = c.forum("module").await;
    let thread = c.thread(&c.ada, &forum, "Traits", "Static or dynamic?").await;
    c.reply(&c.bob, &thread, "Static by default.").await;
    c.reply(&c.ada, &thread, "Thanks, and x<y?").await;
    c.app.drain_jobs().await;
    let mail = mails_with(&c, "bob@example.org", "Thanks, and").await.pop().expect("Bob's e-mail");
    let base = &c.app.state().settings.public_url;
    assert!(mail.text.contains(&format!("{base}/forums/threads/{thread}?page=1#reply")), "{}", mail.text);
    assert!(mail.text.contains("Thanks, and x<y?"), "{}", mail.text);
    assert!(mail.html.contains("x&#60;y") && !mail.html.contains("x<y"), "escaped: {}", mail.html);
    let raw = raw_mails(&c)
        .into_iter()
        .rev()
        .find(|r| {
            header(r, "To").is_some_and(|to| to.contains("bob@example.org"))
                && header(r, "List-Unsubscribe").is_some_and(|u| u.contains("/forums/unsubscribe?token="))
        })
        .expect("Bob's forum e-mail with List-Unsubscribe");
    assert_eq!(header(&raw, "List-Unsubscribe-Post").as_deref(), Some("List-Unsubscribe=One-Click"));

    let token = mail.token("/forums/unsubscribe");
    let path = format!("/forums/unsubscribe?token={token}");
    let page = c.app.client().get(&path).await;
    assert_eq!(page.status, 200, "{}", page.text);
    assert!(page.text.contains("Traits"), "{}", page.text);
    assert_eq!(c.read(&c.bob, &thread, None).await["subscribed"], true, "a GET changes nothing");
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let res = http
        .post(format!("{}{path}", c.app.url))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(c.read(&c.bob, &thread, None).await["subscribed"], false);
    c.reply(&c.ada, &thread, "Anyone else?").await;
    c.app.drain_jobs().await;
    assert!(mails_with(&c, "bob@example.org", "Anyone else?").await.is_empty(), "unsubscribed");
    let bogus = http.post(format!("{}/forums/unsubscribe?token=bogus", c.app.url)).send().await.unwrap();
    assert_eq!(bogus.status(), 410);
    c.app.stop().await;
}

async fn strangers_cannot_subscribe_to_another_courses_forums(backend: Backend) {
    let c = class(backend).await;
    let general = c.forum("general").await;
    let thread = c.thread(&c.ada, &general, "Private", "Members only").await;
    for client in [&c.stranger, &c.other_teacher] {
        for path in
            [format!("/api/v1/forums/{general}/subscription"), format!("/api/v1/forums/threads/{thread}/subscription")]
        {
            assert_eq!(client.get(&path).await.status, 404, "{path}");
            assert_eq!(put(client, &path, None).await.status, 404, "{path}");
            assert_eq!(client.delete(&path).await.status, 404, "{path}");
        }
        let csrf = client.page_csrf("/forums/preferences").await;
        let page = client.form(&format!("/forums/{general}/subscription"), &[("csrf", &csrf), ("on", "1")]).await;
        assert_eq!(page.status, 404);
    }
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM forum_subscriptions WHERE subject_id = $1")
        .bind(&general)
        .fetch_one(c.app.state().db.pool())
        .await
        .unwrap();
    assert_eq!(count, 0);
    c.app.stop().await;
}

fn raw_mails(c: &Forums) -> Vec<String> {
    let dir = c.app.dir.path().join("mail");
    let mut paths: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    paths.sort();
    paths.iter().map(|p| std::fs::read_to_string(p).unwrap()).collect()
}

fn header(raw: &str, name: &str) -> Option<String> {
    let head = raw.split("\r\n\r\n").next().unwrap_or_default();
    head.split("\r\n").find_map(|line| {
        let (key, value) = line.split_once(':')?;
        key.eq_ignore_ascii_case(name).then(|| value.trim().to_string())
    })
}
