//! The `assignment_submissions` table. A learner has one row per
//! assignment: a draft until submitted; graded when `graded_at` is set.

use sqlx::AnyConnection;

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize, serde::Deserialize)]
pub struct SubmissionRow {
    pub id: String,
    pub assignment_id: String,
    pub user_id: String,
    /// `draft` or `submitted`.
    pub state: String,
    pub text_md: String,
    pub submitted_at: Option<i64>,
    pub late_ms: i64,
    pub statement_at: Option<i64>,
    pub points: Option<f64>,
    pub grade: Option<f64>,
    pub feedback_md: String,
    pub graded_by: Option<String>,
    pub graded_at: Option<i64>,
    /// The rubric level chosen per criterion (JSON list of indexes), when graded with a rubric.
    pub rubric_marks: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl SubmissionRow {
    pub fn submitted(&self) -> bool {
        self.state == "submitted"
    }
    pub fn graded(&self) -> bool {
        self.graded_at.is_some()
    }
    /// The rubric levels chosen, one per criterion.
    pub fn rubric_choices(&self) -> Option<Vec<usize>> {
        self.rubric_marks.as_deref().and_then(|json| serde_json::from_str(json).ok())
    }
}

const COLUMNS: &str = "id, assignment_id, user_id, state, text_md, submitted_at, late_ms, statement_at, points, \
                       grade, feedback_md, graded_by, graded_at, rubric_marks, created_at, updated_at";

pub async fn by_id(conn: &mut AnyConnection, id: &str) -> Result<Option<SubmissionRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM assignment_submissions WHERE id = $1")))
        .bind(id)
        .fetch_optional(conn)
        .await
}

pub async fn of_learner(
    conn: &mut AnyConnection,
    assignment_id: &str,
    user_id: &str,
) -> Result<Option<SubmissionRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM assignment_submissions WHERE assignment_id = $1 AND user_id = $2"
    )))
    .bind(assignment_id)
    .bind(user_id)
    .fetch_optional(conn)
    .await
}

/// The learner's submission, made a draft first when there is none (two
/// requests racing make one row: the unique key keeps the first).
pub async fn ensure(
    conn: &mut AnyConnection,
    id: &str,
    assignment_id: &str,
    user_id: &str,
    now: i64,
) -> Result<SubmissionRow, sqlx::Error> {
    sqlx::query(
        "INSERT INTO assignment_submissions (id, assignment_id, user_id, state, created_at, updated_at) \
         VALUES ($1, $2, $3, 'draft', $4, $4) ON CONFLICT (assignment_id, user_id) DO NOTHING",
    )
    .bind(id)
    .bind(assignment_id)
    .bind(user_id)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    of_learner(conn, assignment_id, user_id).await?.ok_or(sqlx::Error::RowNotFound)
}

/// Which submissions a learner's change may touch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fence {
    /// A draft (work is handed in by submitting it).
    Draft,
    /// Work not graded yet, submitted or not (direct submission: saving is submitting).
    Ungraded,
}

impl Fence {
    fn condition(self) -> &'static str {
        match self {
            Self::Draft => "state = 'draft'",
            Self::Ungraded => "graded_at IS NULL",
        }
    }
}

/// Takes the learner's row for a change (its write lock), touching it;
/// false when the fence no longer holds (submitted or graded meanwhile).
pub async fn hold(conn: &mut AnyConnection, id: &str, fence: Fence, now: i64) -> Result<bool, sqlx::Error> {
    let sql = format!("UPDATE assignment_submissions SET updated_at = $2 WHERE id = $1 AND {}", fence.condition());
    let done = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).bind(now).execute(conn).await?;
    Ok(done.rows_affected() == 1)
}

pub async fn save_text(
    conn: &mut AnyConnection,
    id: &str,
    text: &str,
    fence: Fence,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let sql = format!(
        "UPDATE assignment_submissions SET text_md = $2, updated_at = $3 WHERE id = $1 AND {}",
        fence.condition()
    );
    let done = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).bind(text).bind(now).execute(conn).await?;
    Ok(done.rows_affected() == 1)
}

/// Direct submission: the ungraded work handed in as it now stands, at
/// `now` and `late_ms` late; the statement's time kept once given.
pub async fn hand_in(
    conn: &mut AnyConnection,
    id: &str,
    now: i64,
    late_ms: i64,
    statement: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE assignment_submissions SET state = 'submitted', submitted_at = $2, late_ms = $3, \
         statement_at = COALESCE(statement_at, $4), updated_at = $2 WHERE id = $1 AND graded_at IS NULL",
    )
    .bind(id)
    .bind(now)
    .bind(late_ms)
    .bind(statement.then_some(now))
    .execute(conn)
    .await
    .map(|_| ())
}

/// Direct submission: work emptied goes back to not handed in.
pub async fn take_back(conn: &mut AnyConnection, id: &str, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE assignment_submissions SET state = 'draft', submitted_at = NULL, late_ms = 0, updated_at = $2 \
         WHERE id = $1 AND graded_at IS NULL",
    )
    .bind(id)
    .bind(now)
    .execute(conn)
    .await
    .map(|_| ())
}

/// Submits a draft; false when it was not one (a double click).
pub async fn submit(
    conn: &mut AnyConnection,
    id: &str,
    now: i64,
    late_ms: i64,
    statement: bool,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE assignment_submissions SET state = 'submitted', submitted_at = $2, late_ms = $3, \
         statement_at = $4, updated_at = $2 WHERE id = $1 AND state = 'draft'",
    )
    .bind(id)
    .bind(now)
    .bind(late_ms)
    .bind(statement.then_some(now))
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Takes graded work's row for starting a new try (its write lock); false
/// when it is not submitted and graded.
pub async fn hold_graded(conn: &mut AnyConnection, id: &str, now: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE assignment_submissions SET updated_at = $2 WHERE id = $1 AND state = 'submitted' \
         AND graded_at IS NOT NULL",
    )
    .bind(id)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The row becomes the new try's draft: its text and files stay (the copy
/// the try starts from), everything of the submit and the grade is
/// cleared. A grading column added to the table is cleared here too.
pub async fn start_try(conn: &mut AnyConnection, id: &str, now: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE assignment_submissions SET state = 'draft', submitted_at = NULL, late_ms = 0, statement_at = NULL, \
         points = NULL, grade = NULL, feedback_md = '', graded_by = NULL, graded_at = NULL, rubric_marks = NULL, \
         updated_at = $2 WHERE id = $1 AND state = 'submitted' AND graded_at IS NOT NULL",
    )
    .bind(id)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Takes a submitted, ungraded submission back to a draft; false otherwise.
pub async fn reopen(conn: &mut AnyConnection, id: &str, now: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE assignment_submissions SET state = 'draft', updated_at = $2 \
         WHERE id = $1 AND state = 'submitted' AND graded_at IS NULL",
    )
    .bind(id)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A grader's mark on a submitted submission; false when it is not submitted.
pub struct Mark<'a> {
    pub points: f64,
    pub grade: f64,
    pub feedback_md: &'a str,
    pub graded_by: &'a str,
    pub rubric_marks: Option<&'a str>,
}

pub async fn grade(conn: &mut AnyConnection, id: &str, mark: &Mark<'_>, now: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE assignment_submissions SET points = $2, grade = $3, feedback_md = $4, graded_by = $5, \
         graded_at = $6, updated_at = $6, rubric_marks = $7 WHERE id = $1 AND state = 'submitted'",
    )
    .bind(id)
    .bind(mark.points)
    .bind(mark.grade)
    .bind(mark.feedback_md)
    .bind(mark.graded_by)
    .bind(now)
    .bind(mark.rubric_marks)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Which submissions a queue lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Filter {
    /// Every submission, drafts included.
    #[default]
    All,
    /// Submitted and not graded yet.
    Ungraded,
    Graded,
    /// Submitted after the learner's due date.
    Late,
    Draft,
}

impl Filter {
    pub fn parse(raw: &str) -> Option<Self> {
        Some(match raw {
            "" | "all" => Self::All,
            "ungraded" => Self::Ungraded,
            "graded" => Self::Graded,
            "late" => Self::Late,
            "draft" => Self::Draft,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::All => "all",
            Self::Ungraded => "ungraded",
            Self::Graded => "graded",
            Self::Late => "late",
            Self::Draft => "draft",
        }
    }

    fn condition(self) -> &'static str {
        match self {
            Self::All => "",
            Self::Ungraded => " AND state = 'submitted' AND graded_at IS NULL",
            Self::Graded => " AND graded_at IS NOT NULL",
            Self::Late => " AND state = 'submitted' AND late_ms > 0",
            Self::Draft => " AND state = 'draft'",
        }
    }
}

/// The grading queue: submitted work waiting for a grade first (oldest
/// submit first), then graded work, then drafts.
pub async fn queue(
    conn: &mut AnyConnection,
    assignment_id: &str,
    filter: Filter,
    limit: i64,
) -> Result<Vec<SubmissionRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM assignment_submissions WHERE assignment_id = $1{} \
         ORDER BY CASE WHEN state = 'draft' THEN 2 WHEN graded_at IS NULL THEN 0 ELSE 1 END, \
         submitted_at, id LIMIT $2",
        filter.condition()
    )))
    .bind(assignment_id)
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// The next submission waiting for a grade after `after` in queue order
/// (oldest submit first), for "save and next".
pub async fn next_ungraded(
    conn: &mut AnyConnection,
    assignment_id: &str,
    after: &str,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT id FROM assignment_submissions WHERE assignment_id = $1 AND state = 'submitted' \
         AND graded_at IS NULL AND id <> $2 ORDER BY submitted_at, id LIMIT 1",
    )
    .bind(assignment_id)
    .bind(after)
    .fetch_optional(conn)
    .await
}

/// The graded submissions of an assignment (their grades are released together).
pub async fn graded(conn: &mut AnyConnection, assignment_id: &str) -> Result<Vec<SubmissionRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM assignment_submissions WHERE assignment_id = $1 AND graded_at IS NOT NULL \
         ORDER BY graded_at, id"
    )))
    .bind(assignment_id)
    .fetch_all(conn)
    .await
}

/// (submitted, graded) counts of an assignment.
pub async fn counts(conn: &mut AnyConnection, assignment_id: &str) -> Result<(i64, i64), sqlx::Error> {
    sqlx::query_as(
        "SELECT COALESCE(SUM(CASE WHEN state = 'submitted' THEN 1 ELSE 0 END), 0), \
         COALESCE(SUM(CASE WHEN graded_at IS NOT NULL THEN 1 ELSE 0 END), 0) \
         FROM assignment_submissions WHERE assignment_id = $1",
    )
    .bind(assignment_id)
    .fetch_one(conn)
    .await
}
