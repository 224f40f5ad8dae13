//! Account pages: sign-up, sign-in, verification, password reset, settings,
//! API tokens and user administration. Thin handlers: read the form, call a
//! service, then redirect (with a flash) or show the form again with its errors.

mod admin;
mod auth;
mod forms;
mod reset;
mod sessions;
mod settings;
mod signup;
mod tokens;

use axum::{
    Router,
    routing::{get, post},
};
use lyceum_platform::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/register", get(signup::register_form).post(signup::register))
        .route("/check-email", get(signup::check_email))
        .route("/verify-email", get(signup::verify))
        .route("/verify-email/resend", post(signup::resend))
        .route("/login", get(auth::login_form).post(auth::login))
        .route("/logout", post(auth::logout))
        .route("/password-reset", get(reset::request_form).post(reset::request))
        .route("/check-email-reset", get(reset::sent))
        .route("/password-reset/confirm", get(reset::confirm_form).post(reset::confirm))
        .route("/settings/password", get(settings::form).post(settings::change))
        .route("/settings/email", post(settings::change_email))
        .route("/confirm-email", get(settings::confirm_email))
        .route("/settings/sessions", get(sessions::list))
        .route("/settings/sessions/{id}/revoke", post(sessions::revoke))
        .route("/settings/sessions/revoke-others", post(sessions::revoke_others))
        .route("/settings/tokens", get(tokens::list).post(tokens::create))
        .route("/settings/tokens/{id}/revoke", post(tokens::revoke))
        .route("/admin/users", get(admin::list))
        .route("/admin/users/{id}/role", post(admin::set_role))
        .route("/admin/users/{id}/status", post(admin::set_status))
}

#[cfg(test)]
mod tests {
    use lyceum_platform::{auth::Role, web::i18n::has_key};

    /// Translation keys in `text`: `.t("…")` calls and `"accounts.…"` literals,
    /// except a group name passed to `t_in("accounts.roles", …)`.
    fn keys_in(text: &str) -> Vec<String> {
        let calls = text.split(".t(\"").skip(1).filter_map(|rest| rest.split('"').next()).map(str::to_string);
        let literals = text
            .split("\"accounts.")
            .skip(1)
            .filter_map(|rest| rest.split_once('"'))
            .filter(|(_, after)| !after.starts_with(','))
            .map(|(key, _)| format!("accounts.{key}"));
        calls
            .chain(literals)
            .filter(|k| !k.ends_with('.') && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_'))
            .collect()
    }

    /// Every key the account templates and page handlers use exists in English.
    #[test]
    fn keys_are_translated() {
        crate::module().install();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut missing = Vec::new();
        for dir in ["templates/accounts", "src/http/pages"] {
            for entry in std::fs::read_dir(root.join(dir)).unwrap() {
                let path = entry.unwrap().path();
                if path.is_file() {
                    let text = std::fs::read_to_string(&path).unwrap();
                    let absent = keys_in(&text).into_iter().filter(|k| !has_key(k));
                    missing.extend(absent.map(|k| format!("{}: {k}", path.display())));
                }
            }
        }
        missing.extend(Role::ALL.iter().map(|r| format!("accounts.roles.{r}")).filter(|k| !has_key(k)));
        assert!(missing.is_empty(), "missing translations:\n{}", missing.join("\n"));
    }

    #[test]
    fn the_scanner_finds_keys() {
        let text = r#"{{ page.t("nav.home") }} redirect("/", "accounts.flash.signed_out") t_in("accounts.roles", r)"#;
        assert_eq!(keys_in(text), ["nav.home", "accounts.flash.signed_out"]);
    }
}
