//! The certificate's grade condition: a course whose gradebook asks for
//! "completion and a passing grade" issues the certificate only once the
//! learner's course total reaches the pass mark. The gradebook answers
//! (`lyceum_gradebook::service::standing`); learning asks at completion, says
//! why a completed course has no certificate yet, and issues it when the
//! gradebook reports a passing total (`gradebook.course_grade_changed`).

use lyceum_courses::service::read;
use lyceum_gradebook::service::standing::{Standing, certificate_standing};
use lyceum_platform::{
    AppError, AppState, Text,
    db::{self, ConnSource},
    ids::{CourseId, UserId},
};
use sqlx::AnyConnection;

use super::{
    certificates::{self, Learner},
    progress::{CourseDetail, forget_rows},
};
use crate::repo;

/// Why a completed course has no certificate yet: the course total it needs.
#[derive(Debug, Clone, PartialEq)]
pub struct GradeShortfall {
    pub pass_percent: f64,
    /// The learner's total; none before any grade counts.
    pub percent: Option<f64>,
}

impl GradeShortfall {
    /// "A certificate needs a course grade of at least 60 %; yours is 52 %."
    pub fn text(&self) -> Text {
        match self.percent {
            Some(p) => Text::new("learning.progress.needs_grade").arg("pass", self.pass_percent).arg("yours", p),
            None => Text::new("learning.progress.needs_grade_none").arg("pass", self.pass_percent),
        }
    }
}

/// None when the learner may have the certificate; else what they lack.
pub(crate) async fn shortfall(
    conn: &mut AnyConnection,
    course_id: &CourseId,
    user_id: &UserId,
) -> Result<Option<GradeShortfall>, AppError> {
    Ok(match certificate_standing(conn, course_id, user_id).await? {
        Standing::Short { pass_percent, percent } => Some(GradeShortfall { pass_percent, percent }),
        Standing::NotRequired | Standing::Passing => None,
    })
}

/// Fills `detail.certificate_waits` for a completed course without its
/// certificate (one question to the gradebook, only in that state).
pub(crate) async fn explain(
    conn: &mut impl ConnSource,
    user_id: &UserId,
    detail: &mut CourseDetail,
) -> Result<(), AppError> {
    if detail.completed_at.is_some() && detail.certificate.is_none() {
        let course_id = CourseId::from(&detail.course_id);
        detail.certificate_waits = shortfall(conn.conn().await?, &course_id, user_id).await?;
    }
    Ok(())
}

/// Issues the certificate of a learner who completed the course earlier and
/// whose grade now passes. Idempotent: the certificate is inserted once (and
/// `course.completed` published with that insert only); nothing happens when
/// the course is not completed, the learner not enrolled, or the grade short.
pub async fn issue_on_pass(state: &AppState, user_id: &UserId, course_id: &CourseId) -> Result<bool, AppError> {
    let (course, name) = {
        let mut conn = state.db.pool().acquire().await?;
        let Some(course) = read::course(&mut conn, course_id).await? else { return Ok(false) };
        drop(conn);
        let Some(user) = lyceum_accounts::service::identity::find(state, user_id).await? else { return Ok(false) };
        (course, user.display_name)
    };
    let mut tx = state.db.begin().await?;
    let completed = repo::progress::lock_completed_at(&mut tx, user_id.as_str(), &course.id).await?;
    if completed.is_none()
        || !lyceum_enrollment::is_active(&mut tx, course_id, user_id).await?
        || shortfall(&mut tx, course_id, user_id).await?.is_some()
    {
        return Ok(false);
    }
    let learner = Learner { user_id: user_id.as_str(), name: &name };
    let (_, issued) = certificates::issue(state, &mut tx, &learner, &course, db::now_ms()).await?;
    tx.commit().await?;
    // The learner's cached rows predate the certificate.
    forget_rows(state, user_id.as_str(), &course.id).await;
    Ok(issued)
}
