//! Forum moderation: staff pin, lock and move threads, hide posts with a
//! reason their author sees (and search forgets) and show them again; any
//! member flags a post (once), the flag reaches the course's queue, the
//! administrators' queue and the course's instructors' notifications, and
//! staff resolve it by hiding the post (every open flag on it) or
//! dismissing it; learners get 403, strangers and other teachers 404 on
//! every new id route — both backends.

use crate::{common, forums_kit};

use common::Backend;
use forums_kit::{Forums, class};
use lyceum_platform::auth::Role;
use reqwest::Method as M;
use serde_json::{Value, json};

on_both_backends!(
    staff_pin_lock_and_move_threads,
    a_hidden_post_shows_its_reason_to_its_author_only_and_leaves_search,
    flags_reach_both_queues_and_hiding_resolves_every_flag_of_the_post,
    a_flag_is_dismissed_and_a_member_flags_a_post_once,
    a_flag_tells_the_course_instructors_in_the_app,
    learners_get_403_and_strangers_404_on_every_moderation_route,
    the_moderation_pages_work_and_escape,
);

async fn put(client: &common::TestClient, path: &str, body: Option<Value>) -> common::Reply {
    client.send(M::PUT, path, body.as_ref()).await
}

/// The first post of `thread` as `client` reads it.
async fn first_post(c: &Forums, thread: &str) -> String {
    c.read(&c.teacher, thread, Some(1)).await["posts"][0]["id"].as_str().unwrap().to_string()
}

async fn flag(client: &common::TestClient, post: &str, reason: &str) -> common::Reply {
    client.post(&format!("/api/v1/forums/posts/{post}/flags"), json!({"reason": reason})).await
}

async fn course_flags(c: &Forums) -> Value {
    let listed = c.teacher.get(&format!("/api/v1/forums/courses/{}/flags", c.course)).await;
    assert_eq!(listed.status, 200, "{}", listed.text);
    listed.json()
}

async fn staff_pin_lock_and_move_threads(backend: Backend) {
    let c = class(backend).await;
    let general = c.forum("general").await;
    let thread = c.thread(&c.ada, &general, "Course logistics", "When is the exam?").await;
    let newer = c.thread(&c.bob, &general, "Newer", "later thread").await;

    // Pin: the thread leads its forum's list.
    let pinned = put(&c.teacher, &format!("/api/v1/forums/threads/{thread}/pinned"), None).await;
    assert_eq!(pinned.status, 200, "{}", pinned.text);
    assert_eq!(pinned.json()["pinned"], true);
    let listed = c.ada.get(&format!("/api/v1/forums/{general}/threads")).await.json();
    assert_eq!(listed["pinned"][0]["id"], thread.as_str());
    assert_eq!(listed["items"][0]["id"], newer.as_str());
    let unpinned = c.teacher.delete(&format!("/api/v1/forums/threads/{thread}/pinned")).await;
    assert_eq!(unpinned.json()["pinned"], false);
    assert!(
        c.ada.get(&format!("/api/v1/forums/{general}/threads")).await.json()["pinned"].as_array().unwrap().is_empty()
    );

    // Lock: learners' replies are refused, staff still reply.
    let locked = put(&c.teacher, &format!("/api/v1/forums/threads/{thread}/locked"), None).await;
    assert_eq!(locked.json()["locked"], true);
    let refused = c.bob.post(&format!("/api/v1/forums/threads/{thread}/posts"), json!({"body": "me too"})).await;
    refused.assert_problem(409, "thread-locked");
    c.reply(&c.teacher, &thread, "Friday, 9:00.").await;
    assert_eq!(c.read(&c.bob, &thread, Some(1)).await["may_reply"], false);
    let unlocked = c.teacher.delete(&format!("/api/v1/forums/threads/{thread}/locked")).await;
    assert_eq!(unlocked.json()["locked"], false);
    c.reply(&c.bob, &thread, "Thanks!").await;

    // Move: to the module's forum; never into announcements nor another course.
    let module = c.forum("module").await;
    let path = format!("/api/v1/forums/threads/{thread}/move");
    let moved = c.teacher.post(&path, json!({"forum_id": module})).await;
    assert_eq!(moved.status, 200, "{}", moved.text);
    assert_eq!(moved.json()["forum_id"], module.as_str());
    let there = c.ada.get(&format!("/api/v1/forums/{module}/threads")).await.json();
    assert_eq!(there["items"][0]["id"], thread.as_str());
    assert_eq!(there["items"][0]["reply_count"], 2, "its posts moved with it");
    let gone = c.ada.get(&format!("/api/v1/forums/{general}/threads")).await.json();
    assert!(gone["items"].as_array().unwrap().iter().all(|t| t["id"] != thread.as_str()));
    let announcements = c.forum("announcements").await;
    let refused = c.teacher.post(&path, json!({"forum_id": announcements})).await;
    assert_eq!(refused.error_fields(), ["forum_id"]);
    let (other_course, _) = crate::enrollment_kit::published(&c.teacher, "Golang", json!({})).await;
    let other = c.teacher.get(&format!("/api/v1/forums/courses/{other_course}")).await.json();
    let elsewhere = other["items"][0]["id"].as_str().unwrap();
    let refused = c.teacher.post(&path, json!({"forum_id": elsewhere})).await;
    assert_eq!(refused.error_fields(), ["forum_id"], "{}", refused.text);
    assert_eq!(c.teacher.post(&path, json!({"forum_id": "nope"})).await.error_fields(), ["forum_id"]);
    assert_eq!(c.read(&c.ada, &thread, Some(1)).await["thread"]["forum_id"], module.as_str(), "still where it went");

    // An administrator moderates every course; each action is logged with who did it.
    let (admin, _) = c.app.signed_in("root@example.org", Role::Admin).await;
    assert_eq!(put(&admin, &format!("/api/v1/forums/threads/{thread}/pinned"), None).await.status, 200);
    let actions: Vec<(String, String)> =
        sqlx::query_as("SELECT action, actor_id FROM forum_moderation_log WHERE thread_id = $1 ORDER BY at, action")
            .bind(&thread)
            .fetch_all(c.app.state().db.pool())
            .await
            .unwrap();
    let names: Vec<&str> = actions.iter().map(|(a, _)| a.as_str()).collect();
    assert_eq!(names.len(), 6, "{actions:?}");
    for expected in ["pin", "unpin", "lock", "unlock", "move"] {
        assert!(names.contains(&expected), "{expected} logged: {actions:?}");
    }
    c.app.stop().await;
}

async fn a_hidden_post_shows_its_reason_to_its_author_only_and_leaves_search(backend: Backend) {
    let c = class(backend).await;
    let general = c.forum("general").await;
    let thread = c.thread(&c.ada, &general, "Study group", "Who wants to meet?").await;
    let post = c.reply(&c.bob, &thread, "Buy cheap wristwatches here").await["id"].as_str().unwrap().to_string();
    let search = format!("/api/v1/forums/courses/{}/search?q=wristwatches", c.course);
    assert_eq!(c.ada.get(&search).await.json()["items"].as_array().unwrap().len(), 1);

    let hidden_path = format!("/api/v1/forums/posts/{post}/hidden");
    let blank = put(&c.teacher, &hidden_path, Some(json!({"reason": "  "}))).await;
    assert_eq!(blank.error_fields(), ["reason"]);
    let hidden = put(&c.teacher, &hidden_path, Some(json!({"reason": "Advertising"}))).await;
    assert_eq!(hidden.status, 200, "{}", hidden.text);
    assert_eq!(
        (hidden.json()["hidden"].as_bool(), hidden.json()["hidden_reason"].as_str()),
        (Some(true), Some("Advertising"))
    );

    let for_bob = c.read(&c.bob, &thread, Some(1)).await;
    assert_eq!(for_bob["posts"][1]["hidden"], true);
    assert_eq!(for_bob["posts"][1]["hidden_reason"], "Advertising");
    assert!(for_bob["posts"][1]["html"].as_str().unwrap().contains("wristwatches"));
    let for_ada = c.read(&c.ada, &thread, Some(1)).await;
    assert_eq!(for_ada["posts"][1]["hidden"], true);
    assert!(for_ada["posts"][1]["html"].is_null() && for_ada["posts"][1]["body"] == "", "{}", for_ada["posts"][1]);
    assert!(for_ada["posts"][1]["hidden_reason"].is_null(), "{}", for_ada["posts"][1]);
    assert!(c.ada.get(&search).await.json()["items"].as_array().unwrap().is_empty(), "gone from search");
    assert!(c.bob.get(&search).await.json()["items"].as_array().unwrap().is_empty(), "even for its author");

    let page = format!("/forums/threads/{thread}?page=1");
    let bob_page = c.bob.get(&page).await.text;
    assert!(bob_page.contains("Advertising") && bob_page.contains("wristwatches"));
    let ada_page = c.ada.get(&page).await.text;
    assert!(ada_page.contains("This post was hidden by a moderator.") && !ada_page.contains("Advertising"));
    assert!(!ada_page.contains("wristwatches"));

    // Its author cannot edit it back into view; staff show it again.
    let edit = c.bob.patch(&format!("/api/v1/forums/posts/{post}"), json!({"body": "fixed"})).await;
    edit.assert_problem(409, "post-gone");
    let shown = c.teacher.delete(&hidden_path).await;
    assert_eq!(shown.status, 200, "{}", shown.text);
    assert_eq!(shown.json()["hidden"], false);
    assert_eq!(c.ada.get(&search).await.json()["items"].as_array().unwrap().len(), 1, "back in search");
    assert!(c.read(&c.ada, &thread, Some(1)).await["posts"][1]["html"].as_str().unwrap().contains("wristwatches"));
    c.app.stop().await;
}

async fn flags_reach_both_queues_and_hiding_resolves_every_flag_of_the_post(backend: Backend) {
    let c = class(backend).await;
    let general = c.forum("general").await;
    let thread = c.thread(&c.teacher, &general, "Introductions", "Say hello").await;
    let spam = c.reply(&c.bob, &thread, "Visit my shop").await["id"].as_str().unwrap().to_string();
    let own = flag(&c.bob, &spam, "mine").await;
    assert_eq!(own.error_fields(), ["post"], "one's own post");
    let first = flag(&c.ada, &spam, "Spam").await;
    assert_eq!(first.status, 201, "{}", first.text);
    let first = first.json();
    assert_eq!((first["reason"].as_str(), first["resolution"].as_null()), (Some("Spam"), Some(())));
    let second = flag(&c.teacher, &spam, "Advertising a shop").await;
    assert_eq!(second.status, 201, "staff flag too: {}", second.text);
    let second = second.json()["id"].as_str().unwrap().to_string();

    let queue = course_flags(&c).await;
    let items = queue["items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "{queue}");
    assert_eq!(items[0]["id"], second.as_str(), "newest first");
    assert_eq!(items[1]["reason"], "Spam");
    assert_eq!(items[1]["post_body"], "Visit my shop");
    assert_eq!(items[1]["thread_title"], "Introductions");
    assert_eq!(items[1]["seq"], 2);
    assert!(!items[1]["flagged_by_name"].as_str().unwrap().is_empty());
    let one = c.teacher.get(&format!("/api/v1/forums/courses/{}/flags?limit=1", c.course)).await.json();
    assert_eq!(one["items"].as_array().unwrap().len(), 1);
    let cursor = one["next_cursor"].as_str().unwrap();
    let rest = c.teacher.get(&format!("/api/v1/forums/courses/{}/flags?limit=1&cursor={cursor}", c.course)).await;
    assert_eq!(rest.json()["items"][0]["id"], first["id"]);
    assert_eq!(c.teacher.get(&format!("/api/v1/forums/courses/{}/flags?limit=0", c.course)).await.status, 422);

    let (admin, _) = c.app.signed_in("root@example.org", Role::Admin).await;
    let all = admin.get("/api/v1/admin/forum-flags").await;
    assert_eq!(all.status, 200, "{}", all.text);
    assert_eq!(all.json()["items"].as_array().unwrap().len(), 2);
    assert_eq!(all.json()["items"][0]["course_title"], "Rust");
    c.teacher.get("/api/v1/admin/forum-flags").await.assert_problem(403, "admin-only");
    c.ada.get("/api/v1/admin/forum-flags").await.assert_problem(403, "admin-only");

    // Hiding through one flag (its reason by default) resolves both.
    let resolved = c
        .teacher
        .post(&format!("/api/v1/forums/flags/{}/resolve", first["id"].as_str().unwrap()), json!({"action": "hide"}))
        .await;
    assert_eq!(resolved.status, 200, "{}", resolved.text);
    assert_eq!(resolved.json()["resolution"], "hidden");
    assert!(course_flags(&c).await["items"].as_array().unwrap().is_empty());
    assert!(admin.get("/api/v1/admin/forum-flags").await.json()["items"].as_array().unwrap().is_empty());
    let again = c.teacher.post(&format!("/api/v1/forums/flags/{second}/resolve"), json!({"action": "dismiss"})).await;
    again.assert_problem(409, "flag-resolved");
    let post = c.read(&c.bob, &thread, Some(1)).await["posts"][1].clone();
    assert_eq!((post["hidden"].as_bool(), post["hidden_reason"].as_str()), (Some(true), Some("Spam")));
    let stored: Vec<(String, Option<String>)> =
        sqlx::query_as("SELECT id, resolution FROM forum_flags WHERE post_id = $1 ORDER BY id")
            .bind(&spam)
            .fetch_all(c.app.state().db.pool())
            .await
            .unwrap();
    assert!(stored.iter().all(|(_, r)| r.as_deref() == Some("hidden")), "{stored:?}");
    // A hidden post takes no new flag.
    flag(&c.ada, &spam, "again").await.assert_problem(409, "post-gone");
    c.app.stop().await;
}

async fn a_flag_is_dismissed_and_a_member_flags_a_post_once(backend: Backend) {
    let c = class(backend).await;
    let general = c.forum("general").await;
    let thread = c.thread(&c.bob, &general, "Opinions", "Tabs are better than spaces").await;
    let post = first_post(&c, &thread).await;
    let made = flag(&c.ada, &post, "Rude").await;
    assert_eq!(made.status, 201, "{}", made.text);
    let id = made.json()["id"].as_str().unwrap().to_string();
    flag(&c.ada, &post, "Really rude").await.assert_problem(409, "already-flagged");
    assert_eq!(
        flag(&c.bob, &first_post(&c, &c.thread(&c.ada, &general, "T", "B").await).await, " ").await.error_fields(),
        ["reason"]
    );
    let bad = c.teacher.post(&format!("/api/v1/forums/flags/{id}/resolve"), json!({"action": "ignore"})).await;
    assert_eq!(bad.status, 422, "{}", bad.text);
    let dismissed = c.teacher.post(&format!("/api/v1/forums/flags/{id}/resolve"), json!({"action": "dismiss"})).await;
    assert_eq!(dismissed.status, 200, "{}", dismissed.text);
    assert_eq!(dismissed.json()["resolution"], "dismissed");
    assert!(dismissed.json()["resolved_by"].is_string());
    assert!(course_flags(&c).await["items"].as_array().unwrap().is_empty());
    assert_eq!(c.read(&c.ada, &thread, Some(1)).await["posts"][0]["hidden"], false, "a dismissed flag hides nothing");
    // Once per member and post, even after a dismissal.
    flag(&c.ada, &post, "Still rude").await.assert_problem(409, "already-flagged");
    c.app.stop().await;
}

async fn a_flag_tells_the_course_instructors_in_the_app(backend: Backend) {
    let c = class(backend).await;
    c.app.drain_jobs().await;
    let general = c.forum("general").await;
    let thread = c.thread(&c.bob, &general, "Offtopic", "Anyone selling a bike?").await;
    let post = first_post(&c, &thread).await;
    assert_eq!(flag(&c.ada, &post, "Off topic").await.status, 201);
    assert!(c.app.drain_jobs().await >= 1, "the event's subscriber ran");
    let flagged = |list: &Value| -> Vec<Value> {
        list["items"].as_array().unwrap().iter().filter(|n| n["kind"] == "forum.post_flagged").cloned().collect()
    };
    let teacher = flagged(&c.teacher.get("/api/v1/notifications").await.json());
    assert_eq!(teacher.len(), 1, "{teacher:?}");
    assert_eq!(teacher[0]["link"], format!("/learn/{}/forums/moderation", c.slug));
    assert!(teacher[0]["title"].as_str().unwrap().contains("Rust"), "{}", teacher[0]);
    assert!(flagged(&c.ada.get("/api/v1/notifications").await.json()).is_empty(), "not the member who flagged");
    assert!(flagged(&c.bob.get("/api/v1/notifications").await.json()).is_empty(), "nor the post's author");
    assert!(flagged(&c.other_teacher.get("/api/v1/notifications").await.json()).is_empty());
    // The notice links to a queue holding the flag.
    let queue = c.teacher.get(&format!("/learn/{}/forums/moderation", c.slug)).await;
    assert_eq!(queue.status, 200, "{}", queue.text);
    assert!(queue.text.contains("Off topic") && queue.text.contains("Anyone selling a bike?"));
    c.app.stop().await;
}

async fn learners_get_403_and_strangers_404_on_every_moderation_route(backend: Backend) {
    let c = class(backend).await;
    let general = c.forum("general").await;
    let module = c.forum("module").await;
    let thread = c.thread(&c.bob, &general, "Private", "course only").await;
    let post = first_post(&c, &thread).await;
    let flag_id = flag(&c.ada, &post, "check").await.json()["id"].as_str().unwrap().to_string();
    let staff_routes: Vec<(M, String, Option<Value>)> = vec![
        (M::PUT, format!("/api/v1/forums/threads/{thread}/pinned"), None),
        (M::DELETE, format!("/api/v1/forums/threads/{thread}/pinned"), None),
        (M::PUT, format!("/api/v1/forums/threads/{thread}/locked"), None),
        (M::DELETE, format!("/api/v1/forums/threads/{thread}/locked"), None),
        (M::POST, format!("/api/v1/forums/threads/{thread}/move"), Some(json!({"forum_id": module}))),
        (M::PUT, format!("/api/v1/forums/posts/{post}/hidden"), Some(json!({"reason": "x"}))),
        (M::DELETE, format!("/api/v1/forums/posts/{post}/hidden"), None),
        (M::GET, format!("/api/v1/forums/courses/{}/flags", c.course), None),
        (M::POST, format!("/api/v1/forums/flags/{flag_id}/resolve"), Some(json!({"action": "hide"}))),
        (M::GET, format!("/learn/{}/forums/moderation", c.slug), None),
    ];
    for learner in [&c.ada, &c.bob] {
        for (method, path, body) in &staff_routes {
            let reply = learner.send(method.clone(), path, body.as_ref()).await;
            assert_eq!(reply.status, 403, "{method} {path}: {}", reply.text);
            if path.starts_with("/api/") {
                reply.assert_problem(403, "staff-only");
            }
        }
    }
    let mut every = staff_routes.clone();
    every.push((M::POST, format!("/api/v1/forums/posts/{post}/flags"), Some(json!({"reason": "x"}))));
    for who in [&c.stranger, &c.other_teacher] {
        for (method, path, body) in &every {
            let reply = who.send(method.clone(), path, body.as_ref()).await;
            assert_eq!(reply.status, 404, "{method} {path}: {}", reply.text);
        }
    }
    for who in [&c.teacher, &c.ada, &c.stranger] {
        assert_eq!(who.get("/admin/forums/flags").await.status, 403);
    }
    // Nothing changed.
    let read = c.read(&c.teacher, &thread, Some(1)).await;
    assert_eq!(
        (read["thread"]["pinned"].as_bool(), read["thread"]["locked"].as_bool(), read["thread"]["forum_id"].as_str()),
        (Some(false), Some(false), Some(general.as_str()))
    );
    assert_eq!(read["posts"][0]["hidden"], false);
    assert_eq!(course_flags(&c).await["items"][0]["id"], flag_id.as_str(), "the flag is still open");
    c.app.stop().await;
}

async fn the_moderation_pages_work_and_escape(backend: Backend) {
    let c = class(backend).await;
    let general = c.forum("general").await;
    let thread = c.thread(&c.ada, &general, "Homework 1", "How long should it be?").await;
    let bob_post = c.reply(&c.bob, &thread, "<b>Click</b> my link").await["id"].as_str().unwrap().to_string();
    let url = format!("/forums/threads/{thread}?page=1");

    let teacher_page = c.teacher.get(&url).await;
    assert_eq!(teacher_page.status, 200, "{}", teacher_page.text);
    for piece in [
        "id=\"moderation\"",
        "Pin the thread",
        "Lock the thread",
        "<label for=\"move-to\">",
        "Ownership",
        "p2-hide-reason",
    ] {
        assert!(teacher_page.text.contains(piece), "{piece}");
    }
    let ada_page = c.ada.get(&url).await.text;
    assert!(!ada_page.contains("id=\"moderation\"") && !ada_page.contains("p2-hide-reason"));
    assert!(
        ada_page.contains("p2-flag-reason") && !ada_page.contains("p1-flag-reason"),
        "a flag form on others' posts only"
    );

    // Ada flags Bob's post through the page; the reason is escaped in the queue.
    let csrf = c.ada.page_csrf(&url).await;
    let flagged = c
        .ada
        .form(&format!("/forums/posts/{bob_post}/flag"), &[("csrf", &csrf), ("reason", "<script>alert(1)</script>")])
        .await;
    assert_eq!(flagged.status, 303, "{}", flagged.text);
    assert!(c.ada.get(&url).await.text.contains("You flagged this post"));
    let index = c.teacher.get(&format!("/learn/{}/forums", c.slug)).await.text;
    assert!(index.contains("id=\"moderation-queue\""));
    assert!(!c.ada.get(&format!("/learn/{}/forums", c.slug)).await.text.contains("id=\"moderation-queue\""));
    let queue_url = format!("/learn/{}/forums/moderation", c.slug);
    let queue = c.teacher.get(&queue_url).await;
    assert_eq!(queue.status, 200, "{}", queue.text);
    assert!(
        queue.text.contains("&#60;script&#62;alert(1)&#60;") && !queue.text.contains("<script>alert(1)"),
        "{}",
        queue.text
    );
    assert!(queue.text.contains("&#60;b&#62;Click&#60;/b&#62;"), "the post's text is escaped");
    assert!(c.teacher.get(&url).await.text.contains("p2-flags"), "staff see the open flag on the post");
    let (admin, _) = c.app.signed_in("root@example.org", Role::Admin).await;
    let admin_queue = admin.get("/admin/forums/flags").await;
    assert_eq!(admin_queue.status, 200, "{}", admin_queue.text);
    assert!(admin_queue.text.contains("&#60;script&#62;") && admin_queue.text.contains(&queue_url));
    assert!(
        admin.get("/admin/notifications").await.text.contains("href=\"/admin/forums/flags\""),
        "linked from the admin menu"
    );

    // The teacher hides it from the queue with a reason of their own.
    let flag_id = course_flags(&c).await["items"][0]["id"].as_str().unwrap().to_string();
    let csrf = c.teacher.page_csrf(&queue_url).await;
    let resolved = c
        .teacher
        .form(
            &format!("/forums/flags/{flag_id}/resolve"),
            &[("csrf", &csrf), ("action", "hide"), ("reason", "Links to a shop"), ("back", &queue_url)],
        )
        .await;
    assert_eq!(resolved.status, 303, "{}", resolved.text);
    assert_eq!(resolved.header("location"), queue_url);
    let queue = c.teacher.get(&queue_url).await.text;
    assert!(queue.contains("No open flags") && queue.contains("hid a post"), "{queue}");
    assert!(c.bob.get(&url).await.text.contains("Links to a shop"));
    let ada_page = c.ada.get(&url).await.text;
    assert!(ada_page.contains("This post was hidden by a moderator.") && !ada_page.contains("Links to a shop"));

    // Pin, lock and move through the page's forms.
    let csrf = c.teacher.page_csrf(&url).await;
    for (action, extra) in [("pin", ("on", "1")), ("lock", ("on", "1"))] {
        let done = c.teacher.form(&format!("/forums/threads/{thread}/{action}"), &[("csrf", &csrf), extra]).await;
        assert_eq!(done.status, 303, "{action}: {}", done.text);
    }
    let page = c.teacher.get(&url).await.text;
    assert!(page.contains("Unpin the thread") && page.contains("Unlock the thread"));
    assert!(c.ada.get(&url).await.text.contains("This thread is locked"));
    let module = c.forum("module").await;
    let moved =
        c.teacher.form(&format!("/forums/threads/{thread}/move"), &[("csrf", &csrf), ("forum_id", &module)]).await;
    assert_eq!(moved.status, 303, "{}", moved.text);
    assert_eq!(c.read(&c.ada, &thread, Some(1)).await["thread"]["forum_id"], module.as_str());
    // Learners cannot use the staff forms.
    let csrf = c.ada.page_csrf(&url).await;
    let refused = c.ada.form(&format!("/forums/threads/{thread}/pin"), &[("csrf", &csrf), ("on", "0")]).await;
    assert_eq!(refused.status, 403);
    c.app.stop().await;
}
