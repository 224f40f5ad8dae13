//! The avatar size limit: a key of the `[uploads]` settings table (which
//! courses shares for its limits), read with
//! `state.settings.section::<AvatarUploads>()`.

use lyceum_platform::config::Section;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct AvatarUploads {
    /// Largest profile photo accepted (re-encoded as a 256×256 PNG).
    pub avatar_max_bytes: usize,
}

impl Default for AvatarUploads {
    fn default() -> Self {
        Self { avatar_max_bytes: 2 * 1024 * 1024 }
    }
}

impl Section for AvatarUploads {
    const NAME: &'static str = "uploads";
}
