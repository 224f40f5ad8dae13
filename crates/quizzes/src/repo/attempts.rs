//! The `quiz_attempts` and `quiz_answers` tables. An attempt changes state
//! only through statements fenced on its current state, so two submits (a
//! double click, the deadline job racing the learner) grade it once.

use lyceum_platform::db;
use sqlx::AnyConnection;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AttemptRow {
    pub id: String,
    pub quiz_id: String,
    pub user_id: String,
    pub number: i64,
    pub state: String,
    /// JSON `Vec<quiz::attempt::Pinned>`.
    pub questions: String,
    pub started_at: i64,
    pub deadline_at: Option<i64>,
    pub submitted_at: Option<i64>,
    pub timed_out: i64,
    pub marks: Option<f64>,
    pub max_marks: f64,
    pub ungraded: i64,
    pub updated_at: i64,
}

const COLUMNS: &str = "id, quiz_id, user_id, number, state, questions, started_at, deadline_at, submitted_at, \
     timed_out, marks, max_marks, ungraded, updated_at";

pub struct NewAttempt<'a> {
    pub id: &'a str,
    pub quiz_id: &'a str,
    pub user_id: &'a str,
    pub number: i64,
    pub questions: &'a str,
    pub started_at: i64,
    pub deadline_at: Option<i64>,
    pub max_marks: f64,
}

/// Inserts an open attempt; false when the learner already has one open (or
/// a concurrent start took the number): the caller reads that one instead.
pub async fn insert(conn: &mut AnyConnection, a: &NewAttempt<'_>) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO quiz_attempts (id, quiz_id, user_id, number, state, questions, started_at, deadline_at, \
         max_marks, updated_at) VALUES ($1, $2, $3, $4, 'in_progress', $5, $6, $7, $8, $6) ON CONFLICT DO NOTHING",
    )
    .bind(a.id)
    .bind(a.quiz_id)
    .bind(a.user_id)
    .bind(a.number)
    .bind(a.questions)
    .bind(a.started_at)
    .bind(a.deadline_at)
    .bind(a.max_marks)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn by_id(conn: &mut AnyConnection, id: &str) -> Result<Option<AttemptRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM quiz_attempts WHERE id = $1")))
        .bind(id)
        .fetch_optional(conn)
        .await
}

pub async fn open_of(
    conn: &mut AnyConnection,
    quiz_id: &str,
    user_id: &str,
) -> Result<Option<AttemptRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM quiz_attempts WHERE quiz_id = $1 AND user_id = $2 AND state = 'in_progress'"
    )))
    .bind(quiz_id)
    .bind(user_id)
    .fetch_optional(conn)
    .await
}

/// A learner's attempts at a quiz, first first.
pub async fn of_user(conn: &mut AnyConnection, quiz_id: &str, user_id: &str) -> Result<Vec<AttemptRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM quiz_attempts WHERE quiz_id = $1 AND user_id = $2 ORDER BY number"
    )))
    .bind(quiz_id)
    .bind(user_id)
    .fetch_all(conn)
    .await
}

/// Every attempt at a quiz (optionally in one state), newest first.
pub async fn of_quiz(
    conn: &mut AnyConnection,
    quiz_id: &str,
    state: Option<&str>,
    limit: i64,
) -> Result<Vec<AttemptRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM quiz_attempts WHERE quiz_id = $1 AND ($2 IS NULL OR state = $2) \
         ORDER BY started_at DESC, id DESC LIMIT $3"
    )))
    .bind(quiz_id)
    .bind(state)
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// Takes the attempt's row for an answer: true when it is open and in time
/// (`deadline_at + grace >= now`). The UPDATE is the point: on PostgreSQL it
/// waits for a submit holding the row and then sees it submitted, so no
/// answer is written after the submit read the answers.
pub async fn hold_open(conn: &mut AnyConnection, id: &str, now: i64, grace_ms: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE quiz_attempts SET updated_at = $2 WHERE id = $1 AND state = 'in_progress' \
         AND (deadline_at IS NULL OR deadline_at + $3 >= $2)",
    )
    .bind(id)
    .bind(now)
    .bind(grace_ms)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Takes a submitted attempt's row for a person's grade; false when it is still open.
pub async fn hold_submitted(conn: &mut AnyConnection, id: &str, now: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE quiz_attempts SET updated_at = $2 WHERE id = $1 AND state <> 'in_progress'")
        .bind(id)
        .bind(now)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Closes an open attempt for grading; false when it was not open (already
/// submitted by another request): only one submit grades.
pub async fn close(conn: &mut AnyConnection, id: &str, now: i64, timed_out: bool) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE quiz_attempts SET state = 'submitted', submitted_at = $2, timed_out = $3, updated_at = $2 \
         WHERE id = $1 AND state = 'in_progress'",
    )
    .bind(id)
    .bind(now)
    .bind(i64::from(timed_out))
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Writes a submitted attempt's result; `graded` when nothing waits for a person.
pub async fn set_result(conn: &mut AnyConnection, id: &str, marks: f64, ungraded: i64) -> Result<(), sqlx::Error> {
    let state = if ungraded == 0 { "graded" } else { "submitted" };
    sqlx::query("UPDATE quiz_attempts SET marks = $2, ungraded = $3, state = $4, updated_at = $5 WHERE id = $1")
        .bind(id)
        .bind(marks)
        .bind(ungraded)
        .bind(state)
        .bind(db::now_ms())
        .execute(conn)
        .await
        .map(|_| ())
}

/// Open attempts of a quiz (for moving their deadlines after a settings change).
pub async fn open_of_quiz(conn: &mut AnyConnection, quiz_id: &str) -> Result<Vec<AttemptRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM quiz_attempts WHERE quiz_id = $1 AND state = 'in_progress'"
    )))
    .bind(quiz_id)
    .fetch_all(conn)
    .await
}

pub async fn set_deadline(conn: &mut AnyConnection, id: &str, deadline: Option<i64>) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE quiz_attempts SET deadline_at = $2 WHERE id = $1 AND state = 'in_progress'")
        .bind(id)
        .bind(deadline)
        .execute(conn)
        .await
        .map(|_| ())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AnswerRow {
    pub slot: i64,
    /// JSON `lyceum_assessment::Response`.
    pub response: String,
    /// JSON `lyceum_assessment::Outcome`.
    pub outcome: Option<String>,
    pub checked: i64,
    /// Set when a person graded it (a regrade keeps a person's grade).
    pub graded_by: Option<String>,
}

impl AnswerRow {
    /// The saved response (written by this module from a valid one).
    pub fn response(&self) -> Option<lyceum_assessment::Response> {
        serde_json::from_str(&self.response).ok()
    }

    /// The outcome, once graded or checked.
    pub fn outcome(&self) -> Option<lyceum_assessment::Outcome> {
        self.outcome.as_deref().and_then(|o| serde_json::from_str(o).ok())
    }
}

/// The answer to `slot` among an attempt's answers.
pub fn answer_of(answers: &[AnswerRow], slot: usize) -> Option<&AnswerRow> {
    answers.iter().find(|a| a.slot == slot as i64)
}

pub async fn answers(conn: &mut AnyConnection, attempt_id: &str) -> Result<Vec<AnswerRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT slot, response, outcome, checked, graded_by FROM quiz_answers \
         WHERE attempt_id = $1 ORDER BY slot",
    )
    .bind(attempt_id)
    .fetch_all(conn)
    .await
}

/// The answers of every graded attempt of a quiz, with their attempt's id
/// (item analysis: one query, not one per attempt).
pub async fn answers_of_graded(
    conn: &mut AnyConnection,
    quiz_id: &str,
) -> Result<Vec<(String, AnswerRow)>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Joined {
        attempt_id: String,
        #[sqlx(flatten)]
        answer: AnswerRow,
    }
    let rows: Vec<Joined> = sqlx::query_as(
        "SELECT a.attempt_id, a.slot, a.response, a.outcome, a.checked, a.graded_by FROM quiz_answers a \
         JOIN quiz_attempts t ON t.id = a.attempt_id WHERE t.quiz_id = $1 AND t.state = 'graded'",
    )
    .bind(quiz_id)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|j| (j.attempt_id, j.answer)).collect())
}

/// Saves a response; a checked (immediate-feedback) answer is never replaced.
/// `outcome` is set when the answer is checked as it is saved.
pub async fn save_answer(
    conn: &mut AnyConnection,
    attempt_id: &str,
    slot: i64,
    response: &str,
    checked_outcome: Option<&str>,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let checked = i64::from(checked_outcome.is_some());
    let done = sqlx::query(
        "INSERT INTO quiz_answers (attempt_id, slot, response, outcome, checked, saved_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (attempt_id, slot) DO UPDATE \
         SET response = $3, outcome = $4, checked = $5, saved_at = $6 WHERE quiz_answers.checked = 0",
    )
    .bind(attempt_id)
    .bind(slot)
    .bind(response)
    .bind(checked_outcome)
    .bind(checked)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Writes the automatic outcomes of a submit in one statement: `(slot,
/// response, outcome)` per answered slot (a person's grade is never among
/// them at submit).
pub async fn set_outcomes(
    conn: &mut AnyConnection,
    attempt_id: &str,
    outcomes: &[(i64, &str, String)],
    now: i64,
) -> Result<(), sqlx::Error> {
    if outcomes.is_empty() {
        return Ok(());
    }
    let mut args = db::Args::default();
    let (attempt, at) = (args.text(attempt_id), args.int(now));
    let rows: Vec<String> = outcomes
        .iter()
        .map(|(slot, response, outcome)| {
            let (slot, response, outcome) = (args.int(*slot), args.text(*response), args.text(outcome.as_str()));
            format!("({attempt}, {slot}, {response}, {outcome}, {at}, {at})")
        })
        .collect();
    args.query(format!(
        "INSERT INTO quiz_answers (attempt_id, slot, response, outcome, graded_at, saved_at) VALUES {} \
         ON CONFLICT (attempt_id, slot) DO UPDATE SET outcome = excluded.outcome, graded_at = excluded.graded_at",
        rows.join(", ")
    ))
    .execute(conn)
    .await
    .map(|_| ())
}

/// Writes a slot's outcome (automatic at submit, or a person's with `graded_by`);
/// inserts the row for a slot left unanswered.
pub async fn set_outcome(
    conn: &mut AnyConnection,
    attempt_id: &str,
    slot: i64,
    response: &str,
    outcome: &str,
    graded_by: Option<&str>,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO quiz_answers (attempt_id, slot, response, outcome, graded_by, graded_at, saved_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $6) ON CONFLICT (attempt_id, slot) DO UPDATE \
         SET outcome = $4, graded_by = $5, graded_at = $6",
    )
    .bind(attempt_id)
    .bind(slot)
    .bind(response)
    .bind(outcome)
    .bind(graded_by)
    .bind(now)
    .execute(conn)
    .await
    .map(|_| ())
}

/// Submitted (or graded) attempts of a quiz after `cursor` by id, for a regrade's batches.
pub async fn finished_after(
    conn: &mut AnyConnection,
    quiz_id: &str,
    cursor: Option<&str>,
    limit: i64,
) -> Result<Vec<AttemptRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM quiz_attempts WHERE quiz_id = $1 AND state <> 'in_progress' \
         AND ($2 IS NULL OR id > $2) ORDER BY id LIMIT $3"
    )))
    .bind(quiz_id)
    .bind(cursor)
    .bind(limit)
    .fetch_all(conn)
    .await
}

pub async fn count_finished(conn: &mut AnyConnection, quiz_id: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM quiz_attempts WHERE quiz_id = $1 AND state <> 'in_progress'")
        .bind(quiz_id)
        .fetch_one(conn)
        .await
}

/// Re-pins an attempt's questions (a regrade moved a slot to a fixed version).
pub async fn set_questions(conn: &mut AnyConnection, id: &str, questions: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE quiz_attempts SET questions = $2 WHERE id = $1")
        .bind(id)
        .bind(questions)
        .execute(conn)
        .await
        .map(|_| ())
}
