//! A certificate as a one-page PDF (A4 landscape) to download and keep: the
//! same words as the verification page, in the reader's language, with the
//! page's address to check it. The text is set in DejaVu Sans, embedded and
//! subset (Latin, Greek and Cyrillic names print as written).

use lyceum_platform::pdf::{
    BOLD, Face, REGULAR,
    krilla::{
        Document,
        color::rgb,
        geom::{PathBuilder, Rect},
        metadata::Metadata,
        page::PageSettings,
        paint::Stroke,
    },
};

/// A4 landscape, in points.
const WIDTH: f32 = 842.0;
const HEIGHT: f32 = 595.0;
/// Text never comes closer to the page's edges than this.
const MARGIN: f32 = 72.0;

/// What the certificate says, already in the reader's language.
#[derive(Debug, Clone)]
pub struct CertificateText {
    pub title: String,
    pub certifies: String,
    pub learner: String,
    pub completed: String,
    pub course: String,
    /// "Instructors: …", or empty.
    pub instructors: String,
    /// "Issued: 2026-12-05".
    pub issued: String,
    /// "Verify at https://…/certificates/CODE".
    pub verify: String,
}

/// The PDF's bytes.
pub fn render(text: &CertificateText) -> Result<Vec<u8>, String> {
    let mut document = Document::new();
    document.set_metadata(Metadata::new().title(format!("{} · {}", text.title, text.course)).creator("Lyceum".into()));
    let settings = PageSettings::from_wh(WIDTH, HEIGHT).ok_or("page size")?;
    let mut page = document.start_page_with(settings);
    let mut surface = page.surface();

    // A double frame, in the interface's primary colour.
    let primary = rgb::Color::new(37, 99, 235);
    for (inset, width) in [(24.0, 3.0), (32.0, 0.75)] {
        let mut frame = PathBuilder::new();
        frame.push_rect(Rect::from_xywh(inset, inset, WIDTH - 2.0 * inset, HEIGHT - 2.0 * inset).ok_or("frame")?);
        surface.set_fill(None);
        surface.set_stroke(Some(Stroke { paint: primary.into(), width, ..Default::default() }));
        surface.draw_path(&frame.finish().ok_or("frame")?);
    }
    surface.set_stroke(None);

    let dark = rgb::Color::new(17, 24, 39);
    let muted = rgb::Color::new(75, 85, 99);
    let lines: [(&str, &Face, f32, rgb::Color, f32); 8] = [
        (&text.title, &BOLD, 34.0, primary, 130.0),
        (&text.certifies, &REGULAR, 16.0, muted, 190.0),
        (&text.learner, &BOLD, 30.0, dark, 240.0),
        (&text.completed, &REGULAR, 16.0, muted, 290.0),
        (&text.course, &BOLD, 24.0, dark, 335.0),
        (&text.instructors, &REGULAR, 14.0, muted, 380.0),
        (&text.issued, &REGULAR, 14.0, muted, 440.0),
        (&text.verify, &REGULAR, 10.0, muted, 520.0),
    ];
    for (words, face, size, colour, baseline) in lines {
        if words.is_empty() {
            continue;
        }
        let size = face.fitting(words, size, WIDTH - 2.0 * MARGIN);
        let x = (WIDTH - face.width(words, size)) / 2.0;
        face.draw(&mut surface, (x, baseline), size, colour, words);
    }
    surface.finish();
    page.finish();
    document.finish().map_err(|e| format!("{e:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(learner: &str, course: &str) -> CertificateText {
        CertificateText {
            title: "Certificate of completion".into(),
            certifies: "This certifies that".into(),
            learner: learner.into(),
            completed: "has completed the course".into(),
            course: course.into(),
            instructors: "Instructors: Grace Hopper".into(),
            issued: "Issued: 2026-12-05".into(),
            verify: "Verify at http://localhost:8080/certificates/ABCD-EFGH".into(),
        }
    }

    #[test]
    fn makes_a_one_page_pdf_with_the_font_embedded() {
        let pdf = render(&text("Zoë Łukasiewicz-Ångström", "Rust for the web")).unwrap();
        assert!(pdf.starts_with(b"%PDF-"), "a PDF");
        let raw = String::from_utf8_lossy(&pdf);
        assert_eq!(raw.matches("/Type/Page").count() - raw.matches("/Type/Pages").count(), 1, "one page");
        assert!(raw.contains("DejaVuSans"), "the font is embedded by name");
        assert!(raw.contains("/ToUnicode"), "text can be copied and searched");
    }
}
