use lyceum_platform::{FieldError, auth::Role};

/// Everything a profile page or the API shows about a user.
#[derive(Debug, Clone)]
pub struct Profile {
    pub user_id: String,
    pub display_name: String,
    pub email: String,
    pub role: Role,
    pub locale: String,
    pub time_zone: String,
    pub bio: String,
    pub avatar_key: Option<String>,
    pub member_since: i64,
}

impl Profile {
    /// Sanitised HTML of the markdown bio.
    pub fn bio_html(&self) -> String {
        lyceum_platform::markdown::render(&self.bio)
    }

    /// The avatar URL; changes whenever the image does, so it can be cached forever.
    pub fn avatar_url(&self) -> Option<String> {
        let key = self.avatar_key.as_ref()?;
        let version = key.rsplit('/').next()?.trim_end_matches(".png");
        Some(format!("/users/{}/avatar?v={version}", self.user_id))
    }

    pub fn has_public_page(&self) -> bool {
        matches!(self.role, Role::Instructor | Role::Admin)
    }
}

pub const BIO_MAX: usize = 2000;

pub fn parse_bio(raw: &str) -> Result<String, FieldError> {
    let bio = raw.trim();
    if bio.chars().count() > BIO_MAX {
        return Err(FieldError::new(
            "bio",
            lyceum_platform::Text::new("profiles.errors.bio_too_long").arg("max", BIO_MAX),
        ));
    }
    Ok(bio.to_string())
}
