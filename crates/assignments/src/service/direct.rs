//! Direct submission: an assignment that keeps no drafts
//! (`Settings::drafts` off — Moodle's "require students to click the submit
//! button" unchecked), where saving is submitting. After each change the
//! learner makes, their work is handed in as it now stands: its time and its
//! lateness are those of the change. Work emptied (no text, no file) goes
//! back to not handed in. It may change until it is graded or the cut-off
//! passes. `assignment.submitted` goes out when the work becomes handed
//! in, not at every later change (one receipt per submit, not per save).

use lyceum_platform::{AppError, AppState, db, events};

use super::submissions::{Draft, submitted_event};
use crate::{AssignmentError, repo};

/// What the learner said of the "own work" statement with a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Statement {
    /// The change carried the statement's checkbox, ticked or not.
    Given(bool),
    /// The change does not ask (removing a file): without a statement given
    /// before, the work stays not handed in.
    NotAsked,
}

/// The statement is asked once per try: refuses a change that would hand
/// the work in without it.
pub(crate) fn check_statement(draft: &Draft, statement: Statement) -> Result<(), AssignmentError> {
    let settings = &draft.assignment.settings;
    let missing = settings.require_statement && draft.row.statement_at.is_none();
    if !settings.drafts && missing && statement == Statement::Given(false) {
        return Err(AssignmentError::StatementRequired);
    }
    Ok(())
}

/// After a change, in its transaction: hands the work in as it stands, or
/// takes it back when emptied. Nothing to do for an assignment with drafts.
pub(crate) async fn settle(
    state: &AppState,
    tx: &mut db::Tx,
    draft: &Draft,
    statement: Statement,
) -> Result<(), AssignmentError> {
    if draft.assignment.settings.drafts {
        return Ok(());
    }
    check_statement(draft, statement)?;
    let row = repo::submissions::by_id(tx, &draft.row.id).await?.ok_or_else(AppError::not_found)?;
    let (files, _) = repo::files::count_and_size(tx, &row.id).await?;
    let now = draft.now;
    if row.text_md.trim().is_empty() && files == 0 {
        if row.submitted() {
            repo::submissions::take_back(tx, &row.id, now).await?;
        }
        return Ok(());
    }
    let given = matches!(statement, Statement::Given(true));
    if draft.assignment.settings.require_statement && row.statement_at.is_none() && !given {
        return Ok(());
    }
    let late_ms = draft.dates.late_ms(now);
    repo::submissions::hand_in(tx, &row.id, now, late_ms, given).await?;
    if !row.submitted() {
        events::publish(state, tx, &submitted_event(&draft.assignment, &row, late_ms)).await?;
    }
    Ok(())
}
