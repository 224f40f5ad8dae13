//! An invoice as a one-page PDF (A4 portrait): the same words as the HTML
//! invoice, already in the reader's language, set in the platform's embedded
//! font. Rows are (label, amount) pairs, amounts aligned on the right.

use lyceum_platform::pdf::{
    BOLD, REGULAR,
    krilla::{Document, color::rgb, metadata::Metadata, page::PageSettings},
};

const WIDTH: f32 = 595.0;
const HEIGHT: f32 = 842.0;
const MARGIN: f32 = 56.0;

/// What the invoice says, already translated and formatted.
#[derive(Debug, Clone, Default)]
pub struct InvoiceText {
    /// "Invoice INV-000042".
    pub title: String,
    /// "Issued 2026-12-07 · Order L-1A2B3C4D".
    pub issued: String,
    /// The seller's lines (name, address lines, VAT number, e-mail).
    pub seller: Vec<String>,
    /// "Bill to" and the buyer's lines.
    pub buyer_heading: String,
    pub buyer: Vec<String>,
    /// What was bought: (description, amount).
    pub lines: Vec<(String, String)>,
    /// Subtotal, discount, tax, total: (label, amount); the last one is set in bold.
    pub totals: Vec<(String, String)>,
    /// "Paid with Card (Stripe) on …", refunds.
    pub notes: Vec<String>,
}

/// The PDF's bytes.
pub fn render(text: &InvoiceText) -> Result<Vec<u8>, String> {
    let mut document = Document::new();
    document.set_metadata(Metadata::new().title(text.title.clone()).creator("Lyceum".into()));
    let settings = PageSettings::from_wh(WIDTH, HEIGHT).ok_or("page size")?;
    let mut page = document.start_page_with(settings);
    let mut surface = page.surface();
    let dark = rgb::Color::new(17, 24, 39);
    let muted = rgb::Color::new(75, 85, 99);
    let room = WIDTH - 2.0 * MARGIN;

    let mut y = MARGIN + 24.0;
    BOLD.draw(&mut surface, (MARGIN, y), BOLD.fitting(&text.title, 22.0, room), dark, &text.title);
    y += 22.0;
    REGULAR.draw(&mut surface, (MARGIN, y), 10.0, muted, &text.issued);
    y += 34.0;
    let half = room / 2.0 - 12.0;
    let column_top = y;
    for (i, line) in text.seller.iter().enumerate() {
        let face = if i == 0 { &*BOLD } else { &*REGULAR };
        face.draw(&mut surface, (MARGIN, y), face.fitting(line, 10.0, half), dark, line);
        y += 14.0;
    }
    let mut right_y = column_top;
    let right_x = MARGIN + room / 2.0 + 12.0;
    REGULAR.draw(&mut surface, (right_x, right_y), 9.0, muted, &text.buyer_heading);
    right_y += 14.0;
    for line in &text.buyer {
        REGULAR.draw(&mut surface, (right_x, right_y), REGULAR.fitting(line, 10.0, half), dark, line);
        right_y += 14.0;
    }
    y = y.max(right_y) + 28.0;

    let amount_room = 110.0;
    let row = |surface: &mut _, y: f32, (label, amount): &(String, String), bold: bool| {
        let face = if bold { &*BOLD } else { &*REGULAR };
        let size = face.fitting(label, 11.0, room - amount_room);
        face.draw(surface, (MARGIN, y), size, dark, label);
        let width = face.width(amount, 11.0);
        face.draw(surface, (WIDTH - MARGIN - width, y), 11.0, dark, amount);
    };
    for line in &text.lines {
        row(&mut surface, y, line, false);
        y += 18.0;
    }
    y += 10.0;
    let last = text.totals.len().saturating_sub(1);
    for (i, total) in text.totals.iter().enumerate() {
        row(&mut surface, y, total, i == last);
        y += 18.0;
    }
    y += 18.0;
    for note in &text.notes {
        REGULAR.draw(&mut surface, (MARGIN, y), REGULAR.fitting(note, 9.0, room), muted, note);
        y += 13.0;
    }
    surface.finish();
    page.finish();
    document.finish().map_err(|e| format!("{e:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn makes_a_one_page_pdf_with_every_part() {
        let text = InvoiceText {
            title: "Invoice INV-000042".into(),
            issued: "Issued 2026-12-07 · Order L-1A2B3C4D".into(),
            seller: vec!["École Łódź".into(), "1 rue de la Paix".into(), "VAT FR123".into()],
            buyer_heading: "Bill to".into(),
            buyer: vec!["Zoë Ångström".into(), "zoe@example.org".into()],
            lines: vec![("Rust for the web".into(), "€49.00".into())],
            totals: vec![("Total".into(), "€49.00".into())],
            notes: vec!["Paid with card".into()],
        };
        let pdf = render(&text).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        let raw = String::from_utf8_lossy(&pdf);
        assert_eq!(raw.matches("/Type/Page").count() - raw.matches("/Type/Pages").count(), 1, "one page");
        assert!(raw.contains("DejaVuSans") && raw.contains("/ToUnicode"));
    }
}
