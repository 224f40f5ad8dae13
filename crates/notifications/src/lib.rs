//! Notifications: in-app notices with an unread count in the page header,
//! per-user channel preferences per kind (in-app, e-mail at once, daily
//! digest, off), notification e-mails with one-click unsubscribe, and the
//! daily digest job.
//!
//! Notifications are created only by this module's jobs, which subscribe to
//! other modules' domain events through the server's job registry; no module
//! calls this one to notify someone.

pub mod http;
pub mod model;
mod repo;
pub mod service;

pub use http::{api_routes, page_routes};
pub use service::{
    digest::DailyDigest,
    jobs::{DIGEST_AT, register_jobs},
};

use lyceum_platform::web::nav::{Audience, Link, Menu};

/// What notifications contributes to the application (see `lyceum_platform::module`).
pub fn module() -> lyceum_platform::module::Module {
    lyceum_platform::module::Module::new("notifications")
        .pages(page_routes)
        .api(api_routes)
        .jobs(register_jobs)
        .csrf_exempt(http::UNSUBSCRIBE_PATH)
        .badge(http::badge::NAME, http::badge::unread)
        .nav(
            Link::new(Menu::Main, 30, "/notifications", "notifications.nav")
                .audience(Audience::SignedIn)
                .badge(http::badge::NAME, "notifications.nav_unread"),
        )
        .nav(Link::new(Menu::Settings, 40, "/settings/notifications", "notifications.settings_tab"))
        .nav(Link::new(Menu::Admin, 30, "/admin/notifications", "admin.notifications").audience(Audience::Admin))
        .locale("en", include_str!("../locales/en.toml"))
        .locale("fr", include_str!("../locales/fr.toml"))
}

#[cfg(test)]
mod tests {
    use lyceum_platform::web::i18n::has_key;

    /// Translation keys in `text`: `.t("…")` calls and `"notifications.…"` literals
    /// (but not a group passed to `t_in`, nor a prefix ending in a dot).
    fn keys_in(text: &str) -> Vec<String> {
        let calls = text.split(".t(\"").skip(1).filter_map(|rest| rest.split('"').next()).map(str::to_string);
        let literals = text
            .split("\"notifications.")
            .skip(1)
            .filter_map(|rest| rest.split_once('"'))
            .filter(|(_, after)| !after.starts_with(','))
            .map(|(key, _)| format!("notifications.{key}"));
        let mut keys: Vec<String> = calls
            .chain(literals)
            .filter(|k| !k.ends_with('.') && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_'))
            .collect();
        keys.sort();
        keys.dedup();
        keys
    }

    /// Every key the templates (mail `.txt` ones too, which the server's
    /// template test does not read) and the handlers use exists in English.
    #[test]
    fn keys_are_translated() {
        crate::module().install();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut missing = Vec::new();
        let mut files = Vec::new();
        for dir in ["templates/notifications", "templates/notifications/mail", "src/http"] {
            for entry in std::fs::read_dir(root.join(dir)).unwrap() {
                files.push(entry.unwrap().path());
            }
        }
        // Job kinds (`notifications.mail`) are not keys: of the services, only the mail code translates.
        files.push(root.join("src/service/mail.rs"));
        for path in files.into_iter().filter(|p| p.is_file()) {
            let text = std::fs::read_to_string(&path).unwrap();
            let absent = keys_in(&text).into_iter().filter(|k| !has_key(k));
            missing.extend(absent.map(|k| format!("{}: {k}", path.display())));
        }
        assert!(missing.is_empty(), "missing translations:\n{}", missing.join("\n"));
    }

    #[test]
    fn the_scanner_finds_keys() {
        let text = r#"{{ self.t("notifications.mail.hello") }} flash("notifications.flash.saved") t_in("notifications.channels", c)"#;
        assert_eq!(keys_in(text), ["notifications.flash.saved", "notifications.mail.hello"]);
    }
}
