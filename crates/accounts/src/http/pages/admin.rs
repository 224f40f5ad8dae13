//! Administration → Users: search, filter, page through, change roles,
//! disable and enable accounts.

use askama::Template;
use axum::{
    extract::{Path, State},
    response::Response,
};
use lyceum_platform::ids::UserId;
use lyceum_platform::{
    AppError, AppResult, AppState,
    auth::Role,
    http::extract::{ApiQuery, PageForm},
    web::{FlashKind, Page, Reply, encode_query, redirect_with_flash},
};
use serde::Deserialize;

use super::forms::is_local_path;
use crate::{
    AccountError,
    model::User,
    service::admin::{self, ListQuery},
};
use lyceum_platform::web::guard::AdminPage;

const PAGE_SIZE: i64 = 25;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Filters {
    q: String,
    role: String,
    status: String,
    cursor: String,
    limit: Option<i64>,
}

impl Filters {
    fn role(&self) -> Option<Role> {
        self.role.parse().ok()
    }

    fn disabled(&self) -> Option<bool> {
        match self.status.as_str() {
            "enabled" => Some(false),
            "disabled" => Some(true),
            _ => None,
        }
    }

    /// This list's address without the cursor: where row actions come back to.
    fn list_url(&self) -> String {
        let mut url = format!("/admin/users?q={}", encode_query(self.q.trim()));
        if let Some(role) = self.role() {
            url.push_str(&format!("&role={role}"));
        }
        if let Some(disabled) = self.disabled() {
            url.push_str(if disabled { "&status=disabled" } else { "&status=enabled" });
        }
        if let Some(limit) = self.limit {
            url.push_str(&format!("&limit={limit}"));
        }
        url
    }
}

#[derive(Template)]
#[template(path = "accounts/admin_users.html")]
struct UsersPage {
    page: Page,
    viewer_id: String,
    users: Vec<User>,
    q: String,
    role: String,
    status: String,
    roles: [Role; 3],
    back: String,
    /// Past the first page (offer a way back to it).
    later: bool,
    next_url: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    AdminPage { page, viewer }: AdminPage,
    ApiQuery(f): ApiQuery<Filters>,
) -> AppResult<Response> {
    let query = ListQuery {
        query: Some(f.q.clone()),
        role: f.role(),
        disabled: f.disabled(),
        page: lyceum_platform::keyset::PageRequest::new(Some(f.limit.unwrap_or(PAGE_SIZE)), Some(&f.cursor))?,
    };
    let found = admin::list(&state, query).await?;
    let back = f.list_url();
    let tpl = UsersPage {
        page,
        viewer_id: viewer.user_id,
        users: found.items,
        role: f.role().map(|r| r.as_str().to_string()).unwrap_or_default(),
        status: f.disabled().map(|d| if d { "disabled" } else { "enabled" }).unwrap_or("all").to_string(),
        q: f.q,
        roles: Role::ALL,
        next_url: found.next_cursor.map(|c| format!("{back}&cursor={}", encode_query(&c))),
        later: !f.cursor.is_empty(),
        back,
    };
    Reply::OK.render(&tpl)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RoleForm {
    role: String,
    back: String,
}

pub async fn set_role(
    State(state): State<AppState>,
    AdminPage { viewer, .. }: AdminPage,
    Path(id): Path<UserId>,
    PageForm(form): PageForm<RoleForm>,
) -> AppResult<Response> {
    let role: Role = form.role.parse().map_err(AppError::bad_request)?;
    let done = admin::set_role(&state, Some(&viewer.id()), &id, role).await;
    finish(done, &form.back, "accounts.flash.role_changed")
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct StatusForm {
    disabled: bool,
    back: String,
}

pub async fn set_status(
    State(state): State<AppState>,
    AdminPage { viewer, .. }: AdminPage,
    Path(id): Path<UserId>,
    PageForm(form): PageForm<StatusForm>,
) -> AppResult<Response> {
    let done = admin::set_disabled(&state, Some(&viewer.id()), &id, form.disabled).await;
    let key = if form.disabled { "accounts.flash.user_disabled" } else { "accounts.flash.user_enabled" };
    finish(done, &form.back, key)
}

/// Back to the list the action came from, with a flash; acting on your own
/// account is an error flash, anything else the error page.
fn finish(done: Result<User, AccountError>, back: &str, success_key: &str) -> AppResult<Response> {
    let back = if back.starts_with("/admin/users") && is_local_path(back) { back } else { "/admin/users" };
    match done {
        Ok(_) => Ok(redirect_with_flash(back, FlashKind::Success, success_key)),
        Err(AccountError::OwnAccount(_)) => {
            Ok(redirect_with_flash(back, FlashKind::Error, "accounts.flash.not_yourself"))
        }
        Err(e) => Err(e.into()),
    }
}
