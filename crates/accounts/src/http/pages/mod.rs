//! Account pages: sign-up, sign-in, verification, password reset, settings,
//! API tokens and user administration.

use axum::Router;
use lyceum_platform::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
}
