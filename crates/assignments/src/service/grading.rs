//! The staff's side: the grading queue (work waiting for a grade first),
//! one submission beside its marking form, a grade saved in one
//! transaction with `assignment.graded` when the learner may see it.

use lyceum_accounts::service::directory;
use lyceum_platform::{AppError, AppState, auth::Viewer, db, events, ids::UserId};

use super::{
    Assignment, Role, definitions,
    guides::Guide,
    rubrics::{self, Rubric},
    scales::Scale,
    staff_assignment,
    submissions::visible_submission,
};
use crate::{
    AssignmentError,
    events::SubmissionGraded,
    guide::{self, MarkError},
    model::{AssignmentId, Completion, GradingMethod, Settings, SubmissionId, round2},
    repo::{
        self,
        files::FileRow,
        submissions::{Filter, Mark, SubmissionRow},
    },
};

/// The most submissions one queue lists.
pub const QUEUE_MAX: i64 = 5000;

/// A submission with its learner, as the queue lists it.
#[derive(Debug, Clone)]
pub struct Line {
    pub row: SubmissionRow,
    pub learner_name: String,
    pub learner_email: String,
    /// Blind marking: the name is "Participant …", the e-mail and account hidden.
    pub anonymous: bool,
}

impl Line {
    fn new(row: SubmissionRow, person: Option<&directory::Person>, hidden: bool) -> Self {
        if hidden {
            return Self { learner_name: participant(&row.id), learner_email: String::new(), anonymous: true, row };
        }
        Self {
            learner_name: person.map(|p| p.display_name.clone()).unwrap_or_default(),
            learner_email: person.map(|p| p.email.clone()).unwrap_or_default(),
            anonymous: false,
            row,
        }
    }
}

/// A submission's participant name under blind marking: stable, and told
/// apart within an assignment by the random end of its id.
fn participant(submission_id: &str) -> String {
    let code: String = submission_id.chars().filter(char::is_ascii_hexdigit).rev().take(6).collect();
    format!("Participant {}", code.to_uppercase())
}

/// An assignment's submissions for its staff, in queue order.
pub async fn queue(
    state: &AppState,
    viewer: &Viewer,
    id: &AssignmentId,
    filter: Filter,
) -> Result<(Assignment, Vec<Line>), AppError> {
    let mut conn = state.db.pool().acquire().await?;
    let (_, assignment) = staff_assignment(&mut conn, viewer, id).await?;
    let rows = repo::submissions::queue(&mut conn, id.as_str(), filter, QUEUE_MAX).await?;
    let ids: Vec<UserId> = rows.iter().map(|r| UserId::from(r.user_id.as_str())).collect();
    let people = directory::people(&mut conn, &ids).await?;
    let hidden = assignment.identities_hidden();
    let lines = rows
        .into_iter()
        .map(|row| {
            let person = people.get(&row.user_id);
            Line::new(row, person, hidden)
        })
        .collect();
    Ok((assignment, lines))
}

/// One submission as a grader or its learner sees it.
#[derive(Debug, Clone)]
pub struct SubmissionView {
    pub line: Line,
    pub assignment: Assignment,
    pub files: Vec<FileRow>,
    pub role: Role,
    /// The rubric, marking guide or scale the assignment grades with, if any.
    pub rubric: Option<Rubric>,
    pub guide: Option<Guide>,
    pub scale: Option<Scale>,
    /// The next submission waiting for a grade (staff only), for "save and next".
    pub next: Option<String>,
    /// The grader's feedback files (staff only: the learner reads them with the released grade).
    pub feedback_files: Vec<FileRow>,
}

impl SubmissionView {
    /// The learner sees the grade only once it is released.
    pub fn grade_shown(&self) -> bool {
        self.role == Role::Staff || (self.line.row.graded() && self.assignment.grades_visible())
    }
}

pub async fn submission(state: &AppState, viewer: &Viewer, id: &SubmissionId) -> Result<SubmissionView, AppError> {
    let mut conn = state.db.pool().acquire().await?;
    let (row, assignment, role) = visible_submission(state, &mut conn, viewer, id).await?;
    let people = directory::people(&mut conn, &[UserId::from(row.user_id.as_str())]).await?;
    let person = people.get(&row.user_id);
    let files = repo::files::of_submission(&mut conn, &row.id).await?;
    let (next, feedback_files) = match role {
        Role::Staff => (
            repo::submissions::next_ungraded(&mut conn, &assignment.id, &row.id).await?,
            repo::feedback_files::of_submission(&mut conn, &row.id).await?,
        ),
        Role::Learner => (None, Vec::new()),
    };
    let (rubric, guide, scale) = definitions_of(&mut conn, &assignment.settings).await?;
    let line = Line::new(row, person, role == Role::Staff && assignment.identities_hidden());
    Ok(SubmissionView { line, assignment, files, role, rubric, guide, scale, next, feedback_files })
}

/// The rubric, guide or scale the settings grade with (at most one is some).
pub(crate) async fn definitions_of(
    conn: &mut sqlx::AnyConnection,
    settings: &Settings,
) -> Result<(Option<Rubric>, Option<Guide>, Option<Scale>), AppError> {
    Ok(match settings.grading() {
        (GradingMethod::Rubric, Some(id)) => (rubrics::load(conn, id).await?, None, None),
        (GradingMethod::Guide, Some(id)) => (None, definitions::load(conn, id).await?, None),
        (GradingMethod::Scale, Some(id)) => (None, None, definitions::load(conn, id).await?),
        _ => (None, None, None),
    })
}

/// What a graded submission's marks say, read by its assignment's method.
#[derive(Debug, Clone, PartialEq)]
pub enum Marks {
    None,
    /// The level chosen per rubric criterion.
    Rubric(Vec<usize>),
    /// Points and a comment per guide criterion.
    Guide(Vec<guide::Mark>),
    /// The scale level chosen (from 0, lowest first).
    Scale(usize),
}

impl Marks {
    pub fn of(settings: &Settings, row: &SubmissionRow) -> Self {
        let json = row.rubric_marks.as_deref().unwrap_or_default();
        let read = match settings.grading().0 {
            GradingMethod::Points => None,
            GradingMethod::Rubric => serde_json::from_str(json).ok().map(Self::Rubric),
            GradingMethod::Guide => serde_json::from_str(json).ok().map(Self::Guide),
            GradingMethod::Scale => serde_json::from_str::<[usize; 1]>(json).ok().map(|[level]| Self::Scale(level)),
        };
        read.unwrap_or(Self::None)
    }
}

/// A grader's mark: points out of the assignment's maximum (before any late
/// penalty); or with a rubric the level chosen per criterion, with a
/// marking guide points and a comment per criterion, with a scale a level
/// (the points follow from them); and feedback (markdown).
#[derive(Debug, Clone, Default)]
pub struct GradeInput {
    pub points: f64,
    pub rubric: Option<Vec<usize>>,
    pub guide: Option<Vec<guide::Mark>>,
    pub scale: Option<usize>,
    pub feedback_md: String,
}

/// The points a mark gives, and the marks to keep (`rubric_marks`), by the
/// assignment's grading method.
async fn points_of(
    conn: &mut sqlx::AnyConnection,
    settings: &Settings,
    input: &GradeInput,
) -> Result<(f64, Option<String>), AssignmentError> {
    let max = settings.max_points;
    let unknown = AssignmentError::UnknownDefinition { field: "settings.grading_id" };
    Ok(match settings.grading() {
        (GradingMethod::Points, _) | (_, None) => (input.points, None),
        (GradingMethod::Rubric, Some(id)) => {
            let rubric = rubrics::load(conn, id).await?.ok_or(unknown)?;
            let chosen = input.rubric.as_deref().ok_or(AssignmentError::RubricChoice)?;
            let points = crate::rubric::score(&rubric.criteria, chosen, max).ok_or(AssignmentError::RubricChoice)?;
            (points, Some(super::encode(&chosen)?))
        }
        (GradingMethod::Guide, Some(id)) => {
            let guide = definitions::load::<Guide>(conn, id).await?.ok_or(unknown)?;
            let marks = input.guide.as_deref().unwrap_or_default();
            let points = guide::score(&guide.criteria, marks, max).map_err(|error| {
                let max = match error {
                    MarkError::Points(i) => guide.criteria.get(i).map_or(0.0, |c| c.max_points),
                    _ => 0.0,
                };
                AssignmentError::GuideMark { error, max }
            })?;
            (points, Some(super::encode(&marks)?))
        }
        (GradingMethod::Scale, Some(id)) => {
            let scale = definitions::load::<Scale>(conn, id).await?.ok_or(unknown)?;
            let level = input.scale.ok_or(AssignmentError::ScaleChoice)?;
            let points = scale.points(level, max).ok_or(AssignmentError::ScaleChoice)?;
            (points, Some(super::encode(&[level])?))
        }
    })
}

/// The longest feedback (characters).
pub const FEEDBACK_MAX: usize = 50_000;

/// Grades a submitted submission (again, to change a grade). The late
/// penalty is applied to the points; the learner is told in the same
/// transaction when grades are visible as graded, or were released.
pub async fn grade(
    state: &AppState,
    viewer: &Viewer,
    id: &SubmissionId,
    input: &GradeInput,
) -> Result<SubmissionRow, AssignmentError> {
    let mut tx = state.db.begin().await?;
    let (row, assignment, role) = visible_submission(state, &mut tx, viewer, id).await?;
    if role != Role::Staff {
        return Err(AppError::not_found().into());
    }
    let max = assignment.settings.max_points;
    let (points, rubric_marks) = points_of(&mut tx, &assignment.settings, input).await?;
    if !(points.is_finite() && (0.0..=max).contains(&points)) {
        return Err(AssignmentError::BadPoints { max });
    }
    if input.feedback_md.chars().count() > FEEDBACK_MAX {
        return Err(
            AppError::field("feedback", lyceum_platform::Text::new("assignments.errors.feedback_too_long")).into()
        );
    }
    let points = round2(points);
    let mark = Mark {
        points,
        grade: assignment.settings.grade(points, row.late_ms),
        feedback_md: &input.feedback_md,
        graded_by: &viewer.user_id,
        rubric_marks: rubric_marks.as_deref(),
    };
    if !repo::submissions::grade(&mut tx, &row.id, &mark, db::now_ms()).await? {
        return Err(AssignmentError::NotSubmitted);
    }
    let row = repo::submissions::by_id(&mut tx, &row.id).await?.ok_or_else(AppError::not_found)?;
    if assignment.grades_visible() {
        events::publish(state, &mut tx, &graded_event(&assignment, &row)).await?;
    }
    tx.commit().await?;
    Ok(row)
}

/// `assignment.graded` for a graded submission.
pub(crate) fn graded_event(assignment: &Assignment, row: &SubmissionRow) -> SubmissionGraded {
    let grade = row.grade.unwrap_or_default();
    let passed = assignment.settings.passed(grade);
    SubmissionGraded {
        submission_id: row.id.clone(),
        assignment_id: assignment.id.clone(),
        course_id: assignment.course_id.clone(),
        lesson_id: assignment.lesson_id.clone(),
        user_id: row.user_id.clone(),
        assignment_title: assignment.title.clone(),
        grade,
        max_points: assignment.settings.max_points,
        passed,
        completes_lesson: assignment.settings.completion == Completion::Passed && passed == Some(true),
    }
}

/// The assignment, its course and its (submitted, graded) counts, for its staff.
pub async fn overview(
    state: &AppState,
    viewer: &Viewer,
    id: &AssignmentId,
) -> Result<(lyceum_courses::model::Course, Assignment, (i64, i64)), AppError> {
    let mut conn = state.db.pool().acquire().await?;
    let (course, assignment) = staff_assignment(&mut conn, viewer, id).await?;
    let counts = repo::submissions::counts(&mut conn, id.as_str()).await?;
    Ok((course, assignment, counts))
}

/// The enrolled learner with this e-mail (the staff's extension form), if any.
pub async fn learner_by_email(
    state: &AppState,
    viewer: &Viewer,
    id: &AssignmentId,
    email: &str,
) -> Result<Option<UserId>, AppError> {
    let course_id = {
        let mut conn = state.db.pool().acquire().await?;
        let (_, assignment) = staff_assignment(&mut conn, viewer, id).await?;
        lyceum_platform::ids::CourseId::from(&assignment.course_id)
    };
    let Some(user) = lyceum_accounts::service::admin::by_email(state, email.trim()).await? else { return Ok(None) };
    let user_id = UserId::from(user.id.as_str());
    let mut conn = state.db.pool().acquire().await?;
    let enrolled = lyceum_enrollment::is_active(&mut conn, &course_id, &user_id).await?;
    Ok(enrolled.then_some(user_id))
}
