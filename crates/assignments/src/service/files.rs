//! The platform's upload check (type from the content, size limit) as this
//! module's refusal.

use lyceum_platform::upload::{self, Detected, Family, SNIFF_LEN, UploadError};

use crate::{
    AssignmentError,
    error::FileRefusal,
    model::{FileKind, Settings},
};

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

/// A file for an assignment: recognised on its content, within the
/// per-file limit, of a kind the assignment accepts.
pub(crate) fn check_for(
    settings: &Settings,
    name: &str,
    data: &[u8],
    max_bytes: usize,
) -> Result<Detected, AssignmentError> {
    let detected = check(data, max_bytes)?;
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
