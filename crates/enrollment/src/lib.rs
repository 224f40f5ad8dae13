//! Enrollment: who is enrolled in which course. Learners enroll in free
//! courses at once (paid ones go through [`billing::checkout`], the seam the
//! billing module will fill), seat limits hold under concurrency, learners
//! unenroll, and a course's staff see and edit its roster.
//!
//! The rows live in `enrollments`, this module's table; the number of active
//! ones is the courses module's `enrolled_count`, which this module keeps
//! through `lyceum_courses::service::seats` in the same transaction as the
//! row. Other modules ask [`service::is_active`] and the `service::query`
//! functions.

pub mod billing;
mod error;
pub mod events;
pub mod http;
pub mod model;
pub(crate) mod repo;
pub mod service;

pub use error::EnrollError;
pub use http::{api_routes, page_routes};
pub use service::{is_active, is_active_cached};

/// What enrollment contributes to the application (see `lyceum_platform::module`).
pub fn module() -> lyceum_platform::module::Module {
    lyceum_platform::module::Module::new("enrollment")
        .pages(page_routes)
        .api(api_routes)
        .locale("en", include_str!("../locales/en.toml"))
        .locale("fr", include_str!("../locales/fr.toml"))
}

#[cfg(test)]
mod tests {
    use lyceum_platform::web::i18n::has_key;

    /// Flash keys are chosen in the handlers, where the template key test cannot see them.
    #[test]
    fn flash_keys_are_translated() {
        crate::module().install();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/http/pages");
        let mut missing = Vec::new();
        for entry in std::fs::read_dir(root).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            let keys = text.split("\"enrollment.flash.").skip(1).filter_map(|rest| rest.split('"').next());
            missing.extend(keys.map(|k| format!("enrollment.flash.{k}")).filter(|k| !has_key(k)));
        }
        assert!(missing.is_empty(), "missing translations: {missing:?}");
    }
}
