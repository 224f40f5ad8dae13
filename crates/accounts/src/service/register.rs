use lyceum_platform::{AppError, AppState, auth::Role, db, events};

use super::{
    Client,
    mail_jobs::{self, AlreadyRegisteredMail},
};
use crate::{
    events::UserRegistered,
    model::{DisplayName, Email, Password},
    password,
    repo::users::{self, NewUser},
};

pub struct RegisterInput {
    pub email: String,
    pub password: String,
    pub display_name: String,
    /// The language the visitor was reading (the page's, or `Accept-Language`
    /// for the API): the new account's interface and e-mail language.
    pub locale: &'static str,
}

/// Creates a learner account and publishes `user.registered` in the same
/// transaction (accounts observes it to e-mail the verification link).
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
        // Listed in the order the sign-up form shows the fields.
        (e, p, n) => return Err(AppError::validation([e.err(), n.err(), p.err()].into_iter().flatten().collect())),
    };

    state.limits.register.check(&[format!("ip:{}", client.ip)])?;
    let hash = password::hash(pass.expose()).await?;
    let verified = !state.settings.auth.require_verified_email;
    let mut tx = state.db.begin().await?;
    let new = NewUser {
        email: email.as_str(),
        password_hash: &hash,
        display_name: name.as_str(),
        role: Role::Learner,
        verified,
        locale: lyceum_platform::web::i18n::supported(input.locale),
    };
    match users::insert(&mut tx, new).await {
        Ok(user) => {
            events::publish(state, &mut tx, &UserRegistered { user_id: user.id.clone() }).await?;
            tx.commit().await?;
            tracing::info!(user_id = %user.id, "account registered");
            Ok(())
        }
        Err(e) if db::is_unique_violation(&e) => {
            // Already registered: tell the owner, by e-mail only. (PostgreSQL
            // aborted the transaction, so the job goes on its own connection.)
            tx.rollback().await?;
            if let Some(existing) = users::by_email(state.db.pool(), email.as_str()).await? {
                mail_jobs::request::<AlreadyRegisteredMail>(state, &existing.id).await?;
            }
            Ok(())
        }
        Err(e) => Err(e.into()),
    }
}
