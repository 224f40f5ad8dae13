//! A course's forums: the general and announcements forums and one per
//! module, made on first use (so every course, old or new, has them, and a
//! new module's forum exists as soon as anyone looks), and a forum's threads.

use std::{collections::HashMap, sync::Arc};

use lyceum_courses::{
    model::Course,
    service::{content::CourseContent, read},
};
use lyceum_platform::{
    AppState,
    auth::Viewer,
    db,
    ids::CourseId,
    keyset::{PageRequest, Paged},
};
use sqlx::AnyConnection;

use super::{ForumView, Role, content_of, forum_for, role_given, titled};
use crate::{
    ForumError,
    model::{Forum, ForumId, ForumKind, Thread},
    repo::{self, threads::ListedThread},
};

/// A forum in the course's list, with its activity and the viewer's unread threads.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ForumSummary {
    #[serde(flatten)]
    pub view: ForumView,
    pub thread_count: i64,
    pub last_post_at: Option<i64>,
    pub unread_threads: i64,
}

/// The course's forums for the viewer: general, announcements, then the modules' in outline order.
pub struct CourseForums {
    pub course: Course,
    pub role: Role,
    pub forums: Vec<ForumSummary>,
}

/// Makes the course's missing forums (general, announcements, one per module
/// of its outline). The writes take SQLite's write turn
/// ([`lyceum_platform::db::Db::autocommit`]). Takes its own connections
/// (call it holding none): the read's goes back before the writes take one.
pub(crate) async fn ensure(state: &AppState, content: &CourseContent) -> Result<Vec<Forum>, ForumError> {
    let course_id = content.course.id.as_str();
    let modules = &content.modules;
    let existing = {
        let mut conn = state.db.pool().acquire().await?;
        repo::forums::of_course(&mut conn, course_id).await?
    };
    let has = |kind: ForumKind, module: Option<&str>| {
        existing.iter().any(|f| f.kind() == kind && f.module_id.as_deref() == module)
    };
    let mut missing = Vec::new();
    for kind in [ForumKind::General, ForumKind::Announcements] {
        if !has(kind, None) {
            missing.push((kind, None));
        }
    }
    for m in modules {
        if !has(ForumKind::Module, Some(&m.id)) {
            missing.push((ForumKind::Module, Some(m.id.clone())));
        }
    }
    if missing.is_empty() {
        return Ok(order(existing, modules));
    }
    {
        let mut writer = state.db.autocommit().await?;
        for (kind, module_id) in &missing {
            repo::forums::create_missing(&mut writer, course_id, *kind, module_id.as_deref()).await?;
        }
    }
    let mut conn = state.db.pool().acquire().await?;
    let all = repo::forums::of_course(&mut conn, course_id).await?;
    Ok(order(all, modules))
}

/// General, announcements, then module forums in the outline's order.
fn order(mut forums: Vec<Forum>, modules: &[lyceum_courses::model::Module]) -> Vec<Forum> {
    let rank = |f: &Forum| match f.kind() {
        ForumKind::General => -2,
        ForumKind::Announcements => -1,
        ForumKind::Module => {
            modules.iter().position(|m| Some(&m.id) == f.module_id.as_ref()).map(|p| p as i64).unwrap_or(i64::MAX)
        }
    };
    forums.sort_by_key(rank);
    forums
}

/// A course named by its id (the API) or its slug (the pages).
#[derive(Debug, Clone, Copy)]
pub enum CourseRef<'a> {
    Id(&'a CourseId),
    Slug(&'a str),
}

impl CourseRef<'_> {
    /// The course's content (cached; a slug costs one read to find its id)
    /// and the viewer's role in it; 404 for a course that is not theirs.
    pub(crate) async fn member(
        self,
        state: &AppState,
        conn: &mut AnyConnection,
        viewer: &Viewer,
    ) -> Result<(Arc<CourseContent>, Role), ForumError> {
        let course_id = match self {
            CourseRef::Id(id) => id.clone(),
            CourseRef::Slug(slug) => {
                let course = read::course_by_slug(conn, slug).await?.ok_or(ForumError::NotFound)?;
                CourseId::from(&course.id)
            }
        };
        let content = content_of(state, conn, &course_id).await?;
        let role = role_given(state, conn, viewer, &content).await?;
        Ok((content, role))
    }
}

/// The course's forums with their activity, for a member of the course.
pub async fn of_course(state: &AppState, viewer: &Viewer, course: CourseRef<'_>) -> Result<CourseForums, ForumError> {
    let (content, role) = {
        let mut conn = state.db.pool().acquire().await?;
        course.member(state, &mut conn, viewer).await?
    };
    let forums = ensure(state, &content).await?;
    let course = content.course.clone();
    let mut conn = state.db.pool().acquire().await?;
    let titles: HashMap<&str, &str> = content.modules.iter().map(|m| (m.id.as_str(), m.title.as_str())).collect();
    let activity: HashMap<String, (i64, i64)> = repo::forums::activity(&mut conn, &course.id)
        .await?
        .into_iter()
        .map(|(id, count, last)| (id, (count, last)))
        .collect();
    let unread: HashMap<String, i64> =
        repo::forums::unread_threads(&mut conn, &course.id, &viewer.user_id).await?.into_iter().collect();
    let forums = forums
        .into_iter()
        .map(|forum| {
            let (thread_count, last) = activity.get(&forum.id).copied().unwrap_or((0, 0));
            let unread_threads = unread.get(&forum.id).copied().unwrap_or(0);
            let module_title = forum.module_id.as_deref().and_then(|m| titles.get(m)).map(|t| t.to_string());
            ForumSummary {
                view: ForumView { forum, module_title },
                thread_count,
                last_post_at: (last > 0).then_some(last),
                unread_threads,
            }
        })
        .collect();
    Ok(CourseForums { course, role, forums })
}

/// The forum of a module (made if missing), for the lesson page's link.
pub async fn of_module(
    state: &AppState,
    viewer: &Viewer,
    course_id: &CourseId,
    module_id: &lyceum_platform::ids::ModuleId,
) -> Result<ForumView, ForumError> {
    let content = {
        let mut conn = state.db.pool().acquire().await?;
        let content = content_of(state, &mut conn, course_id).await?;
        role_given(state, &mut conn, viewer, &content).await?;
        content
    };
    let forums = ensure(state, &content).await?;
    let forum =
        forums.into_iter().find(|f| f.module_id.as_deref() == Some(module_id.as_str())).ok_or(ForumError::NotFound)?;
    titled(&content, forum)
}

/// A forum, its course and the viewer's role.
pub struct ForumHead {
    pub course: Course,
    pub forum: ForumView,
    pub role: Role,
}

impl ForumHead {
    /// Whether the viewer may start a thread here.
    pub fn may_post(&self) -> bool {
        may_post(self.role, &self.forum)
    }
}

fn may_post(role: Role, forum: &ForumView) -> bool {
    role.is_staff() || forum.kind() != ForumKind::Announcements
}

/// The forum, for a member of its course (404 otherwise).
pub async fn head(state: &AppState, viewer: &Viewer, id: &ForumId) -> Result<ForumHead, ForumError> {
    let mut conn = state.db.pool().acquire().await?;
    let (course, forum, role) = forum_for(state, &mut conn, viewer, id).await?;
    Ok(ForumHead { course, forum, role })
}

/// A thread in a forum's list, with the viewer's unread posts.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ThreadSummary {
    #[serde(flatten)]
    pub thread: Thread,
    pub author_name: String,
    pub last_author_name: String,
    /// Posts the viewer has not read (all of them for a thread never opened).
    pub unread: i64,
    /// Started since the viewer's previous visit to the forum.
    pub new_since_visit: bool,
}

/// A forum's page: its pinned threads (first page only), then the others by latest activity.
pub struct ForumPage {
    pub course: Course,
    pub forum: ForumView,
    pub role: Role,
    pub pinned: Vec<ThreadSummary>,
    pub threads: Paged<ThreadSummary>,
    /// The viewer's previous visit (none on the first).
    pub previous_visit: Option<i64>,
    /// The viewer follows the forum (always the announcements).
    pub subscribed: bool,
}

impl ForumPage {
    /// Whether the viewer may start a thread here.
    pub fn may_post(&self) -> bool {
        may_post(self.role, &self.forum)
    }
}

/// A forum and a page of its threads; records the visit.
pub async fn page(
    state: &AppState,
    viewer: &Viewer,
    id: &ForumId,
    page: &PageRequest,
) -> Result<ForumPage, ForumError> {
    let mut conn = state.db.pool().acquire().await?;
    let (course, forum, role) = forum_for(state, &mut conn, viewer, id).await?;
    let user = viewer.user_id.as_str();
    let (pinned, rows, standing) = match page.before()? {
        None => {
            let listed = repo::threads::first_page(&mut conn, &forum.forum.id, user, page.fetch()).await?;
            let (mut pinned, mut rows): (Vec<_>, Vec<_>) = listed.rows.into_iter().partition(|r| r.thread.is_pinned());
            pinned.sort_by(|a, b| latest_first(&a.thread, &b.thread));
            rows.sort_by(|a, b| latest_first(&a.thread, &b.thread));
            (pinned, rows, listed.standing)
        }
        Some((at, id)) => {
            let listed = repo::threads::page(&mut conn, &forum.forum.id, user, (at, &id), page.fetch()).await?;
            (Vec::new(), listed.rows, listed.standing)
        }
    };
    // Read beside the list; alone only when the list is empty.
    let standing = match standing {
        Some(standing) => standing,
        None => repo::standing::forum(&mut conn, user, &forum.forum.id).await?,
    };
    let subscribed = super::subscriptions::forum_followed(&standing, &forum.forum);
    let visit = Visit::of(standing.visit);
    let names = super::threads::names(state, &mut conn, pinned.iter().chain(rows.iter()).map(|r| &r.thread)).await?;
    // The read connection goes back before the write takes one (on
    // PostgreSQL from the same pool: holding both could exhaust it).
    drop(conn);
    let previous_visit = visit.record(state, user, &forum.forum.id).await?;
    let summary = |r: ListedThread| summarise(r, &names, previous_visit);
    let pinned = pinned.into_iter().map(summary).collect();
    let threads = Paged::from_rows(rows, page, |r| (r.thread.last_post_at, r.thread.id.as_str())).map(summary);
    Ok(ForumPage { course, forum, role, pinned, threads, previous_visit, subscribed })
}

/// A visit this long after the last one starts a new visit.
const VISIT_GAP_MS: i64 = 30 * 60 * 1000;
/// Within a visit, its time is written at most this often: a forum page
/// viewed again and again writes nothing.
const VISIT_WRITE_EVERY_MS: i64 = 60 * 1000;

/// The viewer's visit to a forum, read before the page is served and
/// recorded after: the previous visit (threads started after it are "new
/// since your last visit"; none on the first) and whether to write now.
struct Visit {
    previous: Option<i64>,
    write: bool,
    now: i64,
}

impl Visit {
    /// From the member's visit as stored: `(previous_at, last_at)`.
    fn of(stored: Option<(i64, i64)>) -> Self {
        let now = db::now_ms();
        let (previous, last) = match stored {
            Some((_, last)) if now - last > VISIT_GAP_MS => (Some(last), Some(last)),
            Some((previous, last)) => (Some(previous), Some(last)),
            None => (None, None),
        };
        Self { previous, write: last.is_none_or(|last| now - last >= VISIT_WRITE_EVERY_MS), now }
    }

    async fn record(self, state: &AppState, user: &str, forum_id: &str) -> Result<Option<i64>, ForumError> {
        if self.write {
            let mut writer = state.db.autocommit().await?;
            repo::reads::record_visit(&mut writer, user, forum_id, self.previous.unwrap_or(self.now), self.now).await?;
        }
        Ok(self.previous)
    }
}

/// Latest activity first (the lists' order).
fn latest_first(a: &Thread, b: &Thread) -> std::cmp::Ordering {
    (b.last_post_at, &b.id).cmp(&(a.last_post_at, &a.id))
}

fn summarise(r: ListedThread, names: &HashMap<String, String>, previous_visit: Option<i64>) -> ThreadSummary {
    let name = |id: &str| names.get(id).cloned().unwrap_or_default();
    let t = r.thread;
    ThreadSummary {
        author_name: name(&t.author_id),
        last_author_name: t.last_author_id.as_deref().map(name).unwrap_or_default(),
        unread: (t.last_seq - r.read_seq).max(0),
        new_since_visit: previous_visit.is_some_and(|v| t.created_at > v),
        thread: t,
    }
}
