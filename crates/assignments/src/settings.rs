//! The assignment upload limit: a key of the `[uploads]` settings table
//! (shared with courses, profiles and quizzes), read with
//! `state.settings.section::<AssignmentUploads>()`.

use lyceum_platform::config::Section;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct AssignmentUploads {
    /// Largest file a learner may add to a submission.
    pub submission_file_max_bytes: usize,
}

impl Default for AssignmentUploads {
    fn default() -> Self {
        Self { submission_file_max_bytes: 20 * 1024 * 1024 }
    }
}

impl Section for AssignmentUploads {
    const NAME: &'static str = "uploads";
}
