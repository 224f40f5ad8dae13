//! Certificates of completion: issued once per learner and course, verified
//! publicly by their code.

use lyceum_courses::{
    model::Course,
    service::{instructors as course_instructors, read},
};
use lyceum_platform::ids::CourseId;
use lyceum_platform::{
    AppError, AppState,
    auth::Viewer,
    db::Tx,
    events,
    keyset::{PageRequest, Paged},
};

use crate::{
    events::CourseCompleted,
    model::{self, Certificate},
    repo::{self, certificates::NewCertificate},
};

/// Who a certificate is for: the name is printed on it as it is at issue.
pub struct Learner<'a> {
    pub user_id: &'a str,
    pub name: &'a str,
}

/// Issues the learner's certificate for `course` in `tx` unless they have one;
/// a new one publishes `course.completed` in the same transaction. Returns the
/// certificate and whether it is new. Concurrent completions of one learner
/// are serialised by the course_progress row the caller wrote first; the
/// unique (user, course) index is the last guard.
pub async fn issue(
    state: &AppState,
    tx: &mut Tx,
    learner: &Learner<'_>,
    course: &Course,
    now: i64,
) -> Result<(Certificate, bool), AppError> {
    let id = lyceum_platform::db::new_id();
    let code = model::new_certificate_code();
    let new = NewCertificate {
        id: &id,
        code: &code,
        user_id: learner.user_id,
        course_id: &course.id,
        learner_name: learner.name,
        course_title: &course.title,
        issued_at: now,
    };
    let inserted = repo::certificates::insert_once(tx, &new).await?;
    let certificate = repo::certificates::of_user_course(tx, learner.user_id, &course.id)
        .await?
        .ok_or_else(|| AppError::internal("certificate missing after insert"))?;
    if inserted {
        let event = CourseCompleted {
            user_id: learner.user_id.to_string(),
            course_id: course.id.clone(),
            course_title: course.title.clone(),
            certificate_code: certificate.code.clone(),
        };
        events::publish(state, tx, &event).await?;
    }
    Ok((certificate, inserted))
}

/// A certificate as the public verification shows it.
pub struct Verified {
    pub certificate: Certificate,
    /// Instructors' names, owner first; empty when the course has been deleted.
    pub instructors: Vec<String>,
    /// The course page, while the course is published.
    pub course_slug: Option<String>,
}

/// Anyone may verify a certificate by its code; an unknown code is 404.
pub async fn verify(state: &AppState, code: &str) -> Result<Verified, AppError> {
    if !model::looks_like_code(code) {
        return Err(AppError::not_found());
    }
    let mut conn = state.db.pool().acquire().await?;
    let certificate = repo::certificates::by_code(&mut conn, code).await?.ok_or_else(AppError::not_found)?;
    let (mut instructors, mut course_slug) = (Vec::new(), None);
    if let Some(course_id) = certificate.course_id.as_ref().map(CourseId::from) {
        instructors =
            course_instructors::of(&mut conn, &course_id).await?.into_iter().map(|i| i.display_name).collect();
        let course = read::course(&mut conn, &course_id).await?;
        course_slug = course.filter(|c| c.state == "published").map(|c| c.slug);
    }
    Ok(Verified { certificate, instructors, course_slug })
}

/// The viewer's certificates, newest first.
pub async fn mine(state: &AppState, viewer: &Viewer, page: &PageRequest) -> Result<Paged<Certificate>, AppError> {
    let before = page.before()?;
    let mut conn = state.db.pool().acquire().await?;
    let before_ref = before.as_ref().map(|(at, id)| (*at, id.as_str()));
    let rows = repo::certificates::of_user(&mut conn, &viewer.user_id, before_ref, page.fetch()).await?;
    Ok(Paged::from_rows(rows, page, |c| (c.issued_at, c.id.as_str())))
}
