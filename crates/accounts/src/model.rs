//! Account types and the input types parsed at the edge.

use lyceum_platform::{FieldError, Text, auth::Role};
use serde::{Deserialize, Serialize};

/// A user as the rest of the system sees it (never the password hash).
/// Serialisable for the resolved-session cache (`service::session`).
#[derive(Debug, Clone, sqlx::FromRow, Serialize, Deserialize)]
pub struct User {
    pub id: String,
    pub email: String,
    pub display_name: String,
    #[sqlx(try_from = "String")]
    pub role: RoleColumn,
    pub locale: String,
    pub time_zone: String,
    pub email_verified_at: Option<i64>,
    pub disabled_at: Option<i64>,
    pub password_change_due_at: Option<i64>,
    pub created_at: i64,
}

impl User {
    pub fn role(&self) -> Role {
        self.role.0
    }
    pub fn is_disabled(&self) -> bool {
        self.disabled_at.is_some()
    }
    pub fn is_verified(&self) -> bool {
        self.email_verified_at.is_some()
    }
}

/// `role` as stored (TEXT); a bad value is a decode error, not a silent default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RoleColumn(pub Role);

impl TryFrom<String> for RoleColumn {
    type Error = String;
    fn try_from(value: String) -> Result<Self, String> {
        value.parse().map(RoleColumn)
    }
}

/// A personal API token as listed (the secret itself is shown once, at creation).
#[derive(Debug, Clone, sqlx::FromRow, Serialize, utoipa::ToSchema)]
pub struct ApiToken {
    pub id: String,
    pub name: String,
    /// The first characters of the token, to recognise it.
    pub prefix: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub expires_at: Option<i64>,
}

/// A normalised e-mail address (trimmed, lower-case).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let email = raw.trim().to_lowercase();
        let invalid = || FieldError::new("email", Text::new("accounts.errors.email_invalid"));
        if email.is_empty() {
            return Err(FieldError::new("email", Text::new("accounts.errors.email_empty")));
        }
        if email.len() > 254 || email.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(invalid());
        }
        let (local, domain) = email.rsplit_once('@').ok_or_else(invalid)?;
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && domain.chars().all(|c| c.is_alphanumeric() || c == '.' || c == '-');
        if local.is_empty() || local.len() > 64 || local.contains('@') || !domain_ok {
            return Err(invalid());
        }
        Ok(Self(email))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A password that meets the policy: 8 to 128 characters, not only spaces.
pub struct Password(String);

impl Password {
    pub const MIN: usize = 8;
    pub const MAX: usize = 128;

    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        let n = raw.chars().count();
        if n < Self::MIN {
            return Err(FieldError::new(field, Text::new("accounts.errors.too_short").arg("min", Self::MIN)));
        }
        if n > Self::MAX {
            return Err(FieldError::new(field, Text::new("accounts.errors.too_long").arg("max", Self::MAX)));
        }
        if raw.trim().is_empty() {
            return Err(FieldError::new(field, Text::new("accounts.errors.password_spaces")));
        }
        Ok(Self(raw.to_string()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password([redacted])")
    }
}

/// The name shown to others: 1 to 80 characters, no control characters.
#[derive(Debug, Clone)]
pub struct DisplayName(String);

impl DisplayName {
    pub const MAX: usize = 80;

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let name = raw.trim();
        if name.is_empty() {
            return Err(FieldError::new("display_name", Text::new("accounts.errors.name_empty")));
        }
        if name.chars().count() > Self::MAX {
            return Err(FieldError::new("display_name", Text::new("accounts.errors.too_long").arg("max", Self::MAX)));
        }
        if name.chars().any(char::is_control) {
            return Err(FieldError::new("display_name", Text::new("accounts.errors.name_unshowable")));
        }
        Ok(Self(name.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An IANA time zone name such as `Europe/Paris`.
pub fn parse_time_zone(raw: &str) -> Result<String, FieldError> {
    let tz = raw.trim();
    jiff::tz::TimeZone::get(tz)
        .map(|_| tz.to_string())
        .map_err(|_| FieldError::new("time_zone", Text::new("accounts.errors.time_zone")))
}

pub fn parse_locale(raw: &str) -> Result<String, FieldError> {
    let locale = raw.trim();
    if lyceum_platform::web::i18n::available().contains(&locale) {
        Ok(locale.to_string())
    } else {
        Err(FieldError::new("locale", Text::new("accounts.errors.locale")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_is_normalised_and_checked() {
        assert_eq!(Email::parse("  Ada@Example.ORG ").unwrap().as_str(), "ada@example.org");
        for bad in ["", "ada", "ada@", "@x.org", "ada@x", "a b@x.org", "ada@x..org", "ada@.x.org"] {
            assert!(Email::parse(bad).is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn password_policy() {
        assert!(Password::parse("password", "short").is_err());
        assert!(Password::parse("password", "        ").is_err());
        assert!(Password::parse("password", &"x".repeat(129)).is_err());
        assert!(Password::parse("password", "correct horse").is_ok());
    }

    #[test]
    fn display_name_and_time_zone() {
        assert_eq!(DisplayName::parse("  Ada  ").unwrap().as_str(), "Ada");
        assert!(DisplayName::parse(" ").is_err());
        assert!(DisplayName::parse(&"x".repeat(81)).is_err());
        assert!(parse_time_zone("Europe/Paris").is_ok());
        assert!(parse_time_zone("Mars/Olympus").is_err());
    }
}
