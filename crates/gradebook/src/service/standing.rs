//! Learners' course totals as the rules count them (visible items, the
//! course's aggregation), for the certificate condition other modules ask
//! about, and the `gradebook.course_grade_changed` event a grade write
//! publishes when it moves a learner's total.

use std::collections::HashMap;

use lyceum_platform::{
    AppError, AppState, events,
    ids::{CourseId, UserId},
};
use sqlx::AnyConnection;

use crate::{
    events::CourseGradeChanged,
    model::{Entry, Item, total_percent},
    repo,
    settings::Settings,
};

/// Where a learner stands against the course's certificate condition.
#[derive(Debug, Clone, PartialEq)]
pub enum Standing {
    /// The certificate needs completion only.
    NotRequired,
    /// A passing grade is needed, and the learner has one.
    Passing,
    /// A passing grade is needed and the learner's total (if any) is below it.
    Short { pass_percent: f64, percent: Option<f64> },
}

impl Standing {
    pub fn allows_certificate(&self) -> bool {
        !matches!(self, Self::Short { .. })
    }
}

/// The course totals of these learners (none: nothing graded counts yet),
/// in four queries whatever their number.
pub(crate) async fn totals(
    conn: &mut AnyConnection,
    course_id: &str,
    user_ids: &[String],
) -> Result<HashMap<String, Option<f64>>, sqlx::Error> {
    let settings = repo::settings::of_course(conn, course_id).await?;
    let items: Vec<Item> = repo::items(conn, course_id).await?.into_iter().filter(|i| !i.is_hidden()).collect();
    let categories = repo::categories(conn, course_id).await?;
    let entries = repo::entries_of(conn, course_id, user_ids).await?;
    let mut by_cell: HashMap<(&str, &str), &Entry> = HashMap::new();
    for e in &entries {
        by_cell.insert((e.item_id.as_str(), e.user_id.as_str()), e);
    }
    Ok(user_ids
        .iter()
        .map(|user| {
            let values =
                items.iter().map(|i| (i, by_cell.get(&(i.id.as_str(), user.as_str())).and_then(|e| e.effective())));
            (user.clone(), total_percent(values, &categories, settings.aggregation))
        })
        .collect())
}

/// Whether `user_id`'s course grade allows their certificate of `course_id`.
/// Learning asks it (in its own transaction) before issuing a certificate.
pub async fn certificate_standing(
    conn: &mut AnyConnection,
    course_id: &CourseId,
    user_id: &UserId,
) -> Result<Standing, AppError> {
    let settings = repo::settings::of_course(conn, course_id.as_str()).await?;
    if !settings.needs_a_pass() {
        return Ok(Standing::NotRequired);
    }
    let ids = [user_id.as_str().to_string()];
    let percent = totals(conn, course_id.as_str(), &ids).await?.remove(user_id.as_str()).flatten();
    Ok(if settings.passes(percent) {
        Standing::Passing
    } else {
        Standing::Short { pass_percent: settings.pass_percent, percent }
    })
}

/// Learners' totals and the course's settings read before a write, to
/// tell after it whose standing moved.
pub(crate) struct Before {
    totals: HashMap<String, Option<f64>>,
    settings: Settings,
}

/// The standing of these learners before a grade write.
pub(crate) async fn before(
    conn: &mut AnyConnection,
    course_id: &str,
    user_ids: &[String],
) -> Result<Before, sqlx::Error> {
    Ok(Before {
        totals: totals(conn, course_id, user_ids).await?,
        settings: repo::settings::of_course(conn, course_id).await?,
    })
}

/// The standing of every learner with a grade in the course, before a
/// change that can move them all (the settings; an item's visibility,
/// category or maximum; a category's weight).
pub(crate) async fn before_all(conn: &mut AnyConnection, course_id: &str) -> Result<Before, sqlx::Error> {
    let users = repo::graded_users(conn, course_id).await?;
    before(conn, course_id, &users).await
}

/// Publishes `gradebook.course_grade_changed` for each learner whose
/// standing moved since `before` (read in the same transaction): their
/// total, whether it passes, or whether the certificate needs a pass.
pub(crate) async fn publish_changes(
    state: &AppState,
    conn: &mut AnyConnection,
    course_id: &str,
    before: &Before,
) -> Result<(), AppError> {
    let users: Vec<String> = before.totals.keys().cloned().collect();
    let after = totals(conn, course_id, &users).await?;
    let settings = repo::settings::of_course(conn, course_id).await?;
    let standing = |s: &Settings, percent: Option<f64>| (percent, s.passes(percent), s.needs_a_pass());
    for (user, percent) in after {
        let was = before.totals.get(&user).copied().flatten();
        if standing(&before.settings, was) == standing(&settings, percent) {
            continue;
        }
        let event = CourseGradeChanged {
            course_id: course_id.to_string(),
            user_id: user,
            percent,
            passes: settings.passes(percent),
            certificate_needs_pass: settings.needs_a_pass(),
        };
        events::publish(state, conn, &event).await?;
    }
    Ok(())
}
