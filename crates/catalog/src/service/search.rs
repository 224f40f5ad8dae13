//! Search and browse: a page of published courses for a catalog query.

use lyceum_courses::{model::cover_url, service::read::Engine};
use lyceum_platform::{AppError, AppState, db, keyset};

use super::{CACHE_TTL, CATALOG_CACHE, categories};
use crate::{
    model::{self, CatalogPage, CatalogParams, CategoryCount, CategoryRef, CourseCard, Price, Search},
    repo::{self, list::CardRow},
};

/// The page of courses `params` asks for (422 naming every bad parameter).
pub async fn search(state: &AppState, params: &CatalogParams) -> Result<CatalogPage, AppError> {
    search_in(state, params, &categories(state).await?).await
}

/// [`search`] with the category list the caller already has.
pub async fn search_in(
    state: &AppState,
    params: &CatalogParams,
    categories: &[CategoryCount],
) -> Result<CatalogPage, AppError> {
    let known: Vec<String> = categories.iter().map(|c| c.slug.clone()).collect();
    let search = model::parse(params, &known)?;
    let key = format!("list:{}", serde_json::to_string(&search).map_err(AppError::internal)?);
    state.cache.get_or_load_json(CATALOG_CACHE, &key, CACHE_TTL, load(state, &search)).await
}

async fn load(state: &AppState, search: &Search) -> Result<CatalogPage, AppError> {
    let mut conn = state.db.pool().acquire().await?;
    let mut rows = repo::list::page(&mut conn, Engine::of(&state.db), search, search.limit + 1).await?;
    let sort = search.sort();
    let next_cursor = (rows.len() as i64 > search.limit).then(|| {
        rows.truncate(search.limit as usize);
        let last = rows.last().expect("a full page");
        keyset::encode_sorted(sort.as_str(), &last.sort_key(sort), &last.id)
    });
    let total = repo::list::count(&mut conn, Engine::of(&state.db), search).await?;
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let tags = repo::list::tags_of(&mut conn, &ids).await?;
    let items = rows
        .into_iter()
        .map(|row| {
            let mine = tags.iter().filter(|(id, _)| *id == row.id).map(|(_, t)| t.clone()).collect();
            card(row, mine)
        })
        .collect();
    Ok(CatalogPage { items, total, next_cursor })
}

fn card(row: CardRow, tags: Vec<String>) -> CourseCard {
    CourseCard {
        cover_url: cover_url(&row.id, row.cover_key.as_deref()),
        category: row.category_slug.zip(row.category_name).map(|(slug, name)| CategoryRef { slug, name }),
        price: Price::of(row.price_minor, row.currency),
        published_at: row.published_at.map(db::rfc3339).unwrap_or_default(),
        id: row.id,
        slug: row.slug,
        title: row.title,
        summary: row.summary,
        level: row.level,
        language: row.language,
        tags,
        enrolled_count: row.enrolled_count,
    }
}
