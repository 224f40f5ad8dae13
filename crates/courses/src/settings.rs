//! The course upload limits: keys of the `[uploads]` settings table (which
//! profiles shares for the avatar limit), read with
//! `state.settings.section::<CourseUploads>()`.

use lyceum_platform::config::Section;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct CourseUploads {
    /// Largest course cover image accepted (re-encoded as JPEG on upload).
    pub cover_max_bytes: usize,
    /// Largest lesson video or downloadable file accepted (streamed to storage,
    /// never held in memory); its upload routes are exempt from `max_body_bytes`.
    pub lesson_media_max_bytes: usize,
    /// Largest image accepted into a lesson's text (re-encoded, at most 2400 px a side).
    pub lesson_image_max_bytes: usize,
    /// How long an upload of lesson media may take, instead of `request_timeout_secs`.
    pub upload_timeout_secs: u64,
}

impl Default for CourseUploads {
    fn default() -> Self {
        Self {
            cover_max_bytes: 4 * 1024 * 1024,
            lesson_media_max_bytes: 512 * 1024 * 1024,
            lesson_image_max_bytes: 8 * 1024 * 1024,
            upload_timeout_secs: 3600,
        }
    }
}

impl Section for CourseUploads {
    const NAME: &'static str = "uploads";
}
