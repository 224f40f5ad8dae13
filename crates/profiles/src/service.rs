//! Profile rules, shared by the pages and the API.

use lyceum_accounts::{
    model::User,
    service::identity::{self, IdentityChange},
};
use lyceum_platform::ids::UserId;
use lyceum_platform::{
    AppError, AppState,
    auth::{Role, Viewer},
};

use crate::{
    avatar,
    model::{Profile, parse_bio},
    repo,
};

pub async fn get(state: &AppState, user_id: &UserId) -> Result<Profile, AppError> {
    profile_of(state, identity::get(state, user_id).await?).await
}

async fn profile_of(state: &AppState, user: User) -> Result<Profile, AppError> {
    let row = repo::get(state.db.pool(), &user.id).await?;
    let (bio, avatar_key) = row.map(|r| (r.bio, r.avatar_key)).unwrap_or_default();
    Ok(Profile {
        role: user.role(),
        user_id: user.id,
        display_name: user.display_name,
        email: user.email,
        locale: user.locale,
        time_zone: user.time_zone,
        bio,
        avatar_key,
        member_since: user.created_at,
    })
}

/// Who may see a user's profile and avatar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// Instructors' and admins' profiles, of enabled accounts: public.
    Everyone,
    /// Learners' (and disabled accounts'): the user themselves and admins only.
    OwnerAndAdmins,
}

/// The one visibility rule for profiles and avatars: public profiles to anyone,
/// private ones only to their owner and admins; "not found" to everyone else,
/// so a private profile's existence is not revealed.
pub async fn audience(state: &AppState, viewer: Option<&Viewer>, user_id: &UserId) -> Result<Audience, AppError> {
    audience_of(&identity::get(state, user_id).await?, viewer)
}

fn audience_of(user: &User, viewer: Option<&Viewer>) -> Result<Audience, AppError> {
    if !user.is_disabled() && user.role() != Role::Learner {
        return Ok(Audience::Everyone);
    }
    match viewer {
        Some(v) if v.user_id == user.id || v.is_admin() => Ok(Audience::OwnerAndAdmins),
        _ => Err(AppError::not_found()),
    }
}

/// A profile as `viewer` may see it (see [`audience`]).
pub async fn get_visible(state: &AppState, viewer: Option<&Viewer>, user_id: &UserId) -> Result<Profile, AppError> {
    let user = identity::get(state, user_id).await?;
    audience_of(&user, viewer)?;
    profile_of(state, user).await
}

#[derive(Debug, Default)]
pub struct ProfileChange {
    pub display_name: Option<String>,
    pub bio: Option<String>,
    pub locale: Option<String>,
    pub time_zone: Option<String>,
}

/// Updates the fields given; reports every invalid field at once and changes
/// nothing unless all are valid.
pub async fn update(state: &AppState, user_id: &UserId, change: ProfileChange) -> Result<Profile, AppError> {
    let identity_change =
        IdentityChange { display_name: change.display_name, locale: change.locale, time_zone: change.time_zone };
    let identity = identity::validate(state, user_id, &identity_change).await;
    let bio = change.bio.as_deref().map(parse_bio).transpose();
    match (identity, bio) {
        (Ok(valid), Ok(bio)) => {
            identity::apply(state, user_id, valid).await?;
            if let Some(bio) = bio {
                repo::set_bio(&mut *state.db.autocommit().await?, user_id.as_str(), &bio).await?;
            }
            get(state, user_id).await
        }
        (identity, bio) => {
            let mut fields = match identity {
                Err(e) if e.fields.is_empty() => return Err(e),
                Err(e) => e.fields,
                Ok(_) => Vec::new(),
            };
            fields.extend(bio.err());
            Err(AppError::validation(fields))
        }
    }
}

/// Replaces the avatar with a normalised copy of `data`.
pub async fn set_avatar(state: &AppState, user_id: &UserId, data: bytes::Bytes) -> Result<Profile, AppError> {
    let png =
        avatar::normalise(data, state.settings.section::<crate::settings::AvatarUploads>().avatar_max_bytes).await?;
    let key = format!("avatars/{user_id}/{}.png", uuid::Uuid::now_v7().simple());
    state.storage.put(&key, png.into()).await?;
    // Bound first: the write turn is given back before the old file is removed.
    let previous = repo::set_avatar(&mut *state.db.autocommit().await?, user_id.as_str(), Some(&key)).await?;
    if let Some(old) = previous {
        remove_file(state, &old).await;
    }
    get(state, user_id).await
}

pub async fn remove_avatar(state: &AppState, user_id: &UserId) -> Result<Profile, AppError> {
    let previous = repo::set_avatar(&mut *state.db.autocommit().await?, user_id.as_str(), None).await?;
    if let Some(old) = previous {
        remove_file(state, &old).await;
    }
    get(state, user_id).await
}

/// The storage key of a user's avatar (always a PNG) and who may see it, if
/// `viewer` may (the profile's [`audience`]) and there is one.
pub async fn visible_avatar(
    state: &AppState,
    viewer: Option<&Viewer>,
    user_id: &UserId,
) -> Result<(String, Audience), AppError> {
    let audience = audience(state, viewer, user_id).await?;
    let key = repo::get(state.db.pool(), user_id.as_str())
        .await?
        .and_then(|r| r.avatar_key)
        .ok_or_else(AppError::not_found)?;
    Ok((key, audience))
}

/// A leftover file is harmless; its removal failing must not fail the request.
async fn remove_file(state: &AppState, key: &str) {
    if let Err(e) = state.storage.delete(key).await {
        tracing::warn!(key, error = %e, "old avatar not removed");
    }
}
