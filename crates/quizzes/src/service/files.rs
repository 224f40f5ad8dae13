//! What question files and essay files share: the platform's upload check
//! (type from the content, size limit) as this module's refusal, and an
//! import problem for a refused embedded file. (The client's name kept for
//! display is `upload::display_name`; objects whose rows are gone go with
//! `Storage::forget`.)

use lyceum_platform::upload::{self, Detected, Family, SNIFF_LEN, UploadError};

use crate::{QuizError, error::FileRefusal};

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
    fn svg_is_not_an_image_here() {
        let svg = br#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#;
        assert!(matches!(check(svg, 1 << 20, &[Family::Image]), Err(QuizError::File(FileRefusal::NotAnImage))));
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
        assert!(matches!(check(png, 4, &[Family::Image]), Err(QuizError::File(FileRefusal::TooLarge { .. }))));
        assert_eq!(check(png, 1 << 20, &[Family::Image]).unwrap().mime, "image/png");
    }
}
