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

/// What profiles contributes to the application (see `lyceum_platform::module`).
pub fn module() -> lyceum_platform::module::Module {
    lyceum_platform::module::Module::new("profiles")
        .pages(page_routes)
        .api(api_routes)
        .settings::<settings::AvatarUploads>()
        .locale("en", include_str!("../locales/en.toml"))
}
