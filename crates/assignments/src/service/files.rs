//! The platform's upload check (type from the content, size limit) as this
//! module's refusal.

use lyceum_platform::upload::{self, Detected, Family, SNIFF_LEN, UploadError};

use crate::{AssignmentError, error::FileRefusal};

/// What a submission's files may be: documents, PDF, images, plain text.
pub(crate) const ACCEPTED: [Family; 4] = [Family::Document, Family::Pdf, Family::Image, Family::Text];

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
}
