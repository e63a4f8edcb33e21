//! Where the globe goes on a picture: the projections, the camera ([`MapFrame`]: which part
//! of the world fills a picture of a given size), the graticule and the scale bar. The map
//! panel and the map exporter place everything through these.

use serde::{Deserialize, Serialize};

use crate::basemap::Resolution;
use crate::model::{Annotation, GeoBox};

/// Web Mercator's latitude limit, where the projected world is square.
pub const MERCATOR_MAX_LATITUDE: f64 = 85.051_128_779_806_6;

/// How the globe is flattened.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Projection {
    /// Longitude and latitude as x and y (plate carrée): areas far from the equator are
    /// stretched, distances along a parallel are not kept, but every place is where its
    /// coordinates say.
    #[default]
    Equirectangular,
    /// Web Mercator, as web maps draw: shapes kept locally, areas inflated toward the poles;
    /// latitudes beyond ±85.05° are not shown.
    WebMercator,
}

impl Projection {
    /// Both, in menu order.
    pub const ALL: [Projection; 2] = [Projection::Equirectangular, Projection::WebMercator];

    /// Its name for people.
    pub fn label(self) -> &'static str {
        match self {
            Projection::Equirectangular => "Equirectangular",
            Projection::WebMercator => "Web Mercator",
        }
    }

    /// Its name on the command line (`--projection`).
    pub fn key(self) -> &'static str {
        match self {
            Projection::Equirectangular => "equirect",
            Projection::WebMercator => "mercator",
        }
    }

    /// The projection of a `--projection` value.
    pub fn from_key(key: &str) -> Option<Projection> {
        Projection::ALL.into_iter().find(|p| p.key() == key)
    }

    /// The height of the projected world, in world units (its width is 1).
    pub fn world_height(self) -> f64 {
        match self {
            Projection::Equirectangular => 0.5,
            Projection::WebMercator => 1.0,
        }
    }

    /// World units of a place: x from 0 (180°W) to 1 (180°E), y down from the top.
    pub fn project(self, longitude: f64, latitude: f64) -> [f64; 2] {
        let x = longitude / 360.0 + 0.5;
        let y = match self {
            Projection::Equirectangular => (90.0 - latitude) / 360.0,
            Projection::WebMercator => {
                let lat = latitude
                    .clamp(-MERCATOR_MAX_LATITUDE, MERCATOR_MAX_LATITUDE)
                    .to_radians();
                0.5 - (std::f64::consts::FRAC_PI_4 + lat / 2.0).tan().ln()
                    / (2.0 * std::f64::consts::PI)
            }
        };
        [x, y]
    }

    /// The place at world units `[x, y]`, as `(longitude, latitude)`: the latitude clamped to
    /// the globe, the longitude wrapped into −180…180 (the world repeats east and west).
    pub fn unproject(self, [x, y]: [f64; 2]) -> (f64, f64) {
        let longitude = wrap_longitude((x - 0.5) * 360.0);
        let latitude = match self {
            Projection::Equirectangular => 90.0 - y * 360.0,
            Projection::WebMercator => {
                let t = (0.5 - y) * 2.0 * std::f64::consts::PI;
                (2.0 * t.exp().atan() - std::f64::consts::FRAC_PI_2).to_degrees()
            }
        };
        let limit = match self {
            Projection::Equirectangular => 90.0,
            Projection::WebMercator => MERCATOR_MAX_LATITUDE,
        };
        (longitude, latitude.clamp(-limit, limit))
    }
}

/// A longitude brought into −180…180 by whole turns (180 stays 180).
pub fn wrap_longitude(longitude: f64) -> f64 {
    if (-180.0..=180.0).contains(&longitude) {
        longitude
    } else {
        (longitude + 180.0).rem_euclid(360.0) - 180.0
    }
}

/// The camera: a picture of `size` pixels showing the world around `center` (world units)
/// at `pixels_per_unit`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MapFrame {
    /// The projection.
    pub projection: Projection,
    /// The world point at the picture's centre.
    pub center: [f64; 2],
    /// Pixels per world unit (the whole world's width in pixels).
    pub pixels_per_unit: f64,
    /// The picture's width and height in pixels.
    pub size: [f32; 2],
}

/// The closest one can zoom: about 2 m per pixel at the equator.
const MAX_PIXELS_PER_UNIT: f64 = 2.0e7;

impl MapFrame {
    /// The frame that shows `bounds` whole, `margin` pixels from each edge.
    pub fn fit(projection: Projection, bounds: &GeoBox, size: [f32; 2], margin: f32) -> MapFrame {
        let (west, east) = if bounds.crosses_antimeridian() {
            // Unrolled east of 180°: the frame shows the box across the seam's west side.
            (bounds.west(), bounds.east() + 360.0)
        } else {
            (bounds.west(), bounds.east())
        };
        let [x0, y0] = projection.project(west, bounds.north());
        let [x1, y1] = projection.project(east, bounds.south());
        let w = (size[0] - 2.0 * margin).max(1.0) as f64;
        let h = (size[1] - 2.0 * margin).max(1.0) as f64;
        // A box of one point still gets a sensible zoom: about 1° across.
        let (dx, dy) = ((x1 - x0).max(1.0 / 360.0), (y1 - y0).max(1.0 / 360.0));
        let ppu = (w / dx).min(h / dy).min(MAX_PIXELS_PER_UNIT);
        MapFrame {
            projection,
            center: [(x0 + x1) / 2.0, (y0 + y1) / 2.0],
            pixels_per_unit: ppu,
            size,
        }
    }

    /// The whole world, fitted.
    pub fn world(projection: Projection, size: [f32; 2]) -> MapFrame {
        MapFrame::fit(projection, &GeoBox::world(), size, 4.0)
    }

    /// True when the camera can be drawn through: a finite centre and a zoom within range
    /// (a camera read back from saved settings is checked before it is used).
    pub fn is_usable(&self) -> bool {
        // The world repeats east and west, so a camera panned many turns round is still
        // fine; north and south it ends.
        self.center.iter().all(|c| c.is_finite())
            && self.center[0].abs() < 1.0e4
            && self.center[1].abs() < 10.0
            && self.pixels_per_unit.is_finite()
            && self.pixels_per_unit > 0.0
            && self.pixels_per_unit <= MAX_PIXELS_PER_UNIT
    }

    /// The same view in a picture of another size (the centre and zoom kept).
    pub fn resized(&self, size: [f32; 2]) -> MapFrame {
        MapFrame { size, ..*self }
    }

    /// Where world point `[x, y]` goes, in pixels from the picture's top-left corner.
    pub fn unit_to_screen(&self, [x, y]: [f64; 2]) -> [f32; 2] {
        [
            ((x - self.center[0]) * self.pixels_per_unit + self.size[0] as f64 / 2.0) as f32,
            ((y - self.center[1]) * self.pixels_per_unit + self.size[1] as f64 / 2.0) as f32,
        ]
    }

    /// Where a place goes, in pixels from the picture's top-left corner.
    pub fn to_screen(&self, longitude: f64, latitude: f64) -> [f32; 2] {
        self.unit_to_screen(self.projection.project(longitude, latitude))
    }

    /// The world point under a pixel.
    pub fn screen_to_unit(&self, [px, py]: [f32; 2]) -> [f64; 2] {
        [
            (px as f64 - self.size[0] as f64 / 2.0) / self.pixels_per_unit + self.center[0],
            (py as f64 - self.size[1] as f64 / 2.0) / self.pixels_per_unit + self.center[1],
        ]
    }

    /// The place under a pixel, as `(longitude, latitude)`, clamped to the globe.
    pub fn to_geo(&self, pixel: [f32; 2]) -> (f64, f64) {
        self.projection.unproject(self.screen_to_unit(pixel))
    }

    /// The box of the places between two pixels (a dragged rectangle): from the left pixel's
    /// longitude east to the right one's, across the antimeridian when the rectangle spans
    /// it; every longitude when it spans the whole world.
    pub fn box_between(&self, a: [f32; 2], b: [f32; 2]) -> Option<GeoBox> {
        let (left, right) = ([a[0].min(b[0]), a[1]], [a[0].max(b[0]), b[1]]);
        let (mut west, lat_a) = self.to_geo(left);
        let (mut east, lat_b) = self.to_geo(right);
        if self.screen_to_unit(right)[0] - self.screen_to_unit(left)[0] >= 1.0 {
            (west, east) = (-180.0, 180.0);
        }
        GeoBox::new(west, lat_a.min(lat_b), east, lat_a.max(lat_b)).ok()
    }

    /// What the picture shows: across the antimeridian when the view spans it, the whole
    /// globe when it shows a world's width or more.
    pub fn visible(&self) -> GeoBox {
        self.box_between([0.0, 0.0], self.size)
            .unwrap_or_else(GeoBox::world)
    }

    /// The copies of the world the picture shows, as whole turns east (+1) or west (−1) of
    /// the world the camera's units start in: the world repeats, so a view across the
    /// antimeridian shows the east of one copy beside the west of the next.
    pub fn world_copies(&self) -> std::ops::RangeInclusive<i64> {
        let left = self.screen_to_unit([0.0, 0.0])[0].floor() as i64;
        let right = self.screen_to_unit(self.size)[0];
        // A right edge exactly on a seam shows nothing of the copy beyond it.
        let right = (right.ceil() as i64 - 1).max(left);
        left..=right
    }

    /// This frame seen from the world `turns` copies east: drawing the world through it
    /// draws that copy (its places `turns` world widths to the east).
    pub fn copy(&self, turns: i64) -> MapFrame {
        MapFrame {
            center: [self.center[0] - turns as f64, self.center[1]],
            ..*self
        }
    }

    /// Where the annotations with a place go, in pixels from the picture's top-left corner:
    /// each in every copy of the world the picture shows, left out where it falls outside
    /// the picture. The one rule for the map panel and the exported map.
    pub fn pins<'a>(&self, annotations: &'a [Annotation]) -> Vec<([f32; 2], &'a Annotation)> {
        let mut pins = Vec::new();
        for turns in self.world_copies() {
            let copy = self.copy(turns);
            for a in annotations {
                let Some([lon, lat]) = a.at else { continue };
                let [x, y] = copy.to_screen(lon, lat);
                if (0.0..=self.size[0]).contains(&x) && (0.0..=self.size[1]).contains(&y) {
                    pins.push(([x, y], a));
                }
            }
        }
        pins
    }

    /// Moved by a drag of `delta` pixels (the world follows the pointer).
    pub fn panned(&self, delta: [f32; 2]) -> MapFrame {
        MapFrame {
            center: [
                self.center[0] - delta[0] as f64 / self.pixels_per_unit,
                self.center[1] - delta[1] as f64 / self.pixels_per_unit,
            ],
            ..*self
        }
    }

    /// Zoomed by `factor` (> 1 is closer), keeping the place under `anchor` where it is.
    /// Never further out than a quarter of the world's width, never closer than ~2 m/pixel.
    pub fn zoomed(&self, factor: f64, anchor: [f32; 2]) -> MapFrame {
        let min = self.size[0].max(1.0) as f64 / 4.0;
        let ppu = (self.pixels_per_unit * factor).clamp(min, MAX_PIXELS_PER_UNIT);
        let fixed = self.screen_to_unit(anchor);
        let mut out = MapFrame {
            pixels_per_unit: ppu,
            ..*self
        };
        let moved = out.screen_to_unit(anchor);
        out.center = [
            out.center[0] + fixed[0] - moved[0],
            out.center[1] + fixed[1] - moved[1],
        ];
        out
    }

    /// Degrees of longitude per pixel.
    pub fn degrees_per_pixel(&self) -> f64 {
        360.0 / self.pixels_per_unit
    }

    /// The outlines to draw: fine when less than about 60° of longitude is shown.
    pub fn resolution(&self) -> Resolution {
        if self.degrees_per_pixel() * self.size[0] as f64 <= 60.0 {
            Resolution::Fine
        } else {
            Resolution::Coarse
        }
    }

    /// The graticule's meridians and parallels for what the frame shows: longitudes, then
    /// latitudes, at a round step for the visible span. The longitudes run on past 180°
    /// (190° is 170°W in the next copy of the world), so [`Self::to_screen`] puts each where
    /// it is seen, also across the antimeridian.
    pub fn graticule(&self) -> (Vec<f64>, Vec<f64>) {
        let degrees = |pixel: [f32; 2]| (self.screen_to_unit(pixel)[0] - 0.5) * 360.0;
        let (left, right) = (degrees([0.0, 0.0]), degrees(self.size));
        let step = graticule_step((right - left).min(360.0));
        let meridians = ((left / step).ceil() as i64..=(right / step).floor() as i64)
            .map(|k| k as f64 * step)
            .collect();
        let (_, parallels) = graticule(&self.visible(), step);
        (meridians, parallels)
    }

    /// True when country names are worth drawing (zoomed in past the whole world).
    pub fn shows_names(&self) -> bool {
        self.degrees_per_pixel() * self.size[0] as f64 <= 150.0
    }
}

/// One country's rings as drawn on a picture: in pixels, with points closer than half a
/// pixel to the previous one left out.
#[derive(Debug, Clone)]
pub struct CountryOutline {
    /// The country (an index into the basemap's countries at `resolution`).
    pub country: usize,
    /// The copy of the world it is drawn in ([`MapFrame::world_copies`]).
    pub turns: i64,
    /// Its rings, closed (to fill).
    pub rings: Vec<Vec<[f32; 2]>>,
    /// Its borders: the rings as lines, without the cut edges along the antimeridian and the
    /// poles (to stroke).
    pub borders: Vec<Vec<[f32; 2]>>,
}

/// The outlines of the countries a frame shows (at the resolution its zoom calls for), in
/// every copy of the world it shows.
pub fn country_outlines(frame: &MapFrame) -> (Resolution, Vec<CountryOutline>) {
    let resolution = frame.resolution();
    let mut out = Vec::new();
    for turns in frame.world_copies() {
        outlines_in_copy(&frame.copy(turns), resolution, turns, &mut out);
    }
    (resolution, out)
}

/// The outlines of the countries `frame` shows of one copy of the world.
fn outlines_in_copy(
    frame: &MapFrame,
    resolution: Resolution,
    turns: i64,
    out: &mut Vec<CountryOutline>,
) {
    let map = crate::basemap::basemap(resolution);
    let [w, h] = frame.size;
    for (k, country) in map.countries.iter().enumerate() {
        let [west, south, east, north] = country.bounds;
        let [x0, y0] = frame.to_screen(west, north);
        let [x1, y1] = frame.to_screen(east, south);
        if x1 < 0.0 || y1 < 0.0 || x0 > w || y0 > h {
            continue;
        }
        let mut rings = Vec::new();
        let mut borders = Vec::new();
        for ring in country.polygons.iter().flatten() {
            let mut points: Vec<[f32; 2]> = Vec::with_capacity(ring.len());
            let mut line: Vec<[f32; 2]> = Vec::new();
            for (i, &[lon, lat]) in ring.iter().enumerate() {
                let p = frame.to_screen(lon, lat);
                if i > 0 && crate::basemap::is_seam(ring[i - 1], [lon, lat]) {
                    if line.len() >= 2 {
                        borders.push(std::mem::take(&mut line));
                    }
                    line.clear();
                }
                let far = |q: &[f32; 2]| (p[0] - q[0]).abs() + (p[1] - q[1]).abs() >= 0.5;
                if points.last().is_none_or(far) {
                    points.push(p);
                }
                if line.last().is_none_or(far) {
                    line.push(p);
                }
            }
            if line.len() >= 2 {
                borders.push(line);
            }
            if points.len() >= 3 {
                rings.push(points);
            }
        }
        out.push(CountryOutline {
            country: k,
            turns,
            rings,
            borders,
        });
    }
}

/// The country names a frame has room for: `(country index, name, where)`, largest first,
/// none overlapping another (each name is given `char_width` pixels per character).
pub fn country_labels(
    frame: &MapFrame,
    outlines: &[CountryOutline],
    resolution: Resolution,
    char_width: f32,
) -> Vec<(usize, String, [f32; 2])> {
    if !frame.shows_names() {
        return Vec::new();
    }
    let map = crate::basemap::basemap(resolution);
    let mut candidates: Vec<(f32, usize, i64)> = outlines
        .iter()
        .map(|o| {
            let c = &map.countries[o.country];
            let [x0, _] = frame.to_screen(c.bounds[0], c.bounds[3]);
            let [x1, _] = frame.to_screen(c.bounds[2], c.bounds[1]);
            (x1 - x0, o.country, o.turns)
        })
        .collect();
    candidates.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut placed: Vec<[f32; 4]> = Vec::new();
    let mut out = Vec::new();
    for (width, k, turns) in candidates {
        let c = &map.countries[k];
        let half = c.name.chars().count() as f32 * char_width / 2.0;
        if width < half * 2.0 {
            continue;
        }
        let [x, y] = frame.copy(turns).to_screen(c.label[0], c.label[1]);
        let rect = [x - half, y - 8.0, x + half, y + 8.0];
        let inside = rect[0] >= 0.0
            && rect[1] >= 0.0
            && rect[2] <= frame.size[0]
            && rect[3] <= frame.size[1];
        let clear = placed
            .iter()
            .all(|r| rect[2] < r[0] || rect[0] > r[2] || rect[3] < r[1] || rect[1] > r[3]);
        if inside && clear {
            placed.push(rect);
            out.push((k, c.name.clone(), [x, y]));
        }
    }
    out
}

/// The graticule's spacing in degrees for a view `span` degrees across: 4–12 lines.
pub fn graticule_step(span: f64) -> f64 {
    const STEPS: [f64; 12] = [
        30.0, 20.0, 10.0, 5.0, 2.0, 1.0, 0.5, 0.25, 0.1, 0.05, 0.02, 0.01,
    ];
    STEPS.into_iter().find(|s| span / s >= 4.0).unwrap_or(0.01)
}

/// The graticule's meridians and parallels inside `visible`: longitudes, then latitudes.
pub fn graticule(visible: &GeoBox, step: f64) -> (Vec<f64>, Vec<f64>) {
    let lines = |from: f64, to: f64, limit: f64| -> Vec<f64> {
        let first = (from / step).ceil() as i64;
        let last = (to / step).floor() as i64;
        (first..=last)
            .map(|k| k as f64 * step)
            .filter(|v| v.abs() <= limit)
            .collect()
    };
    let (west, east) = if visible.crosses_antimeridian() {
        (-180.0, 180.0)
    } else {
        (visible.west(), visible.east())
    };
    (
        lines(west, east, 180.0),
        lines(visible.south(), visible.north(), 90.0),
    )
}

/// A scale bar: a round distance and its length in pixels at the picture's centre.
#[derive(Debug, Clone, PartialEq)]
pub struct ScaleBar {
    /// The distance, in kilometres.
    pub kilometres: f64,
    /// Its length on the picture.
    pub pixels: f32,
    /// "500 km", "2 km", "200 m".
    pub label: String,
}

/// The longest round distance (1, 2 or 5 × 10ⁿ km) no longer than `max_pixels` at the
/// centre's latitude (where it holds: on these projections the scale changes with latitude).
pub fn scale_bar(frame: &MapFrame, max_pixels: f32) -> ScaleBar {
    let (_, latitude) = frame.projection.unproject(frame.center);
    let km_per_degree = 111.32 * latitude.to_radians().cos().max(0.01);
    let km_per_pixel = frame.degrees_per_pixel() * km_per_degree;
    let max_km = km_per_pixel * max_pixels as f64;
    let mut kilometres = 10f64.powf(max_km.log10().floor());
    for m in [5.0, 2.0] {
        if kilometres * m <= max_km {
            kilometres *= m;
            break;
        }
    }
    let label = if kilometres >= 1.0 {
        format!("{} km", crate::text::thousands(kilometres.round() as usize))
    } else {
        format!("{} m", (kilometres * 1000.0).round())
    };
    ScaleBar {
        kilometres,
        pixels: (kilometres / km_per_pixel) as f32,
        label,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pins_go_where_their_place_is_in_every_copy_in_view_and_nowhere_else() {
        let pin = |lon: f64, lat: f64| Annotation {
            id: "a".into(),
            date: None,
            at: Some([lon, lat]),
            text: "here".into(),
        };
        let annotations = [
            pin(179.0, 0.0),
            pin(-100.0, 40.0),
            Annotation {
                at: None,
                date: Some(crate::model::DateSpan::Year(2024)),
                ..pin(0.0, 0.0)
            },
        ];
        // A view across the antimeridian: the pin east of it shows once, the one in
        // America not at all, the dated one without a place never.
        let view = GeoBox::new(170.0, -10.0, -170.0, 10.0).unwrap();
        let frame = MapFrame::fit(Projection::Equirectangular, &view, [400.0, 200.0], 0.0);
        let pins = frame.pins(&annotations);
        assert_eq!(pins.len(), 1);
        let [x, y] = pins[0].0;
        let expected = frame.to_screen(179.0, 0.0);
        assert!(
            (y - expected[1]).abs() < 0.5 && x > 0.0 && x < 400.0,
            "{x} {y}"
        );
        // Zoomed out to three worlds: one pin per copy in view.
        let world = MapFrame::world(Projection::Equirectangular, [400.0, 200.0])
            .zoomed(1.0 / 3.0, [200.0, 100.0]);
        let copies = world.world_copies().count();
        let in_view = world.pins(&annotations[1..2]).len();
        assert!(
            copies >= 3 && in_view >= 2,
            "{copies} copies, {in_view} pins"
        );
    }

    #[test]
    fn projections_round_trip() {
        for projection in Projection::ALL {
            for (lon, lat) in [
                (0.0, 0.0),
                (44.01, 36.19),
                (-179.9, -60.0),
                (179.9, 80.0),
                (-73.9, 40.7),
            ] {
                let (lon2, lat2) = projection.unproject(projection.project(lon, lat));
                assert!((lon - lon2).abs() < 1e-9, "{projection:?} {lon}");
                assert!((lat - lat2).abs() < 1e-9, "{projection:?} {lat}");
            }
        }
    }

    #[test]
    fn the_projected_worlds_have_their_shapes() {
        let e = Projection::Equirectangular;
        assert_eq!(e.project(-180.0, 90.0), [0.0, 0.0]);
        assert_eq!(e.project(180.0, -90.0), [1.0, 0.5]);
        let m = Projection::WebMercator;
        let [_, top] = m.project(0.0, MERCATOR_MAX_LATITUDE);
        let [_, bottom] = m.project(0.0, -MERCATOR_MAX_LATITUDE);
        assert!(
            top.abs() < 1e-9 && (bottom - 1.0).abs() < 1e-9,
            "{top} {bottom}"
        );
        assert_eq!(
            m.project(0.0, 89.9),
            m.project(0.0, 90.0),
            "clamped at the pole"
        );
        // Mercator stretches latitudes away from the equator: 60°N is further from it than in
        // plate carrée, both measured in the worlds' equal widths (0.21 against 0.17).
        let mercator = 0.5 - m.project(0.0, 60.0)[1];
        let plate = 0.25 - e.project(0.0, 60.0)[1];
        assert!((mercator - 0.2096).abs() < 1e-3 && (plate - 1.0 / 6.0).abs() < 1e-9);
    }

    #[test]
    fn a_fitted_frame_shows_the_box_and_maps_back() {
        let b = GeoBox::new(33.9, -1.5, 41.9, 4.2).unwrap();
        for projection in Projection::ALL {
            let f = MapFrame::fit(projection, &b, [800.0, 600.0], 10.0);
            let v = f.visible();
            assert!(v.encloses(&b), "{projection:?}: {v:?} encloses the box");
            let [x, y] = f.to_screen(36.8, -1.3);
            let (lon, lat) = f.to_geo([x, y]);
            assert!((lon - 36.8).abs() < 1e-6 && (lat + 1.3).abs() < 1e-6);
            // The box's corners land on the picture.
            for (lon, lat) in [(33.9, -1.5), (41.9, 4.2)] {
                let [x, y] = f.to_screen(lon, lat);
                assert!((9.0..=791.0).contains(&x) && (9.0..=591.0).contains(&y));
            }
        }
    }

    #[test]
    fn zoom_keeps_the_anchor_and_pan_follows_the_pointer() {
        let f = MapFrame::world(Projection::Equirectangular, [1000.0, 500.0]);
        let anchor = [700.0, 120.0];
        let before = f.to_geo(anchor);
        let z = f.zoomed(4.0, anchor);
        let after = z.to_geo(anchor);
        assert!((before.0 - after.0).abs() < 1e-9 && (before.1 - after.1).abs() < 1e-9);
        assert!((z.pixels_per_unit / f.pixels_per_unit - 4.0).abs() < 1e-9);
        let p = z.panned([50.0, -20.0]);
        let moved = p.to_screen(before.0, before.1);
        assert!((moved[0] - 750.0).abs() < 1e-3 && (moved[1] - 100.0).abs() < 1e-3);
        // Never out past a quarter of the world.
        let far = f.zoomed(1e-6, anchor);
        assert_eq!(far.pixels_per_unit, 250.0);
    }

    #[test]
    fn a_dragged_box_and_the_outline_resolution_follow_the_zoom() {
        let f = MapFrame::world(Projection::Equirectangular, [1000.0, 500.0]);
        assert_eq!(f.resolution(), Resolution::Coarse);
        assert!(!f.shows_names());
        let b = f.box_between([500.0, 250.0], [480.0, 260.0]).unwrap();
        assert!(b.west() < b.east() && b.south() < b.north());
        let close = MapFrame::fit(Projection::Equirectangular, &b, [1000.0, 500.0], 0.0);
        assert_eq!(close.resolution(), Resolution::Fine);
        assert!(close.shows_names());
    }

    #[test]
    fn the_world_repeats_east_and_west_of_the_antimeridian() {
        // A box across 180° (Fiji and its neighbours), fitted: both sides of it are in view,
        // the east side in the copy of the world beside the one the camera starts in.
        let fiji = GeoBox::new(170.0, -25.0, -170.0, -10.0).unwrap();
        let f = MapFrame::fit(Projection::Equirectangular, &fiji, [800.0, 400.0], 10.0);
        let copies: Vec<i64> = f.world_copies().collect();
        assert_eq!(copies, [0, 1], "the seam is in view");
        let on_picture =
            |[x, y]: [f32; 2]| (0.0..=800.0).contains(&x) && (0.0..=400.0).contains(&y);
        assert!(on_picture(f.to_screen(175.0, -17.0)));
        assert!(
            !on_picture(f.to_screen(-175.0, -17.0)),
            "not in the camera's own copy"
        );
        assert!(
            on_picture(f.copy(1).to_screen(-175.0, -17.0)),
            "but in the next"
        );
        // What the picture shows crosses the antimeridian and holds the box.
        let v = f.visible();
        assert!(v.crosses_antimeridian() && v.encloses(&fiji), "{v:?}");
        // A pixel east of the seam is read back as a western longitude.
        let (lon, _) = f.to_geo(f.copy(1).to_screen(-175.0, -17.0));
        assert!((lon + 175.0).abs() < 1e-6, "{lon}");
        // A box dragged across the seam crosses it too.
        let a = f.to_screen(175.0, -12.0);
        let b = f.copy(1).to_screen(-175.0, -20.0);
        let dragged = f.box_between(b, a).unwrap();
        assert!(dragged.crosses_antimeridian(), "{dragged:?}");
        assert!((dragged.west() - 175.0).abs() < 1e-3 && (dragged.east() + 175.0).abs() < 1e-3);
        // Meridians run on past 180° and land where they are seen: 180° itself among them.
        let (meridians, _) = f.graticule();
        assert!(
            meridians.contains(&180.0) && meridians.iter().any(|&m| m > 180.0),
            "{meridians:?}"
        );
        for m in meridians {
            let x = f.to_screen(m, 0.0)[0];
            assert!((0.0..=800.0).contains(&x), "{m}° at {x}");
        }
        // Panned a whole world's width, the picture is the same.
        let round = f.panned([-(f.pixels_per_unit as f32), 0.0]);
        let (lon_a, lat_a) = f.to_geo([123.0, 45.0]);
        let (lon_b, lat_b) = round.to_geo([123.0, 45.0]);
        assert!((lon_a - lon_b).abs() < 1e-6 && (lat_a - lat_b).abs() < 1e-6);
        assert!(round.is_usable());
        // Zoomed out past the world, the view is every longitude.
        let far = MapFrame::world(Projection::Equirectangular, [800.0, 400.0])
            .zoomed(0.25, [400.0, 200.0]);
        assert_eq!(far.visible().west(), -180.0);
        assert_eq!(far.visible().east(), 180.0);
        assert!(far.world_copies().count() >= 3);
    }

    #[test]
    fn a_broken_camera_is_not_usable() {
        let f = MapFrame::world(Projection::Equirectangular, [800.0, 400.0]);
        assert!(f.is_usable());
        for broken in [
            MapFrame {
                pixels_per_unit: 0.0,
                ..f
            },
            MapFrame {
                pixels_per_unit: -3.0,
                ..f
            },
            MapFrame {
                pixels_per_unit: f64::INFINITY,
                ..f
            },
            MapFrame {
                center: [f64::NAN, 0.2],
                ..f
            },
            MapFrame {
                center: [1e9, 0.2],
                ..f
            },
        ] {
            assert!(!broken.is_usable(), "{broken:?}");
        }
    }

    #[test]
    fn the_graticule_has_a_few_round_lines() {
        assert_eq!(graticule_step(360.0), 30.0);
        assert_eq!(graticule_step(8.0), 2.0);
        assert_eq!(graticule_step(0.3), 0.05);
        let (lons, lats) = graticule(&GeoBox::new(33.9, -1.5, 41.9, 4.2).unwrap(), 2.0);
        assert_eq!(lons, vec![34.0, 36.0, 38.0, 40.0]);
        assert_eq!(lats, vec![0.0, 2.0, 4.0]);
    }

    #[test]
    fn the_scale_bar_is_a_round_distance_that_fits() {
        let f = MapFrame::fit(
            Projection::Equirectangular,
            &GeoBox::new(-5.0, -5.0, 5.0, 5.0).unwrap(),
            [600.0, 600.0],
            0.0,
        );
        // 10° of longitude at the equator ≈ 1113 km over 600 px: 120 px ≈ 223 km → 200 km.
        let bar = scale_bar(&f, 120.0);
        assert_eq!(bar.kilometres, 200.0);
        assert_eq!(bar.label, "200 km");
        assert!((bar.pixels - 107.8).abs() < 0.5, "{}", bar.pixels);
        let close = f.zoomed(1000.0, [300.0, 300.0]);
        assert!(scale_bar(&close, 120.0).label.ends_with(" m"));
    }
}
