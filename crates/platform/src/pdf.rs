//! What the PDF documents (certificates, invoices) share: the embedded font
//! (DejaVu Sans, subset into each document, so Latin, Greek and Cyrillic names
//! print as written), text measured with the font's own widths, and a line of
//! text drawn at a point. Laying a page out is each document's own business.

use std::sync::LazyLock;

pub use krilla;
use krilla::{
    color::rgb,
    geom::Point,
    paint::Fill,
    surface::Surface,
    text::{Font, TextDirection},
};
use skrifa::{
    FontRef, MetadataProvider,
    instance::{LocationRef, Size},
};

/// A font face: its bytes (to measure) and krilla's handle (to draw).
pub struct Face {
    data: &'static [u8],
    pub font: Font,
}

impl Face {
    fn load(data: &'static [u8]) -> Self {
        let font = Font::new(data.into(), 0).expect("the embedded DejaVu font parses");
        Self { data, font }
    }

    /// The width of `text` set at `size`, in points.
    pub fn width(&self, text: &str, size: f32) -> f32 {
        let Ok(font) = FontRef::new(self.data) else { return 0.0 };
        let (charmap, metrics) = (font.charmap(), font.glyph_metrics(Size::new(size), LocationRef::default()));
        text.chars().filter_map(|c| charmap.map(c)).filter_map(|g| metrics.advance_width(g)).sum()
    }

    /// `size`, or smaller so that `text` fits in `room` points.
    pub fn fitting(&self, text: &str, size: f32, room: f32) -> f32 {
        let width = self.width(text, size);
        if width > room { size * room / width } else { size }
    }

    /// Draws `text` with its baseline starting at (`x`, `baseline`).
    pub fn draw(&self, surface: &mut Surface, (x, baseline): (f32, f32), size: f32, colour: rgb::Color, text: &str) {
        surface.set_fill(Some(Fill { paint: colour.into(), ..Default::default() }));
        surface.draw_text(Point::from_xy(x, baseline), self.font.clone(), size, text, false, TextDirection::Auto);
    }
}

pub static REGULAR: LazyLock<Face> = LazyLock::new(|| Face::load(dejavu::sans::regular()));
pub static BOLD: LazyLock<Face> = LazyLock::new(|| Face::load(dejavu::sans::bold()));

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_come_from_the_font_and_long_text_shrinks_to_fit() {
        assert!(REGULAR.width("WWW", 10.0) > REGULAR.width("iii", 10.0));
        let long = "A very long course title that goes on and on about everything one could learn".repeat(2);
        let size = BOLD.fitting(&long, 24.0, 500.0);
        assert!(size < 24.0);
        let width = BOLD.width(&long, size);
        assert!(width <= 500.0 && width > 0.98 * 500.0, "{width}");
        assert_eq!(BOLD.fitting("Short", 24.0, 500.0), 24.0);
    }
}
