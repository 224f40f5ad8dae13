//! Profiles: bio, avatar and the public instructor page. Name, language and
//! time zone are account settings (needed on every request), so this module
//! edits them through `lyceum_accounts::service::identity`.

pub mod avatar;
pub mod http;
pub mod model;
mod repo;
pub mod service;
pub mod settings;

pub use http::{api_routes, page_routes};

use lyceum_platform::web::nav::{Audience, Link, Menu};

/// What profiles contributes to the application (see `lyceum_platform::module`).
pub fn module() -> lyceum_platform::module::Module {
    lyceum_platform::module::Module::new("profiles")
        .pages(page_routes)
        .api(api_routes)
        .settings::<settings::AvatarUploads>()
        // The settings area opens on the profile tab.
        .nav(
            Link::new(Menu::Main, 50, "/settings/profile", "nav.settings")
                .current("/settings")
                .audience(Audience::SignedIn),
        )
        .nav(Link::new(Menu::Settings, 10, "/settings/profile", "settings.profile"))
        .locale("en", include_str!("../locales/en.toml"))
        .locale("fr", include_str!("../locales/fr.toml"))
}
