//! Marks brought back from offline marking: the worksheet of the submissions
//! zip (`grades.csv`), edited in a spreadsheet, uploaded again. A preview
//! says what would change and what is wrong, row by row; applying grades
//! each changed submission through `grading::grade` — one transaction and
//! one `assignment.graded` per grade, exactly as the grading page does —
//! and refuses when the submissions changed since the preview.

use std::collections::{HashMap, HashSet};

use lyceum_platform::{AppState, auth::Viewer, csv};
use sha2::{Digest as _, Sha256};

use super::{
    Assignment,
    grading::{self, GradeInput, Line},
};
use crate::{
    AssignmentError,
    model::{AssignmentId, GradingMethod, SubmissionId, round2},
    repo::submissions::Filter,
};

/// The largest worksheet read (bytes): far above a class of thousands.
pub const SHEET_MAX_BYTES: usize = 2 * 1024 * 1024;

/// The worksheet's columns this reads; the others are the grader's own.
const SUBMISSION: &str = "Submission";
const POINTS: &str = "Points";
const FEEDBACK: &str = "Feedback";

/// One grade the worksheet changes.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub line: u64,
    pub submission_id: String,
    /// The learner's name ("Participant …" under blind marking).
    pub learner: String,
    pub old_points: Option<f64>,
    pub new_points: f64,
    /// The feedback changes too.
    pub feedback_changed: bool,
    pub feedback_md: String,
}

/// Why a row is left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowProblem {
    NoSubmissionId,
    UnknownSubmission,
    Repeated,
    NotSubmitted,
    NotANumber,
    OutOfRange,
    /// Graded with a rubric, a marking guide or a scale: the points follow
    /// from the marks chosen on the grading page.
    NotByPoints,
    FeedbackTooLong,
}

impl RowProblem {
    /// The translation key of the sentence.
    pub fn key(self) -> &'static str {
        match self {
            Self::NoSubmissionId => "assignments.worksheet.problems.no_submission",
            Self::UnknownSubmission => "assignments.worksheet.problems.unknown_submission",
            Self::Repeated => "assignments.worksheet.problems.repeated",
            Self::NotSubmitted => "assignments.worksheet.problems.not_submitted",
            Self::NotANumber => "assignments.worksheet.problems.not_a_number",
            Self::OutOfRange => "assignments.worksheet.problems.out_of_range",
            Self::NotByPoints => "assignments.worksheet.problems.not_by_points",
            Self::FeedbackTooLong => "assignments.worksheet.problems.feedback_too_long",
        }
    }
}

/// A row left out, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub line: u64,
    /// The row's submission cell as written (to find it in the sheet).
    pub submission: String,
    pub problem: RowProblem,
}

/// What an upload would do.
#[derive(Debug, Clone)]
pub struct Preview {
    pub assignment: Assignment,
    pub changes: Vec<Change>,
    /// Rows that match what is stored, or leave the points empty.
    pub unchanged: usize,
    pub problems: Vec<Problem>,
    /// Names the changes and the state they were computed from; applying
    /// with another digest is refused (`StalePreview`).
    pub digest: String,
}

/// Why a worksheet is refused as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SheetError {
    TooLarge,
    /// No header line, or no `Submission` / `Points` column.
    MissingColumn(&'static str),
}

/// What an upload would change, for the assignment's staff.
pub async fn preview(
    state: &AppState,
    viewer: &Viewer,
    id: &AssignmentId,
    sheet: &str,
) -> Result<Preview, AssignmentError> {
    if sheet.len() > SHEET_MAX_BYTES {
        return Err(AssignmentError::Sheet(SheetError::TooLarge));
    }
    let (assignment, lines) = grading::queue(state, viewer, id, Filter::All).await?;
    let table = csv::read(sheet).ok_or(AssignmentError::Sheet(SheetError::MissingColumn(SUBMISSION)))?;
    let columns = Columns::of(&table)?;
    let by_id: HashMap<&str, &Line> = lines.iter().map(|l| (l.row.id.as_str(), l)).collect();
    let mut preview =
        Preview { assignment, changes: Vec::new(), unchanged: 0, problems: Vec::new(), digest: String::new() };
    let mut seen = HashSet::new();
    for row in &table.rows {
        let submission = row.get(columns.submission);
        let outcome = judge(&preview.assignment, &by_id, &mut seen, &columns, row);
        match outcome {
            Ok(Some(change)) => preview.changes.push(change),
            Ok(None) => preview.unchanged += 1,
            Err(problem) => {
                preview.problems.push(Problem { line: row.line, submission: submission.to_string(), problem })
            }
        }
    }
    preview.digest = digest(&preview.changes, &by_id);
    Ok(preview)
}

/// Applies the previewed changes; the number of grades saved.
pub async fn apply(
    state: &AppState,
    viewer: &Viewer,
    id: &AssignmentId,
    sheet: &str,
    digest: &str,
) -> Result<usize, AssignmentError> {
    let preview = preview(state, viewer, id, sheet).await?;
    if preview.digest != digest {
        return Err(AssignmentError::StalePreview);
    }
    for change in &preview.changes {
        let input =
            GradeInput { points: change.new_points, feedback_md: change.feedback_md.clone(), ..Default::default() };
        grading::grade(state, viewer, &SubmissionId::from(change.submission_id.as_str()), &input).await?;
    }
    Ok(preview.changes.len())
}

/// Where the columns this reads are.
struct Columns {
    submission: usize,
    points: usize,
    feedback: Option<usize>,
}

impl Columns {
    fn of(table: &csv::Table) -> Result<Self, AssignmentError> {
        let need =
            |name: &'static str| table.column(name).ok_or(AssignmentError::Sheet(SheetError::MissingColumn(name)));
        Ok(Self { submission: need(SUBMISSION)?, points: need(POINTS)?, feedback: table.column(FEEDBACK) })
    }
}

/// One row: the change it makes, none, or why it is left out.
fn judge(
    assignment: &Assignment,
    by_id: &HashMap<&str, &Line>,
    seen: &mut HashSet<String>,
    columns: &Columns,
    row: &csv::Row,
) -> Result<Option<Change>, RowProblem> {
    let submission = row.get(columns.submission);
    if submission.is_empty() {
        return Err(RowProblem::NoSubmissionId);
    }
    let line = by_id.get(submission).ok_or(RowProblem::UnknownSubmission)?;
    if !seen.insert(submission.to_string()) {
        return Err(RowProblem::Repeated);
    }
    let written = row.get(columns.points);
    if written.is_empty() {
        return Ok(None);
    }
    if !line.row.submitted() {
        return Err(RowProblem::NotSubmitted);
    }
    let points = parse_points(written).ok_or(RowProblem::NotANumber)?;
    if !(0.0..=assignment.settings.max_points).contains(&points) {
        return Err(RowProblem::OutOfRange);
    }
    let feedback = columns.feedback.map(|i| row.cells.get(i).map_or("", |c| c.trim_end()));
    if feedback.is_some_and(|f| f.chars().count() > grading::FEEDBACK_MAX) {
        return Err(RowProblem::FeedbackTooLong);
    }
    let feedback_changed = feedback.is_some_and(|f| f != line.row.feedback_md.trim_end());
    if line.row.points == Some(points) && !feedback_changed {
        return Ok(None);
    }
    if assignment.settings.grading().0 != GradingMethod::Points {
        return Err(RowProblem::NotByPoints);
    }
    Ok(Some(Change {
        line: row.line,
        submission_id: line.row.id.clone(),
        learner: line.learner_name.clone(),
        old_points: line.row.points,
        new_points: points,
        feedback_changed,
        feedback_md: feedback.map_or_else(|| line.row.feedback_md.clone(), str::to_string),
    }))
}

/// Points as a spreadsheet writes them: `7.5`, or `7,5` in locales with a
/// decimal comma; two decimals kept, as grades are.
fn parse_points(written: &str) -> Option<f64> {
    let value = written.replace(',', ".").parse::<f64>().ok().filter(|p| p.is_finite())?;
    Some(round2(value))
}

/// The changes and the stored state they were computed from.
fn digest(changes: &[Change], by_id: &HashMap<&str, &Line>) -> String {
    let mut hash = Sha256::new();
    for c in changes {
        let updated_at = by_id.get(c.submission_id.as_str()).map_or(0, |l| l.row.updated_at);
        hash.update(format!("{}\u{1f}{updated_at}\u{1f}{}\u{1f}", c.submission_id, c.new_points));
        hash.update(c.feedback_md.as_bytes());
        hash.update([0x1e]);
    }
    hex::encode(&hash.finalize()[..16])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_are_read_in_either_decimal_notation() {
        assert_eq!(parse_points("7.5"), Some(7.5));
        assert_eq!(parse_points("7,456"), Some(7.46));
        assert_eq!(parse_points("seven"), None);
        assert_eq!(parse_points("NaN"), None);
    }
}
