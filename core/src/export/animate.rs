//! Playback as pictures: the timeline, the actor network or the map drawn once per step of
//! the events' time (see [`crate::query::playback`]), each frame titled with its period, as
//! numbered PNG frames or one animated GIF. Every frame is an ordinary export of its step,
//! through the same renderer.

use crate::query::playback::{step_at, step_count, PlaybackSpec, Step};
use crate::query::{Engine, Filter};

use super::{render, title_of, Chart, ExportError, ExportKind, ExportRequest, FileFormat};

/// The most frames an animation may have (a longer step makes fewer).
pub const MAX_FRAMES: usize = 2000;

/// Why an animation could not be made.
#[derive(Debug, thiserror::Error)]
pub enum AnimationError {
    /// Only the timeline, the actor network and the map animate.
    #[error("the {} cannot be animated (the timeline, the actor network and the map can)", .0.label().to_lowercase())]
    NotAnimated(Chart),
    /// The filtered events span no time at all.
    #[error("no event passes the filter, so there is nothing to step through")]
    NoEvents,
    /// Too many steps.
    #[error("{count} frames is too many (at most {MAX_FRAMES}); choose a longer step")]
    TooManyFrames {
        /// How many steps the range has.
        count: usize,
    },
    /// A frame could not be drawn.
    #[error(transparent)]
    Export(#[from] ExportError),
    /// The GIF could not be encoded.
    #[error("the GIF could not be written: {0}")]
    Gif(String),
}

/// The steps an animation of `request`'s events has.
pub fn animation_steps(
    engine: &Engine,
    request: &ExportRequest,
    spec: PlaybackSpec,
) -> Result<Vec<Step>, AnimationError> {
    if !matches!(
        request.kind.chart,
        Chart::Timeline | Chart::Network | Chart::Map
    ) {
        return Err(AnimationError::NotAnimated(request.kind.chart));
    }
    let store = engine.store();
    let rows = engine.rows(request.filter);
    let days = rows.iter().fold(None, |span: Option<(i32, i32)>, &r| {
        let (s, e) = store.row(r as usize).days();
        Some(span.map_or((s, e), |(a, b)| (a.min(s), b.max(e))))
    });
    let days = days.ok_or(AnimationError::NoEvents)?;
    let count = step_count(days, spec);
    if count > MAX_FRAMES {
        return Err(AnimationError::TooManyFrames { count });
    }
    Ok((0..count).filter_map(|k| step_at(days, spec, k)).collect())
}

/// Draws every frame as `format` (PNG or SVG), one after another, handing each to `sink`
/// with its step. The map keeps one view over all frames (the request's, else the one that
/// fits every placed event), so places do not jump.
pub fn render_frames(
    engine: &Engine,
    request: &ExportRequest,
    spec: PlaybackSpec,
    format: FileFormat,
    mut sink: impl FnMut(usize, &Step, Vec<u8>) -> Result<(), AnimationError>,
) -> Result<usize, AnimationError> {
    let steps = animation_steps(engine, request, spec)?;
    let title = title_of(engine, request);
    let mut map = request.map;
    if map.view.is_none() {
        map.view = engine
            .map_points(request.filter, map.projection, map.colour_by)
            .bounds();
    }
    for (k, step) in steps.iter().enumerate() {
        let filter = Filter {
            from: Some(step.from),
            to: Some(step.to),
            ..request.filter.clone()
        };
        let frame = ExportRequest {
            kind: ExportKind::new(request.kind.chart, format),
            filter: &filter,
            title: Some(format!("{title} — {}", step.label)),
            map,
            ..request.clone()
        };
        sink(k, step, render(engine, &frame)?)?;
    }
    Ok(steps.len())
}

/// The animation as one GIF: a frame per step, `delay_ms` each, looping.
pub fn animation_gif(
    engine: &Engine,
    request: &ExportRequest,
    spec: PlaybackSpec,
    delay_ms: u16,
) -> Result<Vec<u8>, AnimationError> {
    let gif_error = |e: gif::EncodingError| AnimationError::Gif(e.to_string());
    let mut encoder: Option<gif::Encoder<Vec<u8>>> = None;
    render_frames(engine, request, spec, FileFormat::Svg, |_, _, svg| {
        let svg = String::from_utf8_lossy(&svg);
        let (w, h, mut rgba) =
            super::raster::svg_to_rgba(&svg, request.scale).map_err(ExportError::from)?;
        let (w, h) = (
            u16::try_from(w)
                .map_err(|_| AnimationError::Gif(format!("{w} pixels is too wide for a GIF")))?,
            u16::try_from(h)
                .map_err(|_| AnimationError::Gif(format!("{h} pixels is too tall for a GIF")))?,
        );
        if encoder.is_none() {
            let mut e = gif::Encoder::new(Vec::new(), w, h, &[]).map_err(gif_error)?;
            e.set_repeat(gif::Repeat::Infinite).map_err(gif_error)?;
            encoder = Some(e);
        }
        let mut frame = gif::Frame::from_rgba_speed(w, h, &mut rgba, 10);
        frame.delay = delay_ms / 10;
        encoder
            .as_mut()
            .map_or(Ok(()), |e| e.write_frame(&frame))
            .map_err(gif_error)
    })?;
    match encoder {
        Some(e) => e
            .into_inner()
            .map_err(|e| AnimationError::Gif(e.to_string())),
        None => Err(AnimationError::NoEvents),
    }
}
