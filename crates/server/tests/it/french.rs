//! French, the second interface language: a signed-in viewer whose profile
//! says `fr` (stored, or chosen from the profile's language menu) and an
//! anonymous visitor whose browser asks for French read French pages, and a
//! French-speaking user gets French e-mails — both backends.
//!
//! (Pages escape `'` as `&#39;`: the phrases checked here have no apostrophe.)

use crate::{common, enrollment_kit};

use common::{Backend, Reply, TestClient, spawn};
use lyceum_platform::auth::Role;
use serde_json::json;

/// A GET whose browser prefers `accept_language`.
async fn get_in(client: &TestClient, path: &str, accept_language: &str) -> Reply {
    client.raw(client.http.get(client.url(path)).header("accept-language", accept_language)).await
}

#[track_caller]
fn assert_has(page: &Reply, phrases: &[&str]) {
    assert_eq!(page.status, 200, "{}", page.text);
    for phrase in phrases {
        assert!(page.text.contains(phrase), "{phrase:?} is not on the page:\n{}", page.text);
    }
}

#[track_caller]
fn assert_lacks(page: &Reply, phrases: &[&str]) {
    for phrase in phrases {
        assert!(!page.text.contains(phrase), "{phrase:?} is on the page:\n{}", page.text);
    }
}

async fn a_french_speaking_learner_reads_french_pages(backend: Backend) {
    let app = spawn(backend).await;
    let (author, _) = app.signed_in("grace@example.org", Role::Instructor).await;
    let (course, _) = enrollment_kit::published(&author, "Peinture", json!({})).await;
    let (french, _) = app.signed_in("amelie@example.org", Role::Learner).await;
    app.exec("UPDATE users SET locale = 'fr' WHERE email = 'amelie@example.org'").await;
    enrollment_kit::add_to_roster(&author, &course, "amelie@example.org").await;

    let catalog = french.get("/courses").await;
    assert_has(
        &catalog,
        &[
            r#"<html lang="fr">"#,
            "<h1>Cours</h1>",
            ">Rechercher des cours</label>",
            ">Mes cours</a>",
            "Se déconnecter",
            "Rechercher et filtrer",
            "Aller au contenu",
            "Peinture",
        ],
    );
    assert_lacks(&catalog, &["Search courses", "Sign out", "My courses", "Skip to content"]);

    let mine = french.get("/my/courses").await;
    assert_has(&mine, &["<h1>Mes cours</h1>", "Peinture", ">Progression</label>", "Commencer", ">Quitter<"]);
    assert_lacks(&mine, &["My courses", "Progress<", "Start<"]);

    let profile = french.get("/settings/profile").await;
    assert_has(
        &profile,
        &[
            "<title>Votre profil · Paramètres · Lyceum</title>",
            "<h1>Paramètres</h1>",
            ">Langue</label>",
            ">Fuseau horaire</label>",
            r#"<option value="en">English</option>"#,
            r#"<option value="fr" selected>Français</option>"#,
            "Enregistrer le profil",
        ],
    );
    assert_lacks(&profile, &["Your profile", "Save profile"]);

    // The instructor next to her keeps English.
    let english = author.get("/courses").await;
    assert_has(&english, &[r#"<html lang="en">"#, ">Search courses</label>", "Sign out"]);
    app.stop().await;
}

async fn choosing_french_in_the_language_menu_turns_the_pages_french(backend: Backend) {
    let app = spawn(backend).await;
    let (client, id) = app.signed_in("grace@example.org", Role::Instructor).await;
    let before = client.get("/settings/profile").await;
    assert_has(
        &before,
        &[r#"<option value="en" selected>English</option>"#, r#"<option value="fr">Français</option>"#, "Your profile"],
    );

    let csrf = client.page_csrf("/settings/profile").await;
    let fields =
        [("csrf", csrf.as_str()), ("display_name", "Grace"), ("bio", ""), ("time_zone", "UTC"), ("locale", "fr")];
    let saved = client.form("/settings/profile", &fields).await;
    assert_eq!(saved.status, 303, "{}", saved.text);
    let after = client.get("/settings/profile").await;
    assert_has(
        &after,
        &[r#"<html lang="fr">"#, "Votre profil a été enregistré.", r#"<option value="fr" selected>Français</option>"#],
    );

    // Dates name the month in French ("Membre depuis le 5 décembre 2026").
    let public = client.get(&format!("/u/{id}")).await;
    assert_has(&public, &["Formateur", "Membre depuis le "]);
    let since = public.text.split("Membre depuis le ").nth(1).unwrap().split('<').next().unwrap().to_string();
    const MONTHS: [&str; 12] = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ];
    assert!(MONTHS.iter().any(|m| since.contains(&format!(" {m} 20"))), "a French date: {since:?}");
    app.stop().await;
}

async fn an_anonymous_visitor_reads_the_language_the_browser_asks_for(backend: Backend) {
    let app = spawn(backend).await;
    let (author, _) = app.signed_in("grace@example.org", Role::Instructor).await;
    enrollment_kit::published(&author, "Peinture", json!({})).await;
    let visitor = app.client();
    let french = "fr-CH, fr;q=0.9, en;q=0.8";

    // Twice each, in turn: the anonymous page cache keeps the languages apart.
    for _ in 0..2 {
        let catalog = get_in(&visitor, "/courses", french).await;
        assert_has(
            &catalog,
            &[
                r#"<html lang="fr">"#,
                "<h1>Cours</h1>",
                ">Rechercher des cours</label>",
                "Se connecter",
                "Créer un compte",
                "Peinture",
            ],
        );
        assert_lacks(&catalog, &["Search courses", "Sign in", "Sign up"]);
        let english = visitor.get("/courses").await;
        assert_has(&english, &[r#"<html lang="en">"#, ">Search courses</label>", "Sign in"]);
    }

    let login = get_in(&visitor, "/login", "fr").await;
    assert_has(
        &login,
        &[
            r#"<html lang="fr">"#,
            "<h1>Connexion</h1>",
            "Adresse de courriel",
            "Mot de passe",
            "Nouveau sur Lyceum\u{202F}?",
        ],
    );
    assert_lacks(&login, &["E-mail address", "Forgot your password", "New to Lyceum"]);

    let unsupported = get_in(&visitor, "/login", "de-DE, de;q=0.9").await;
    assert_has(&unsupported, &[r#"<html lang="en">"#, "<h1>Sign in</h1>"]);
    app.stop().await;
}

async fn account_mail_speaks_the_recipients_language(backend: Backend) {
    let app = spawn(backend).await;
    app.create_user("amelie@example.org", Role::Learner).await;
    app.create_user("ada@example.org", Role::Learner).await;
    app.exec("UPDATE users SET locale = 'fr' WHERE email = 'amelie@example.org'").await;
    for email in ["amelie@example.org", "ada@example.org"] {
        let reply = app.client().post("/api/v1/auth/password-reset", json!({"email": email})).await;
        assert!(reply.status.is_success(), "{}", reply.text);
    }

    let reset = |mails: Vec<common::Mail>| {
        mails.into_iter().find(|m| m.text.contains("/password-reset/confirm?token=")).expect("a reset link")
    };
    let french = reset(app.mails_to("amelie@example.org").await);
    assert_eq!(french.subject, "Réinitialisez votre mot de passe Lyceum");
    assert!(french.text.starts_with("Bonjour Test User,"), "{}", french.text);
    assert!(french.text.contains("Ce lien ne fonctionne qu'une fois et expire dans "), "{}", french.text);
    assert!(french.html.contains(r#"<html lang="fr">"#) && french.html.contains("Choisir un nouveau mot de passe"));
    assert!(!french.text.contains("Hello") && !french.text.contains("The link works once"));

    let english = reset(app.mails_to("ada@example.org").await);
    assert_eq!(english.subject, "Reset your Lyceum password");
    assert!(english.text.starts_with("Hello Test User,") && english.html.contains(r#"<html lang="en">"#));
    app.stop().await;
}

/// A visitor who signs up reading French gets a French account: the
/// verification e-mail and, once in, the pages.
async fn signing_up_in_french_makes_a_french_account(backend: Backend) {
    let app = spawn(backend).await;
    let visitor = app.client();
    let body = json!({"email": "chloe@example.org", "password": "un mot de passe sûr", "display_name": "Chloé"});
    let request = visitor.http.post(visitor.url("/api/v1/auth/register")).header("accept-language", "fr").json(&body);
    assert_eq!(visitor.raw(request).await.status, 202);
    let mail = app.mails_to("chloe@example.org").await.into_iter().next().expect("a verification e-mail");
    assert!(mail.text.starts_with("Bonjour Chloé,"), "{}", mail.text);
    let locale: String = sqlx::query_scalar("SELECT locale FROM users WHERE email = 'chloe@example.org'")
        .fetch_one(app.state().db.pool())
        .await
        .unwrap();
    assert_eq!(locale, "fr");
    app.stop().await;
}

/// A form posted with the browser asking for `accept_language`.
async fn form_in(client: &TestClient, path: &str, fields: &[(&str, &str)], accept_language: &str) -> Reply {
    client.raw(client.http.post(client.url(path)).header("accept-language", accept_language).form(fields)).await
}

/// A refused form re-rendered in French: the status, the French phrases, and
/// none of the English ones.
#[track_caller]
fn assert_refused_in_french(page: &Reply, status: u16, french: &[&str], english: &[&str]) {
    assert_eq!(page.status, status, "{}", page.text);
    assert!(page.text.contains(r#"<html lang="fr">"#), "{}", page.text);
    for phrase in french {
        assert!(page.text.contains(phrase), "{phrase:?} is not on the page:\n{}", page.text);
    }
    assert_lacks(page, english);
}

/// The API's messages for the same input stay English, by field.
#[track_caller]
fn assert_api_english(reply: &Reply, status: u16, messages: &[(&str, &str)]) {
    assert_eq!(reply.status, status, "{}", reply.text);
    let errors = reply.json()["errors"].as_array().cloned().unwrap_or_default();
    for (field, message) in messages {
        let found =
            errors.iter().find(|e| e["field"] == *field).unwrap_or_else(|| panic!("no error on {field}: {errors:?}"));
        assert_eq!(found["message"], *message, "{}", reply.text);
    }
}

/// The catalog's filters: a reversed price range and an amount that is not
/// one, on a page the browser asked for in French.
async fn a_french_visitor_reads_catalog_filter_errors_in_french(backend: Backend) {
    let app = spawn(backend).await;
    let visitor = app.client();
    let reversed = get_in(&visitor, "/courses?min=20&max=10", "fr").await;
    let french = ["Le prix le plus élevé ne doit pas être inférieur au plus bas."];
    assert_refused_in_french(&reversed, 422, &french, &["The highest price must not be below the lowest."]);
    let bad = get_in(&visitor, "/courses?min=ten&max=1.999", "fr").await;
    let french = [
        "Saisissez le montant en chiffres, avec au plus une virgule ou un point décimal, par exemple 19,99.",
        "Les montants en USD ont au plus 2 décimales, par exemple 19,99 (sans séparateur de milliers).",
    ];
    assert_refused_in_french(&bad, 422, &french, &["Enter the amount with digits", "USD amounts have at most"]);

    let api = get_in(&visitor, "/api/v1/catalog/courses?currency=USD&min_price=2000&max_price=1000", "fr").await;
    assert_api_english(&api, 422, &[("max_price", "The highest price must not be below the lowest.")]);
    app.stop().await;
}

/// Sign-up, anonymous: the field messages in the browser's language.
async fn a_french_visitor_reads_sign_up_errors_in_french(backend: Backend) {
    let app = spawn(backend).await;
    let visitor = app.client();
    let csrf = {
        let form = get_in(&visitor, "/register", "fr").await;
        let marker = "name=\"csrf\" value=\"";
        let start = form.text.find(marker).expect("a csrf field") + marker.len();
        form.text[start..].split('"').next().unwrap().to_string()
    };
    let fields =
        [("csrf", csrf.as_str()), ("email", "pas-une-adresse"), ("display_name", "Chloé"), ("password", "court")];
    let refused = form_in(&visitor, "/register", &fields, "fr").await;
    let french =
        ["Saisissez une adresse de courriel valide, comme nom@example.com.", "Utilisez au moins 8 caractères."];
    let english = ["Enter a valid e-mail address", "Use at least 8 characters."];
    assert_refused_in_french(&refused, 422, &french, &english);

    let body = json!({"email": "pas-une-adresse", "password": "court", "display_name": "Chloé"});
    let api = visitor
        .raw(visitor.http.post(visitor.url("/api/v1/auth/register")).header("accept-language", "fr").json(&body))
        .await;
    let english =
        [("email", "Enter a valid e-mail address, like name@example.com."), ("password", "Use at least 8 characters.")];
    assert_api_english(&api, 422, &english);
    app.stop().await;
}

/// The course editor of a French-speaking instructor: a field message (an
/// empty title) and a refusal shown as the form's general message
/// (publishing a course without lessons).
async fn a_french_instructor_reads_course_editor_errors_in_french(backend: Backend) {
    let app = spawn(backend).await;
    let (client, _) = app.signed_in("amelie@example.org", Role::Instructor).await;
    app.exec("UPDATE users SET locale = 'fr' WHERE email = 'amelie@example.org'").await;
    let csrf = client.page_csrf("/teach").await;
    let created = client.form("/teach", &[("csrf", &csrf), ("title", "Peinture")]).await;
    assert_eq!(created.status, 303, "{}", created.text);
    let editor = created.header("location").to_string();
    let id = editor.rsplit('/').next().unwrap().to_string();

    let details = [
        ("csrf", csrf.as_str()),
        ("title", ""),
        ("slug", "peinture"),
        ("summary", ""),
        ("description", ""),
        ("category", ""),
        ("level", "beginner"),
        ("language", "fr"),
        ("tags", ""),
        ("price", ""),
        ("currency", ""),
        ("seat_limit", ""),
    ];
    let refused = client.form(&editor, &details).await;
    assert_refused_in_french(
        &refused,
        422,
        &["Utilisez entre 3 et 120 caractères."],
        &["Use between 3 and 120 characters."],
    );
    let publish = client.form(&format!("{editor}/state"), &[("csrf", &csrf), ("to", "published")]).await;
    let french = ["Un cours doit avoir au moins une leçon pour être publié."];
    assert_refused_in_french(&publish, 422, &french, &["A course needs at least one lesson"]);

    let api = client.patch(&format!("/api/v1/courses/{id}"), json!({"title": ""})).await;
    assert_api_english(&api, 422, &[("title", "Use between 3 and 120 characters.")]);
    let api = client.post(&format!("/api/v1/courses/{id}/publish"), json!({})).await;
    assert_eq!(api.status, 422, "{}", api.text);
    assert_eq!(api.json()["detail"], "A course needs at least one lesson before it can be published.");
    app.stop().await;
}

/// The profile form of a French-speaking user: a bio over the limit.
async fn a_french_user_reads_profile_errors_in_french(backend: Backend) {
    let app = spawn(backend).await;
    let (client, _) = app.signed_in("amelie@example.org", Role::Learner).await;
    app.exec("UPDATE users SET locale = 'fr' WHERE email = 'amelie@example.org'").await;
    let csrf = client.page_csrf("/settings/profile").await;
    let bio = "a".repeat(2001);
    let fields =
        [("csrf", csrf.as_str()), ("display_name", "Amélie"), ("bio", &bio), ("time_zone", "UTC"), ("locale", "fr")];
    let refused = client.form("/settings/profile", &fields).await;
    let french = ["La biographie doit compter moins de 2000 caractères."];
    assert_refused_in_french(&refused, 422, &french, &["Keep the bio under 2000 characters."]);

    let api = client.patch("/api/v1/users/me/profile", json!({"bio": bio})).await;
    assert_api_english(&api, 422, &[("bio", "Keep the bio under 2000 characters.")]);
    app.stop().await;
}

on_both_backends!(
    a_french_visitor_reads_catalog_filter_errors_in_french,
    a_french_visitor_reads_sign_up_errors_in_french,
    a_french_instructor_reads_course_editor_errors_in_french,
    a_french_user_reads_profile_errors_in_french,
    signing_up_in_french_makes_a_french_account,
    a_french_speaking_learner_reads_french_pages,
    choosing_french_in_the_language_menu_turns_the_pages_french,
    an_anonymous_visitor_reads_the_language_the_browser_asks_for,
    account_mail_speaks_the_recipients_language,
);
