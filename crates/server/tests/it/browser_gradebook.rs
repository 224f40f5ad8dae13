//! The gradebook's staff pages in a real headless Chromium (see
//! `browser_kit`): the grid (sorted), its settings and its import page pass
//! axe-core and fit a phone; the grid's cells are one tab stop that the
//! arrow keys move between, and Enter opens the cell's item — both backends.

use crate::{browser_kit, common, enrollment_kit};

use browser_kit::{check_accessibility, fits_a_phone, poll, submit_form_of, type_into, with_browser};
use common::{Backend, PASSWORD, spawn};
use fantoccini::{Client, Locator, key::Key};
use lyceum_platform::auth::Role;
use reqwest::Method;
use serde_json::json;

on_both_backends!(the_grid_is_keyboard_navigable_and_accessible);

/// The focused element's `data-href` and text.
async fn focused(c: &Client) -> String {
    let got = c
        .execute(
            "const a = document.activeElement; return (a.dataset.href || a.tagName) + '|' + a.textContent.trim();",
            vec![],
        )
        .await
        .expect("read the focused element");
    got.as_str().unwrap_or_default().to_string()
}

async fn the_grid_is_keyboard_navigable_and_accessible(backend: Backend) {
    let app = spawn(backend).await;
    let (teacher, _) = app.signed_in("teacher@example.org", Role::Instructor).await;
    let (course, _) = enrollment_kit::published(&teacher, "Keys", json!({})).await;
    let mut items = Vec::new();
    for (title, max) in [("Talk", 10), ("Essay", 100)] {
        let made = teacher
            .post(&format!("/api/v1/courses/{course}/grade-items"), json!({"title": title, "max_points": max}))
            .await;
        items.push(made.json()["id"].as_str().unwrap().to_string());
    }
    for (i, grades) in [[7.0, 70.0], [3.0, 30.0]].iter().enumerate() {
        let email = format!("l{i}@example.org");
        let id = app.create_user(&email, Role::Learner).await;
        enrollment_kit::add_to_roster(&teacher, &course, &email).await;
        for (item, points) in items.iter().zip(grades) {
            let path = format!("/api/v1/grade-items/{item}/grades/{id}");
            assert_eq!(teacher.send(Method::PUT, &path, Some(&json!({"points": points}))).await.status, 200);
        }
    }
    let base = format!("{}/teach/courses/{course}/gradebook", app.url);
    with_browser(async |c: &Client, axe: Option<&str>| {
        c.goto(&format!("{}/login", app.url)).await.expect("open /login");
        type_into(c, "email", "teacher@example.org").await;
        type_into(c, "password", PASSWORD).await;
        submit_form_of(c, "email").await;
        poll(c, "signed in", async || (!c.current_url().await.ok()?.path().starts_with("/login")).then_some(())).await;
        for (path, label) in [
            (format!("{base}?sort=total&dir=desc"), "gradebook grid"),
            (format!("{base}/settings"), "gradebook settings"),
            (format!("{base}/import"), "gradebook import"),
        ] {
            c.goto(&path).await.expect("open the page");
            if let Some(axe) = axe {
                check_accessibility(c, axe, label).await;
            }
            fits_a_phone(c, label).await;
        }
        c.goto(&format!("{base}?sort=total&dir=desc")).await.expect("open the grid");
        let first = c.find(Locator::Css("td[data-href]")).await.expect("a grade cell");
        assert_eq!(first.attr("tabindex").await.unwrap().as_deref(), Some("0"), "the one tab stop");
        first.click().await.expect("focus the first cell");
        assert_eq!(focused(c).await, format!("/teach/grade-items/{}|7", items[0]));
        let press = async |key: Key| {
            let cell = c.active_element().await.expect("the focused cell");
            cell.send_keys(&key.to_string()).await.expect("press a key");
        };
        press(Key::Right).await;
        assert_eq!(focused(c).await, format!("/teach/grade-items/{}|70", items[1]));
        press(Key::Down).await;
        assert_eq!(focused(c).await, format!("/teach/grade-items/{}|30", items[1]), "the next learner, by total");
        press(Key::Right).await;
        assert_eq!(focused(c).await, format!("/teach/grade-items/{}|30", items[1]), "the last column stays");
        press(Key::Home).await;
        assert_eq!(focused(c).await, format!("/teach/grade-items/{}|3", items[0]));
        let stops: i64 = c
            .execute("return document.querySelectorAll('td[data-href][tabindex=\"0\"]').length;", vec![])
            .await
            .unwrap()
            .as_i64()
            .unwrap();
        assert_eq!(stops, 1, "still one tab stop");
        press(Key::Enter).await;
        let item = format!("/teach/grade-items/{}", items[0]);
        poll(c, "the item page", async || (c.current_url().await.ok()?.path() == item).then_some(())).await;
    })
    .await;
    app.stop().await;
}
