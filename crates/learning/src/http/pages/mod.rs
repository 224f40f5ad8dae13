//! HTML pages: the lesson view and "continue", my courses, the public
//! certificate page and the instructors' progress table. Plain forms; the
//! only script (saving the video position) is an enhancement.

pub mod certificate;
pub mod learn;
pub mod mine;
pub mod staff;

use serde::Deserialize;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CursorQuery {
    pub cursor: String,
}

/// "12.3 MB", "800 KB" for a file size.
pub fn human_size(bytes: i64) -> String {
    const MB: i64 = 1024 * 1024;
    if bytes >= MB { format!("{:.1} MB", bytes as f64 / MB as f64) } else { format!("{} KB", (bytes + 1023) / 1024) }
}
