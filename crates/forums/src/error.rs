//! Why a forum action is refused: the module's own error, matched by its
//! pages and turned into HTTP only at the edge (`From<ForumError> for AppError`).

use lyceum_platform::{AppError, Text};

#[derive(Debug, thiserror::Error)]
pub enum ForumError {
    /// The forum, thread or post does not exist for this viewer (404): it is
    /// not theirs to see, or it is gone.
    #[error("not found")]
    NotFound,
    /// Only the course's staff post in the announcements forum (403 `staff-only`).
    #[error("only the course's staff post in the announcements forum")]
    AnnouncementsStaffOnly,
    /// Only the course's staff may do this (403 `staff-only`).
    #[error("only the course's staff may do this")]
    StaffOnly,
    /// The thread is locked: nobody but staff replies (409 `thread-locked`).
    #[error("this thread is locked: no new replies")]
    Locked,
    /// Editing or deleting someone else's post (403 `not-yours`).
    #[error("you can only change your own posts")]
    NotYours,
    /// The edit window closed (409 `edit-window-closed`); staff may still edit.
    #[error("posts can be changed for {minutes} minutes after posting; ask the course's staff")]
    EditWindowClosed { minutes: i64 },
    /// The post was deleted or hidden: nothing more happens to it (409 `post-gone`).
    #[error("this post was deleted")]
    PostGone,
    /// Too many posts in the last minute (429 with `Retry-After`).
    #[error("you are posting too fast: wait {retry_after_secs} s")]
    RateLimited { retry_after_secs: u32 },
    /// Links are refused from new accounts whose e-mail is not verified (422 on `body`).
    #[error("links can be posted once your e-mail address is verified or your account is {hours} hours old")]
    LinksNotYet { hours: i64 },
    /// The member flagged this post already (409 `already-flagged`).
    #[error("you flagged this post already")]
    AlreadyFlagged,
    /// The flag was resolved already (409 `flag-resolved`).
    #[error("this flag was resolved already")]
    FlagResolved,
    /// Only administrators may do this (403 `admin-only`).
    #[error("only administrators may do this")]
    AdminOnly,
    /// A field of the request is wrong (422 naming it).
    #[error("{field}: {message:?}")]
    Invalid { field: &'static str, message: Text },
    /// A file attached to a post is refused (413, 415 or 422 on `files`).
    #[error(transparent)]
    Attachment(#[from] crate::service::attachments::AttachmentError),
    /// Anything else on the way: a database fault.
    #[error(transparent)]
    Other(#[from] AppError),
}

impl ForumError {
    pub fn invalid(field: &'static str, key: &'static str) -> Self {
        Self::Invalid { field, message: Text::new(key) }
    }
}

impl From<sqlx::Error> for ForumError {
    fn from(e: sqlx::Error) -> Self {
        Self::Other(e.into())
    }
}

impl From<ForumError> for AppError {
    fn from(e: ForumError) -> Self {
        let text = |key: &'static str| Text::new(key);
        match e {
            ForumError::NotFound => AppError::not_found(),
            ForumError::AnnouncementsStaffOnly => {
                AppError::forbidden(text("forums.errors.announcements_staff_only")).with_kind("staff-only")
            }
            ForumError::StaffOnly => AppError::forbidden(text("forums.errors.staff_only")).with_kind("staff-only"),
            ForumError::Locked => AppError::conflict(text("forums.errors.locked")).with_kind("thread-locked"),
            ForumError::NotYours => AppError::forbidden(text("forums.errors.not_yours")).with_kind("not-yours"),
            ForumError::EditWindowClosed { minutes } => {
                let message = text("forums.errors.edit_window_closed").arg("minutes", minutes.to_string());
                AppError::conflict(message).with_kind("edit-window-closed")
            }
            ForumError::PostGone => AppError::conflict(text("forums.errors.post_gone")).with_kind("post-gone"),
            ForumError::RateLimited { retry_after_secs } => AppError::rate_limited(retry_after_secs)
                .with_detail(text("forums.errors.too_fast").arg("seconds", retry_after_secs)),
            ForumError::LinksNotYet { hours } => {
                AppError::field("body", text("forums.errors.links_not_yet").arg("hours", hours))
            }
            ForumError::AlreadyFlagged => {
                AppError::conflict(text("forums.moderation.errors.already_flagged")).with_kind("already-flagged")
            }
            ForumError::FlagResolved => {
                AppError::conflict(text("forums.moderation.errors.flag_resolved")).with_kind("flag-resolved")
            }
            ForumError::AdminOnly => {
                AppError::forbidden(text("forums.moderation.errors.admin_only")).with_kind("admin-only")
            }
            ForumError::Invalid { field, message } => AppError::field(field, message),
            ForumError::Attachment(e) => e.into(),
            ForumError::Other(e) => e,
        }
    }
}
