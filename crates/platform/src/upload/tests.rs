//! File heads as real files start (the signatures `infer` checks), padded as
//! a real file would be, and impostors that a name or declared type would let through.

use super::*;

fn padded(head: &[u8]) -> Vec<u8> {
    let mut v = head.to_vec();
    v.resize(600, 0);
    v
}

/// The start of a zip whose first entry is `name` holding `content`.
fn zip_with_first_entry(name: &str, content: &[u8]) -> Vec<u8> {
    let mut v = b"PK\x03\x04".to_vec();
    v.resize(0x1E, 0);
    v.extend_from_slice(name.as_bytes());
    v.extend_from_slice(content);
    padded(&v)
}

fn webm() -> Vec<u8> {
    let mut v = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01".to_vec();
    v.extend_from_slice(b"\x42\x82\x84webm");
    padded(&v)
}

fn epub() -> Vec<u8> {
    zip_with_first_entry("mimetype", b"application/epub+zip")
}

fn mime(data: &[u8]) -> Option<&'static str> {
    sniff(data).map(|d| d.mime)
}

#[test]
fn recognises_every_accepted_type_by_content() {
    let cases: Vec<(Vec<u8>, &str, Family)> = vec![
        (padded(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), "image/png", Family::Image),
        (padded(b"\xff\xd8\xff\xe0\0\x10JFIF\0"), "image/jpeg", Family::Image),
        (padded(b"RIFF\x24\0\0\0WEBPVP8 "), "image/webp", Family::Image),
        (padded(b"GIF89a\x01\0\x01\0"), "image/gif", Family::Image),
        (padded(b"\0\0\0\x18ftypmp42\0\0\0\0mp42isom"), "video/mp4", Family::Video),
        (webm(), "video/webm", Family::Video),
        (padded(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"), "application/pdf", Family::Pdf),
        (
            zip_with_first_entry("word/document.xml", b""),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Family::Document,
        ),
        (
            zip_with_first_entry("xl/workbook.xml", b""),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Family::Document,
        ),
        (
            zip_with_first_entry("mimetype", b"application/vnd.oasis.opendocument.text"),
            "application/vnd.oasis.opendocument.text",
            Family::Document,
        ),
        (epub(), "application/epub+zip", Family::Document),
        (b"Week 1: read chapter 2.\r\n\tThen answer.\n".to_vec(), "text/plain; charset=utf-8", Family::Text),
        ("Ελληνικά — ünïcödé\n".as_bytes().to_vec(), "text/plain; charset=utf-8", Family::Text),
    ];
    for (data, expected, family) in cases {
        let detected = sniff(&data).unwrap_or_else(|| panic!("{expected} not recognised"));
        assert_eq!((detected.mime, detected.family), (expected, family));
    }
}

#[test]
fn refuses_what_could_run_script_or_is_unknown() {
    assert_eq!(mime(b"<!DOCTYPE html><html><script>alert(1)</script>"), None, "HTML");
    assert_eq!(mime(b"<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"/>"), None, "SVG");
    assert_eq!(mime(&padded(b"MZ\x90\0\x03\0\0\0")), None, "Windows executable");
    assert_eq!(mime(&padded(b"\x7fELF\x02\x01\x01")), None, "ELF");
    assert_eq!(mime(&zip_with_first_entry("payload.js", b"")), None, "a plain zip");
    assert_eq!(mime(b"text\0with NUL"), None, "binary with a NUL");
    assert_eq!(mime(b"\x1b[31mescape codes"), None, "control characters");
    assert_eq!(mime(b"\xff\xfe not utf-8 \xc3\x28"), None, "invalid UTF-8");
    assert_eq!(mime(b""), None, "empty");
}

#[test]
fn a_text_prefix_may_end_inside_a_character() {
    let text = "café".as_bytes();
    assert_eq!(mime(&text[..text.len() - 1]), Some("text/plain; charset=utf-8"));
}

#[test]
fn check_applies_the_allowed_families_and_the_size_limit() {
    let png = padded(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    let ok = check(&png, 1000, 2048, &[Family::Image, Family::Pdf]).unwrap();
    assert_eq!(ok.extension, "png");

    let err = check(&png, 1000, 2048, &[Family::Video]).unwrap_err();
    assert_eq!(err, UploadError::Type { allowed: "MP4 or WebM videos".into() });
    assert_eq!(AppError::from(err).status, http::StatusCode::UNSUPPORTED_MEDIA_TYPE);

    let err = check(&png, 4097, 4096, &[Family::Image]).unwrap_err();
    assert_eq!(err, UploadError::TooLarge { size_kb: 5, limit_kb: 4 });
    assert_eq!(err.to_string(), "The file is 5 KB; the limit is 4 KB.");
    assert_eq!(AppError::from(err).status, http::StatusCode::PAYLOAD_TOO_LARGE);

    assert!(check(&png, 4096, 4096, &[Family::Image]).is_ok(), "the limit itself is allowed");
    assert_eq!(check(&png, 0, 4096, &[Family::Image]).unwrap_err(), UploadError::Empty);
}

#[test]
fn a_declared_image_that_is_a_pdf_is_a_pdf() {
    // What a name like `photo.png` would hide: the content decides.
    let pdf = padded(b"%PDF-1.4\n");
    assert!(check(&pdf, 600, 4096, &[Family::Image]).is_err());
    assert_eq!(check(&pdf, 600, 4096, &[Family::Pdf]).unwrap().mime, "application/pdf");
}

#[test]
fn a_client_name_is_only_shown() {
    assert_eq!(display_name("C:\\Users\\ada\\essay.pdf", "pdf"), "essay.pdf");
    assert_eq!(display_name("../../etc/passwd", "txt"), "passwd");
    assert_eq!(display_name("a\r\nb.png", "png"), "ab.png");
    assert_eq!(display_name("..", "png"), "file.png");
    assert_eq!(display_name("", "jpg"), "file.jpg");
}
