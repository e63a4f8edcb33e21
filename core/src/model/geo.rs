//! Places on the globe: a box of longitudes and latitudes (the map's region filter), and
//! whether an event's coordinates are usable.

use serde::{Deserialize, Serialize};

/// A box of longitudes and latitudes, in degrees. `west > east` means the box crosses the
/// antimeridian (it runs east from `west` to 180° and on from −180° to `east`).
///
/// Built through [`GeoBox::new`] or [`GeoBox::parse`], so every bound is finite and in range,
/// which lets the box be compared and hashed exactly (a filter is a cache key).
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[serde(try_from = "[f64; 4]", into = "[f64; 4]")]
pub struct GeoBox {
    west: f64,
    south: f64,
    east: f64,
    north: f64,
}

impl PartialEq for GeoBox {
    fn eq(&self, other: &Self) -> bool {
        self.bits() == other.bits()
    }
}

impl Eq for GeoBox {}

impl std::hash::Hash for GeoBox {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.bits().hash(state);
    }
}

impl TryFrom<[f64; 4]> for GeoBox {
    type Error = String;
    fn try_from([west, south, east, north]: [f64; 4]) -> Result<Self, String> {
        GeoBox::new(west, south, east, north)
    }
}

impl From<GeoBox> for [f64; 4] {
    fn from(b: GeoBox) -> [f64; 4] {
        [b.west, b.south, b.east, b.north]
    }
}

impl GeoBox {
    /// A box from its four bounds, or why they do not make one.
    pub fn new(west: f64, south: f64, east: f64, north: f64) -> Result<GeoBox, String> {
        for (name, value, limit) in [
            ("west", west, 180.0),
            ("east", east, 180.0),
            ("south", south, 90.0),
            ("north", north, 90.0),
        ] {
            if !value.is_finite() || value.abs() > limit {
                return Err(format!("{name} {value} is outside −{limit}…{limit}"));
            }
        }
        if south > north {
            return Err(format!("south {south} is north of north {north}"));
        }
        // −0.0 and 0.0 are one bound.
        let zero = |v: f64| if v == 0.0 { 0.0 } else { v };
        Ok(GeoBox {
            west: zero(west),
            south: zero(south),
            east: zero(east),
            north: zero(north),
        })
    }

    /// Reads `WEST,SOUTH,EAST,NORTH` in degrees (the CLI's `--bbox`).
    pub fn parse(text: &str) -> Result<GeoBox, String> {
        let parts: Vec<&str> = text.split(',').map(str::trim).collect();
        if parts.len() != 4 {
            return Err(format!(
                "“{text}” is not WEST,SOUTH,EAST,NORTH (four numbers in degrees)"
            ));
        }
        let mut v = [0.0; 4];
        for (slot, part) in v.iter_mut().zip(&parts) {
            *slot = part
                .parse()
                .map_err(|_| format!("“{part}” in “{text}” is not a number"))?;
        }
        GeoBox::new(v[0], v[1], v[2], v[3])
    }

    /// The whole globe.
    pub fn world() -> GeoBox {
        GeoBox {
            west: -180.0,
            south: -90.0,
            east: 180.0,
            north: 90.0,
        }
    }

    fn bits(&self) -> [u64; 4] {
        [
            self.west.to_bits(),
            self.south.to_bits(),
            self.east.to_bits(),
            self.north.to_bits(),
        ]
    }

    /// Western bound.
    pub fn west(&self) -> f64 {
        self.west
    }
    /// Southern bound.
    pub fn south(&self) -> f64 {
        self.south
    }
    /// Eastern bound.
    pub fn east(&self) -> f64 {
        self.east
    }
    /// Northern bound.
    pub fn north(&self) -> f64 {
        self.north
    }

    /// True when the box runs across the antimeridian.
    pub fn crosses_antimeridian(&self) -> bool {
        self.west > self.east
    }

    /// True when the point is inside the box (bounds included).
    pub fn contains(&self, latitude: f64, longitude: f64) -> bool {
        if !(self.south..=self.north).contains(&latitude) {
            return false;
        }
        if self.crosses_antimeridian() {
            longitude >= self.west || longitude <= self.east
        } else {
            (self.west..=self.east).contains(&longitude)
        }
    }

    /// True when `inner` lies wholly inside this box.
    pub fn encloses(&self, inner: &GeoBox) -> bool {
        let lat = self.south <= inner.south && inner.north <= self.north;
        let lon = match (self.crosses_antimeridian(), inner.crosses_antimeridian()) {
            (false, false) => self.west <= inner.west && inner.east <= self.east,
            (true, false) => inner.west >= self.west || inner.east <= self.east,
            (true, true) => inner.west >= self.west && inner.east <= self.east,
            (false, true) => self.west == -180.0 && self.east == 180.0,
        };
        lat && lon
    }

    /// The box in words, as captions say it: "within 1.5°S–4.2°N, 33.9°E–41.9°E".
    pub fn describe(&self) -> String {
        format!(
            "within {}–{}, {}–{}",
            degrees(self.south, 'N', 'S'),
            degrees(self.north, 'N', 'S'),
            degrees(self.west, 'E', 'W'),
            degrees(self.east, 'E', 'W'),
        )
    }
}

/// An area drawn on the map (a lasso): a polygon of `[longitude, latitude]` points, closed
/// implicitly. Built through [`GeoArea::new`], so it has at least three points, every one
/// finite and in range (which lets it be compared and hashed exactly). An area drawn across
/// the antimeridian keeps its longitudes unrolled past 180° (190° is 170°W), so its polygon
/// stays the shape that was drawn.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(try_from = "Vec<[f64; 2]>", into = "Vec<[f64; 2]>")]
pub struct GeoArea {
    points: Vec<[f64; 2]>,
    bounds: GeoBox,
    /// The westernmost point's longitude (within −180…180; the others run east of it).
    west: f64,
}

impl PartialEq for GeoArea {
    fn eq(&self, other: &Self) -> bool {
        self.points.len() == other.points.len()
            && self
                .points
                .iter()
                .zip(&other.points)
                .all(|(a, b)| a[0].to_bits() == b[0].to_bits() && a[1].to_bits() == b[1].to_bits())
    }
}

impl Eq for GeoArea {}

impl std::hash::Hash for GeoArea {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        for p in &self.points {
            p[0].to_bits().hash(state);
            p[1].to_bits().hash(state);
        }
    }
}

impl TryFrom<Vec<[f64; 2]>> for GeoArea {
    type Error = String;
    fn try_from(points: Vec<[f64; 2]>) -> Result<Self, String> {
        GeoArea::new(points)
    }
}

impl From<GeoArea> for Vec<[f64; 2]> {
    fn from(a: GeoArea) -> Vec<[f64; 2]> {
        a.points
    }
}

/// The most points an area keeps (a long lasso is thinned to this many).
pub const AREA_MAX_POINTS: usize = 256;

impl GeoArea {
    /// An area from its corners `[longitude, latitude]`, or why they do not make one. More
    /// than [`AREA_MAX_POINTS`] points are thinned evenly. Longitudes may run on past ±180°
    /// (a lasso across the antimeridian); they are moved by whole turns so the westernmost
    /// is within −180…180, and the area may span at most one turn.
    pub fn new(points: Vec<[f64; 2]>) -> Result<GeoArea, String> {
        if points.len() < 3 {
            return Err(format!(
                "an area needs 3 points or more, not {}",
                points.len()
            ));
        }
        let points: Vec<[f64; 2]> = if points.len() > AREA_MAX_POINTS {
            let step = points.len() as f64 / AREA_MAX_POINTS as f64;
            (0..AREA_MAX_POINTS)
                .map(|k| points[(k as f64 * step) as usize])
                .collect()
        } else {
            points
        };
        let (mut w, mut s, mut e, mut n) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for &[lon, lat] in &points {
            if !lon.is_finite() || !lat.is_finite() || lon.abs() > 1.0e4 || lat.abs() > 90.0 {
                return Err(format!("the point {lon}, {lat} is off the globe"));
            }
            (w, s, e, n) = (w.min(lon), s.min(lat), e.max(lon), n.max(lat));
        }
        if e - w > 360.0 {
            return Err(format!(
                "the area spans {:.0}° of longitude, more than the globe",
                e - w
            ));
        }
        // Whole turns east or west, so the westernmost point is within −180…180.
        let turns = ((w + 180.0) / 360.0).floor() * 360.0;
        let points: Vec<[f64; 2]> = points
            .into_iter()
            .map(|[lon, lat]| [lon - turns, lat])
            .collect();
        let (w, e) = (w - turns, e - turns);
        let bounds = if e - w >= 360.0 {
            GeoBox::new(-180.0, s, 180.0, n)?
        } else if e > 180.0 {
            GeoBox::new(w, s, e - 360.0, n)?
        } else {
            GeoBox::new(w, s, e, n)?
        };
        Ok(GeoArea {
            bounds,
            points,
            west: w,
        })
    }

    /// A longitude where this area's polygon has it: as is, or one turn east when the area
    /// runs on past 180° and the longitude is west of the area's westernmost point.
    pub fn unrolled(&self, longitude: f64) -> f64 {
        if longitude < self.west {
            longitude + 360.0
        } else {
            longitude
        }
    }

    /// Its corners.
    pub fn points(&self) -> &[[f64; 2]] {
        &self.points
    }

    /// The box around it.
    pub fn bounds(&self) -> &GeoBox {
        &self.bounds
    }

    /// True when the point is inside (even-odd).
    pub fn contains(&self, latitude: f64, longitude: f64) -> bool {
        if !self.bounds.contains(latitude, longitude) {
            return false;
        }
        let longitude = self.unrolled(longitude);
        let mut inside = false;
        let n = self.points.len();
        for k in 0..n {
            let [x1, y1] = self.points[k];
            let [x2, y2] = self.points[(k + 1) % n];
            if (y1 > latitude) != (y2 > latitude)
                && longitude < (x2 - x1) * (latitude - y1) / (y2 - y1) + x1
            {
                inside = !inside;
            }
        }
        inside
    }

    /// The area in words, as captions say it: "within an area drawn over 1.5°S–4.2°N,
    /// 33.9°E–41.9°E".
    pub fn describe(&self) -> String {
        self.bounds
            .describe()
            .replacen("within", "within an area drawn over", 1)
    }
}

/// One bound in words: "1.5°S", "33.9°E", "0°".
fn degrees(value: f64, positive: char, negative: char) -> String {
    let rounded = (value.abs() * 10.0).round() / 10.0;
    if rounded == 0.0 {
        return "0°".to_string();
    }
    let hemisphere = if value > 0.0 { positive } else { negative };
    format!("{rounded}°{hemisphere}")
}

/// True when the coordinates can be placed on a map: both finite and in range, and not the
/// 0°, 0° that files write for "unknown" (no event in these datasets happens in the Gulf of
/// Guinea at exactly 0°, 0°).
pub fn is_usable(latitude: f64, longitude: f64) -> bool {
    latitude.is_finite()
        && longitude.is_finite()
        && latitude.abs() <= 90.0
        && longitude.abs() <= 180.0
        && !(latitude == 0.0 && longitude == 0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_box_contains_its_inside_and_its_edges_only() {
        let b = GeoBox::new(33.9, -1.5, 41.9, 4.2).unwrap();
        assert!(b.contains(0.0, 36.0));
        assert!(b.contains(-1.5, 33.9), "the corner is inside");
        assert!(!b.contains(4.3, 36.0));
        assert!(!b.contains(0.0, 42.0));
        assert!(!b.contains(0.0, -36.0));
        assert!(!b.crosses_antimeridian());
    }

    #[test]
    fn a_box_across_the_antimeridian_wraps() {
        // Fiji and its neighbours: 175°E to 178°W.
        let b = GeoBox::parse("175,-20,-178,-15").unwrap();
        assert!(b.crosses_antimeridian());
        assert!(b.contains(-17.0, 178.0));
        assert!(b.contains(-17.0, -179.5));
        assert!(b.contains(-17.0, 180.0));
        assert!(!b.contains(-17.0, 0.0));
        assert!(!b.contains(-17.0, -170.0));
        assert!(!b.contains(-17.0, 170.0));
        assert!(!b.contains(-10.0, 178.0));
    }

    #[test]
    fn bad_boxes_say_what_is_wrong() {
        assert!(GeoBox::parse("1,2,3")
            .unwrap_err()
            .contains("WEST,SOUTH,EAST,NORTH"));
        assert!(GeoBox::parse("1,x,3,4").unwrap_err().contains("“x”"));
        assert!(GeoBox::parse("181,0,3,4").unwrap_err().contains("west 181"));
        assert!(GeoBox::parse("0,5,3,4").unwrap_err().contains("south 5"));
        assert!(GeoBox::parse("0,-91,3,4")
            .unwrap_err()
            .contains("south -91"));
        assert!(GeoBox::parse("NaN,0,3,4").is_err());
        assert!(serde_json::from_str::<GeoBox>("[0, 95, 1, 1]").is_err());
    }

    #[test]
    fn a_box_describes_itself_with_hemispheres() {
        let b = GeoBox::new(33.94, -1.5, 41.9, 4.2).unwrap();
        assert_eq!(b.describe(), "within 1.5°S–4.2°N, 33.9°E–41.9°E");
        let w = GeoBox::new(-10.0, 0.0, -0.04, 12.25).unwrap();
        assert_eq!(w.describe(), "within 0°–12.3°N, 10°W–0°");
    }

    #[test]
    fn a_box_round_trips_through_json_and_hashes_by_value() {
        let b = GeoBox::new(-0.0, 1.0, 2.0, 3.0).unwrap();
        let json = serde_json::to_string(&b).unwrap();
        assert_eq!(json, "[0.0,1.0,2.0,3.0]");
        let back: GeoBox = serde_json::from_str(&json).unwrap();
        assert_eq!(back, b);
        let mut set = std::collections::HashSet::new();
        set.insert(b);
        assert!(set.contains(&GeoBox::new(0.0, 1.0, 2.0, 3.0).unwrap()));
    }

    #[test]
    fn enclosing_respects_the_antimeridian() {
        let wide = GeoBox::new(170.0, -30.0, -170.0, 0.0).unwrap();
        assert!(wide.encloses(&GeoBox::new(175.0, -20.0, 179.0, -10.0).unwrap()));
        assert!(wide.encloses(&GeoBox::new(-179.0, -20.0, -175.0, -10.0).unwrap()));
        assert!(wide.encloses(&GeoBox::new(175.0, -20.0, -175.0, -10.0).unwrap()));
        assert!(!wide.encloses(&GeoBox::new(0.0, -20.0, 10.0, -10.0).unwrap()));
        assert!(GeoBox::world().encloses(&wide));
        let plain = GeoBox::new(0.0, 0.0, 10.0, 10.0).unwrap();
        assert!(!plain.encloses(&wide));
        assert!(plain.encloses(&GeoBox::new(1.0, 1.0, 2.0, 2.0).unwrap()));
    }

    #[test]
    fn a_drawn_area_contains_its_inside_only() {
        // An L shape: the notch at the top right is outside.
        let l = GeoArea::new(vec![
            [0.0, 0.0],
            [10.0, 0.0],
            [10.0, 5.0],
            [5.0, 5.0],
            [5.0, 10.0],
            [0.0, 10.0],
        ])
        .unwrap();
        assert!(l.contains(2.0, 2.0));
        assert!(l.contains(8.0, 2.0));
        assert!(!l.contains(8.0, 8.0), "the notch");
        assert!(!l.contains(-1.0, 2.0));
        assert_eq!(l.describe(), "within an area drawn over 0°–10°N, 0°–10°E");
        assert!(GeoArea::new(vec![[0.0, 0.0], [1.0, 1.0]]).is_err());
        assert!(
            GeoArea::new(vec![[0.0, 0.0], [1.0, 1.0], [400.0, 1.0]]).is_err(),
            "more than a turn of longitude"
        );
        assert!(GeoArea::new(vec![[0.0, 0.0], [1.0, 1.0], [1.0, 91.0]]).is_err());
        let long: Vec<[f64; 2]> = (0..1000)
            .map(|k| {
                let t = k as f64 / 1000.0 * std::f64::consts::TAU;
                [t.cos() * 10.0, t.sin() * 10.0]
            })
            .collect();
        let thinned = GeoArea::new(long).unwrap();
        assert_eq!(thinned.points().len(), AREA_MAX_POINTS);
        assert!(thinned.contains(0.0, 0.0) && !thinned.contains(9.9, 9.9));
        let json = serde_json::to_string(&l).unwrap();
        assert_eq!(serde_json::from_str::<GeoArea>(&json).unwrap(), l);
        assert!(serde_json::from_str::<GeoArea>("[[0,0],[1,1]]").is_err());
    }

    #[test]
    fn an_area_drawn_across_the_antimeridian_keeps_its_shape() {
        // A triangle round Fiji drawn across 180°: its east corner at 190° (170°W).
        let fiji = GeoArea::new(vec![[172.0, -12.0], [190.0, -12.0], [176.0, -24.0]]).unwrap();
        assert!(fiji.contains(-16.0, 178.0), "west of the seam");
        assert!(
            fiji.contains(-13.0, -175.0),
            "east of the seam, 185° unrolled"
        );
        assert!(!fiji.contains(-13.0, 0.0), "not the rest of the world");
        assert!(
            !fiji.contains(-23.0, -172.0),
            "outside the triangle, inside its box"
        );
        assert!(fiji.bounds().crosses_antimeridian(), "{:?}", fiji.bounds());
        assert_eq!(
            fiji.describe(),
            "within an area drawn over 24°S–12°S, 172°E–170°W"
        );
        // The same area drawn a turn to the west is the same place, saved the same way.
        let west = GeoArea::new(vec![[-188.0, -12.0], [-170.0, -12.0], [-184.0, -24.0]]).unwrap();
        assert_eq!(west, fiji);
        let json = serde_json::to_string(&fiji).unwrap();
        assert_eq!(serde_json::from_str::<GeoArea>(&json).unwrap(), fiji);
    }

    #[test]
    fn unknown_and_out_of_range_coordinates_are_not_usable() {
        assert!(is_usable(31.5, 34.4));
        assert!(is_usable(0.0, 34.4), "the equator is a real place");
        assert!(!is_usable(0.0, 0.0));
        assert!(!is_usable(f64::NAN, 3.0));
        assert!(!is_usable(91.0, 3.0));
        assert!(!is_usable(10.0, -180.5));
    }
}
