//! Cover images for demo courses, drawn rather than shipped: a diagonal
//! gradient in one of a few palettes with soft circles, distinct per course.

use image::{ImageFormat, Rgb, RgbImage};

const WIDTH: u32 = 960;
const HEIGHT: u32 = 540;

/// (from, to) colours; dark enough that white text over them would read.
const PALETTES: [([u8; 3], [u8; 3]); 6] = [
    ([29, 53, 87], [69, 123, 157]),
    ([94, 48, 35], [191, 102, 58]),
    ([38, 70, 83], [42, 157, 143]),
    ([61, 44, 99], [128, 90, 170]),
    ([20, 66, 46], [82, 140, 70]),
    ([90, 24, 60], [180, 60, 90]),
];

/// The PNG cover of the `index`th demo course.
pub fn render(index: usize) -> Vec<u8> {
    let (from, to) = PALETTES[index % PALETTES.len()];
    let circles = circles(index);
    let image = RgbImage::from_fn(WIDTH, HEIGHT, |x, y| {
        let t = (x as f32 / WIDTH as f32 + y as f32 / HEIGHT as f32) / 2.0;
        let mut px = [0u8; 3];
        for (i, p) in px.iter_mut().enumerate() {
            *p = (from[i] as f32 + (to[i] as f32 - from[i] as f32) * t) as u8;
        }
        let glow = circles.iter().filter(|(cx, cy, r)| (x as f32 - cx).hypot(y as f32 - cy) < *r).count();
        Rgb(px.map(|c| c.saturating_add(18 * glow as u8)))
    });
    let mut png = std::io::Cursor::new(Vec::new());
    image.write_to(&mut png, ImageFormat::Png).expect("encoding a PNG in memory cannot fail");
    png.into_inner()
}

/// Three circles placed by a small deterministic sequence, so covers differ but never change.
fn circles(index: usize) -> [(f32, f32, f32); 3] {
    let mut seed = (index as u32).wrapping_mul(2_654_435_761).wrapping_add(12_345);
    let mut next = |max: u32| {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        (seed % max) as f32
    };
    [0; 3].map(|_| (next(WIDTH), next(HEIGHT), 60.0 + next(200)))
}
