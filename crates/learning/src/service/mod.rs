//! Learning rules, shared by the pages and the API. Every function takes the
//! viewer and checks access itself (through [`access`]), so no handler can
//! forget to.

pub mod access;
pub mod certificate_pdf;
pub mod certificates;
pub mod grade_condition;
pub mod jobs;
pub mod lesson;
pub mod media;
pub mod mine;
pub mod progress;
pub mod staff;
