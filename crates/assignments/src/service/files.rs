//! An uploaded file as it arrives, streamed to storage: its type decided
//! from its first bytes (the platform's check), its size limit enforced
//! while it streams; and the platform's refusals as this module's.

use axum::body::Bytes;
use futures::{Stream, StreamExt};
use lyceum_platform::{
    AppError, AppState,
    storage::StorageError,
    upload::{self, Detected, Family, SNIFF_LEN, UploadError},
};

use crate::{
    AssignmentError,
    error::FileRefusal,
    model::{FileKind, Settings},
};

/// Why an upload's stream stopped before its end (the edge tells which).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Interrupted {
    /// The request went past its route's body limit.
    BodyLimit,
    /// The client broke off, or sent a malformed body.
    BrokeOff,
}

/// A file as it arrives: its first bytes, read to decide its type, then the
/// rest, never held whole in memory.
pub struct Incoming<S> {
    head: Bytes,
    rest: S,
    max_bytes: usize,
}

impl<S> Incoming<S>
where
    S: Stream<Item = Result<Bytes, Interrupted>> + Unpin + Send,
{
    /// Reads the first [`SNIFF_LEN`] bytes of `upload` (fewer when it is
    /// shorter): chunks are buffered until there are that many.
    pub async fn open(mut upload: S, max_bytes: usize) -> Result<Self, AssignmentError> {
        let mut head = Vec::new();
        while head.len() < SNIFF_LEN {
            match upload.next().await {
                Some(chunk) => head.extend_from_slice(&chunk.map_err(|why| interrupted(why, max_bytes))?),
                None => break,
            }
        }
        Ok(Self { head: head.into(), rest: upload, max_bytes })
    }

    /// The bytes the type is decided on.
    pub fn head(&self) -> &[u8] {
        &self.head
    }

    /// Streams the whole file to `key`; returns its size. Past the limit, or
    /// broken off, the store aborts and no object is left.
    pub async fn store(self, state: &AppState, key: &str, content_type: &str) -> Result<u64, AssignmentError> {
        let max = self.max_bytes;
        let mut seen = 0usize;
        let body = futures::stream::iter([Ok(self.head)]).chain(self.rest).map(move |chunk| {
            let chunk = chunk.map_err(|why| match why {
                Interrupted::BodyLimit => StorageError::TooLarge(max),
                Interrupted::BrokeOff => StorageError::Source("the upload broke off".into()),
            })?;
            seen += chunk.len();
            if seen > max {
                return Err(StorageError::TooLarge(max));
            }
            Ok(chunk)
        });
        match state.storage.put_stream(key, content_type, body).await {
            Ok(size) => Ok(size),
            Err(StorageError::TooLarge(_)) => Err(interrupted(Interrupted::BodyLimit, max)),
            Err(StorageError::Source(_)) => Err(interrupted(Interrupted::BrokeOff, max)),
            Err(e) => Err(AppError::from(e).into()),
        }
    }
}

/// A file about to be stored from an upload (its size known once stored),
/// before the row that names it is written.
#[derive(Debug, Clone)]
pub struct Stored {
    pub id: String,
    pub storage_key: String,
    /// The display name, with the extension of its detected type.
    pub name: String,
    pub content_type: String,
    pub size: i64,
    pub created_at: i64,
}

impl Stored {
    /// A new file of type `detected` under `{prefix}/{id}.{extension}`.
    pub fn new(detected: &Detected, prefix: &str, name: &str) -> Self {
        let id = lyceum_platform::db::new_id();
        Self {
            storage_key: format!("{prefix}/{id}.{}", detected.extension),
            id,
            name: upload::display_name(name, detected.extension),
            content_type: detected.mime.to_string(),
            size: 0,
            created_at: lyceum_platform::db::now_ms(),
        }
    }
}

impl<S> Incoming<S>
where
    S: Stream<Item = Result<Bytes, Interrupted>> + Unpin + Send,
{
    /// Stores the upload as `file`, then records it with `record` (its row,
    /// fenced as the caller needs); a refused record deletes the stored
    /// object again. Every file the module keeps goes this way.
    pub async fn keep<T>(
        self,
        state: &AppState,
        mut file: Stored,
        record: impl AsyncFnOnce(&Stored) -> Result<T, AssignmentError>,
    ) -> Result<T, AssignmentError> {
        let stored = self.store(state, &file.storage_key, &file.content_type).await?;
        file.size = i64::try_from(stored).unwrap_or(i64::MAX);
        let recorded = record(&file).await;
        if recorded.is_err() {
            state.storage.forget(std::slice::from_ref(&file.storage_key)).await;
        }
        recorded
    }
}

fn interrupted(why: Interrupted, max_bytes: usize) -> AssignmentError {
    AssignmentError::File(match why {
        Interrupted::BodyLimit => FileRefusal::TooLarge { limit_kb: max_bytes as u64 / 1024 },
        Interrupted::BrokeOff => {
            tracing::info!("an assignment upload broke off");
            FileRefusal::BrokeOff
        }
    })
}

/// What a submission's files may ever be: documents, PDF, images, plain
/// text (an assignment may accept fewer: `Settings::accepted_kinds`).
pub(crate) const ACCEPTED: [Family; 4] = [Family::Document, Family::Pdf, Family::Image, Family::Text];

/// The kind of a recognised file.
fn kind_of(family: Family) -> Option<FileKind> {
    Some(match family {
        Family::Document => FileKind::Document,
        Family::Pdf => FileKind::Pdf,
        Family::Image => FileKind::Image,
        Family::Text => FileKind::Text,
        Family::Video => return None,
    })
}

/// A file for an assignment (from its `head`, see [`check`]): recognised on
/// its content, of a kind the assignment accepts.
pub(crate) fn check_for(
    settings: &Settings,
    name: &str,
    head: &[u8],
    max_bytes: usize,
) -> Result<Detected, AssignmentError> {
    let detected = check(head, max_bytes)?;
    if kind_of(detected.family).is_some_and(|kind| settings.accepts(kind)) {
        Ok(detected)
    } else {
        Err(AssignmentError::KindNotAccepted { name: name.to_string(), accepted: settings.accepted_kinds.clone() })
    }
}

/// Refuses a file of `size` bytes that does not fit in the room all files
/// of the submission share (`used` taken already).
pub(crate) fn check_room(settings: &Settings, name: &str, used: i64, size: i64) -> Result<(), AssignmentError> {
    let used = u64::try_from(used).unwrap_or(0);
    let size = u64::try_from(size).unwrap_or(0);
    match settings.room_left(used) {
        Some(left) if size > left => {
            Err(AssignmentError::NoRoom { name: name.to_string(), size, left, max: settings.max_total_bytes })
        }
        _ => Ok(()),
    }
}

/// The type of a file from its `head` (its first [`SNIFF_LEN`] bytes, or all
/// of it when shorter); refused when empty, when the head alone is past the
/// limit (the rest is counted as it streams), or of a type never accepted.
pub(crate) fn check(head: &[u8], max_bytes: usize) -> Result<Detected, AssignmentError> {
    let sniffed = &head[..head.len().min(SNIFF_LEN)];
    upload::check(sniffed, head.len() as u64, max_bytes as u64, &ACCEPTED).map_err(|e| {
        AssignmentError::File(match e {
            UploadError::Empty => FileRefusal::Empty,
            UploadError::TooLarge { limit_kb, .. } => FileRefusal::TooLarge { limit_kb },
            UploadError::Type { .. } => FileRefusal::NotAccepted,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_and_executables_are_refused_on_their_content() {
        let html = b"<html><script>alert(1)</script></html>";
        assert!(check(b"MZ\x90\x00\x03\x00\x00\x00\x04\x00", 1 << 20).is_err());
        assert_eq!(check(b"%PDF-1.7\n", 1 << 20).unwrap().mime, "application/pdf");
        assert!(matches!(check(b"", 1 << 20), Err(AssignmentError::File(FileRefusal::Empty))));
        assert!(matches!(check(b"%PDF-1.7\n", 4), Err(AssignmentError::File(FileRefusal::TooLarge { .. }))));
        // Markup is refused or kept as plain text (served as a download): never as a page.
        assert!(check(html, 1 << 20).map_or(true, |d| d.mime.starts_with("text/plain")));
    }

    #[tokio::test]
    async fn the_head_is_gathered_from_the_chunks_as_they_come() {
        let chunks = (0..SNIFF_LEN / 100 + 5).map(|_| Ok(Bytes::from(vec![b'a'; 100])));
        let incoming = Incoming::open(futures::stream::iter(chunks), 1 << 20).await.unwrap();
        assert_eq!(incoming.head().len(), (SNIFF_LEN / 100 + 1) * 100, "whole chunks, up to the first past SNIFF_LEN");
        assert_eq!(incoming.rest.count().await, 4, "the rest is left to stream");
        let short = Incoming::open(futures::stream::iter([Ok(Bytes::from_static(b"%PDF-1.7\n"))]), 1 << 20);
        assert_eq!(short.await.unwrap().head(), b"%PDF-1.7\n");
        let cut = Incoming::open(futures::stream::iter([Err(Interrupted::BodyLimit)]), 2048).await;
        assert!(matches!(cut, Err(AssignmentError::File(FileRefusal::TooLarge { limit_kb: 2 }))));
    }

    #[test]
    fn an_assignment_takes_only_its_kinds_and_its_room() {
        let pdf_only = Settings { accepted_kinds: vec![FileKind::Pdf], max_total_bytes: 100, ..Settings::default() };
        assert!(check_for(&pdf_only, "a.pdf", b"%PDF-1.7\n", 1 << 20).is_ok());
        let refused = check_for(&pdf_only, "notes.txt", b"notes\n", 1 << 20);
        assert!(matches!(refused, Err(AssignmentError::KindNotAccepted { ref name, .. }) if name == "notes.txt"));
        assert!(check_room(&pdf_only, "a.pdf", 60, 40).is_ok());
        assert!(matches!(check_room(&pdf_only, "b.pdf", 60, 41), Err(AssignmentError::NoRoom { left: 40, .. })));
        assert!(check_room(&Settings::default(), "big.pdf", 1 << 40, 1 << 40).is_ok());
    }
}
