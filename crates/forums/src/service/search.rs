//! Search within a course's forums: every word of the query (each as a
//! prefix) in a post's text or its thread's title, best matches first,
//! with the matching words highlighted. Answers a learner may not read yet
//! (a question they have not answered) are left out.

use std::collections::HashMap;

use lyceum_courses::model::Course;
use lyceum_platform::{AppState, auth::Viewer};

use super::{Role, forums::CourseRef, text, threads};
use crate::{ForumError, model::Post, repo};

/// Results per page.
pub const PER_PAGE: i64 = 20;
/// Longest query, in characters.
pub const QUERY_MAX: usize = 200;

/// One matching post.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SearchHit {
    pub post_id: String,
    pub thread_id: String,
    pub seq: i64,
    pub thread_title: String,
    /// HTML: the escaped text around the match with `<mark>`ed words.
    pub snippet_html: String,
}

pub struct SearchResults {
    pub course: Course,
    pub role: Role,
    pub query: String,
    pub hits: Vec<SearchHit>,
    /// The page (from 1) and whether another follows.
    pub page: i64,
    pub more: bool,
}

/// The words of a query, lower-cased: runs of letters and digits (nothing
/// else reaches the engine's syntax).
fn terms(query: &str) -> Vec<String> {
    query.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).take(12).collect()
}

pub async fn search(
    state: &AppState,
    viewer: &Viewer,
    course: CourseRef<'_>,
    query: &str,
    page: i64,
) -> Result<SearchResults, ForumError> {
    if query.chars().count() > QUERY_MAX {
        return Err(ForumError::invalid("q", "forums.errors.query_too_long"));
    }
    let mut conn = state.db.pool().acquire().await?;
    let (content, role) = course.member(state, &mut conn, viewer).await?;
    let course = content.course.clone();
    let page = page.max(1);
    let words = terms(query);
    let mut results =
        SearchResults { course, role, query: query.trim().to_string(), hits: Vec::new(), page, more: false };
    if words.is_empty() {
        return Ok(results);
    }
    let offset = (page - 1).saturating_mul(PER_PAGE);
    let backend = state.db.backend();
    let found = repo::search::find(&mut conn, backend, &results.course.id, &words, offset, PER_PAGE + 1).await?;
    results.more = found.len() as i64 > PER_PAGE;
    let found: Vec<_> = found.into_iter().take(PER_PAGE as usize).collect();
    let ids: Vec<String> = found.iter().map(|h| h.post_id.clone()).collect();
    let posts: HashMap<String, Post> =
        repo::posts::by_ids(&mut conn, &ids).await?.into_iter().map(|p| (p.id.clone(), p)).collect();
    // Whether each thread hides its answers from the viewer, asked once per thread.
    let mut hides: HashMap<String, bool> = HashMap::new();
    for hit in found {
        let Some(post) = posts.get(&hit.post_id) else { continue };
        if !hides.contains_key(&hit.thread_id) {
            let Some(thread) = repo::threads::by_id(&mut conn, &hit.thread_id).await? else { continue };
            let hidden = threads::answers_hidden_from(&mut conn, &thread, role, viewer).await?;
            hides.insert(hit.thread_id.clone(), hidden);
        }
        let readable = threads::readable_in_any_case(post, viewer) || !hides[&hit.thread_id];
        if !readable {
            continue;
        }
        results.hits.push(SearchHit {
            post_id: hit.post_id,
            thread_id: hit.thread_id,
            seq: post.seq,
            snippet_html: text::snippet(&hit.body, &words),
            thread_title: hit.title,
        });
    }
    Ok(results)
}
