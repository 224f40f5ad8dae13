//! `/api/v1/auth`, `/api/v1/users/me`, `/api/v1/tokens`, `/api/v1/admin/users`.

mod admin;
mod auth;
pub mod dto;
mod me;
mod sessions;
mod tokens;

use lyceum_platform::AppState;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(auth::register))
        .routes(routes!(auth::login))
        .routes(routes!(auth::logout))
        .routes(routes!(auth::verify))
        .routes(routes!(auth::resend_verification))
        .routes(routes!(auth::request_reset))
        .routes(routes!(auth::confirm_reset))
        .routes(routes!(me::get_me, me::update_me))
        .routes(routes!(me::change_password))
        .routes(routes!(me::change_email))
        .routes(routes!(auth::confirm_email))
        .routes(routes!(sessions::list, sessions::revoke_others))
        .routes(routes!(sessions::revoke))
        .routes(routes!(tokens::list, tokens::create))
        .routes(routes!(tokens::revoke))
        .routes(routes!(admin::list_users))
        .routes(routes!(admin::get_user, admin::update_user))
}
