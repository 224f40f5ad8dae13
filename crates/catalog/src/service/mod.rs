//! Catalog reads, shared by the pages and the API. Every read goes through
//! the cache (namespace [`CATALOG_CACHE`], which every course change bumps
//! after it commits), so a cached hit runs no SQL.

pub mod course;
pub mod search;

use std::time::Duration;

use lyceum_accounts::service::directory;
use lyceum_platform::{AppError, AppState, ids::UserId};

pub use lyceum_courses::service::CATALOG_CACHE;

use crate::{
    model::{CategoryCount, Facets},
    repo,
};

/// How long a cached read lives when nothing changes. Course edits invalidate
/// at once; enrollment counts are not edits, so they may lag by this much.
pub const CACHE_TTL: Duration = Duration::from_secs(30);

/// Every category with its number of published courses.
pub async fn categories(state: &AppState) -> Result<Vec<CategoryCount>, AppError> {
    state
        .cache
        .get_or_load_json(CATALOG_CACHE, "categories", CACHE_TTL, async {
            let mut conn = state.db.pool().acquire().await?;
            Ok::<_, AppError>(repo::categories(&mut conn).await?)
        })
        .await
}

/// One category by slug (404 when there is none).
pub async fn category(state: &AppState, slug: &str) -> Result<CategoryCount, AppError> {
    categories(state).await?.into_iter().find(|c| c.slug == slug).ok_or_else(AppError::not_found)
}

/// The display name of the person with this id, when there is one. Only for
/// people whose courses are listed: their names are on those courses' pages.
pub async fn instructor_name(state: &AppState, user_id: &str) -> Result<Option<String>, AppError> {
    let mut conn = state.db.pool().acquire().await?;
    let id = UserId::from(user_id);
    let mut people = directory::people(&mut conn, std::slice::from_ref(&id)).await?;
    Ok(people.remove(id.as_str()).map(|p| p.display_name))
}

/// The languages and currencies the filter menus offer.
pub async fn facets(state: &AppState) -> Result<Facets, AppError> {
    state
        .cache
        .get_or_load_json(CATALOG_CACHE, "facets", CACHE_TTL, async {
            let mut conn = state.db.pool().acquire().await?;
            Ok::<_, AppError>(repo::facets(&mut conn).await?)
        })
        .await
}
