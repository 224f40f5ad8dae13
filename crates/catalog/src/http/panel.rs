//! The catalog's panel on a person's profile page (`/u/{id}`): the published
//! courses they teach, newest first, and a link to all of them in the catalog.

use askama::Template;
use lyceum_platform::{
    AppResult, AppState,
    module::BoxFuture,
    web::{
        Page, encode_query,
        panel::{Panel, Slot},
        render as render_template,
    },
};

use crate::{
    model::{CatalogParams, CourseCard},
    service::search,
};

/// How many courses the profile shows before "all courses".
const SHOWN: usize = 6;

pub const TEACHES: Panel = Panel { slot: Slot::Profile, name: "catalog.teaches", render };

#[derive(Template)]
#[template(path = "catalog/teaches.html")]
struct Teaches<'a> {
    page: &'a Page,
    items: Vec<CourseCard>,
    total: i64,
    all_url: String,
}

fn render<'a>(state: &'a AppState, page: &'a Page, user_id: &'a str) -> BoxFuture<'a, AppResult<Option<String>>> {
    Box::pin(async move {
        let params = CatalogParams {
            instructor: Some(user_id.to_string()),
            limit: Some(SHOWN.to_string()),
            ..Default::default()
        };
        let found = search::search(state, &params).await?;
        if found.items.is_empty() {
            return Ok(None);
        }
        let all_url = format!("/courses?instructor={}", encode_query(user_id));
        let view = Teaches { page, items: found.items, total: found.total, all_url };
        Ok(Some(render_template(&view)?.0))
    })
}
