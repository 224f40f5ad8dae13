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
