//! Request and response bodies of the accounts API.

use lyceum_platform::{auth::Role, db::rfc3339};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::model::{ApiToken, User};

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct RegisterBody {
    #[schema(example = "ada@example.org", required = true, min_length = 1)]
    pub email: String,
    #[schema(example = "correct horse battery")]
    #[schema(required = true, min_length = 8, max_length = 128)]
    pub password: String,
    #[schema(example = "Ada Lovelace")]
    #[schema(required = true, min_length = 1, max_length = 80)]
    pub display_name: String,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct LoginBody {
    #[schema(required = true, min_length = 1)]
    pub email: String,
    #[schema(required = true, min_length = 1)]
    pub password: String,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct EmailBody {
    #[schema(required = true, min_length = 1)]
    pub email: String,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct TokenBody {
    /// The token from the e-mailed link.
    #[schema(required = true, min_length = 1)]
    pub token: String,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct ResetConfirmBody {
    #[schema(required = true, min_length = 1)]
    pub token: String,
    #[schema(required = true, min_length = 8, max_length = 128)]
    pub password: String,
}

#[derive(Serialize, ToSchema)]
pub struct Accepted {
    pub status: &'static str,
    pub message: &'static str,
}

#[derive(Serialize, ToSchema)]
pub struct UserDto {
    pub id: String,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub locale: String,
    pub time_zone: String,
    pub email_verified: bool,
    pub disabled: bool,
    /// RFC 3339
    pub created_at: String,
}

impl From<User> for UserDto {
    fn from(u: User) -> Self {
        Self {
            role: u.role(),
            email_verified: u.is_verified(),
            disabled: u.is_disabled(),
            created_at: rfc3339(u.created_at),
            id: u.id,
            email: u.email,
            display_name: u.display_name,
            locale: u.locale,
            time_zone: u.time_zone,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct LoginResponse {
    pub user: UserDto,
    /// Send this as `X-CSRF-Token` on state-changing API calls made with the session cookie.
    pub csrf_token: String,
}

#[derive(Deserialize, ToSchema, Default)]
pub struct UpdateMeBody {
    pub display_name: Option<String>,
    /// A language code such as `en`.
    pub locale: Option<String>,
    /// An IANA time zone such as `Europe/Paris`.
    pub time_zone: Option<String>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct ChangeEmailBody {
    /// The new address; a link sent there confirms it.
    #[schema(required = true, format = "email", max_length = 254)]
    pub email: String,
    #[schema(required = true, min_length = 1)]
    pub current_password: String,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct ChangePasswordBody {
    #[schema(required = true, min_length = 1)]
    pub current_password: String,
    #[schema(required = true, min_length = 8, max_length = 128)]
    pub new_password: String,
    /// Also revoke every API token of the account (default `true`). Other
    /// sessions are signed out either way.
    #[schema(default = true)]
    pub revoke_tokens: Option<bool>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct CreateTokenBody {
    #[schema(example = "grading script")]
    #[schema(required = true, min_length = 1)]
    pub name: String,
    /// Days until the token stops working (1–3650); omit for no expiry.
    pub expires_in_days: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct TokenDto {
    pub id: String,
    pub name: String,
    pub prefix: String,
    pub created_at: String,
    pub last_used_at: Option<String>,
    pub expires_at: Option<String>,
}

impl From<ApiToken> for TokenDto {
    fn from(t: ApiToken) -> Self {
        Self {
            created_at: rfc3339(t.created_at),
            last_used_at: t.last_used_at.map(rfc3339),
            expires_at: t.expires_at.map(rfc3339),
            id: t.id,
            name: t.name,
            prefix: t.prefix,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct CreatedTokenDto {
    /// The secret, shown only now: use it as `Authorization: Bearer <token>`.
    pub token: String,
    #[serde(flatten)]
    pub info: TokenDto,
}

#[derive(Serialize, ToSchema)]
pub struct TokenList {
    pub items: Vec<TokenDto>,
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserListParams {
    /// Part of an e-mail address or display name.
    pub q: Option<String>,
    pub role: Option<Role>,
    /// `true` for disabled accounts only, `false` for enabled ones only.
    pub disabled: Option<bool>,
    pub cursor: Option<String>,
    /// Page size, 1–100 (default 25); outside that range is a 422.
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct UserList {
    pub items: Vec<UserDto>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

#[derive(Deserialize, ToSchema)]
pub struct AdminUserPatch {
    pub role: Option<Role>,
    pub disabled: Option<bool>,
}
