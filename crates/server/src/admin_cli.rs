//! `lyceum admin …`: account management from the command line.

use clap::Subcommand;
use lyceum_accounts::service::admin;
use lyceum_platform::{auth::Role, config::Settings};

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
        }
        Action::SetRole { email, role } => match admin::find_by_email(&state, &email).await {
            Ok(u) => admin::set_role(&state, None, &u.id, role).await.map(|u| format!("{} is now {}", u.email, role)),
            Err(e) => Err(e),
        },
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
        Err(e) if e.fields.is_empty() => {
            anyhow::bail!("{}", if e.status == 404 { "no account has that e-mail address".into() } else { e.detail })
        }
        Err(e) => {
            let fields: Vec<String> = e.fields.iter().map(|f| format!("{}: {}", f.field, f.message)).collect();
            anyhow::bail!("{}", fields.join("; "))
        }
    }
}

async fn toggle(
    state: &lyceum_platform::AppState,
    email: &str,
    disabled: bool,
) -> Result<String, lyceum_platform::AppError> {
    let user = admin::find_by_email(state, email).await?;
    let user = admin::set_disabled(state, None, &user.id, disabled).await?;
    Ok(format!("{} is now {}", user.email, if disabled { "disabled" } else { "enabled" }))
}
