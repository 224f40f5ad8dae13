//! Flags: any member of a course reports a post to its moderators, with a
//! reason (once per member and post: a repeat is 409 `already-flagged`),
//! which publishes `forum.post_flagged` in the same transaction. Staff see
//! the open flags of their course, administrators those of every course;
//! a flag is resolved by hiding its post (which resolves every open flag on
//! it) or by dismissing it (that flag only).

use std::collections::HashMap;

use lyceum_accounts::service::directory;
use lyceum_courses::{
    model::Course,
    service::{instructors, read},
};
use lyceum_platform::{
    AppState,
    auth::Viewer,
    db, events,
    ids::{CourseId, UserId},
    keyset::{PageRequest, Paged},
};
use sqlx::AnyConnection;

use super::{Role, forums::CourseRef, moderation, post_for, role_in};
use crate::{
    ForumError,
    events::PostFlagged,
    model::PostId,
    repo::{
        self,
        flags::{Action, LoggedAction, QueuedFlag},
    },
};

lyceum_platform::typed_ids! {
    /// A member's flag of a post.
    FlagId;
}

/// Flags the post for the course's moderators. Your own post, a deleted or
/// hidden one cannot be flagged (422, 409 `post-gone`).
pub async fn flag(state: &AppState, viewer: &Viewer, id: &PostId, reason_text: &str) -> Result<QueuedFlag, ForumError> {
    let post = {
        let mut conn = state.db.pool().acquire().await?;
        post_for(state, &mut conn, viewer, id).await?.1
    };
    if post.is_gone() {
        return Err(ForumError::PostGone);
    }
    if post.author_id == viewer.user_id {
        return Err(ForumError::invalid("post", "forums.moderation.errors.own_post"));
    }
    let reason = moderation::reason(reason_text)?;
    let flag_id = db::new_id();
    let mut tx = state.db.begin().await?;
    let at = db::now_ms();
    if !repo::flags::insert(&mut tx, &flag_id, &post.id, &post.course_id, &viewer.user_id, &reason, at).await? {
        return Err(ForumError::AlreadyFlagged);
    }
    let event = PostFlagged {
        flag_id: flag_id.clone(),
        post_id: post.id.clone(),
        thread_id: post.thread_id.clone(),
        course_id: post.course_id.clone(),
        user_id: viewer.user_id.clone(),
        reason,
    };
    events::publish(state, &mut tx, &event).await?;
    let flag = repo::flags::by_id(&mut tx, &flag_id).await?.ok_or(ForumError::NotFound)?;
    tx.commit().await?;
    Ok(flag)
}

/// A flag in a queue: who flagged and who wrote the post, and its course.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FlagView {
    #[serde(flatten)]
    pub flag: QueuedFlag,
    pub flagged_by_name: String,
    pub post_author_name: String,
    pub course_title: String,
    pub course_slug: String,
}

/// A logged moderation action with the name of who took it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct LogView {
    #[serde(flatten)]
    pub action: LoggedAction,
    pub actor_name: String,
}

/// A course's moderation queue: its open flags, newest first, and its latest actions.
pub struct CourseQueue {
    pub course: Course,
    pub flags: Paged<FlagView>,
    pub log: Vec<LogView>,
}

/// Staff of the course: its open flags (403 for learners, 404 for others).
pub async fn course_queue(
    state: &AppState,
    viewer: &Viewer,
    course: CourseRef<'_>,
    page: &PageRequest,
) -> Result<CourseQueue, ForumError> {
    let mut conn = state.db.pool().acquire().await?;
    let (content, role) = course.member(state, &mut conn, viewer).await?;
    if !role.is_staff() {
        return Err(ForumError::StaffOnly);
    }
    let course = content.course.clone();
    let flags = open(&mut conn, Some(&course.id), page).await?;
    let logged = repo::flags::recent_log(&mut conn, &course.id, 20).await?;
    let ids: Vec<UserId> = logged.iter().map(|a| UserId::from(a.actor_id.as_str())).collect();
    let names = names(&mut conn, &ids).await?;
    let log = logged
        .into_iter()
        .map(|action| LogView { actor_name: names.get(&action.actor_id).cloned().unwrap_or_default(), action })
        .collect();
    Ok(CourseQueue { course, flags, log })
}

/// Administrators: the open flags of every course (403 `admin-only` for others).
pub async fn admin_queue(state: &AppState, viewer: &Viewer, page: &PageRequest) -> Result<Paged<FlagView>, ForumError> {
    if !viewer.is_admin() {
        return Err(ForumError::AdminOnly);
    }
    let mut conn = state.db.pool().acquire().await?;
    open(&mut conn, None, page).await
}

async fn names(conn: &mut AnyConnection, ids: &[UserId]) -> Result<HashMap<String, String>, ForumError> {
    Ok(directory::people(conn, ids).await?.into_iter().map(|(id, p)| (id, p.display_name)).collect())
}

async fn open(
    conn: &mut AnyConnection,
    course_id: Option<&str>,
    page: &PageRequest,
) -> Result<Paged<FlagView>, ForumError> {
    let before = page.before()?;
    let before = before.as_ref().map(|(at, id)| (*at, id.as_str()));
    let rows = repo::flags::open(conn, course_id, before, page.fetch()).await?;
    let mut people = Vec::new();
    for f in &rows {
        people.push(UserId::from(f.user_id.as_str()));
        people.push(UserId::from(f.post_author_id.as_str()));
    }
    let names = names(conn, &people).await?;
    let mut course_ids: Vec<CourseId> = rows.iter().map(|f| CourseId::from(&f.course_id)).collect();
    course_ids.sort();
    course_ids.dedup();
    let courses = read::courses(conn, &course_ids).await?;
    let name = |id: &str| names.get(id).cloned().unwrap_or_default();
    Ok(Paged::from_rows(rows, page, |f| (f.created_at, f.id.as_str())).map(|flag| {
        let course = courses.get(&flag.course_id);
        FlagView {
            flagged_by_name: name(&flag.user_id),
            post_author_name: name(&flag.post_author_id),
            course_title: course.map(|c| c.title.clone()).unwrap_or_default(),
            course_slug: course.map(|c| c.slug.clone()).unwrap_or_default(),
            flag,
        }
    }))
}

/// How staff resolve a flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Resolution {
    /// Hide the post (every open flag on it is resolved).
    Hide,
    /// The post is fine: this flag is closed.
    Dismiss,
}

/// Resolves an open flag (409 `flag-resolved` when it was already). Hiding
/// shows its author `reason`, or the flag's own reason when none is given.
pub async fn resolve(
    state: &AppState,
    viewer: &Viewer,
    id: &FlagId,
    resolution: Resolution,
    reason: Option<&str>,
) -> Result<QueuedFlag, ForumError> {
    let flag = {
        let mut conn = state.db.pool().acquire().await?;
        let flag = repo::flags::by_id(&mut conn, id.as_str()).await?.ok_or(ForumError::NotFound)?;
        let role = role_in(state, &mut conn, viewer, &CourseId::from(&flag.course_id)).await?;
        if role != Role::Staff {
            return Err(ForumError::StaffOnly);
        }
        flag
    };
    if flag.resolved_at.is_some() {
        return Err(ForumError::FlagResolved);
    }
    let at = db::now_ms();
    let mut tx = state.db.begin().await?;
    match resolution {
        Resolution::Hide => {
            let reason = match reason.filter(|r| !r.trim().is_empty()) {
                Some(r) => moderation::reason(r)?,
                None => flag.reason.clone(),
            };
            let post = repo::posts::by_id(&mut tx, &flag.post_id).await?.ok_or(ForumError::NotFound)?;
            moderation::hide_in(&mut tx, &post, &viewer.user_id, &reason, at).await?;
        }
        Resolution::Dismiss => {
            if !repo::flags::dismiss(&mut tx, &flag.id, &viewer.user_id, at).await? {
                return Err(ForumError::FlagResolved);
            }
            let logged = Action {
                course_id: &flag.course_id,
                actor_id: &viewer.user_id,
                action: "dismiss",
                thread_id: Some(&flag.thread_id),
                post_id: Some(&flag.post_id),
                detail: &flag.reason,
                at,
            };
            repo::flags::log(&mut tx, &logged).await?;
        }
    }
    let flag = repo::flags::by_id(&mut tx, &flag.id).await?.ok_or(ForumError::NotFound)?;
    tx.commit().await?;
    Ok(flag)
}

/// Whom to tell that a post was flagged, and where to send them: the
/// course's instructors (not the member who flagged), to its moderation queue.
#[derive(Debug, Clone)]
pub struct FlagAlert {
    pub course_title: String,
    pub link: String,
    pub recipients: Vec<String>,
}

/// [`FlagAlert`] for a `forum.post_flagged` event; `None` when its course is gone.
pub async fn alert(state: &AppState, event: &PostFlagged) -> Result<Option<FlagAlert>, ForumError> {
    let mut conn = state.db.pool().acquire().await?;
    let course_id = CourseId::from(&event.course_id);
    let Some(course) = read::course(&mut conn, &course_id).await? else { return Ok(None) };
    let recipients = instructors::of(&mut conn, &course_id)
        .await?
        .into_iter()
        .map(|i| i.user_id)
        .filter(|id| *id != event.user_id)
        .collect();
    Ok(Some(FlagAlert {
        link: format!("/learn/{}/forums/moderation", course.slug),
        course_title: course.title,
        recipients,
    }))
}
