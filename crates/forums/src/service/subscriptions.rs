//! Subscriptions: a member follows a forum (every new post in it) or a
//! thread, and is told of new posts through the notifications module (see
//! [`super::notices`]). Threads you start or reply to are followed for you
//! unless you turned that off (`forum_preferences.auto_subscribe`). Every
//! member follows the announcements forum without a row, and cannot leave
//! it (they choose how they hear of it in their notification settings).
//!
//! Unsubscribing from a thread also mutes it, so that a forum subscription
//! (or the announcements) no longer brings its posts; subscribing again
//! lifts the mute. Each forum e-mail carries a one-click link that does the
//! same for its thread: a random token of which only the SHA-256 is stored,
//! as the notifications' own unsubscribe links (no server secret to keep).

use lyceum_platform::{AppError, AppState, Text, auth::Viewer, ids::UserId, secrets};
use sqlx::AnyConnection;

use super::{forum_for, thread_for};
use crate::{
    ForumError,
    model::{Forum, ForumId, ForumKind, Thread, ThreadId},
    repo::{
        self,
        standing::{ForumStanding, ThreadStanding},
        subscriptions::Subject,
    },
};

/// Whether the viewer follows the forum: always for the announcements.
pub(crate) async fn follows_forum(conn: &mut AnyConnection, user_id: &str, forum: &Forum) -> Result<bool, ForumError> {
    Ok(forum_followed(&repo::standing::forum(conn, user_id, &forum.id).await?, forum))
}

/// [`follows_forum`] from the member's standing read already.
pub(crate) fn forum_followed(standing: &ForumStanding, forum: &Forum) -> bool {
    standing.follows || forum.kind() == ForumKind::Announcements
}

/// Whether new posts of the thread reach the viewer: they follow it or its
/// forum, and did not mute it.
pub(crate) async fn follows_thread(
    conn: &mut AnyConnection,
    user_id: &str,
    thread: &Thread,
    forum: &Forum,
) -> Result<bool, ForumError> {
    Ok(thread_followed(&repo::standing::thread(conn, user_id, &thread.id, &forum.id).await?, forum))
}

/// [`follows_thread`] from the member's standing read already.
pub(crate) fn thread_followed(standing: &ThreadStanding, forum: &Forum) -> bool {
    !standing.muted && (standing.follows_thread || standing.follows_forum || forum.kind() == ForumKind::Announcements)
}

/// Follows the forum (`on`) or stops; whether the viewer follows it now.
/// The announcements forum cannot be left (422 on `forum`).
pub async fn set_forum(state: &AppState, viewer: &Viewer, id: &ForumId, on: bool) -> Result<bool, ForumError> {
    let forum = {
        let mut conn = state.db.pool().acquire().await?;
        forum_for(state, &mut conn, viewer, id).await?.1.forum
    };
    if forum.kind() == ForumKind::Announcements {
        if !on {
            return Err(ForumError::invalid("forum", "forums.subscriptions.errors.announcements"));
        }
        return Ok(true);
    }
    let mut tx = state.db.begin().await?;
    if on {
        repo::subscriptions::add(&mut tx, &viewer.user_id, Subject::Forum(&forum.id), &forum.course_id).await?;
    } else {
        repo::subscriptions::remove(&mut tx, &viewer.user_id, Subject::Forum(&forum.id)).await?;
    }
    tx.commit().await?;
    Ok(on)
}

/// Whether the viewer follows the forum.
pub async fn forum_status(state: &AppState, viewer: &Viewer, id: &ForumId) -> Result<bool, ForumError> {
    let mut conn = state.db.pool().acquire().await?;
    let forum = forum_for(state, &mut conn, viewer, id).await?.1.forum;
    follows_forum(&mut conn, &viewer.user_id, &forum).await
}

/// Follows the thread (`on`, lifting a mute) or stops (and mutes it, so
/// its forum's subscription does not bring it back); whether its posts
/// reach the viewer now.
pub async fn set_thread(state: &AppState, viewer: &Viewer, id: &ThreadId, on: bool) -> Result<bool, ForumError> {
    let access = {
        let mut conn = state.db.pool().acquire().await?;
        thread_for(state, &mut conn, viewer, id).await?
    };
    let mut tx = state.db.begin().await?;
    follow(&mut tx, &viewer.user_id, &access.thread, on).await?;
    tx.commit().await?;
    Ok(on)
}

async fn follow(conn: &mut AnyConnection, user_id: &str, thread: &Thread, on: bool) -> Result<(), sqlx::Error> {
    if on {
        repo::subscriptions::add(conn, user_id, Subject::Thread(&thread.id), &thread.course_id).await?;
    } else {
        repo::subscriptions::remove(conn, user_id, Subject::Thread(&thread.id)).await?;
    }
    repo::subscriptions::set_muted(conn, user_id, &thread.id, !on).await
}

/// Whether the viewer's new posts reach them in the thread.
pub async fn thread_status(state: &AppState, viewer: &Viewer, id: &ThreadId) -> Result<bool, ForumError> {
    let mut conn = state.db.pool().acquire().await?;
    let access = thread_for(state, &mut conn, viewer, id).await?;
    follows_thread(&mut conn, &viewer.user_id, &access.thread, &access.forum.forum).await
}

/// The author of a new post follows its thread, in the post's transaction,
/// unless they turned auto-subscribe off.
pub(crate) async fn follow_own(conn: &mut AnyConnection, user_id: &str, thread: &Thread) -> Result<(), sqlx::Error> {
    if repo::subscriptions::auto_subscribe(conn, user_id).await? {
        follow(conn, user_id, thread, true).await?;
    }
    Ok(())
}

/// [`follow_own`] for a thread being started (its row just written in `conn`).
pub(crate) async fn follow_new_thread(
    conn: &mut AnyConnection,
    user_id: &str,
    thread_id: &str,
) -> Result<(), ForumError> {
    let thread = repo::threads::by_id(conn, thread_id).await?.ok_or(ForumError::NotFound)?;
    Ok(follow_own(conn, user_id, &thread).await?)
}

/// A member's forum preferences.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct Preferences {
    /// Follow the threads you start or reply to.
    pub auto_subscribe: bool,
}

pub async fn preferences(state: &AppState, viewer: &Viewer) -> Result<Preferences, ForumError> {
    let mut conn = state.db.pool().acquire().await?;
    Ok(Preferences { auto_subscribe: repo::subscriptions::auto_subscribe(&mut conn, &viewer.user_id).await? })
}

pub async fn set_preferences(state: &AppState, viewer: &Viewer, prefs: Preferences) -> Result<Preferences, ForumError> {
    let mut writer = state.db.autocommit().await?;
    repo::subscriptions::set_auto_subscribe(&mut writer, &viewer.user_id, prefs.auto_subscribe).await?;
    Ok(prefs)
}

/// A fresh one-click link that stops `user_id`'s e-mails about the thread
/// (for the notifications module's forum e-mails): the full URL.
pub async fn unsubscribe_link(state: &AppState, user_id: &UserId, thread_id: &ThreadId) -> Result<String, AppError> {
    let token = secrets::random_token();
    let mut writer = state.db.autocommit().await?;
    repo::subscriptions::insert_token(&mut writer, &secrets::token_hash(&token), user_id.as_str(), thread_id.as_str())
        .await?;
    Ok(format!("{}{UNSUBSCRIBE_PATH}?token={token}", state.settings.public_url))
}

/// Where forum e-mails' one-click links point (CSRF-exempt: the token is the credential).
pub const UNSUBSCRIBE_PATH: &str = "/forums/unsubscribe";

/// The thread a one-click link stops.
#[derive(Debug, Clone)]
pub struct UnsubscribeTarget {
    pub thread_id: String,
    pub title: String,
}

async fn find(state: &AppState, token: &str) -> Result<(String, Thread), ForumError> {
    let gone = || ForumError::Other(AppError::gone(Text::new("forums.subscriptions.errors.token_invalid")));
    if token.trim().is_empty() {
        return Err(gone());
    }
    let mut conn = state.db.pool().acquire().await?;
    let (user_id, thread_id) =
        repo::subscriptions::token(&mut conn, &secrets::token_hash(token.trim())).await?.ok_or_else(gone)?;
    let thread = repo::threads::by_id(&mut conn, &thread_id).await?.ok_or_else(gone)?;
    Ok((user_id, thread))
}

/// What the link would stop, changing nothing (mail scanners follow links:
/// a GET never unsubscribes).
pub async fn unsubscribe_target(state: &AppState, token: &str) -> Result<UnsubscribeTarget, ForumError> {
    let (_, thread) = find(state, token).await?;
    Ok(UnsubscribeTarget { thread_id: thread.id, title: thread.title })
}

/// Stops the link's e-mails about its thread. Idempotent.
pub async fn unsubscribe(state: &AppState, token: &str) -> Result<UnsubscribeTarget, ForumError> {
    let (user_id, thread) = find(state, token).await?;
    let mut tx = state.db.begin().await?;
    follow(&mut tx, &user_id, &thread, false).await?;
    tx.commit().await?;
    tracing::info!(%user_id, thread_id = %thread.id, "unsubscribed from a forum thread's e-mails");
    Ok(UnsubscribeTarget { thread_id: thread.id, title: thread.title })
}
