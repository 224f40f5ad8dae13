//! The `[forums]` settings table, read with `state.settings.section::<ForumSettings>()`.

use lyceum_platform::config::Section;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct ForumSettings {
    /// How long after posting its author may still edit or delete a post
    /// (staff always may).
    pub edit_window_minutes: i64,
    /// How long a new post's notifications wait, so a post corrected right
    /// after posting is sent in its final form.
    pub notify_delay_seconds: i64,
    /// Posts (threads and replies) one member may publish per minute.
    pub posts_per_minute: u32,
    /// Links are refused in posts of accounts younger than this many hours
    /// whose e-mail address is not verified (spam); 0 turns the rule off.
    pub link_min_account_age_hours: i64,
    /// The largest file attached to a post, in bytes.
    pub attachment_max_bytes: u64,
    /// Most files one post carries.
    pub attachments_per_post: u32,
}

impl Default for ForumSettings {
    fn default() -> Self {
        Self {
            edit_window_minutes: 30,
            notify_delay_seconds: 60,
            posts_per_minute: 5,
            link_min_account_age_hours: 24,
            attachment_max_bytes: 5 * 1024 * 1024,
            attachments_per_post: 3,
        }
    }
}

impl Section for ForumSettings {
    const NAME: &'static str = "forums";
}
