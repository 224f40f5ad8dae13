//! Upload checks on content, never on the file name or the declared type:
//! the media type comes from the first bytes (magic numbers, via `infer`),
//! and the size is checked against a limit.
//!
//! Only types a course may carry are recognised. SVG and HTML are not among
//! them (they run script when opened from our origin); text is accepted only
//! as plain text and is served as `text/plain` with `nosniff`.

use crate::AppError;

/// How many leading bytes [`sniff`] needs to tell every accepted type apart
/// (Office files are recognised by the names of their first zip entries).
pub const SNIFF_LEN: usize = 8192;

/// The families of files an upload may be limited to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    /// PNG, JPEG, WebP, GIF.
    Image,
    /// MP4, WebM.
    Video,
    Pdf,
    /// Zip-based documents: Word, Excel, PowerPoint, OpenDocument, EPUB.
    Document,
    /// UTF-8 text without control characters.
    Text,
}

/// A recognised type: its media type, usual extension and family.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Detected {
    pub mime: &'static str,
    pub extension: &'static str,
    pub family: Family,
}

const KNOWN: &[(&str, &str, Family)] = &[
    ("image/png", "png", Family::Image),
    ("image/jpeg", "jpg", Family::Image),
    ("image/webp", "webp", Family::Image),
    ("image/gif", "gif", Family::Image),
    ("video/mp4", "mp4", Family::Video),
    ("video/webm", "webm", Family::Video),
    ("application/pdf", "pdf", Family::Pdf),
    ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx", Family::Document),
    ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", Family::Document),
    ("application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx", Family::Document),
    ("application/vnd.oasis.opendocument.text", "odt", Family::Document),
    ("application/vnd.oasis.opendocument.spreadsheet", "ods", Family::Document),
    ("application/vnd.oasis.opendocument.presentation", "odp", Family::Document),
    ("application/epub+zip", "epub", Family::Document),
];

const TEXT: Detected = Detected { mime: "text/plain; charset=utf-8", extension: "txt", family: Family::Text };

/// The type of a file from its first bytes (pass at least [`SNIFF_LEN`] when
/// the file is that long), or `None` when it is none of the accepted types.
pub fn sniff(head: &[u8]) -> Option<Detected> {
    if let Some(kind) = infer::get(head) {
        let mime = kind.mime_type();
        return KNOWN.iter().find(|(m, ..)| *m == mime).map(|&(mime, extension, family)| Detected {
            mime,
            extension,
            family,
        });
    }
    is_plain_text(head).then_some(TEXT)
}

/// Non-empty UTF-8 without NUL or other control characters than tab, line
/// feed, form feed and carriage return. A character cut by the end of `head`
/// is allowed, since `head` may be a prefix of the file.
fn is_plain_text(head: &[u8]) -> bool {
    let valid = match std::str::from_utf8(head) {
        Ok(s) => s,
        Err(e) if e.error_len().is_none() => std::str::from_utf8(&head[..e.valid_up_to()]).unwrap_or_default(),
        Err(_) => return false,
    };
    !valid.is_empty() && valid.chars().all(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\x0c' | '\r'))
}

/// Why an upload is refused, phrased for the person uploading.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UploadError {
    #[error("The file is empty.")]
    Empty,
    #[error("The file is {size_kb} KB; the limit is {limit_kb} KB.")]
    TooLarge { size_kb: u64, limit_kb: u64 },
    #[error("This kind of file is not accepted here; allowed: {allowed}.")]
    Type { allowed: String },
}

/// Checks an upload of `size` bytes beginning with `head` against a size
/// limit and the allowed families; returns its type.
pub fn check(head: &[u8], size: u64, max_bytes: u64, allowed: &[Family]) -> Result<Detected, UploadError> {
    check_size(size, max_bytes)?;
    sniff(head).filter(|d| allowed.contains(&d.family)).ok_or_else(|| UploadError::Type { allowed: describe(allowed) })
}

/// The size half of [`check`], for streams that are counted as they arrive.
pub fn check_size(size: u64, max_bytes: u64) -> Result<(), UploadError> {
    if size == 0 {
        return Err(UploadError::Empty);
    }
    if size > max_bytes {
        return Err(UploadError::TooLarge { size_kb: size.div_ceil(1024), limit_kb: max_bytes / 1024 });
    }
    Ok(())
}

fn describe(allowed: &[Family]) -> String {
    let name = |f: &Family| match f {
        Family::Image => "PNG, JPEG, WebP or GIF images",
        Family::Video => "MP4 or WebM videos",
        Family::Pdf => "PDF documents",
        Family::Document => "Word, Excel, PowerPoint, OpenDocument or EPUB files",
        Family::Text => "plain text",
    };
    allowed.iter().map(name).collect::<Vec<_>>().join(", ")
}

impl From<UploadError> for AppError {
    fn from(err: UploadError) -> Self {
        match err {
            UploadError::Empty => AppError::bad_request(err.to_string()),
            UploadError::TooLarge { .. } => AppError::payload_too_large(err.to_string()),
            UploadError::Type { .. } => AppError::unsupported_media_type(err.to_string()),
        }
    }
}

/// The longest client file name kept (for display and downloads).
const NAME_MAX: usize = 120;

/// A client's file name as shown and offered on download, never used as a
/// key: its last path segment, without control characters, bounded; a name
/// made from the type (`file.pdf`) when nothing is left.
pub fn display_name(raw: &str, extension: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let name: String = last.chars().filter(|c| !c.is_control()).take(NAME_MAX).collect();
    let name = name.trim();
    if name.is_empty() || name.chars().all(|c| c == '.') { format!("file.{extension}") } else { name.to_string() }
}

#[cfg(test)]
mod tests;
