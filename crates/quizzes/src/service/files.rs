//! What question files and essay files share: the platform's upload check
//! (type from the content, size limit) as this module's refusal, the
//! client's name kept for display, and removing objects whose rows are gone.

use lyceum_platform::{
    storage::Storage,
    upload::{self, Detected, Family, SNIFF_LEN, UploadError},
};

use crate::{QuizError, error::FileRefusal};

/// The longest client file name kept (for display and downloads).
const NAME_MAX: usize = 120;

/// Checks an upload on its content against the families allowed here and
/// a size limit; returns its type.
pub(crate) fn check(data: &[u8], max_bytes: usize, allowed: &[Family]) -> Result<Detected, QuizError> {
    let head = &data[..data.len().min(SNIFF_LEN)];
    upload::check(head, data.len() as u64, max_bytes as u64, allowed).map_err(|e| {
        QuizError::File(match e {
            UploadError::Empty => FileRefusal::Empty,
            UploadError::TooLarge { size_kb, limit_kb } => FileRefusal::TooLarge { size_kb, limit_kb },
            UploadError::Type { .. } if allowed == [Family::Image] => FileRefusal::NotAnImage,
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
            tracing::warn!(%key, error = %e, "quiz file not removed");
        }
    }
}

/// An import problem for a question refused for one of its files.
pub(crate) fn import_problem(question: &str, file: &str, why: FileRefusal) -> String {
    let reason = match why {
        FileRefusal::Empty => "it is empty".to_string(),
        FileRefusal::TooLarge { size_kb, limit_kb } => format!("it is {size_kb} KB; the limit is {limit_kb} KB"),
        FileRefusal::NotAnImage | FileRefusal::NotAccepted => {
            "only PNG, JPEG, GIF or WebP images are stored (not SVG)".to_string()
        }
    };
    format!("\"{question}\": the embedded file \"{file}\" is not imported: {reason}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_name_is_only_shown() {
        assert_eq!(display_name("C:\\Users\\ada\\essay.pdf", "pdf"), "essay.pdf");
        assert_eq!(display_name("../../etc/passwd", "txt"), "passwd");
        assert_eq!(display_name("a\r\nb.png", "png"), "ab.png");
        assert_eq!(display_name("..", "png"), "file.png");
        assert_eq!(display_name("", "jpg"), "file.jpg");
    }

    #[test]
    fn svg_is_not_an_image_here() {
        let svg = br#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#;
        assert!(matches!(check(svg, 1 << 20, &[Family::Image]), Err(QuizError::File(FileRefusal::NotAnImage))));
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
        assert!(matches!(check(png, 4, &[Family::Image]), Err(QuizError::File(FileRefusal::TooLarge { .. }))));
        assert_eq!(check(png, 1 << 20, &[Family::Image]).unwrap().mime, "image/png");
    }
}
