//! PNG from the exported SVG: the same picture, rasterised with resvg at 1×, 2× or 4×.
//!
//! Fonts are embedded (egui's own Ubuntu Light and Hack), never looked up on the system, so a
//! headless server with no fonts draws the same pixels as a laptop.

use std::sync::{Arc, OnceLock};

use resvg::{tiny_skia, usvg};

/// The scales a picture can be exported at.
pub const SCALES: [u32; 3] = [1, 2, 4];

/// The largest picture we will allocate, in pixels (about 256 MB of RGBA).
pub const MAX_PIXELS: u64 = 64 * 1024 * 1024;

/// Why a picture could not be made.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum RasterError {
    /// The scale is not 1, 2 or 4.
    #[error("scale {0} is not one of 1, 2 or 4")]
    BadScale(u32),
    /// Too many pixels.
    #[error("{width}×{height} pixels is too large a picture (at most {MAX_PIXELS} pixels)")]
    TooLarge {
        /// Width in pixels.
        width: u64,
        /// Height in pixels.
        height: u64,
    },
    /// The SVG could not be read (a bug: we wrote it).
    #[error("the chart could not be drawn: {0}")]
    Svg(String),
}

/// The font family every exported SVG asks for first, as the embedded font names itself.
pub const EMBEDDED_FAMILY: &str = "Ubuntu";

pub(crate) fn options() -> &'static usvg::Options<'static> {
    static OPTIONS: OnceLock<usvg::Options<'static>> = OnceLock::new();
    OPTIONS.get_or_init(|| {
        let mut fonts = usvg::fontdb::Database::new();
        fonts.load_font_data(epaint_default_fonts::UBUNTU_LIGHT.to_vec());
        fonts.load_font_data(epaint_default_fonts::HACK_REGULAR.to_vec());
        fonts.set_sans_serif_family(EMBEDDED_FAMILY);
        fonts.set_serif_family(EMBEDDED_FAMILY);
        fonts.set_monospace_family("Hack");
        usvg::Options {
            font_family: EMBEDDED_FAMILY.to_string(),
            fontdb: Arc::new(fonts),
            ..usvg::Options::default()
        }
    })
}

/// The picture's size in pixels at `scale`, checked against [`MAX_PIXELS`].
pub fn pixel_size(width: u32, height: u32, scale: u32) -> Result<(u32, u32), RasterError> {
    if !SCALES.contains(&scale) {
        return Err(RasterError::BadScale(scale));
    }
    let (w, h) = (
        u64::from(width) * u64::from(scale),
        u64::from(height) * u64::from(scale),
    );
    if w == 0 || h == 0 || w * h > MAX_PIXELS || w > u64::from(u32::MAX) {
        return Err(RasterError::TooLarge {
            width: w,
            height: h,
        });
    }
    Ok((w as u32, h as u32))
}

/// Rasterises an SVG document at `scale` (1, 2 or 4) into PNG bytes. The PNG is exactly the
/// SVG's width and height times `scale`.
pub fn svg_to_png(svg: &str, scale: u32) -> Result<Vec<u8>, RasterError> {
    svg_to_pixmap(svg, scale)?
        .encode_png()
        .map_err(|e| RasterError::Svg(e.to_string()))
}

/// Rasterises an SVG document at `scale` into RGBA pixels: `(width, height, pixels)`. Every
/// exported picture has an opaque white background, so the pixels are plain RGBA.
pub fn svg_to_rgba(svg: &str, scale: u32) -> Result<(u32, u32, Vec<u8>), RasterError> {
    let pixmap = svg_to_pixmap(svg, scale)?;
    Ok((pixmap.width(), pixmap.height(), pixmap.take()))
}

fn svg_to_pixmap(svg: &str, scale: u32) -> Result<tiny_skia::Pixmap, RasterError> {
    let tree = usvg::Tree::from_str(svg, options()).map_err(|e| RasterError::Svg(e.to_string()))?;
    let size = tree.size();
    let (w, h) = pixel_size(
        size.width().round() as u32,
        size.height().round() as u32,
        scale,
    )?;
    let mut pixmap = tiny_skia::Pixmap::new(w, h).ok_or(RasterError::TooLarge {
        width: u64::from(w),
        height: u64::from(h),
    })?;
    let s = scale as f32;
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(s, s),
        &mut pixmap.as_mut(),
    );
    Ok(pixmap)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_font_is_found_by_the_family_the_svg_names() {
        let fonts = &options().fontdb;
        assert!(fonts
            .faces()
            .any(|f| f.families.iter().any(|(name, _)| name == EMBEDDED_FAMILY)));
    }

    #[test]
    fn sizes_are_checked() {
        assert_eq!(pixel_size(100, 50, 2), Ok((200, 100)));
        assert_eq!(pixel_size(100, 50, 3), Err(RasterError::BadScale(3)));
        assert!(matches!(
            pixel_size(100_000, 100_000, 4),
            Err(RasterError::TooLarge { .. })
        ));
        assert!(matches!(
            pixel_size(0, 10, 1),
            Err(RasterError::TooLarge { .. })
        ));
    }

    #[test]
    fn text_is_drawn_with_the_embedded_font() {
        let blank = r#"<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><rect width="200" height="40" fill="white"/></svg>"#;
        let text = r#"<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><rect width="200" height="40" fill="white"/><text x="4" y="30" font-size="24" font-family="Ubuntu, sans-serif">Faultline</text></svg>"#;
        let a = svg_to_png(blank, 1).unwrap();
        let b = svg_to_png(text, 1).unwrap();
        assert_ne!(a, b, "the text drew nothing: no font was found");
    }
}
