//! Forums: a course's forums (general, announcements, one per module),
//! threads and flat replies with quotes, unread counts and where a thread
//! opens, edits (window, history) and soft deletes, questions whose answers
//! a learner sees after answering, accepted answers, "helpful" marks,
//! search, the posting limits; every id route tried with a stranger and
//! another course's teacher — both backends.

use crate::{common, forums_kit};

use common::Backend;
use forums_kit::{class, class_with};
use lyceum_forums::settings::ForumSettings;
use serde_json::json;

on_both_backends!(
    every_course_has_a_general_an_announcements_and_a_forum_per_module,
    a_reply_quotes_a_post_and_the_thread_opens_at_the_first_unread,
    threads_started_since_the_last_visit_are_new,
    concurrent_forum_pages_never_wait_on_each_other_for_connections,
    only_staff_post_announcements,
    authors_edit_within_the_window_and_staff_see_the_history,
    a_deleted_post_leaves_a_stub_and_a_lone_thread_goes,
    a_question_hides_the_answers_until_a_learner_answers,
    helpful_marks_count_once_per_member,
    search_ranks_marks_and_escapes_and_never_leaks_hidden_answers,
    posting_too_fast_is_429_and_links_from_new_accounts_are_422,
    strangers_and_other_teachers_get_404_on_every_id_route,
    bad_input_gets_clear_errors,
    the_pages_walk_from_the_index_to_a_reply,
);

async fn every_course_has_a_general_an_announcements_and_a_forum_per_module(backend: Backend) {
    let c = class(backend).await;
    let listed = c.forums(&c.ada).await;
    assert_eq!(listed["role"], "learner");
    let items = listed["items"].as_array().unwrap().clone();
    let kinds: Vec<&str> = items.iter().map(|f| f["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds[..2], ["general", "announcements"]);
    assert!(kinds[2..].iter().all(|k| *k == "module"), "{kinds:?}");
    let modules: Vec<&str> = items[2..].iter().map(|f| f["module_title"].as_str().unwrap()).collect();
    assert_eq!(modules.last(), Some(&"Ownership"), "one per module, in the outline's order: {modules:?}");
    assert_eq!(c.forums(&c.teacher).await["role"], "staff");
    // A module added later has its forum as soon as anyone looks.
    crate::courses_kit::module(&c.teacher, &c.course, "Borrowing").await;
    let again = c.forums(&c.bob).await;
    assert_eq!(again["items"].as_array().unwrap().len(), items.len() + 1);
    assert_eq!(again["items"][items.len()]["module_title"], "Borrowing");
    assert_eq!(again["items"][0]["id"], listed["items"][0]["id"], "the same forums, not new ones");
    c.app.stop().await;
}

async fn a_reply_quotes_a_post_and_the_thread_opens_at_the_first_unread(backend: Backend) {
    let c = class(backend).await;
    let forum = c.forum("module").await;
    let thread = c.thread(&c.ada, &forum, "Why does the borrow end?", "Is it *scope*?").await;
    let listed = c.ada.get(&format!("/api/v1/forums/{forum}/threads")).await.json();
    assert_eq!(listed["items"][0]["unread"], 0, "the author has read their own post");
    let for_bob = c.bob.get(&format!("/api/v1/forums/{forum}/threads")).await.json();
    assert_eq!(for_bob["items"][0]["unread"], 1);
    let forums = c.forums(&c.bob).await;
    let module = forums["items"].as_array().unwrap().iter().find(|f| f["id"] == forum.as_str()).unwrap().clone();
    assert_eq!(module["unread_threads"], 1);
    let opened = c.read(&c.bob, &thread, None).await;
    assert_eq!(opened["first_unread_seq"], 1);
    let first = opened["posts"][0]["id"].as_str().unwrap().to_string();
    assert!(opened["posts"][0]["html"].as_str().unwrap().contains("<em>scope</em>"));
    let quoting = c
        .bob
        .post(
            &format!("/api/v1/forums/threads/{thread}/posts"),
            json!({"body": "Non-lexical lifetimes.", "quote_of": first}),
        )
        .await;
    assert_eq!(quoting.status, 201, "{}", quoting.text);
    assert_eq!(quoting.json()["seq"], 2);
    for n in 3..=25 {
        c.reply(&c.teacher, &thread, &format!("Note {n}")).await;
    }
    // Ada read post 1; she opens at post 2, on page 1 — then page 2 holds 21–25.
    let ada = c.read(&c.ada, &thread, None).await;
    assert_eq!(
        (ada["first_unread_seq"].as_i64(), ada["page"].as_i64(), ada["pages"].as_i64()),
        (Some(2), Some(1), Some(2))
    );
    assert_eq!(ada["posts"][1]["quote"]["post_id"], first);
    assert_eq!(ada["posts"][1]["quote"]["author_name"], opened["posts"][0]["author_name"]);
    let next = c.read(&c.ada, &thread, None).await;
    assert_eq!((next["first_unread_seq"].as_i64(), next["page"].as_i64()), (Some(21), Some(2)));
    assert_eq!(next["posts"].as_array().unwrap().len(), 5);
    assert_eq!(c.read(&c.ada, &thread, None).await["first_unread_seq"], serde_json::Value::Null);
    // A mark never moves back; the page at the start of a thread marks nothing new.
    assert_eq!(
        c.ada
            .send(reqwest::Method::PUT, &format!("/api/v1/forums/threads/{thread}/read"), Some(&json!({"seq": 1})))
            .await
            .status,
        204
    );
    assert_eq!(c.ada.get(&format!("/api/v1/forums/{forum}/threads")).await.json()["items"][0]["unread"], 0);
    // A quote from another thread is refused.
    let other = c.thread(&c.bob, &forum, "Another", "text").await;
    let wrong =
        c.bob.post(&format!("/api/v1/forums/threads/{other}/posts"), json!({"body": "x", "quote_of": first})).await;
    wrong.assert_problem(422, "validation");
    assert_eq!(wrong.error_fields(), ["quote_of"]);
    c.app.stop().await;
}

async fn threads_started_since_the_last_visit_are_new(backend: Backend) {
    let c = class(backend).await;
    let forum = c.forum("general").await;
    let list = format!("/api/v1/forums/{forum}/threads");
    c.thread(&c.ada, &forum, "Before", "seen").await;
    let first = c.bob.get(&list).await.json();
    assert_eq!(first["items"][0]["new_since_visit"], false, "nothing is new on a first visit");
    // Bob's visit ended an hour ago; Ada started a thread since.
    c.app.exec("UPDATE forum_visits SET previous_at = previous_at - 3600000, last_at = last_at - 3600000").await;
    c.app
        .exec("UPDATE forum_threads SET created_at = created_at - 7200000, last_post_at = last_post_at - 7200000")
        .await;
    c.thread(&c.ada, &forum, "After", "new").await;
    let again = c.bob.get(&list).await.json();
    let new: Vec<(&str, bool)> = again["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["title"].as_str().unwrap(), t["new_since_visit"].as_bool().unwrap()))
        .collect();
    assert_eq!(new, [("After", true), ("Before", false)]);
    // Reloading within the same visit keeps it new.
    assert_eq!(c.bob.get(&list).await.json()["items"][0]["new_since_visit"], true);
    c.app.stop().await;
}

/// Every forum page reads on one pool connection and records the visit on
/// another; holding the first while waiting for the second ran a small pool
/// dry under concurrent pages (seen at 64 connections on PostgreSQL).
async fn concurrent_forum_pages_never_wait_on_each_other_for_connections(backend: Backend) {
    let c = class_with(backend, |s| {
        s.database.max_connections = 2;
        s.database.acquire_timeout_secs = 5;
    })
    .await;
    let forum = c.forum("general").await;
    c.thread(&c.ada, &forum, "Busy", "many readers").await;
    let path = format!("/forums/{forum}");
    let pages = (0..16).map(|_| c.bob.get(&path));
    for page in futures::future::join_all(pages).await {
        assert_eq!(page.status, 200, "{}", page.text);
    }
    c.app.stop().await;
}

async fn only_staff_post_announcements(backend: Backend) {
    let c = class(backend).await;
    let news = c.forum("announcements").await;
    let refused = c.ada.post(&format!("/api/v1/forums/{news}/threads"), json!({"title": "Hi", "body": "x"})).await;
    refused.assert_problem(403, "staff-only");
    let made = c
        .teacher
        .post(
            &format!("/api/v1/forums/{news}/threads"),
            json!({"title": "Exam moved", "body": "To Friday.", "important": true}),
        )
        .await;
    assert_eq!(made.status, 201, "{}", made.text);
    assert_eq!(made.json()["important"], true);
    let thread = made.json()["id"].as_str().unwrap().to_string();
    c.ada
        .post(&format!("/api/v1/forums/threads/{thread}/posts"), json!({"body": "ok"}))
        .await
        .assert_problem(403, "staff-only");
    assert_eq!(c.read(&c.ada, &thread, None).await["may_reply"], false);
    // "important" means nothing outside the announcements forum.
    let general = c.forum("general").await;
    let plain = c
        .ada
        .post(&format!("/api/v1/forums/{general}/threads"), json!({"title": "Hi", "body": "x", "important": true}))
        .await;
    assert_eq!(plain.json()["important"], false);
    c.app.stop().await;
}

async fn authors_edit_within_the_window_and_staff_see_the_history(backend: Backend) {
    let c = class_with(backend, |s| s.section_mut::<ForumSettings>().edit_window_minutes = 0).await;
    let forum = c.forum("general").await;
    let thread = c.thread(&c.ada, &forum, "Typo", "teh text").await;
    let post = c.read(&c.ada, &thread, Some(1)).await["posts"][0]["id"].as_str().unwrap().to_string();
    // A window of 0 minutes has closed by the time of the edit (one millisecond at least).
    let closed = c.ada.patch(&format!("/api/v1/forums/posts/{post}"), json!({"body": "the text"})).await;
    closed.assert_problem(409, "edit-window-closed");
    c.bob
        .patch(&format!("/api/v1/forums/posts/{post}"), json!({"body": "mine now"}))
        .await
        .assert_problem(403, "not-yours");
    let staff =
        c.teacher.patch(&format!("/api/v1/forums/posts/{post}"), json!({"body": "the text", "title": "Fixed"})).await;
    assert_eq!(staff.status, 200, "{}", staff.text);
    let read = c.read(&c.bob, &thread, Some(1)).await;
    assert_eq!(read["thread"]["title"], "Fixed");
    assert!(read["posts"][0]["edited_at"].is_string());
    let history = c.teacher.get(&format!("/api/v1/forums/posts/{post}/history")).await;
    assert_eq!(history.status, 200);
    assert_eq!(history.json()["edits"][0]["body"], "teh text");
    c.ada.get(&format!("/api/v1/forums/posts/{post}/history")).await.assert_problem(403, "staff-only");

    let open = class(backend).await;
    let forum = open.forum("general").await;
    let thread = open.thread(&open.ada, &forum, "Typo", "teh").await;
    let post = open.read(&open.ada, &thread, Some(1)).await["posts"][0]["id"].as_str().unwrap().to_string();
    let edited = open.ada.patch(&format!("/api/v1/forums/posts/{post}"), json!({"body": "the"})).await;
    assert_eq!(edited.status, 200, "{}", edited.text);
    assert_eq!(edited.json()["body"], "the");
    c.app.stop().await;
    open.app.stop().await;
}

async fn a_deleted_post_leaves_a_stub_and_a_lone_thread_goes(backend: Backend) {
    let c = class(backend).await;
    let forum = c.forum("general").await;
    let thread = c.thread(&c.ada, &forum, "Question", "first").await;
    let reply = c.reply(&c.bob, &thread, "second").await;
    let first = c.read(&c.ada, &thread, Some(1)).await["posts"][0]["id"].as_str().unwrap().to_string();
    assert_eq!(c.ada.delete(&format!("/api/v1/forums/posts/{first}")).await.status, 204);
    let read = c.read(&c.bob, &thread, Some(1)).await;
    assert_eq!(read["posts"][0]["deleted"], true);
    assert_eq!(read["posts"][0]["body"], "", "a stub shows no text");
    assert_eq!(read["posts"][1]["id"], reply["id"]);
    c.ada
        .patch(&format!("/api/v1/forums/posts/{first}"), json!({"body": "back"}))
        .await
        .assert_problem(409, "post-gone");

    let lone = c.thread(&c.ada, &forum, "Oops", "wrong forum").await;
    let post = c.read(&c.ada, &lone, Some(1)).await["posts"][0]["id"].as_str().unwrap().to_string();
    assert_eq!(c.ada.delete(&format!("/api/v1/forums/posts/{post}")).await.status, 204);
    assert_eq!(c.ada.get(&format!("/api/v1/forums/threads/{lone}")).await.status, 404);
    let titles: Vec<String> = c.ada.get(&format!("/api/v1/forums/{forum}/threads")).await.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["title"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(titles, ["Question"]);
    c.app.stop().await;
}

async fn a_question_hides_the_answers_until_a_learner_answers(backend: Backend) {
    let c = class(backend).await;
    let forum = c.forum("module").await;
    let asked = c
        .teacher
        .post(
            &format!("/api/v1/forums/{forum}/threads"),
            json!({"title": "What is a lifetime?", "body": "Answer first.", "kind": "question"}),
        )
        .await;
    assert_eq!(asked.status, 201, "{}", asked.text);
    assert_eq!(asked.json()["kind"], "question");
    let thread = asked.json()["id"].as_str().unwrap().to_string();
    let answer = c.reply(&c.ada, &thread, "A region of code.").await;
    let answer_id = answer["id"].as_str().unwrap().to_string();
    let bob = c.read(&c.bob, &thread, Some(1)).await;
    assert_eq!(bob["posts"].as_array().unwrap().len(), 1, "only the question");
    assert_eq!(bob["hidden_answers"], 1);
    assert_eq!(
        c.bob.get(&format!("/api/v1/forums/posts/{answer_id}/history")).await.status,
        404,
        "hidden posts are 404 by id"
    );
    c.reply(&c.bob, &thread, "Where a reference is valid.").await;
    let bob = c.read(&c.bob, &thread, Some(1)).await;
    assert_eq!(bob["posts"].as_array().unwrap().len(), 3);
    assert_eq!(bob["hidden_answers"], 0);
    c.ada
        .send(reqwest::Method::PUT, &format!("/api/v1/forums/posts/{answer_id}/accepted"), None)
        .await
        .assert_problem(403, "staff-only");
    assert_eq!(
        c.teacher.send(reqwest::Method::PUT, &format!("/api/v1/forums/posts/{answer_id}/accepted"), None).await.status,
        204
    );
    let read = c.read(&c.bob, &thread, Some(1)).await;
    assert_eq!(read["thread"]["accepted_post_id"], answer_id.as_str());
    assert_eq!(read["posts"][1]["accepted"], true);
    let question_post = read["posts"][0]["id"].as_str().unwrap().to_string();
    c.teacher
        .send(reqwest::Method::PUT, &format!("/api/v1/forums/posts/{question_post}/accepted"), None)
        .await
        .assert_problem(422, "validation");
    c.app.stop().await;
}

async fn helpful_marks_count_once_per_member(backend: Backend) {
    let c = class(backend).await;
    let forum = c.forum("general").await;
    let thread = c.thread(&c.ada, &forum, "Tip", "Use clippy.").await;
    let post = c.read(&c.ada, &thread, Some(1)).await["posts"][0]["id"].as_str().unwrap().to_string();
    let path = format!("/api/v1/forums/posts/{post}/helpful");
    for _ in 0..2 {
        assert_eq!(c.bob.send(reqwest::Method::PUT, &path, None).await.json()["helpful_count"], 1);
    }
    assert_eq!(c.teacher.send(reqwest::Method::PUT, &path, None).await.json()["helpful_count"], 2);
    assert_eq!(c.bob.delete(&path).await.json()["helpful_count"], 1);
    assert_eq!(c.bob.delete(&path).await.json()["helpful_count"], 1, "taking back twice counts once");
    let read = c.read(&c.teacher, &thread, Some(1)).await;
    assert_eq!(
        (read["posts"][0]["helpful_count"].as_i64(), read["posts"][0]["helpful_by_me"].as_bool()),
        (Some(1), Some(true))
    );
    c.app.stop().await;
}

async fn search_ranks_marks_and_escapes_and_never_leaks_hidden_answers(backend: Backend) {
    let c = class(backend).await;
    let forum = c.forum("general").await;
    c.thread(&c.ada, &forum, "Borrowing rules", "<script>alert(1)</script> the borrow checker").await;
    c.thread(&c.bob, &forum, "Lunch", "A borrowed book about traits").await;
    let question = c
        .teacher
        .post(
            &format!("/api/v1/forums/{forum}/threads"),
            json!({"title": "Quiz", "body": "Say it.", "kind": "question"}),
        )
        .await
        .json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    c.reply(&c.ada, &question, "secretanswer borrow").await;
    let path = format!("/api/v1/forums/courses/{}/search?q=borrow", c.course);
    let found = c.bob.get(&path).await;
    assert_eq!(found.status, 200, "{}", found.text);
    let items = found.json()["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 2, "the hidden answer is not found by bob: {items:?}");
    assert_eq!(items[0]["thread_title"], "Borrowing rules", "the title match ranks first");
    let snippet = items[0]["snippet_html"].as_str().unwrap();
    assert!(snippet.contains("&lt;script&gt;") && !snippet.contains("<script>"), "{snippet}");
    assert!(snippet.contains("<mark>borrow</mark>"), "{snippet}");
    assert_eq!(c.ada.get(&path).await.json()["items"].as_array().unwrap().len(), 3, "ada answered: she finds it");
    assert_eq!(c.stranger.get(&path).await.status, 404);
    let page = c.bob.get(&format!("/learn/{}/forums/search?q=borrow", c.slug)).await;
    assert_eq!(page.status, 200);
    assert!(page.text.contains("<mark>") && !page.text.contains("<script>alert"), "the page escapes");
    c.app.stop().await;
}

async fn posting_too_fast_is_429_and_links_from_new_accounts_are_422(backend: Backend) {
    let c = class_with(backend, |s| s.section_mut::<ForumSettings>().posts_per_minute = 2).await;
    let forum = c.forum("general").await;
    let thread = c.thread(&c.ada, &forum, "One", "1").await;
    c.reply(&c.ada, &thread, "2").await;
    let third = c.ada.post(&format!("/api/v1/forums/threads/{thread}/posts"), json!({"body": "3"})).await;
    third.assert_problem(429, "rate-limited");
    assert!(third.header("retry-after").parse::<u32>().unwrap() >= 1);
    assert!(third.json()["detail"].as_str().unwrap().contains("too fast"));
    c.reply(&c.teacher, &thread, "staff are not limited").await;
    // A new account whose address is not verified (the test accounts are verified).
    c.app.exec("UPDATE users SET email_verified_at = NULL WHERE email = 'bob@example.org'").await;
    let spam = c
        .bob
        .post(&format!("/api/v1/forums/threads/{thread}/posts"), json!({"body": "cheap https://spam.example"}))
        .await;
    spam.assert_problem(422, "validation");
    assert_eq!(spam.error_fields(), ["body"]);
    c.reply(&c.teacher, &thread, "see https://doc.rust-lang.org").await;
    c.app.stop().await;
}

async fn strangers_and_other_teachers_get_404_on_every_id_route(backend: Backend) {
    let c = class(backend).await;
    let forum = c.forum("general").await;
    let thread = c.thread(&c.ada, &forum, "Private", "course only").await;
    let post = c.read(&c.ada, &thread, Some(1)).await["posts"][0]["id"].as_str().unwrap().to_string();
    use reqwest::Method as M;
    let routes: Vec<(M, String, Option<serde_json::Value>)> = vec![
        (M::GET, format!("/api/v1/forums/courses/{}", c.course), None),
        (M::GET, format!("/api/v1/forums/courses/{}/search?q=course", c.course), None),
        (M::GET, format!("/api/v1/forums/{forum}/threads"), None),
        (M::POST, format!("/api/v1/forums/{forum}/threads"), Some(json!({"title": "x", "body": "y"}))),
        (M::GET, format!("/api/v1/forums/threads/{thread}"), None),
        (M::PUT, format!("/api/v1/forums/threads/{thread}/read"), Some(json!({"seq": 1}))),
        (M::POST, format!("/api/v1/forums/threads/{thread}/posts"), Some(json!({"body": "y"}))),
        (M::PATCH, format!("/api/v1/forums/posts/{post}"), Some(json!({"body": "y"}))),
        (M::DELETE, format!("/api/v1/forums/posts/{post}"), None),
        (M::GET, format!("/api/v1/forums/posts/{post}/history"), None),
        (M::PUT, format!("/api/v1/forums/posts/{post}/helpful"), None),
        (M::PUT, format!("/api/v1/forums/posts/{post}/accepted"), None),
        (M::GET, format!("/learn/{}/forums", c.slug), None),
        (M::GET, format!("/forums/{forum}"), None),
        (M::GET, format!("/forums/threads/{thread}"), None),
        (M::GET, format!("/forums/posts/{post}/edit"), None),
    ];
    for who in [&c.stranger, &c.other_teacher] {
        for (method, path, body) in &routes {
            let reply = who.send(method.clone(), path, body.as_ref()).await;
            assert_eq!(reply.status, 404, "{method} {path}: {}", reply.text);
        }
    }
    // Nothing changed.
    let read = c.read(&c.ada, &thread, Some(1)).await;
    assert_eq!(
        (read["posts"][0]["body"].as_str(), read["thread"]["reply_count"].as_i64()),
        (Some("course only"), Some(0))
    );
    c.app.stop().await;
}

async fn bad_input_gets_clear_errors(backend: Backend) {
    let c = class(backend).await;
    let forum = c.forum("general").await;
    let path = format!("/api/v1/forums/{forum}/threads");
    let blank = c.ada.post(&path, json!({"title": "  ", "body": " "})).await;
    blank.assert_problem(422, "validation");
    let long = c.ada.post(&path, json!({"title": "x".repeat(201), "body": "ok"})).await;
    assert_eq!(long.error_fields(), ["title"]);
    let huge = c.ada.post(&path, json!({"title": "ok", "body": "x".repeat(20_001)})).await;
    assert_eq!(huge.error_fields(), ["body"]);
    assert_eq!(c.ada.post(&path, json!({"title": "ok"})).await.status, 422, "a missing body");
    assert_eq!(c.ada.get("/api/v1/forums/threads/nope").await.status, 404);
    let search = c.ada.get(&format!("/api/v1/forums/courses/{}/search?q={}", c.course, "a".repeat(201))).await;
    assert_eq!(search.status, 422);
    assert_eq!(c.ada.get(&format!("/api/v1/forums/{forum}/threads?limit=0")).await.status, 422);
    c.app.stop().await;
}

async fn the_pages_walk_from_the_index_to_a_reply(backend: Backend) {
    let c = class(backend).await;
    let index = c.ada.get(&format!("/learn/{}/forums", c.slug)).await;
    assert_eq!(index.status, 200, "{}", index.text);
    assert!(index.text.contains("General discussion") && index.text.contains("Ownership"));
    let module = c.ada.get(&format!("/learn/{}/forums/modules/{}", c.slug, c.module)).await;
    assert_eq!(module.status, 303, "the module's forum link redirects: {}", module.text);
    let forum_url = module.header("location").to_string();
    let forum = forum_url.trim_start_matches("/forums/").to_string();
    let compose = format!("/forums/{forum}/new");
    let csrf = c.ada.page_csrf(&compose).await;
    let refused =
        c.ada.form(&format!("/forums/{forum}/threads"), &[("csrf", &csrf), ("title", ""), ("body", "kept text")]).await;
    assert_eq!(refused.status, 422);
    assert!(
        refused.text.contains("Give the thread a title.") && refused.text.contains("kept text"),
        "{}",
        refused.text
    );
    let made = c
        .ada
        .form(
            &format!("/forums/{forum}/threads"),
            &[("csrf", &csrf), ("title", "<b>Moves</b>"), ("body", "What moves?")],
        )
        .await;
    assert_eq!(made.status, 303, "{}", made.text);
    let thread_url = made.header("location").to_string();
    let listing = c.bob.get(&forum_url).await;
    let at = listing.text.find("Moves").unwrap_or(0);
    let around = &listing.text[at.saturating_sub(60)..(at + 60).min(listing.text.len())];
    assert!(listing.text.contains("&#60;b&#62;Moves") && !listing.text.contains("<b>Moves</b>"), "escaped: {around}");
    let thread = c.bob.get(&thread_url).await;
    assert_eq!(thread.status, 200, "{}", thread.text);
    let csrf = c.bob.page_csrf(&thread_url).await;
    let thread_id = thread_url.trim_start_matches("/forums/threads/").to_string();
    let replied = c
        .bob
        .form(&format!("/forums/threads/{thread_id}/reply"), &[("csrf", &csrf), ("body", "A value **moves**.")])
        .await;
    assert_eq!(replied.status, 303, "{}", replied.text);
    assert!(replied.header("location").ends_with("#p2"), "{}", replied.header("location"));
    // Ada comes back: the thread opens at Bob's reply.
    let back = c.ada.get(&thread_url).await;
    assert_eq!(back.status, 303);
    assert!(back.header("location").ends_with("?page=1#p2"));
    let page = c.ada.get(&format!("{thread_url}?page=1")).await;
    assert!(page.text.contains("<strong>moves</strong>"));
    c.app.stop().await;
}
