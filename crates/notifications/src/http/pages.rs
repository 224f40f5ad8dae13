//! `/notifications` (list, mark read), `/settings/notifications` (preferences),
//! `/notifications/unsubscribe` (one-click unsubscribe), `/admin/notifications`
//! (send a test notification).

use std::collections::BTreeMap;

use askama::Template;
use axum::{
    extract::{Path, State},
    response::Response,
};
use lyceum_platform::ids::{NotificationId, UserId};
use lyceum_platform::{
    AppError, AppResult, AppState,
    auth::{AdminUser, CurrentUser},
    http::extract::{ApiQuery, PageForm},
    web::{FlashKind, FormErrors, Page, Refused, Reply, encode_query, redirect_with_flash},
};
use serde::Deserialize;

use crate::{
    model::{Channel, Notification},
    service::{
        SendError, admin,
        inbox::{self, ListQuery},
        preferences::{self, Preference},
        unsubscribe::{self, Target},
    },
};

/// The one-click unsubscribe address (RFC 8058), the one path this module
/// exempts from CSRF (`module()`): mail clients POST to it with no cookie and
/// no token. Its credential is the unguessable token in its query string,
/// scoped to one user and one kind of e-mail; a forged cross-site POST would
/// need that token, and the most it could do is stop those e-mails (the
/// notices stay listed in the app).
pub const UNSUBSCRIBE_PATH: &str = "/notifications/unsubscribe";

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ListFilter {
    unread: String,
    cursor: String,
}

#[derive(Template)]
#[template(path = "notifications/list.html")]
struct ListPage {
    page: Page,
    items: Vec<Notification>,
    unread_only: bool,
    any_unread: bool,
    /// This list's address without the cursor.
    back: String,
    later: bool,
    next_url: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    page: Page,
    ApiQuery(f): ApiQuery<ListFilter>,
) -> AppResult<Response> {
    let unread_only = f.unread == "1";
    let page_request =
        lyceum_platform::keyset::PageRequest::sized(lyceum_platform::keyset::DEFAULT_LIMIT, Some(&f.cursor));
    let query = ListQuery { unread_only, page: page_request };
    let found = inbox::list(&state, &v.id(), query).await?;
    let back = if unread_only { "/notifications?unread=1" } else { "/notifications?unread=0" }.to_string();
    let any_unread = inbox::unread_count(&state, &v.id()).await? > 0;
    let tpl = ListPage {
        page,
        items: found.items,
        unread_only,
        any_unread,
        next_url: found.next_cursor.map(|c| format!("{back}&cursor={}", encode_query(&c))),
        later: !f.cursor.is_empty(),
        back,
    };
    Reply::OK.render(&tpl)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct BackForm {
    back: String,
}

impl BackForm {
    /// Only back to a notifications list (never an arbitrary address).
    fn target(&self) -> &str {
        let ok = self.back.starts_with("/notifications?") && !self.back.contains("//");
        if ok { &self.back } else { "/notifications" }
    }
}

pub async fn mark_read(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    Path(id): Path<NotificationId>,
    PageForm(form): PageForm<BackForm>,
) -> AppResult<Response> {
    inbox::mark_read(&state, &v.id(), &id).await?;
    Ok(redirect_with_flash(form.target(), FlashKind::Success, "notifications.flash.marked_read"))
}

pub async fn mark_all_read(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    PageForm(form): PageForm<BackForm>,
) -> AppResult<Response> {
    inbox::mark_all_read(&state, &v.id()).await?;
    Ok(redirect_with_flash(form.target(), FlashKind::Success, "notifications.flash.all_read"))
}

#[derive(Template)]
#[template(path = "notifications/preferences.html")]
struct PreferencesPage {
    page: Page,
    preferences: Vec<Preference>,
    /// The submitted choices when the form is shown again with errors.
    chosen: BTreeMap<String, String>,
    errors: FormErrors,
}

impl PreferencesPage {
    fn selected(&self, p: &Preference, c: &Channel) -> bool {
        match self.chosen.get(p.kind.id) {
            Some(raw) => raw == c.as_str(),
            None => p.channel == *c,
        }
    }
}

pub async fn preferences(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    page: Page,
) -> AppResult<Response> {
    let preferences = preferences::list(&state, &v.id()).await?;
    Reply::OK.render(&PreferencesPage { page, preferences, chosen: BTreeMap::new(), errors: FormErrors::none() })
}

/// The form posts one `kind.<kind id>` select per kind (and the `csrf` field).
pub async fn save_preferences(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    page: Page,
    PageForm(form): PageForm<BTreeMap<String, String>>,
) -> AppResult<Response> {
    let chosen: BTreeMap<String, String> =
        form.into_iter().filter_map(|(k, c)| Some((k.strip_prefix("kind.")?.to_string(), c))).collect();
    match preferences::update(&state, &v.id(), &chosen, "kind.").await {
        Ok(_) => Ok(redirect_with_flash("/settings/notifications", FlashKind::Success, "notifications.flash.saved")),
        Err(e) => {
            let Refused { errors, reply, .. } = Refused::from_error(e, page.locale)?;
            let preferences = preferences::list(&state, &v.id()).await?;
            reply.render(&PreferencesPage { page, preferences, chosen, errors })
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct TokenQuery {
    token: String,
}

#[derive(Template)]
#[template(path = "notifications/unsubscribe.html")]
struct UnsubscribePage {
    page: Page,
    token: String,
    target: Target,
    /// False: the confirmation (GET); true: done (POST).
    done: bool,
}

/// Shows what the link would change and a button; changes nothing, because
/// mail scanners open links.
pub async fn unsubscribe_confirm(
    State(state): State<AppState>,
    page: Page,
    ApiQuery(q): ApiQuery<TokenQuery>,
) -> AppResult<Response> {
    let target = unsubscribe::target(&state, &q.token).await?;
    Reply::OK.render(&UnsubscribePage { page, token: q.token, target, done: false })
}

/// The one-click POST of RFC 8058 (body `List-Unsubscribe=One-Click`, which
/// needs no reading) and the confirmation page's button: the token in the
/// query string is the only credential.
pub async fn unsubscribe(
    State(state): State<AppState>,
    page: Page,
    ApiQuery(q): ApiQuery<TokenQuery>,
) -> AppResult<Response> {
    let target = unsubscribe::apply(&state, &q.token).await?;
    Reply::OK.render(&UnsubscribePage { page, token: String::new(), target, done: true })
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct TestForm {
    /// An e-mail address or a user id.
    user: String,
    message: String,
}

#[derive(Template)]
#[template(path = "notifications/admin_test.html")]
struct AdminTestPage {
    page: Page,
    form: TestForm,
    errors: FormErrors,
}

pub async fn admin_form(AdminUser(_admin): AdminUser, page: Page) -> AppResult<Response> {
    Reply::OK.render(&AdminTestPage { page, form: TestForm::default(), errors: FormErrors::none() })
}

pub async fn admin_send(
    State(state): State<AppState>,
    AdminUser(_admin): AdminUser,
    page: Page,
    PageForm(form): PageForm<TestForm>,
) -> AppResult<Response> {
    let sent = match user_id_for(&state, &form.user).await {
        Ok(id) => admin::send_test(&state, &UserId::from(id), Some(&form.message)).await,
        Err(e) => Err(SendError::Other(e)),
    };
    match sent {
        Ok(()) => {
            Ok(redirect_with_flash("/admin/notifications", FlashKind::Success, "notifications.flash.test_queued"))
        }
        Err(e) => {
            // On this form an unknown user is a field to correct, not a missing page.
            let e = match e {
                SendError::UnknownUser => AppError::field("user", lyceum_platform::Text::new(NO_SUCH_USER)),
                SendError::Other(e) => e,
            };
            let Refused { mut errors, reply, .. } = Refused::from_error(e, page.locale)?;
            // The service names `user_id`; this form's field is `user`.
            for f in errors.fields.iter_mut().filter(|f| f.field == "user_id") {
                f.field = "user".into();
            }
            reply.render(&AdminTestPage { page, form, errors })
        }
    }
}

const NO_SUCH_USER: &str = "notifications.errors.no_such_user";

/// An e-mail address is looked up through accounts' admin search; anything else is taken as an id.
async fn user_id_for(state: &AppState, user: &str) -> AppResult<String> {
    let user = user.trim();
    if !user.contains('@') {
        return Ok(user.to_string());
    }
    let query = lyceum_accounts::service::admin::ListQuery {
        query: Some(user.to_string()),
        role: None,
        disabled: None,
        page: lyceum_platform::keyset::PageRequest::sized(lyceum_platform::keyset::MAX_LIMIT, None),
    };
    let found = lyceum_accounts::service::admin::list(state, query).await?;
    found
        .items
        .into_iter()
        .find(|u| u.email.eq_ignore_ascii_case(user))
        .map(|u| u.id)
        .ok_or_else(|| AppError::field("user", lyceum_platform::Text::new(NO_SUCH_USER)))
}
