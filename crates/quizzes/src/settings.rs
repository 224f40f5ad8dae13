//! The quiz upload limits: keys of the `[uploads]` settings table (shared
//! with courses and profiles), read with `state.settings.section::<QuizUploads>()`.

use lyceum_platform::config::Section;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct QuizUploads {
    /// Largest image accepted into a course's question bank (PNG, JPEG, GIF
    /// or WebP; also the limit for each file embedded in an imported Moodle XML file).
    pub question_file_max_bytes: usize,
    /// Largest file a learner may attach to an essay answer.
    pub essay_file_max_bytes: usize,
}

impl Default for QuizUploads {
    fn default() -> Self {
        Self { question_file_max_bytes: 4 * 1024 * 1024, essay_file_max_bytes: 16 * 1024 * 1024 }
    }
}

impl Section for QuizUploads {
    const NAME: &'static str = "uploads";
}
