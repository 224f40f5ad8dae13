//! Notification kinds, channels and the stored notification.

use serde::{Deserialize, Serialize};

/// Where a user receives one kind of notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// Listed in the app only.
    InApp,
    /// Listed, and e-mailed at once.
    Email,
    /// Listed, and included in the daily digest e-mail.
    Digest,
    /// Not recorded at all.
    Off,
}

impl Channel {
    pub const ALL: [Channel; 4] = [Channel::InApp, Channel::Email, Channel::Digest, Channel::Off];

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::InApp => "in_app",
            Channel::Email => "email",
            Channel::Digest => "digest",
            Channel::Off => "off",
        }
    }

    pub fn parse(raw: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.as_str() == raw.trim())
    }
}

impl std::fmt::Display for Channel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A kind of notification, declared once in [`KINDS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kind {
    /// Stored in rows and preferences; never rename one in use.
    pub id: &'static str,
    /// Translation group: `<key>.label`, `<key>.title`, `<key>.body` in locales/en/notifications.toml.
    pub key: &'static str,
    /// The channel of users who have not chosen one.
    pub default: Channel,
    /// Security notices may move between channels but never be turned off.
    pub can_turn_off: bool,
    /// The notice's message is what it is about (a course title), put into the
    /// title and body in place of `{subject}` instead of shown as a sender's note.
    pub names_subject: bool,
    /// Only its default channel may be chosen (an important announcement's
    /// e-mail: nobody can move it in-app or turn it off).
    pub fixed: bool,
}

impl Kind {
    const fn new(id: &'static str, key: &'static str, default: Channel, can_turn_off: bool) -> Self {
        Self { id, key, default, can_turn_off, names_subject: false, fixed: false }
    }

    /// The same kind, on its default channel whatever the user chose.
    const fn fixed(self) -> Self {
        Self { fixed: true, can_turn_off: false, ..self }
    }

    /// The same kind, with its message as the `{subject}` of its texts.
    const fn about_subject(self) -> Self {
        Self { names_subject: true, ..self }
    }

    /// The channels a user may choose for this kind.
    pub fn allowed(&self) -> Vec<Channel> {
        Channel::ALL.into_iter().filter(|c| self.allows(*c)).collect()
    }

    pub fn allows(&self, channel: Channel) -> bool {
        if self.fixed {
            return channel == self.default;
        }
        channel != Channel::Off || self.can_turn_off
    }

    pub fn label_key(&self) -> String {
        format!("{}.label", self.key)
    }
    pub fn title_key(&self) -> String {
        format!("{}.title", self.key)
    }
    pub fn body_key(&self) -> String {
        format!("{}.body", self.key)
    }
}

pub const WELCOME: &str = "account.welcome";
pub const SECURITY: &str = "account.security";
pub const ADMIN_TEST: &str = "admin.test";
pub const COURSE_ENROLLED: &str = "course.enrolled";
pub const COURSE_COMPLETED: &str = "course.completed";
pub const COURSE_UNENROLLED: &str = "course.unenrolled";
pub const QUIZ_GRADED: &str = "quiz.graded";
pub const ASSIGNMENT_GRADED: &str = "assignment.graded";
pub const ASSIGNMENT_SUBMITTED: &str = "assignment.submitted";
pub const PAYMENT_RECEIPT: &str = "billing.receipt";
pub const RENEWAL_FAILED: &str = "billing.renewal_failed";
pub const SUBSCRIPTION_LAPSED: &str = "billing.subscription_lapsed";
pub const FORUM_POST: &str = "forum.post";
pub const FORUM_ANNOUNCEMENT: &str = "forum.announcement";
pub const FORUM_ANNOUNCEMENT_IMPORTANT: &str = "forum.announcement_important";
pub const FORUM_MENTION: &str = "forum.mention";
pub const FORUM_POST_FLAGGED: &str = "forum.post_flagged";

/// Every kind. Adding one is one line here plus its three strings.
///
/// `account.security` defaults to in-app: the request it reports already sent
/// a reset e-mail to the same mailbox, so a second e-mail would add noise; the
/// in-app notice is what reaches an owner who did not ask for the reset.
///
/// `course.enrolled` defaults to e-mail, as Canvas ("course enrollment",
/// immediately by e-mail) and Udemy (an enrollment confirmation mail) do: the
/// learner gets a lasting record and a link back to the course in their
/// mailbox, which matters most when staff enrolled them without their asking.
/// `course.unenrolled` (staff removed the learner) is e-mailed for the same
/// reason: the learner did not ask, and loses access at once.
///
/// `billing.receipt` is e-mailed and cannot be turned off: a payment's
/// receipt is a record the buyer keeps, like every shop's.
///
/// `billing.renewal_failed` and `billing.subscription_lapsed` are e-mailed
/// and cannot be turned off either: a renewal that fails silently is how a
/// learner loses access without knowing why.
///
/// The forum kinds are e-mailed by default, as Moodle's forum subscriptions
/// are: a new post in a thread or forum you follow (`forum.post`), a course
/// announcement (`forum.announcement`), a post naming you (`forum.mention`).
/// An announcement its staff marked important (`forum.announcement_important`)
/// is always e-mailed: it cannot be moved in-app nor turned off.
/// `forum.post_flagged` tells a course's instructors in the app that a
/// member flagged a post, linking to the course's moderation queue.
pub const KINDS: &[Kind] = &[
    Kind::new(WELCOME, "notifications.kinds.welcome", Channel::InApp, true),
    Kind::new(SECURITY, "notifications.kinds.security", Channel::InApp, false),
    Kind::new(ADMIN_TEST, "notifications.kinds.admin_test", Channel::Email, true),
    Kind::new(COURSE_ENROLLED, "notifications.kinds.course_enrolled", Channel::Email, true).about_subject(),
    Kind::new(COURSE_COMPLETED, "notifications.kinds.course_completed", Channel::InApp, true),
    Kind::new(COURSE_UNENROLLED, "notifications.kinds.course_unenrolled", Channel::Email, true).about_subject(),
    Kind::new(QUIZ_GRADED, "notifications.kinds.quiz_graded", Channel::InApp, true).about_subject(),
    Kind::new(ASSIGNMENT_SUBMITTED, "notifications.kinds.assignment_submitted", Channel::InApp, true).about_subject(),
    Kind::new(ASSIGNMENT_GRADED, "notifications.kinds.assignment_graded", Channel::Email, true).about_subject(),
    Kind::new(PAYMENT_RECEIPT, "notifications.kinds.payment_receipt", Channel::Email, false).about_subject(),
    Kind::new(RENEWAL_FAILED, "notifications.kinds.renewal_failed", Channel::Email, false).about_subject(),
    Kind::new(SUBSCRIPTION_LAPSED, "notifications.kinds.subscription_lapsed", Channel::Email, false).about_subject(),
    Kind::new(FORUM_POST, "notifications.kinds.forum_post", Channel::Email, true),
    Kind::new(FORUM_ANNOUNCEMENT, "notifications.kinds.forum_announcement", Channel::Email, true),
    Kind::new(FORUM_ANNOUNCEMENT_IMPORTANT, "notifications.kinds.forum_announcement_important", Channel::Email, false)
        .fixed(),
    Kind::new(FORUM_MENTION, "notifications.kinds.forum_mention", Channel::Email, true),
    Kind::new(FORUM_POST_FLAGGED, "notifications.kinds.forum_post_flagged", Channel::InApp, true).about_subject(),
];

pub fn kind(id: &str) -> Option<&'static Kind> {
    KINDS.iter().find(|k| k.id == id)
}

/// A stored notification.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Notification {
    pub id: String,
    pub user_id: String,
    pub kind: String,
    pub message: String,
    pub link: String,
    pub channel: String,
    pub created_at: i64,
    pub read_at: Option<i64>,
    /// What it is about, put in place of `{subject}` (a forum thread's title); may be empty.
    pub subject: String,
    /// Who did it, put in place of `{actor}` (a forum post's author); may be empty.
    pub actor: String,
    /// The forum thread of a forum post's notice (its e-mail unsubscribes from it).
    pub thread_id: Option<String>,
}

impl Notification {
    pub fn is_read(&self) -> bool {
        self.read_at.is_some()
    }

    /// The kind's translation group (an unknown kind — one removed from the
    /// code — falls back to a generic text rather than failing the page).
    pub fn text_key(&self) -> &'static str {
        kind(&self.kind).map(|k| k.key).unwrap_or("notifications.kinds.unknown")
    }

    pub fn title(&self, locale: &str) -> String {
        self.fill(lyceum_platform::web::i18n::t(locale, &format!("{}.title", self.text_key())))
    }

    pub fn body(&self, locale: &str) -> String {
        self.fill(lyceum_platform::web::i18n::t(locale, &format!("{}.body", self.text_key())))
    }

    fn names_subject(&self) -> bool {
        kind(&self.kind).is_some_and(|k| k.names_subject)
    }

    fn fill(&self, text: String) -> String {
        if self.names_subject() {
            text.replace("{subject}", &self.message)
        } else {
            text.replace("{subject}", &self.subject).replace("{actor}", &self.actor)
        }
    }

    /// The sender's note to show beside the title and body (empty when the
    /// message is the notice's subject, already in its title).
    pub fn note(&self) -> &str {
        if self.names_subject() { "" } else { &self.message }
    }
}

/// The most a sender may add to a notification.
pub const MESSAGE_MAX: usize = 500;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_unique_and_defaults_allowed() {
        for (i, k) in KINDS.iter().enumerate() {
            assert!(KINDS[..i].iter().all(|o| o.id != k.id), "{} declared twice", k.id);
            assert!(k.allows(k.default), "{}: default channel not allowed", k.id);
        }
        assert!(!kind(SECURITY).unwrap().allows(Channel::Off));
        assert_eq!(Channel::parse("in_app"), Some(Channel::InApp));
        assert_eq!(Channel::parse("never"), None);
    }

    /// Kinds' strings are looked up at run time, so the template key test cannot see them.
    #[test]
    fn every_kind_and_channel_is_translated() {
        use lyceum_platform::web::i18n::has_key;
        crate::module().install();
        let mut keys: Vec<String> = KINDS.iter().flat_map(|k| [k.label_key(), k.title_key(), k.body_key()]).collect();
        keys.extend(["label", "title", "body"].map(|k| format!("notifications.kinds.unknown.{k}")));
        keys.extend(Channel::ALL.map(|c| format!("notifications.channels.{c}")));
        let missing: Vec<_> = keys.into_iter().filter(|k| !has_key(k)).collect();
        assert!(missing.is_empty(), "missing translations: {missing:?}");
    }
}
