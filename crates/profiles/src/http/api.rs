use axum::{
    Json,
    extract::{Multipart, Path, State, multipart::MultipartRejection},
};
use lyceum_platform::ids::UserId;
use lyceum_platform::{
    AppResult, AppState,
    auth::{CurrentUser, MaybeUser, Role},
    db::rfc3339,
    http::{errors::Problem, extract::ApiJson},
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{
    model::Profile,
    service::{self, ProfileChange},
};

#[derive(Serialize, ToSchema)]
pub struct ProfileDto {
    pub user_id: String,
    pub display_name: String,
    pub role: Role,
    /// Markdown source.
    pub bio: String,
    /// Sanitised HTML rendering of `bio`.
    pub bio_html: String,
    pub avatar_url: Option<String>,
    pub member_since: String,
}

/// Your own profile, with the settings only you see.
#[derive(Serialize, ToSchema)]
pub struct MyProfileDto {
    #[serde(flatten)]
    pub profile: ProfileDto,
    pub email: String,
    pub locale: String,
    pub time_zone: String,
}

impl From<&Profile> for ProfileDto {
    fn from(p: &Profile) -> Self {
        Self {
            user_id: p.user_id.clone(),
            display_name: p.display_name.clone(),
            role: p.role,
            bio: p.bio.clone(),
            bio_html: p.bio_html(),
            avatar_url: p.avatar_url(),
            member_since: rfc3339(p.member_since),
        }
    }
}

impl From<Profile> for MyProfileDto {
    fn from(p: Profile) -> Self {
        Self { profile: (&p).into(), email: p.email, locale: p.locale, time_zone: p.time_zone }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct ProfilePatch {
    pub display_name: Option<String>,
    /// Markdown, up to 2000 characters.
    pub bio: Option<String>,
    pub locale: Option<String>,
    /// IANA time zone, e.g. `America/New_York`.
    pub time_zone: Option<String>,
}

/// Your profile.
#[utoipa::path(get, path = "/api/v1/users/me/profile", security(("bearer" = []), ("session" = [])), tag = "profiles",
    responses((status = 200, body = MyProfileDto), (status = 401, body = Problem)))]
pub async fn get_my_profile(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
) -> AppResult<Json<MyProfileDto>> {
    Ok(Json(service::get(&state, &v.id()).await?.into()))
}

/// Edit your profile; omitted fields stay as they are.
#[utoipa::path(patch, path = "/api/v1/users/me/profile", security(("bearer" = []), ("session" = [])), tag = "profiles", request_body = ProfilePatch,
    responses((status = 200, body = MyProfileDto), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub async fn update_my_profile(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    ApiJson(body): ApiJson<ProfilePatch>,
) -> AppResult<Json<MyProfileDto>> {
    let change = ProfileChange {
        display_name: body.display_name,
        bio: body.bio,
        locale: body.locale,
        time_zone: body.time_zone,
    };
    Ok(Json(service::update(&state, &v.id(), change).await?.into()))
}

/// The multipart body of an avatar upload, for the document (the handler
/// reads the multipart stream itself, so nothing reads this field).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct AvatarUpload {
    /// PNG, JPEG, GIF or WebP.
    #[schema(value_type = String, format = Binary)]
    pub avatar: Vec<u8>,
}

/// Upload an avatar (multipart field `avatar`: PNG, JPEG, GIF or WebP, at most
/// `uploads.avatar_max_bytes`); it is cropped to a 256×256 PNG.
#[utoipa::path(put, path = "/api/v1/users/me/avatar", security(("bearer" = []), ("session" = [])), tag = "profiles",
    request_body(content = AvatarUpload, content_type = "multipart/form-data", description = "field `avatar`: the image file"),
    responses((status = 200, body = MyProfileDto), (status = 401, body = Problem), (status = 413, body = Problem),
        (status = 415, body = Problem), (status = 422, body = Problem)))]
pub async fn upload_avatar(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
    multipart: Result<Multipart, MultipartRejection>,
) -> AppResult<Json<MyProfileDto>> {
    let data = super::avatar::read_upload(multipart).await?;
    Ok(Json(service::set_avatar(&state, &v.id(), data).await?.into()))
}

/// Remove your avatar.
#[utoipa::path(delete, path = "/api/v1/users/me/avatar", security(("bearer" = []), ("session" = [])), tag = "profiles",
    responses((status = 200, body = MyProfileDto), (status = 401, body = Problem)))]
pub async fn delete_avatar(
    State(state): State<AppState>,
    CurrentUser(v): CurrentUser,
) -> AppResult<Json<MyProfileDto>> {
    Ok(Json(service::remove_avatar(&state, &v.id()).await?.into()))
}

/// A user's profile: instructors' and admins' are public; a learner's is seen
/// only by that learner and admins (404 to anyone else). Credentials are
/// optional: they only matter for a learner's own profile or an admin.
#[utoipa::path(get, path = "/api/v1/users/{id}/profile", tag = "profiles", params(("id" = String, Path)),
    responses((status = 200, body = ProfileDto), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn get_public_profile(
    State(state): State<AppState>,
    MaybeUser(viewer): MaybeUser,
    Path(id): Path<UserId>,
) -> AppResult<Json<ProfileDto>> {
    Ok(Json((&service::get_visible(&state, viewer.as_ref(), &id).await?).into()))
}
