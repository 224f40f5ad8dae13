//! `lyceum admin …`: account management from the command line.

use clap::Subcommand;
use lyceum_accounts::{AccountError, model::User, service::admin};
use lyceum_platform::ids::UserId;
use lyceum_platform::{AppError, AppState, auth::Role, config::Settings};

#[derive(Subcommand)]
pub enum Action {
    /// Create a verified account with a role.
    CreateUser {
        email: String,
        /// admin, instructor or learner
        #[arg(long, default_value = "learner")]
        role: Role,
        #[arg(long)]
        name: String,
        /// The password (else read from LYCEUM_ADMIN_PASSWORD).
        #[arg(long, env = "LYCEUM_ADMIN_PASSWORD", hide_env_values = true)]
        password: String,
    },
    /// Change an account's role.
    SetRole { email: String, role: Role },
    /// Set an account's password: signs it out everywhere, revokes its API
    /// tokens and e-mails the owner.
    SetPassword {
        email: String,
        #[arg(long, env = "LYCEUM_ADMIN_PASSWORD", hide_env_values = true)]
        password: String,
    },
    /// Disable an account: it cannot sign in; its sessions and tokens stop working.
    Disable { email: String },
    /// Enable a disabled account.
    Enable { email: String },
}

pub async fn run(settings: Settings, action: Action) -> anyhow::Result<()> {
    let state = crate::build_state(settings).await?;
    let outcome = match action {
        Action::CreateUser { email, role, name, password } => {
            admin::create_user(&state, &email, &name, role, &password)
                .await
                .map(|u| format!("created {} ({})", u.email, role))
                .map_err(AccountError::from)
        }
        Action::SetRole { email, role } => set_role(&state, &email, role).await,
        Action::SetPassword { email, password } => {
            admin::set_password(&state, &email, &password).await.map(|u| format!("password set for {}", u.email))
        }
        Action::Disable { email } => toggle(&state, &email, true).await,
        Action::Enable { email } => toggle(&state, &email, false).await,
    };
    state.db.close().await;
    match outcome {
        Ok(message) => {
            println!("{message}");
            Ok(())
        }
        Err(AccountError::NoSuchUser) => anyhow::bail!("no account has that e-mail address"),
        Err(e) => anyhow::bail!("{}", message(e.into())),
    }
}

/// The refusal in a line: the invalid fields, or the detail.
fn message(e: AppError) -> String {
    if e.fields.is_empty() {
        return e.detail;
    }
    let fields: Vec<String> = e.fields.iter().map(|f| format!("{}: {}", f.field, f.message)).collect();
    fields.join("; ")
}

async fn account(state: &AppState, email: &str) -> Result<User, AccountError> {
    admin::by_email(state, email).await?.ok_or(AccountError::NoSuchUser)
}

async fn set_role(state: &AppState, email: &str, role: Role) -> Result<String, AccountError> {
    let user = admin::set_role(state, None, &UserId::from(account(state, email).await?.id), role).await?;
    Ok(format!("{} is now {}", user.email, role))
}

async fn toggle(state: &AppState, email: &str, disabled: bool) -> Result<String, AccountError> {
    let user = admin::set_disabled(state, None, &UserId::from(account(state, email).await?.id), disabled).await?;
    Ok(format!("{} is now {}", user.email, if disabled { "disabled" } else { "enabled" }))
}
