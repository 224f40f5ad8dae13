//! User administration (API, pages and the `lyceum admin` command).

use lyceum_platform::ids::UserId;
use lyceum_platform::keyset::{PageRequest, Paged};
use lyceum_platform::{AppError, AppState, auth::Role, secrets};

use super::passwords;
use crate::{
    AccountError,
    model::{DisplayName, Email, Password, User},
    password,
    repo::{sessions, tokens, users},
};

pub struct ListQuery {
    pub query: Option<String>,
    pub role: Option<Role>,
    pub disabled: Option<bool>,
    pub page: PageRequest,
}

/// Newest first; the cursor is the last row's `created_at:id`.
pub async fn list(state: &AppState, q: ListQuery) -> Result<Paged<User>, AppError> {
    let before = q.page.before()?;
    let query = q.query.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let filter = users::Filter {
        query,
        role: q.role,
        disabled: q.disabled,
        before: before.as_ref().map(|(at, id)| (*at, id.as_str())),
        limit: q.page.fetch(),
    };
    let rows = users::list(state.db.pool(), filter).await?;
    Ok(Paged::from_rows(rows, &q.page, |r| (r.created_at, r.id.as_str())))
}

pub async fn get(state: &AppState, id: &UserId) -> Result<User, AccountError> {
    let id = id.as_str();
    let mut conn = state.db.pool().acquire().await?;
    users::by_id(&mut conn, id).await?.ok_or(AccountError::NoSuchUser)
}

/// Changes a role. An admin cannot change their own role (no accidental lock-out).
pub async fn set_role(
    state: &AppState,
    actor_id: Option<&UserId>,
    id: &UserId,
    role: Role,
) -> Result<User, AccountError> {
    let actor_id = actor_id.map(UserId::as_str);
    let id = id.as_str();
    if actor_id == Some(id) {
        return Err(AccountError::OwnAccount("accounts.errors.own_role"));
    }
    if users::set_role(&mut *state.db.autocommit().await?, id, role).await? == 0 {
        return Err(AccountError::NoSuchUser);
    }
    super::session::forget_sessions(state).await;
    tracing::info!(actor = actor_id.unwrap_or("cli"), user_id = id, %role, "role changed");
    let mut conn = state.db.pool().acquire().await?;
    users::by_id(&mut conn, id).await?.ok_or(AccountError::NoSuchUser)
}

/// Disables or enables an account. Disabling ends its sessions and revokes its
/// tokens in the same transaction; requests already authenticated are refused
/// from the next one on, because every lookup checks `disabled_at`.
pub async fn set_disabled(
    state: &AppState,
    actor_id: Option<&UserId>,
    id: &UserId,
    disabled: bool,
) -> Result<User, AccountError> {
    let actor_id = actor_id.map(UserId::as_str);
    let id = id.as_str();
    if actor_id == Some(id) && disabled {
        return Err(AccountError::OwnAccount("accounts.errors.own_disable"));
    }
    let mut tx = state.db.begin().await?;
    if users::set_disabled(&mut tx, id, disabled).await? == 0 {
        return Err(AccountError::NoSuchUser);
    }
    if disabled {
        sessions::delete_for_user(&mut tx, id, None).await?;
        tokens::revoke_all(&mut tx, id).await?;
    }
    let user = users::by_id(&mut tx, id).await?.ok_or(AccountError::NoSuchUser)?;
    tx.commit().await?;
    super::session::forget_sessions(state).await;
    tracing::info!(actor = actor_id.unwrap_or("cli"), user_id = id, disabled, "account status changed");
    Ok(user)
}

/// Creates a verified account (for administrators and the CLI).
pub async fn create_user(
    state: &AppState,
    email: &str,
    display_name: &str,
    role: Role,
    pass: &str,
) -> Result<User, AppError> {
    let parsed = (Email::parse(email), DisplayName::parse(display_name), Password::parse("password", pass));
    let (email, name, pass) = match parsed {
        (Ok(e), Ok(n), Ok(p)) => (e, n, p),
        (e, n, p) => return Err(AppError::validation([e.err(), n.err(), p.err()].into_iter().flatten().collect())),
    };
    let hash = password::hash(pass.expose()).await?;
    let mut conn = state.db.autocommit().await?;
    let new = users::NewUser {
        email: email.as_str(),
        password_hash: &hash,
        display_name: name.as_str(),
        role,
        verified: true,
        locale: "en",
    };
    users::insert(&mut conn, new).await.map_err(|e| {
        if lyceum_platform::db::is_unique_violation(&e) {
            AppError::field("email", lyceum_platform::Text::new("accounts.errors.email_taken"))
        } else {
            e.into()
        }
    })
}

/// Sets a password directly (CLI): ends every session, revokes every API
/// token and tells the owner by e-mail.
pub async fn set_password(state: &AppState, email: &str, pass: &str) -> Result<User, AccountError> {
    let pass = Password::parse("password", pass).map_err(|e| AppError::validation(vec![e]))?;
    let user = by_email(state, email).await?.ok_or(AccountError::NoSuchUser)?;
    let new = passwords::NewPassword::hash(&pass).await?;
    passwords::set_alone(state, &user.id, &new, passwords::Effects::END_ALL).await?;
    Ok(user)
}

/// The account with this address, or `None` when no account has it (an
/// address that is not one is a 422).
pub async fn by_email(state: &AppState, email: &str) -> Result<Option<User>, AppError> {
    let email = Email::parse(email).map_err(|e| AppError::validation(vec![e]))?;
    Ok(users::by_email(state.db.pool(), email.as_str()).await?)
}

/// [`by_email`], with no such account a 404, for callers that pass it on.
pub async fn find_by_email(state: &AppState, email: &str) -> Result<User, AppError> {
    by_email(state, email).await?.ok_or_else(AppError::not_found)
}

pub const FIRST_ADMIN_EMAIL: &str = "admin@lyceum.localhost";

/// On an empty database, creates the first administrator with a random
/// one-time password (it must be changed at the first sign-in) and returns
/// (email, password) for the console.
pub async fn bootstrap_admin(state: &AppState) -> Result<Option<(String, String)>, AppError> {
    if users::count(state.db.pool()).await? > 0 {
        return Ok(None);
    }
    let pass: String = secrets::random_token().chars().take(20).collect();
    let admin = create_user(state, FIRST_ADMIN_EMAIL, "Administrator", Role::Admin, &pass).await?;
    require_password_change(state, &UserId::from(&admin.id)).await?;
    Ok(Some((FIRST_ADMIN_EMAIL.to_string(), pass)))
}

/// The user must choose a new password before anything else (pages send them
/// to the password form; the API answers 403 `password-change-required`).
pub async fn require_password_change(state: &AppState, user_id: &UserId) -> Result<(), AppError> {
    let user_id = user_id.as_str();
    users::require_password_change(&mut *state.db.autocommit().await?, user_id).await?;
    super::session::forget_sessions(state).await;
    Ok(())
}
