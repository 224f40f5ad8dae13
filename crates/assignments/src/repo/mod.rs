//! The module's tables: `assignments` and `assignment_extensions`
//! ([`assignments`]), `assignment_submissions` ([`submissions`]),
//! `assignment_files` ([`files`]), `assignment_rubrics` ([`rubrics`]),
//! `assignment_feedback_files` ([`feedback_files`]),
//! `assignment_tries` and `assignment_try_files` ([`tries`]),
//! `assignment_attachments` ([`attachments`]).

pub mod assignments;
pub mod attachments;
pub mod feedback_files;
pub mod files;
pub mod rubrics;
pub mod submissions;
pub mod tries;
