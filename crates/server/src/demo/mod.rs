//! Demo content for a first look: a demo instructor and learner with profiles
//! and the demo catalog the instructor teaches (with lively forums in the Rust course), loaded when `serve --demo`
//! (setting `demo`) is given — before the server accepts a request.
//!
//! The load goes through the services, each step in its own transaction, so it
//! cannot be one transaction. It is made whole another way: every step first
//! looks for what it would create (accounts by e-mail, courses by slug among
//! the demo instructor's) and a course is published only as its last step. A
//! run that stopped midway (a crash, a database fault, an older version that
//! loaded while serving) leaves at most one unfinished draft; the next run
//! replaces it and creates what is missing. So "already loaded" needs no
//! marker: it is "every account and course is there and finished", and a
//! restart neither duplicates nor skips.

mod assignments;
mod catalog;
mod cover;
mod forums;
mod questions;

use lyceum_accounts::{model::User, service::admin};
use lyceum_platform::ids::UserId;
use lyceum_platform::{
    AppError, AppResult, AppState,
    auth::{Credential, Role, Viewer},
};
use lyceum_profiles::service::{self as profiles, ProfileChange};

pub struct DemoAccount {
    pub email: &'static str,
    pub password: &'static str,
    pub role: Role,
}

pub const ACCOUNTS: [DemoAccount; 2] = [
    DemoAccount { email: "grace@demo.lyceum.localhost", password: "demo-instructor", role: Role::Instructor },
    DemoAccount { email: "ada@demo.lyceum.localhost", password: "demo-learner", role: Role::Learner },
];

const PROFILES: [(&str, &str, &str); 2] = [
    (
        "Grace Hopper",
        "America/New_York",
        "Rear admiral, compiler pioneer and patient teacher.\n\n\
         I teach **programming fundamentals**: how machines read what we write, and how to write so people can read it too.",
    ),
    ("Ada Lovelace", "Europe/London", "Curious about analytical engines and everything they might compute."),
];

/// What a load found and did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Loaded {
    /// Demo courses created now (on an empty database: all of them).
    pub created: usize,
    /// Unfinished demo courses of an interrupted earlier load, replaced.
    pub repaired: usize,
    /// Demo courses already there and finished, left as they are.
    pub kept: usize,
}

impl Loaded {
    pub fn accounts(&self) -> &'static [DemoAccount] {
        &ACCOUNTS
    }
}

/// Which part of the demo failed to load, and why.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("demo account {email}: {source}")]
    Account { email: &'static str, source: AppError },
    #[error("demo course `{slug}`: {source}")]
    Course { slug: String, source: AppError },
}

impl DemoError {
    /// A fault that passes (the database busy or briefly out of reach): a rerun may succeed.
    pub fn is_transient(&self) -> bool {
        let (Self::Account { source, .. } | Self::Course { source, .. }) = self;
        source.is_unavailable()
    }
}

/// Creates whatever of the demo accounts and catalog is missing or unfinished.
pub async fn seed(state: &AppState) -> Result<Loaded, DemoError> {
    let mut users = Vec::new();
    for (account, profile) in ACCOUNTS.iter().zip(PROFILES) {
        let user = ensure_account(state, account, profile)
            .await
            .map_err(|source| DemoError::Account { email: account.email, source })?;
        users.push(user);
    }
    let loaded = catalog::seed(state, &acting_as(&users[0])).await?;
    let questions = questions::seed(state, &acting_as(&users[0])).await?;
    assignments::seed(state, &acting_as(&users[0])).await?;
    forums::seed(state, &acting_as(&users[0])).await?;
    tracing::info!(?loaded, questions, "demo catalog loaded");
    Ok(loaded)
}

/// The account with its profile: created, or found (and its profile filled
/// in if an interrupted load created the account but not the profile).
async fn ensure_account(
    state: &AppState,
    account: &DemoAccount,
    (name, time_zone, bio): (&str, &str, &str),
) -> AppResult<User> {
    let user = match admin::by_email(state, account.email).await? {
        Some(user) => user,
        None => admin::create_user(state, account.email, name, account.role, account.password).await?,
    };
    if profiles::get(state, &UserId::from(&user.id)).await?.bio.is_empty() {
        let change =
            ProfileChange { bio: Some(bio.to_string()), time_zone: Some(time_zone.to_string()), ..Default::default() };
        profiles::update(state, &UserId::from(&user.id), change).await?;
    }
    Ok(user)
}

/// The demo instructor as the authoring service sees a signed-in user.
fn acting_as(user: &User) -> Viewer {
    Viewer {
        user_id: user.id.clone(),
        email: user.email.clone(),
        display_name: user.display_name.clone(),
        role: user.role.0,
        locale: user.locale.clone(),
        time_zone: user.time_zone.clone(),
        credential: Credential::Token { token_id: "demo-seed".into() },
        must_change_password: false,
    }
}
