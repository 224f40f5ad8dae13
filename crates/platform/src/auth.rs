//! Who is calling. The accounts module resolves the session cookie or bearer
//! token into a [`Viewer`] and stores it in the request; every other module
//! reads it through the extractors here, so they never touch accounts' tables.

use axum::{extract::FromRequestParts, http::request::Parts};
use serde::{Deserialize, Serialize};

use crate::{error::AppError, ids::UserId};

/// The browser session cookie (set by accounts; named here so the OpenAPI
/// document and other modules can refer to it).
pub const SESSION_COOKIE: &str = "lyceum_session";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Admin,
    Instructor,
    Learner,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Admin, Role::Instructor, Role::Learner];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Instructor => "instructor",
            Role::Learner => "learner",
        }
    }
}

impl std::str::FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "admin" => Ok(Role::Admin),
            "instructor" => Ok(Role::Instructor),
            "learner" => Ok(Role::Learner),
            other => Err(format!("unknown role {other:?}: use admin, instructor or learner")),
        }
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How the caller proved who they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credential {
    /// Browser session; holds the hash of the session id (to sign out this one).
    Session { session_hash: String },
    /// Personal API token (bearer); holds the token id.
    Token { token_id: String },
}

/// The signed-in user making this request.
#[derive(Debug, Clone)]
pub struct Viewer {
    pub user_id: String,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub locale: String,
    pub time_zone: String,
    pub credential: Credential,
    /// The password was generated for this user and must be changed first.
    pub must_change_password: bool,
}

impl Viewer {
    /// The viewer's id, typed for the service functions that take one.
    pub fn id(&self) -> UserId {
        UserId::from(self.user_id.as_str())
    }

    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }
}

/// What the authentication middleware found, stored in request extensions.
#[derive(Debug, Clone)]
pub enum Caller {
    Anonymous,
    User(Box<Viewer>),
    /// A bearer token was presented but is unknown, expired or revoked:
    /// that is an error, never silently anonymous.
    InvalidToken,
}

fn caller(parts: &Parts) -> Caller {
    parts.extensions.get::<Caller>().cloned().unwrap_or(Caller::Anonymous)
}

/// Requires a signed-in user (401 otherwise).
pub struct CurrentUser(pub Viewer);

impl<S: Send + Sync> FromRequestParts<S> for CurrentUser {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        match caller(parts) {
            Caller::User(v) => Ok(CurrentUser(*v)),
            Caller::InvalidToken => Err(AppError::unauthorized("The API token is invalid, expired or revoked.")),
            Caller::Anonymous => Err(AppError::unauthorized("Sign in to continue.")),
        }
    }
}

/// The signed-in user if any; an invalid bearer token is still rejected.
pub struct MaybeUser(pub Option<Viewer>);

impl<S: Send + Sync> FromRequestParts<S> for MaybeUser {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        match caller(parts) {
            Caller::User(v) => Ok(MaybeUser(Some(*v))),
            Caller::InvalidToken => Err(AppError::unauthorized("The API token is invalid, expired or revoked.")),
            Caller::Anonymous => Ok(MaybeUser(None)),
        }
    }
}

/// Requires an admin (401 when signed out, 403 for other roles).
pub struct AdminUser(pub Viewer);

impl<S: Send + Sync> FromRequestParts<S> for AdminUser {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let CurrentUser(viewer) = CurrentUser::from_request_parts(parts, state).await?;
        if viewer.is_admin() {
            Ok(AdminUser(viewer))
        } else {
            Err(AppError::forbidden(crate::Text::new("errors.admin_only")))
        }
    }
}

/// The credential of an `Authorization: Bearer <token>` header. The scheme
/// name is case-insensitive (RFC 9110 §11.1), so `bearer …` works too.
pub fn bearer_token(value: &str) -> Option<&str> {
    let (scheme, token) = value.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}
