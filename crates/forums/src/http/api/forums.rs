//! `/api/v1/forums/courses/{course_id}` (a course's forums and their search)
//! and `/api/v1/forums/{forum_id}/threads` (a forum's threads).

use axum::{
    Json,
    extract::{Path, State},
};
use lyceum_platform::{
    AppResult, AppState,
    auth::CurrentUser,
    http::{errors::Problem, extract::ApiQuery},
    ids::CourseId,
    keyset::PageParams,
};

use super::dto::*;
use crate::{
    model::ForumId,
    service::{
        forums::{self, CourseRef},
        search,
    },
};

/// The course's forums (general, announcements, one per module) with their
/// activity and your unread threads. Members only: others get 404.
#[utoipa::path(get, path = "/api/v1/forums/courses/{course_id}", security(("bearer" = []), ("session" = [])), tag = "forums",
    params(("course_id" = String, Path)),
    responses((status = 200, body = CourseForumsDto), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn list_course_forums(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(course_id): Path<String>,
) -> AppResult<Json<CourseForumsDto>> {
    let listed = forums::of_course(&state, &v, CourseRef::Id(&CourseId::from(course_id))).await?;
    Ok(Json(CourseForumsDto {
        course_id: listed.course.id.clone(),
        role: role_name(listed.role),
        items: listed.forums.iter().map(Into::into).collect(),
    }))
}

/// Search the course's forums: posts holding every word (each as a
/// prefix) in their text or their thread's title, best first, the matching
/// words marked. 422 when `q` is longer than 200 characters.
#[utoipa::path(get, path = "/api/v1/forums/courses/{course_id}/search", security(("bearer" = []), ("session" = [])), tag = "forums",
    params(("course_id" = String, Path), SearchParams),
    responses((status = 200, body = SearchResultsDto), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn search_course_forums(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(course_id): Path<String>,
    ApiQuery(p): ApiQuery<SearchParams>,
) -> AppResult<Json<SearchResultsDto>> {
    let course = CourseId::from(course_id);
    let found = search::search(&state, &v, CourseRef::Id(&course), &p.q, p.page.unwrap_or(1)).await?;
    Ok(Json(SearchResultsDto {
        items: found.hits.iter().map(Into::into).collect(),
        page: found.page,
        more: found.more,
    }))
}

/// A forum's threads: the pinned ones (first page), then the others by
/// latest activity, each with your unread posts.
#[utoipa::path(get, path = "/api/v1/forums/{forum_id}/threads", security(("bearer" = []), ("session" = [])), tag = "forums",
    params(("forum_id" = String, Path), PageParams),
    responses((status = 200, body = ThreadListDto), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn list_threads(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(forum_id): Path<String>,
    ApiQuery(p): ApiQuery<PageParams>,
) -> AppResult<Json<ThreadListDto>> {
    let page = forums::page(&state, &v, &ForumId::from(forum_id), &p.request()?).await?;
    Ok(Json(ThreadListDto {
        forum: (&page.forum).into(),
        pinned: page.pinned.iter().map(Into::into).collect(),
        items: page.threads.items.iter().map(Into::into).collect(),
        next_cursor: page.threads.next_cursor,
        subscribed: page.subscribed,
    }))
}
