//! The module's tables: `assignments` and `assignment_extensions`
//! ([`assignments`]), `assignment_submissions` ([`submissions`]),
//! `assignment_files` ([`files`]), `assignment_rubrics` ([`rubrics`]).

pub mod assignments;
pub mod files;
pub mod rubrics;
pub mod submissions;
