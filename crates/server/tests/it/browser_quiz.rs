//! The question bank's pages in a real headless Chromium (see
//! `browser_kit`): the demo course's bank and one question with its "try it"
//! form — each passes axe-core and has no horizontal scroll at 390 px; on
//! both backends.

use crate::{browser_kit, common};

use browser_kit::{check_accessibility, fits_a_phone, follow, main_text, submit_form_of, type_into, with_browser};
use common::{Backend, spawn};
use fantoccini::Client;

on_both_backends!(bank_pages_work_at_both_widths);

async fn bank_pages_work_at_both_widths(backend: Backend) {
    let app = spawn(backend).await;
    let loaded = lyceum::demo::seed(app.state()).await.expect("demo content on an empty database");
    let instructor = &loaded.accounts()[0];
    let scenario = async |c: &Client, axe: Option<&str>| {
        c.goto(&format!("{}/login", app.url)).await.expect("open /login");
        type_into(c, "email", instructor.email).await;
        type_into(c, "password", instructor.password).await;
        submit_form_of(c, "email").await;
        let page = async |label: &str| {
            if let Some(axe) = axe {
                check_accessibility(c, axe, label).await;
            }
            fits_a_phone(c, label).await;
        };
        c.goto(&format!("{}/teach", app.url)).await.expect("open /teach");
        follow(c, "Rust from Scratch").await;
        follow(c, "Question bank").await;
        assert!(main_text(c).await.contains("Integer sizes"), "the demo bank:\n{}", main_text(c).await);
        page("/teach/courses/{id}/questions").await;
        follow(c, "Match the types").await;
        assert!(main_text(c).await.contains("As a learner sees it"), "{}", main_text(c).await);
        page("/teach/questions/{id}").await;
    };
    with_browser(scenario).await;
    app.stop().await;
}
