//! The catalog pages: `/courses` with search, filters and paging, category
//! pages, the course page's call to action per viewer, escaping — both backends.

use crate::{catalog_kit, common, courses_kit, enrollment_kit};

use catalog_kit as kit;
use common::{Backend, spawn};
use lyceum_platform::auth::Role;
use serde_json::json;

async fn catalog_page_searches_filters_and_pages(backend: Backend) {
    let app = spawn(backend).await;
    let (author, _) = app.signed_in("grace@example.org", Role::Instructor).await;
    for i in 0..3 {
        kit::published(
            &author,
            json!({"title": format!("Algebra part {i}"), "category": "mathematics",
            "price_minor": 1500, "currency": "JPY"}),
        )
        .await;
    }
    kit::published(&author, json!({"title": "Painting", "category": "design", "price_minor": 1999, "currency": "EUR"}))
        .await;
    let c = app.client();

    let home = c.get("/courses").await;
    assert_eq!(home.status, 200);
    assert!(home.text.contains(r#"<a href="/courses" aria-current="page">Courses</a>"#), "nav link");
    assert!(home.text.contains(r#"<input id="q" name="q" type="search""#));
    assert!(home.text.contains("¥1,500") && home.text.contains("€19.99"), "prices by currency exponent");
    assert!(home.text.contains("Mathematics (3)"), "category filter shows counts");
    assert!(home.set_cookie("lyceum_csrf").is_none(), "an anonymous catalog sets no cookie");

    let found = c.get("/courses?q=algebra&sort=title&limit=2").await;
    assert_eq!(found.status, 200);
    assert!(found.text.contains("Algebra part 0") && found.text.contains("Algebra part 1"));
    assert!(!found.text.contains("Algebra part 2") && !found.text.contains("Painting"));
    let marker = r#"<a href=""#;
    let next = found.text.split(marker).find(|s| s.contains("rel=\"next\"")).expect("next link");
    let next = next.split('"').next().unwrap().replace("&#38;", "&");
    assert!(next.starts_with("/courses?q=algebra&sort=title&limit=2&cursor="), "keeps the page size: {next}");
    assert!(found.text.contains("· 3 courses"), "the result count covers every page");
    let second = c.get(&next).await;
    assert!(second.text.contains("Algebra part 2") && !second.text.contains("Algebra part 0"), "{}", second.text);
    assert!(!second.text.contains("rel=\"next\""));
    assert!(second.text.contains(r#"<a href="/courses?q=algebra&#38;sort=title&#38;limit=2">← First page</a>"#));

    let bad = c.get("/courses?level=expert").await;
    assert_eq!(bad.status, 422);
    assert!(bad.text.contains("Choose beginner, intermediate or advanced."));
    assert!(bad.text.contains(r#"id="level" name="level" aria-invalid="true""#));
    assert!(bad.text.contains("<details class=\"filters-box\" open>"), "filters with an error are unfolded");
    let relevance = c.get("/courses?sort=relevance").await;
    assert_eq!(relevance.status, 200, "relevance without words is the default order, not an error");
    assert!(relevance.text.contains("Painting") && !relevance.text.contains('`'));

    let category = c.get("/categories/mathematics?sort=title").await;
    assert_eq!(category.status, 200);
    assert!(category.text.contains("<h1>Mathematics</h1>"));
    assert!(category.text.contains("Algebra part 2") && !category.text.contains("Painting"));
    assert!(category.text.contains(r#"action="/categories/mathematics""#));
    assert_eq!(c.get("/categories/no-such-category").await.status, 404);
    app.stop().await;
}

async fn course_page_call_to_action_fits_the_viewer(backend: Backend) {
    let app = spawn(backend).await;
    let (author, author_id) = app.signed_in("grace@example.org", Role::Instructor).await;
    let (learner, learner_id) = app.signed_in("ada@example.org", Role::Learner).await;
    let (enrolled, _) = app.signed_in("alan@example.org", Role::Learner).await;
    let (admin, _) = app.signed_in("root@example.org", Role::Admin).await;
    let body = json!({"title": "Paid course", "summary": "Worth it", "description": "Learn *much*.",
        "tags": ["deep"], "price_minor": 1999, "currency": "EUR", "seat_limit": 5});
    let (id, slug) = kit::published(&author, body).await;
    let module = courses_kit::module(&author, &id, "Extras").await;
    let peek =
        courses_kit::lesson(&author, &module, json!({"title": "Peek", "is_preview": true, "duration_minutes": 5}))
            .await;
    enrollment_kit::add_to_roster(&author, &id, "alan@example.org").await;
    let path = format!("/courses/{slug}");

    let anonymous = app.client().get(&path).await;
    assert_eq!(anonymous.status, 200);
    assert!(anonymous.text.contains(&format!(r#"href="/login?next=%2Fcourses%2F{slug}">Sign in to enroll</a>"#)));
    assert!(!anonymous.text.contains("/enroll\"") && !anonymous.text.contains("Edit course"));
    assert!(anonymous.text.contains("<em>much</em>"), "description rendered");
    assert!(anonymous.text.contains("4 seats left"), "one of the 5 seats is taken: {}", anonymous.text);
    assert!(anonymous.text.contains(&format!(r#"<a href="/learn/{slug}/lessons/{peek}">Peek</a>"#)), "preview link");
    assert!(anonymous.text.contains("15 min"), "total duration");
    assert!(anonymous.text.contains(&format!(r#"<a href="/u/{author_id}">"#)), "instructors link to their page");

    let page = learner.get(&path).await.text;
    assert!(page.contains(&format!(r#"<form method="post" action="/courses/{slug}/enroll""#)), "{page}");
    assert!(page.contains("Enroll for €19.99") && page.contains(r#"name="csrf""#));
    assert!(!page.contains(&format!("/learn/{slug}\"")) && !page.contains("Edit course"));
    let _ = learner_id;

    let page = enrolled.get(&path).await.text;
    assert!(page.contains(&format!(r#"<a class="button" href="/learn/{slug}">Continue learning</a>"#)), "{page}");
    assert!(!page.contains("/enroll\""));

    for staff in [&author, &admin] {
        let page = staff.get(&path).await.text;
        assert!(page.contains(&format!(r#"href="/teach/courses/{id}">Edit course</a>"#)), "{page}");
    }

    // Unpublished: gone for the public and learners, visible to staff with a banner.
    assert_eq!(author.post(&format!("/api/v1/courses/{id}/unpublish"), json!({})).await.status, 200);
    assert_eq!(app.client().get(&path).await.status, 404);
    assert_eq!(learner.get(&path).await.status, 404);
    let staff_view = author.get(&path).await;
    assert_eq!(staff_view.status, 200);
    assert!(staff_view.text.contains("This course is not in the catalog") && !staff_view.text.contains("/enroll\""));
    assert_eq!(app.client().get("/courses/no-such-course").await.status, 404);
    app.stop().await;
}

async fn course_fields_are_escaped_on_every_page(backend: Backend) {
    let app = spawn(backend).await;
    let (author, _) = app.signed_in("grace@example.org", Role::Instructor).await;
    let body = json!({
        "title": "<script>alert(1)</script> Course",
        "summary": "<img src=x onerror=alert(2)>",
        "description": "<script>alert(3)</script>\n\n[click](javascript:alert(4)) <b onclick=\"alert(5)\">b</b>",
        "tags": ["<i>t</i>"],
    });
    let (_, slug) = kit::published(&author, body).await;
    for path in ["/courses".to_string(), "/courses?q=course".to_string(), format!("/courses/{slug}")] {
        let page = app.client().get(&path).await;
        assert_eq!(page.status, 200, "{path}");
        let text = page.text;
        assert!(text.contains("&#60;script&#62;alert(1)&#60;/script&#62; Course"), "{path}: title escaped");
        for raw in ["<script>alert", "<img src=x", "javascript:", "onclick", "<i>t</i>"] {
            assert!(!text.contains(raw), "{path} contains {raw}");
        }
    }
    app.stop().await;
}

/// Prices are typed in the currency's units (the site's currency when none is
/// chosen), the menus offer only the languages and currencies in use, by name.
async fn filters_speak_the_visitors_language(backend: Backend) {
    let app = spawn(backend).await;
    let (author, _) = app.signed_in("grace@example.org", Role::Instructor).await;
    kit::published(&author, json!({"title": "Cheap USD", "price_minor": 999, "currency": "USD", "language": "fr"}))
        .await;
    kit::published(&author, json!({"title": "Dear USD", "price_minor": 4999, "currency": "USD"})).await;
    kit::published(&author, json!({"title": "Cheap EUR", "price_minor": 999, "currency": "EUR", "language": "pt-BR"}))
        .await;
    let c = app.client();

    let home = c.get("/courses").await.text;
    assert!(home.contains("<details class=\"filters-box\">"), "filters folded until used");
    let currencies = home.split("id=\"currency\"").nth(1).unwrap().split("</select>").next().unwrap().to_string();
    assert_eq!(currencies.matches("<option").count(), 3, "any, EUR, USD: {currencies}");
    assert!(home.contains(r#"<option value="fr">Français</option>"#), "languages by name");
    assert!(home.contains(r#"<option value="pt-BR">Português (BR)</option>"#));
    assert!(home.contains("Lowest price <span class=\"hint\">(USD)</span>"), "the site's currency by default");

    let page = c.get("/courses?max=10").await;
    assert_eq!(page.status, 200, "{}", page.text);
    assert!(page.text.contains("Cheap USD") && !page.text.contains("Dear USD") && !page.text.contains("Cheap EUR"));
    assert!(page.text.contains("<details class=\"filters-box\" open>"));
    let eur = c.get("/courses?min=5&max=19.99&currency=EUR").await.text;
    assert!(eur.contains("Cheap EUR") && !eur.contains("Cheap USD"), "{eur}");
    let french = c.get("/courses?language=fr").await.text;
    assert!(french.contains("Cheap USD") && !french.contains("Dear USD"));

    let bad = c.get("/courses?min=ten&max=1.999").await;
    assert_eq!(bad.status, 422);
    assert!(bad.text.contains(r#"id="min" name="min""#) && bad.text.contains(r#"id="min-error""#), "{}", bad.text);
    assert!(bad.text.contains(r#"id="max-error""#), "too many decimals for USD");
    let reversed = c.get("/courses?min=20&max=10").await;
    assert_eq!(reversed.status, 422);
    assert!(reversed.text.contains(r#"id="max-error""#), "the range check names the page's field");
    app.stop().await;
}

/// Prices are written in the viewer's own language (here French, with its
/// separators and the currency after the amount).
async fn a_french_speaking_viewer_reads_french_prices(backend: Backend) {
    let app = spawn(backend).await;
    let (author, _) = app.signed_in("grace@example.org", Role::Instructor).await;
    let (_, slug) = kit::published(&author, json!({"title": "Peinture", "price_minor": 1999, "currency": "EUR"})).await;
    kit::published(&author, json!({"title": "Calligraphie", "price_minor": 150000, "currency": "JPY"})).await;
    let (french, _) = app.signed_in("amelie@example.org", Role::Learner).await;
    app.exec("UPDATE users SET locale = 'fr' WHERE email = 'amelie@example.org'").await;

    let card = french.get("/courses").await.text;
    assert!(card.contains("19,99\u{A0}€") && card.contains("150\u{202F}000\u{A0}¥"), "{card}");
    let page = french.get(&format!("/courses/{slug}")).await.text;
    assert!(page.contains(">19,99\u{A0}€</h2>") && page.contains("19,99\u{A0}€</button>"), "{page}");
    for english in [author.get("/courses").await.text, app.client().get("/courses").await.text] {
        assert!(english.contains("€19.99") && english.contains("¥150,000") && !english.contains("19,99"));
    }
    app.stop().await;
}

/// An instructor's public page lists the courses they teach (the catalog's
/// panel on the profile), and the catalog filters by instructor.
async fn a_teachers_profile_lists_their_courses(backend: Backend) {
    let app = spawn(backend).await;
    let (grace, grace_id) = app.signed_in("grace@example.org", Role::Instructor).await;
    let (ada, ada_id) = app.signed_in("ada@example.org", Role::Instructor).await;
    let (_, learner_id) = app.signed_in("lea@example.org", Role::Learner).await;
    for i in 1..=7 {
        kit::published(&grace, json!({"title": format!("Grace course {i}")})).await;
    }
    kit::draft(&grace, json!({"title": "Grace draft"})).await;
    kit::published(&ada, json!({"title": "Ada course"})).await;
    let c = app.client();

    let profile = c.get(&format!("/u/{grace_id}")).await;
    assert_eq!(profile.status, 200);
    assert!(profile.text.contains("· 7 courses"), "{}", profile.text);
    for i in 2..=7 {
        assert!(profile.text.contains(&format!("Grace course {i}</a>")), "the six newest: {i}");
    }
    assert!(!profile.text.contains("Grace course 1<") && !profile.text.contains("Grace draft"));
    assert!(!profile.text.contains("Ada course"));
    let all = format!(r#"<a href="/courses?instructor={grace_id}">All courses by this instructor →</a>"#);
    assert!(profile.text.contains(&all), "{}", profile.text);

    let ada_page = c.get(&format!("/u/{ada_id}")).await.text;
    assert!(ada_page.contains("Ada course</a>") && ada_page.contains("· 1 course<"), "{ada_page}");
    assert!(!ada_page.contains("All courses by"), "everything is shown already");

    let listed = c.get(&format!("/courses?instructor={grace_id}")).await;
    assert_eq!(listed.status, 200);
    assert!(listed.text.contains(&format!(r#"Courses by <a href="/u/{grace_id}">Test User</a>"#)), "{}", listed.text);
    assert!(listed.text.contains("Grace course 1</a>") && listed.text.contains("· 7 courses"));
    assert!(!listed.text.contains("Ada course"));
    assert!(listed.text.contains(&format!(r#"<input type="hidden" name="instructor" value="{grace_id}">"#)));
    assert!(listed.text.contains(r#"<a href="/courses">Show every course</a>"#), "the limit can be removed");
    let api = kit::list(&c, &format!("instructor={}", grace_id.to_uppercase())).await;
    assert_eq!(api["total"], 7, "ids in any case");

    let nobody = c.get(&format!("/courses?instructor={learner_id}")).await;
    assert_eq!(nobody.status, 200);
    assert!(!nobody.text.contains("Courses by") && nobody.text.contains("· 0 courses"), "no name for a non-teacher");
    let bad = c.get("/api/v1/catalog/courses?instructor=1%20OR%201=1").await;
    assert_eq!((bad.status.as_u16(), kit::fields(&bad)), (422, vec!["instructor".to_string()]));
    app.stop().await;
}

on_both_backends!(
    catalog_page_searches_filters_and_pages,
    course_page_call_to_action_fits_the_viewer,
    course_fields_are_escaped_on_every_page,
    a_french_speaking_viewer_reads_french_prices,
    filters_speak_the_visitors_language,
    a_teachers_profile_lists_their_courses,
);
