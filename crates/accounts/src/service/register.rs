use lyceum_platform::{AppError, AppState, auth::Role, db};

use super::{Client, links, mail};
use crate::{
    model::{DisplayName, Email, Password},
    password,
    repo::users::{self, NewUser},
};

pub struct RegisterInput {
    pub email: String,
    pub password: String,
    pub display_name: String,
}

/// Creates a learner account and e-mails a verification link.
///
/// The answer is the same whether or not the address was free: when it is
/// taken, the owner gets an e-mail instead, so sign-up cannot be used to
/// discover who has an account.
pub async fn register(state: &AppState, input: RegisterInput, client: &Client) -> Result<(), AppError> {
    let parsed = (
        Email::parse(&input.email),
        Password::parse("password", &input.password),
        DisplayName::parse(&input.display_name),
    );
    let (email, pass, name) = match parsed {
        (Ok(e), Ok(p), Ok(n)) => (e, p, n),
        (e, p, n) => return Err(AppError::validation([e.err(), p.err(), n.err()].into_iter().flatten().collect())),
    };

    state.limits.register.check(&[format!("ip:{}", client.ip)])?;
    let hash = password::hash(pass.expose()).await?;
    let verified = !state.settings.auth.require_verified_email;
    let mut conn = state.db.pool().acquire().await?;
    let new = NewUser {
        email: email.as_str(),
        password_hash: &hash,
        display_name: name.as_str(),
        role: Role::Learner,
        verified,
    };
    match users::insert(&mut conn, new).await {
        Ok(user) => {
            tracing::info!(user_id = %user.id, "account registered");
            if !verified {
                links::send_verification(state, &user).await?;
            }
            Ok(())
        }
        Err(e) if db::is_unique_violation(&e) => {
            // Already registered: tell the owner, by e-mail only.
            if let Some(existing) = users::by_email(state.db.pool(), email.as_str()).await? {
                mail::send_already_registered(state, &existing.email, &existing.display_name).await?;
            }
            Ok(())
        }
        Err(e) => Err(e.into()),
    }
}
