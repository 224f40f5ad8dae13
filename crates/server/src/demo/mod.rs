//! Demo content for a first look: a demo instructor and learner with profiles
//! and the demo catalog the instructor teaches, created once, on an empty
//! database, when `serve --demo` is given.

mod catalog;
mod cover;

use lyceum_accounts::{model::User, service::admin};
use lyceum_platform::{
    AppResult, AppState,
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

/// Creates the demo accounts and catalog unless they exist; returns the
/// accounts when created.
pub async fn seed(state: &AppState) -> AppResult<Option<&'static [DemoAccount]>> {
    if admin::find_by_email(state, ACCOUNTS[0].email).await.is_ok() {
        return Ok(None);
    }
    let mut users = Vec::new();
    for (account, (name, time_zone, bio)) in ACCOUNTS.iter().zip(PROFILES) {
        let user = admin::create_user(state, account.email, name, account.role, account.password).await?;
        let change = ProfileChange {
            bio: Some(bio.to_string()),
            time_zone: Some(time_zone.to_string()),
            ..ProfileChange::default()
        };
        profiles::update(state, &user.id, change).await?;
        users.push(user);
    }
    let published = catalog::seed(state, &acting_as(&users[0])).await?;
    tracing::info!(published, "demo catalog loaded");
    Ok(Some(&ACCOUNTS))
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
