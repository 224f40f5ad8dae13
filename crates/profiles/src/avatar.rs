//! Avatar images: the type is checked on the content (not the file name or
//! declared type), the pixel size is bounded before decoding, and the image is
//! re-encoded as a 256×256 PNG — which also drops metadata and anything
//! smuggled after the image data.

use std::io::Cursor;

use image::{ImageFormat, ImageReader, Limits, imageops::FilterType};
use lyceum_platform::{AppError, Text};

pub const SIZE: u32 = 256;
const MAX_SIDE: u32 = 8000;
const ACCEPTED: [ImageFormat; 4] = [ImageFormat::Png, ImageFormat::Jpeg, ImageFormat::Gif, ImageFormat::WebP];

/// Validates and normalises an uploaded image; returns PNG bytes.
pub async fn normalise(data: bytes::Bytes, max_bytes: usize) -> Result<Vec<u8>, AppError> {
    if data.is_empty() {
        return Err(AppError::field("avatar", Text::new("profiles.errors.choose_image")));
    }
    if data.len() > max_bytes {
        return Err(AppError::payload_too_large(
            Text::new("profiles.errors.image_too_large").arg("size", data.len() / 1024).arg("max", max_bytes / 1024),
        ));
    }
    let format = image::guess_format(&data)
        .ok()
        .filter(|f| ACCEPTED.contains(f))
        .ok_or_else(|| AppError::unsupported_media_type(Text::new("profiles.errors.not_an_image")))?;
    tokio::task::spawn_blocking(move || decode_and_resize(&data, format)).await.map_err(AppError::internal)?
}

fn decode_and_resize(data: &[u8], format: ImageFormat) -> Result<Vec<u8>, AppError> {
    let unreadable = |_| AppError::unsupported_media_type(Text::new("profiles.errors.image_unreadable"));
    let mut reader = ImageReader::with_format(Cursor::new(data), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    reader.limits(limits);
    let image = reader.decode().map_err(unreadable)?;
    let square = image.resize_to_fill(SIZE, SIZE, FilterType::Triangle);
    let mut out = Vec::new();
    square.write_to(&mut Cursor::new(&mut out), ImageFormat::Png).map_err(AppError::internal)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> bytes::Bytes {
        let img = image::RgbImage::from_pixel(w, h, image::Rgb([10, 120, 200]));
        let mut out = Vec::new();
        img.write_to(&mut Cursor::new(&mut out), ImageFormat::Png).unwrap();
        out.into()
    }

    #[tokio::test]
    async fn resizes_to_a_square_png() {
        let out = normalise(png(640, 480), 1 << 20).await.unwrap();
        let img = image::load_from_memory(&out).unwrap();
        assert_eq!((img.width(), img.height()), (SIZE, SIZE));
        assert_eq!(image::guess_format(&out).unwrap(), ImageFormat::Png);
    }

    #[tokio::test]
    async fn rejects_non_images_oversize_and_empty() {
        let err = normalise(bytes::Bytes::from_static(b"<script>alert(1)</script>"), 1 << 20).await.unwrap_err();
        assert_eq!(err.status, 415);
        assert_eq!(normalise(png(10, 10), 10).await.unwrap_err().status, 413);
        assert_eq!(normalise(bytes::Bytes::new(), 10).await.unwrap_err().status, 422);
    }
}
