//! The platform's upload check (type from the content, size limit) as this
//! module's refusal, the client's name kept for display, and removing
//! objects whose rows are gone.

use lyceum_platform::{
    storage::Storage,
    upload::{self, Detected, Family, SNIFF_LEN, UploadError},
};

use crate::{AssignmentError, error::FileRefusal};

/// What a submission's files may be: documents, PDF, images, plain text.
pub(crate) const ACCEPTED: [Family; 4] = [Family::Document, Family::Pdf, Family::Image, Family::Text];

/// The longest client file name kept (for display and downloads).
const NAME_MAX: usize = 120;

pub(crate) fn check(data: &[u8], max_bytes: usize) -> Result<Detected, AssignmentError> {
    let head = &data[..data.len().min(SNIFF_LEN)];
    upload::check(head, data.len() as u64, max_bytes as u64, &ACCEPTED).map_err(|e| {
        AssignmentError::File(match e {
            UploadError::Empty => FileRefusal::Empty,
            UploadError::TooLarge { size_kb, limit_kb } => FileRefusal::TooLarge { size_kb, limit_kb },
            UploadError::Type { .. } => FileRefusal::NotAccepted,
        })
    })
}

/// The client's file name as shown and offered on download: its last path
/// segment, without control characters, bounded; a name made from the type
/// when nothing is left.
pub(crate) fn display_name(raw: &str, extension: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let name: String = last.chars().filter(|c| !c.is_control()).take(NAME_MAX).collect();
    let name = name.trim();
    if name.is_empty() || name.chars().all(|c| c == '.') { format!("file.{extension}") } else { name.to_string() }
}

/// Removes stored objects (after their rows were deleted, or were never
/// written). A leftover object is harmless: nothing names it.
pub(crate) async fn remove(storage: &Storage, keys: &[String]) {
    for key in keys {
        if let Err(e) = storage.delete(key).await {
            tracing::warn!(%key, error = %e, "assignment file not removed");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_name_is_only_shown() {
        assert_eq!(display_name("C:\\Users\\ada\\essay.pdf", "pdf"), "essay.pdf");
        assert_eq!(display_name("../../etc/passwd", "txt"), "passwd");
        assert_eq!(display_name("..", "pdf"), "file.pdf");
    }

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
}
