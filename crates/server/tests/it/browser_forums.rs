//! The forum pages in a real headless Chromium (see `browser_kit`): a
//! course's forums, a forum's threads, a thread with a quote, an accepted
//! answer and a file, the compose form (and refused), the search — each
//! passes axe-core at the desktop and the phone widths and has no
//! horizontal scroll at 390 px; on both backends.

use fantoccini::{Client, Locator};
use serde_json::json;

use crate::{
    browser_kit::{
        DESKTOP, PHONE, check_accessibility, fits_a_phone, main_text, submit_form_of, type_into, with_browser,
    },
    common::{Backend, PASSWORD},
    forums_kit::class,
};

on_both_backends!(forum_pages_are_accessible_on_a_phone_and_a_desktop);

async fn forum_pages_are_accessible_on_a_phone_and_a_desktop(backend: Backend) {
    let c = class(backend).await;
    let general = c.forum("general").await;
    let module = c.forum("module").await;
    for n in 1..=3 {
        c.thread(&c.bob, &general, &format!("Study group, week {n}"), "Who joins on Thursday?").await;
    }
    let long = "A question with a rather long title that has to wrap on a phone without scrolling sideways";
    let made = c
        .ada
        .post(&format!("/api/v1/forums/{module}/threads"), json!({"title": long, "body": "Why does `s1` move?\n\n```rust\nlet s2 = s1; // a long line of code that must scroll inside its own box, never the page\n```", "kind": "question"}))
        .await;
    assert_eq!(made.status, 201, "{}", made.text);
    let question = made.json()["id"].as_str().unwrap().to_string();
    let first = c.read(&c.ada, &question, Some(1)).await["posts"][0]["id"].as_str().unwrap().to_string();
    let answer = c
        .bob
        .post(
            &format!("/api/v1/forums/threads/{question}/posts"),
            json!({"body": "A `String` is moved, not copied.", "quote_of": first}),
        )
        .await;
    assert_eq!(answer.status, 201, "{}", answer.text);
    let answer_id = answer.json()["id"].as_str().unwrap().to_string();
    let accepted =
        c.teacher.send(reqwest::Method::PUT, &format!("/api/v1/forums/posts/{answer_id}/accepted"), None).await;
    assert!(accepted.status.is_success(), "{}", accepted.text);
    let part = reqwest::multipart::Part::bytes(crate::courses_kit::PDF.to_vec()).file_name("ownership-notes.pdf");
    let form = reqwest::multipart::Form::new().part("files", part);
    let mut req = c.bob.http.post(c.bob.url(&format!("/api/v1/forums/posts/{answer_id}/attachments"))).multipart(form);
    if let Some(csrf) = &c.bob.csrf {
        req = req.header("x-csrf-token", csrf);
    }
    assert_eq!(req.send().await.unwrap().status(), 201);

    let app = &c.app;
    let scenario = async |b: &Client, axe: Option<&str>| {
        let page = async |label: &str| {
            if let Some(axe) = axe {
                check_accessibility(b, axe, &format!("{label} (desktop)")).await;
                b.set_window_size(PHONE.0, PHONE.1).await.expect("phone width");
                b.refresh().await.expect("reload at the phone width");
                check_accessibility(b, axe, &format!("{label} (phone)")).await;
                b.set_window_size(DESKTOP.0, DESKTOP.1).await.expect("desktop width");
                b.refresh().await.expect("reload at the desktop width");
            }
            fits_a_phone(b, label).await;
        };
        b.goto(&format!("{}/login", app.url)).await.expect("open /login");
        type_into(b, "email", "ada@example.org").await;
        type_into(b, "password", PASSWORD).await;
        submit_form_of(b, "email").await;

        b.goto(&format!("{}/learn/{}/forums", app.url, c.slug)).await.expect("the forums");
        let text = main_text(b).await;
        assert!(text.to_lowercase().contains("general discussion"), "{text}");
        page("/learn/{slug}/forums").await;
        b.goto(&format!("{}/forums/{general}", app.url)).await.expect("a forum");
        let text = main_text(b).await;
        assert!(text.contains("Study group, week 3"), "{text}");
        page("/forums/{id}").await;
        b.goto(&format!("{}/forums/threads/{question}?page=1", app.url)).await.expect("a thread");
        let text = main_text(b).await;
        assert!(text.contains("ownership-notes.pdf") && text.contains("Accepted answer"), "{text}");
        page("/forums/threads/{id}").await;
        b.goto(&format!("{}/forums/{general}/new", app.url)).await.expect("compose");
        page("/forums/{id}/new").await;
        // Blank (spaces pass the browser's check; the server refuses them beside the field).
        type_into(b, "title", "   ").await;
        type_into(b, "body", "What do you think?").await;
        submit_form_of(b, "title").await;
        b.find(Locator::Css("#title-error")).await.expect("the title's error beside it");
        page("/forums/{id}/threads (refused)").await;
        b.goto(&format!("{}/learn/{}/forums/search?q=moved", app.url, c.slug)).await.expect("the search");
        page("/learn/{slug}/forums/search").await;
    };
    with_browser(scenario).await;
    c.app.stop().await;
}
