//! Files attached to a post (an opening post or a reply): images, PDF,
//! plain text and office documents, checked on their content (never the
//! name or the declared type) against `[forums] attachment_max_bytes` and
//! at most `attachments_per_post` per post. They are stored through the
//! storage port under `forums/<course>/<post>/<id>`, and served only to
//! whoever may read their post: a course's members, never after the post is
//! deleted (nor, hidden, to anyone but staff and its author); 404 otherwise.
//!
//! With a new thread or reply, the files are checked before anything is
//! written, stored, then recorded in the post's own transaction
//! ([`stage`] then [`record`]). Afterwards, the post's author adds more
//! within the edit window ([`attach`]).

use std::collections::HashMap;

use axum::body::Bytes;
use lyceum_platform::{
    AppError, AppState, Text,
    auth::Viewer,
    db,
    ids::CourseId,
    upload::{self, Family, SNIFF_LEN, UploadError},
};
use sqlx::AnyConnection;

use super::{post_for, posts::EditWindow};
pub use crate::repo::attachments::AttachmentRow as Attachment;
use crate::repo::attachments::AttachmentRow;
use crate::{ForumError, model::PostId, repo, settings::ForumSettings};

/// What a post may carry: no video (too large for a forum), nothing that runs.
pub const FAMILIES: &[Family] = &[Family::Image, Family::Pdf, Family::Text, Family::Document];

/// The limits of a post's files, as the forms describe them.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct Limits {
    pub max_bytes: u64,
    pub per_post: u32,
}

impl Limits {
    pub fn of(state: &AppState) -> Self {
        let settings = state.settings.section::<ForumSettings>();
        Self { max_bytes: settings.attachment_max_bytes, per_post: settings.attachments_per_post }
    }

    /// The size limit, as the pages print sizes.
    pub fn max_size(&self) -> i64 {
        i64::try_from(self.max_bytes).unwrap_or(i64::MAX)
    }
}

/// A file as it came in a form: the client's name and its bytes.
#[derive(Debug, Clone)]
pub struct Upload {
    pub name: String,
    pub bytes: Bytes,
}

/// Why a file is refused, phrased for the person attaching it.
#[derive(Debug, thiserror::Error)]
pub enum AttachmentError {
    /// 413: bigger than `attachment_max_bytes`.
    #[error("the file {name} is {size_kb} KB; the limit is {limit_kb} KB")]
    TooLarge { name: String, size_kb: u64, limit_kb: u64 },
    /// 415: not an image, PDF, text or office document.
    #[error("the file {name} is not an accepted kind")]
    WrongType { name: String },
    /// 422 on `files`: an empty file.
    #[error("the file {name} is empty")]
    Empty { name: String },
    /// 422 on `files`: more than `attachments_per_post` on one post.
    #[error("a post carries at most {max} files")]
    TooMany { max: u32 },
}

impl From<AttachmentError> for AppError {
    fn from(e: AttachmentError) -> Self {
        let text = |key: &'static str| Text::new(key);
        match e {
            AttachmentError::TooLarge { name, size_kb, limit_kb } => AppError::payload_too_large(
                text("forums.attachments.too_large").arg("name", name).arg("size", size_kb).arg("limit", limit_kb),
            )
            .with_kind("attachment-too-large"),
            AttachmentError::WrongType { name } => {
                AppError::unsupported_media_type(text("forums.attachments.wrong_type").arg("name", name))
                    .with_kind("attachment-type")
            }
            AttachmentError::Empty { name } => {
                AppError::field("files", text("forums.attachments.empty").arg("name", name))
            }
            AttachmentError::TooMany { max } => {
                AppError::field("files", text("forums.attachments.too_many").arg("max", max))
            }
        }
    }
}

/// A file checked and named, ready to store.
#[derive(Debug, Clone)]
pub struct Checked {
    name: String,
    content_type: &'static str,
    bytes: Bytes,
}

/// Checks the files of one post (`already` on it): count, size and type.
pub fn check(state: &AppState, files: &[Upload], already: i64) -> Result<Vec<Checked>, ForumError> {
    let settings = state.settings.section::<ForumSettings>();
    let max = settings.attachments_per_post;
    if already + files.len() as i64 > i64::from(max) {
        return Err(AttachmentError::TooMany { max }.into());
    }
    files
        .iter()
        .map(|f| {
            let head = &f.bytes[..f.bytes.len().min(SNIFF_LEN)];
            let name = f.name.clone();
            let detected = upload::check(head, f.bytes.len() as u64, settings.attachment_max_bytes, FAMILIES).map_err(
                |e| match e {
                    UploadError::Empty => AttachmentError::Empty { name: name.clone() },
                    UploadError::TooLarge { size_kb, limit_kb } => {
                        AttachmentError::TooLarge { name: name.clone(), size_kb, limit_kb }
                    }
                    UploadError::Type { .. } => AttachmentError::WrongType { name: name.clone() },
                },
            )?;
            Ok(Checked {
                name: upload::display_name(&f.name, detected.extension),
                content_type: detected.mime,
                bytes: f.bytes.clone(),
            })
        })
        .collect()
}

/// Files stored for a post whose row is not written yet.
#[derive(Debug, Default)]
pub struct Staged {
    rows: Vec<AttachmentRow>,
}

impl Staged {
    /// Keeps the stored objects when their post's rows were `written`;
    /// removes them when the write failed, so no object outlives its row.
    pub async fn settle<T>(self, state: &AppState, written: Result<T, ForumError>) -> Result<T, ForumError> {
        if written.is_err() {
            self.discard(state).await;
        }
        written
    }

    /// The stored objects, removed when the post could not be written.
    async fn discard(self, state: &AppState) {
        let keys: Vec<String> = self.rows.into_iter().map(|r| r.storage_key).collect();
        if !keys.is_empty() {
            state.storage.forget(&keys).await;
        }
    }
}

/// Checks and stores the files of a post about to be written.
pub async fn stage(
    state: &AppState,
    viewer: &Viewer,
    course_id: &CourseId,
    post_id: &PostId,
    files: &[Upload],
) -> Result<Staged, ForumError> {
    if files.is_empty() {
        return Ok(Staged::default());
    }
    let checked = check(state, files, 0)?;
    store(state, viewer, course_id, post_id, checked).await
}

async fn store(
    state: &AppState,
    viewer: &Viewer,
    course_id: &CourseId,
    post_id: &PostId,
    checked: Vec<Checked>,
) -> Result<Staged, ForumError> {
    let mut staged = Staged::default();
    let at = db::now_ms();
    for file in checked {
        let id = db::new_id();
        let key = format!("forums/{course_id}/{post_id}/{id}");
        let size = file.bytes.len() as i64;
        if let Err(e) = state.storage.put_typed(&key, file.bytes, file.content_type).await {
            staged.discard(state).await;
            return Err(AppError::from(e).into());
        }
        staged.rows.push(AttachmentRow {
            id,
            post_id: post_id.as_str().to_string(),
            course_id: course_id.as_str().to_string(),
            uploader_id: viewer.user_id.clone(),
            name: file.name,
            content_type: file.content_type.to_string(),
            size,
            storage_key: key,
            created_at: at,
        });
    }
    Ok(staged)
}

/// Records the staged files in the post's transaction.
pub async fn record(conn: &mut AnyConnection, staged: &Staged) -> Result<(), ForumError> {
    for row in &staged.rows {
        repo::attachments::insert(conn, row).await?;
    }
    Ok(())
}

/// Adds files to a post: its author, within the edit window (staff too),
/// while the post is live and has room.
pub async fn attach(
    state: &AppState,
    viewer: &Viewer,
    id: &PostId,
    files: &[Upload],
) -> Result<Vec<AttachmentRow>, ForumError> {
    if files.is_empty() {
        return Err(ForumError::invalid("files", "forums.attachments.none"));
    }
    let (access, post, already) = {
        let mut conn = state.db.pool().acquire().await?;
        let (access, post) = post_for(state, &mut conn, viewer, id).await?;
        let already = repo::attachments::count(&mut conn, &post.id).await?;
        (access, post, already)
    };
    if post.is_gone() {
        return Err(ForumError::PostGone);
    }
    if post.author_id != viewer.user_id {
        return Err(ForumError::NotYours);
    }
    let window = EditWindow::of(state);
    if !access.role.is_staff() && !window.open_for(&post) {
        return Err(ForumError::EditWindowClosed { minutes: window.minutes });
    }
    let checked = check(state, files, already)?;
    let staged = store(state, viewer, &CourseId::from(&post.course_id), &PostId::from(&post.id), checked).await?;
    let written = async {
        let mut tx = state.db.begin().await?;
        repo::attachments::lock_post(&mut tx, &post.id).await?;
        let max = state.settings.section::<ForumSettings>().attachments_per_post;
        if repo::attachments::count(&mut tx, &post.id).await? + staged.rows.len() as i64 > i64::from(max) {
            return Err(AttachmentError::TooMany { max }.into());
        }
        record(&mut tx, &staged).await?;
        tx.commit().await?;
        Ok::<_, ForumError>(staged.rows.clone())
    }
    .await;
    staged.settle(state, written).await
}

/// One file, for whoever may read its post (404 otherwise: not a member,
/// the post deleted, or hidden from them).
pub async fn open(state: &AppState, viewer: Option<&Viewer>, id: &str) -> Result<AttachmentRow, ForumError> {
    let viewer = viewer.ok_or(ForumError::NotFound)?;
    let mut conn = state.db.pool().acquire().await?;
    let file = repo::attachments::by_id(&mut conn, id).await?.ok_or(ForumError::NotFound)?;
    let (access, post) = post_for(state, &mut conn, viewer, &PostId::from(file.post_id.as_str())).await?;
    let hidden_from_viewer = post.is_hidden() && !access.role.is_staff() && post.author_id != viewer.user_id;
    if post.is_deleted() || hidden_from_viewer {
        return Err(ForumError::NotFound);
    }
    Ok(file)
}

/// The files of these posts, by post.
pub(crate) async fn of_posts(
    conn: &mut AnyConnection,
    post_ids: &[String],
) -> Result<HashMap<String, Vec<AttachmentRow>>, ForumError> {
    let mut by_post: HashMap<String, Vec<AttachmentRow>> = HashMap::new();
    for row in repo::attachments::of_posts(conn, post_ids).await? {
        by_post.entry(row.post_id.clone()).or_default().push(row);
    }
    Ok(by_post)
}

/// Where a file is downloaded.
pub fn url(file: &AttachmentRow) -> String {
    format!("/forums/attachments/{}", file.id)
}
