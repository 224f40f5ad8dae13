//! The staff's pages in a real headless Chromium (see `browser_kit`) at the
//! desktop and the phone width: the demo instructor's course list, editor,
//! roster and learner progress, the sessions page, and the admin's user list
//! and job queue — each passes axe-core and has no horizontal scroll at 390 px
//! (tables become stacked cards there); on both backends.

use crate::{browser_kit, common};

use browser_kit::{
    check_accessibility, fits_a_phone, follow, main_text, poll, submit_form_of, type_into, with_browser,
};
use common::{Backend, PASSWORD, TestApp, spawn};
use fantoccini::{Client, Locator};
use lyceum_platform::auth::Role;

const COURSE: &str = "SQL for Everyone";

on_both_backends!(staff_pages_work_at_both_widths);

async fn staff_pages_work_at_both_widths(backend: Backend) {
    let app = spawn(backend).await;
    let loaded = lyceum::demo::seed(app.state()).await.expect("demo content on an empty database");
    let instructor = &loaded.accounts()[0];
    assert_eq!(instructor.role, Role::Instructor);
    app.create_user("root@example.org", Role::Admin).await;
    let scenario = async |c: &Client, axe: Option<&str>| {
        sign_in(&app, c, instructor.email, instructor.password).await;
        let page = async |label: &str| {
            if let Some(axe) = axe {
                check_accessibility(c, axe, label).await;
            }
            fits_a_phone(c, label).await;
        };
        c.goto(&format!("{}/teach", app.url)).await.expect("open /teach");
        page("/teach").await;
        follow(c, COURSE).await;
        assert!(main_text(c).await.contains("View course page"), "the editor links to the course page");
        page("/teach/courses/{id}").await;
        follow(c, "SELECT and WHERE").await;
        page("/teach/lessons/{id}").await;
        markdown_editor(c).await;
        c.goto(&format!("{}/teach", app.url)).await.expect("open /teach");
        follow(c, COURSE).await;
        follow(c, "(roster)").await;
        page("/teach/courses/{id}/roster").await;
        c.goto(&format!("{}/settings/sessions", app.url)).await.expect("open the sessions page");
        page("/settings/sessions").await;
        c.goto(&format!("{}/settings/password", app.url)).await.expect("open the password and e-mail page");
        page("/settings/password").await;
        // The course page names its instructor; her page lists what she teaches.
        c.goto(&format!("{}/teach", app.url)).await.expect("open /teach");
        follow(c, COURSE).await;
        follow(c, "View course page").await;
        follow(c, "Grace Hopper").await;
        // She teaches more than the page shows: the newest, and a link to all of them.
        page("/u/{id}").await;
        follow(c, "All courses by this instructor").await;
        assert!(main_text(c).await.contains(COURSE), "her courses include the SQL one:\n{}", main_text(c).await);
        page("/courses?instructor={id}").await;

        sign_out(&app, c).await;
        sign_in(&app, c, "root@example.org", PASSWORD).await;
        for path in ["/admin/users", "/admin/jobs"] {
            c.goto(&format!("{}{path}", app.url)).await.expect("open an admin page");
            page(path).await;
        }
    };
    with_browser(scenario).await;
    app.stop().await;
}

/// The lesson editor's markdown field: the toolbar wraps the selection, the
/// preview is the server's rendering, and text not yet saved survives a reload.
async fn markdown_editor(c: &Client) {
    let body = c.find(Locator::Css("textarea#body")).await.expect("the lesson's text");
    body.clear().await.unwrap();
    body.send_keys("Hello world").await.unwrap();
    c.execute("const b = document.getElementById('body'); b.setSelectionRange(6, 11);", vec![]).await.unwrap();
    c.find(Locator::Css(".md-toolbar button[aria-label^='Bold']")).await.expect("a bold button").click().await.unwrap();
    assert_eq!(body.prop("value").await.unwrap().as_deref(), Some("Hello **world**"));
    c.find(Locator::Css(".md-toolbar button[aria-pressed]")).await.expect("the preview toggle").click().await.unwrap();
    poll(c, "the server-rendered preview", move || async move {
        let html = c.find(Locator::Css(".md-preview")).await.ok()?.html(true).await.ok()?;
        html.contains("<strong>world</strong>").then_some(())
    })
    .await;
    // Leave without saving, come back: the text is offered back.
    c.refresh().await.expect("reload the editor");
    let restore =
        c.find(Locator::Css(".md-draft button:not(.secondary)")).await.expect("an offer to restore the draft");
    restore.click().await.unwrap();
    let body = c.find(Locator::Css("textarea#body")).await.unwrap();
    assert_eq!(body.prop("value").await.unwrap().as_deref(), Some("Hello **world**"));
}

async fn sign_in(app: &TestApp, c: &Client, email: &str, password: &str) {
    c.goto(&format!("{}/login", app.url)).await.expect("open /login");
    type_into(c, "email", email).await;
    type_into(c, "password", password).await;
    submit_form_of(c, "email").await;
}

async fn sign_out(app: &TestApp, c: &Client) {
    c.delete_all_cookies().await.expect("forget the session");
    c.goto(&format!("{}/", app.url)).await.expect("open the home page");
}
