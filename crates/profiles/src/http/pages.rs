//! `/settings/profile` (edit your profile and avatar) and `/u/{id}` (the profile
//! page, public for instructors and admins).

use std::sync::LazyLock;

use askama::Template;
use axum::{
    extract::{Multipart, Path, State, multipart::MultipartRejection},
    response::{IntoResponse, Response},
};
use lyceum_platform::ids::UserId;
use lyceum_platform::{
    AppResult, AppState,
    auth::CurrentUser,
    http::extract::PageForm,
    web::{
        FlashKind, FormErrors, Page, Refused, Reply, i18n,
        panel::{self, Slot},
        redirect_with_flash, render,
    },
};
use serde::Deserialize;

use crate::{
    model::Profile,
    service::{self, ProfileChange},
};

/// Every IANA time zone name, for the select.
static TIME_ZONES: LazyLock<Vec<String>> = LazyLock::new(|| {
    let mut names: Vec<String> = jiff::tz::db().available().map(|n| n.to_string()).collect();
    names.sort();
    names
});

#[derive(Template)]
#[template(path = "profiles/edit.html")]
struct Edit<'a> {
    page: Page,
    profile: &'a Profile,
    form: ProfileForm,
    errors: FormErrors,
    avatar_errors: FormErrors,
    time_zones: &'a [String],
    locales: Vec<&'static str>,
    avatar_max_bytes: usize,
}

#[derive(Template)]
#[template(path = "profiles/public.html")]
struct Public<'a> {
    page: Page,
    profile: &'a Profile,
    /// What other modules show about this person (the courses they teach).
    panels: Vec<String>,
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct ProfileForm {
    display_name: String,
    bio: String,
    time_zone: String,
    locale: String,
}

impl ProfileForm {
    fn from_profile(p: &Profile) -> Self {
        Self {
            display_name: p.display_name.clone(),
            bio: p.bio.clone(),
            time_zone: p.time_zone.clone(),
            locale: p.locale.clone(),
        }
    }
}

fn edit_page(
    state: &AppState,
    page: Page,
    profile: &Profile,
    form: ProfileForm,
    errors: FormErrors,
    avatar_errors: FormErrors,
    reply: Reply,
) -> AppResult<Response> {
    let tpl = Edit {
        page,
        profile,
        form,
        errors,
        avatar_errors,
        time_zones: &TIME_ZONES,
        locales: i18n::available(),
        avatar_max_bytes: state.settings.section::<crate::settings::AvatarUploads>().avatar_max_bytes,
    };
    reply.render(&tpl)
}

pub async fn edit(State(state): State<AppState>, CurrentUser(v): CurrentUser, page: Page) -> AppResult<Response> {
    let profile = service::get(&state, &v.id()).await?;
    let form = ProfileForm::from_profile(&profile);
    edit_page(&state, page, &profile, form, FormErrors::none(), FormErrors::none(), Reply::OK)
}

pub async fn save(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    page: Page,
    PageForm(form): PageForm<ProfileForm>,
) -> AppResult<Response> {
    let change = ProfileChange {
        display_name: Some(form.display_name.clone()),
        bio: Some(form.bio.clone()),
        locale: Some(form.locale.clone()),
        time_zone: Some(form.time_zone.clone()),
    };
    match service::update(&state, &v.id(), change).await {
        Ok(_) => Ok(redirect_with_flash("/settings/profile", FlashKind::Success, "profiles.flash.saved")),
        Err(e) => {
            let Refused { errors, reply, .. } = Refused::from_error(e, page.locale)?;
            let profile = service::get(&state, &v.id()).await?;
            edit_page(&state, page, &profile, form, errors, FormErrors::none(), reply)
        }
    }
}

/// Multipart form; its CSRF token is its first field (see `web::csrf`).
pub async fn upload_avatar(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    page: Page,
    multipart: Result<Multipart, MultipartRejection>,
) -> AppResult<Response> {
    let result = match super::avatar::read_upload(multipart).await {
        Ok(data) => service::set_avatar(&state, &v.id(), data).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(redirect_with_flash("/settings/profile", FlashKind::Success, "profiles.flash.avatar_saved")),
        Err(e) => {
            let Refused { errors: mut avatar_errors, reply, .. } = Refused::from_error(e, page.locale)?;
            if let Some(general) = avatar_errors.general.take() {
                avatar_errors.fields.push(lyceum_platform::FieldError::new("avatar", general));
            }
            let profile = service::get(&state, &v.id()).await?;
            let form = ProfileForm::from_profile(&profile);
            edit_page(&state, page, &profile, form, FormErrors::none(), avatar_errors, reply)
        }
    }
}

pub async fn remove_avatar(State(state): State<AppState>, CurrentUser(v): CurrentUser) -> AppResult<Response> {
    service::remove_avatar(&state, &v.id()).await?;
    Ok(redirect_with_flash("/settings/profile", FlashKind::Success, "profiles.flash.avatar_removed"))
}

pub async fn public(State(state): State<AppState>, page: Page, Path(id): Path<UserId>) -> AppResult<Response> {
    let profile = service::get_visible(&state, page.viewer.as_ref(), &id).await?;
    let panels = panel::render(&state, &page, Slot::Profile, id.as_str()).await?;
    Ok(render(&Public { page, profile: &profile, panels })?.into_response())
}
