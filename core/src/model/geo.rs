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
    fn unknown_and_out_of_range_coordinates_are_not_usable() {
        assert!(is_usable(31.5, 34.4));
        assert!(is_usable(0.0, 34.4), "the equator is a real place");
        assert!(!is_usable(0.0, 0.0));
        assert!(!is_usable(f64::NAN, 3.0));
        assert!(!is_usable(91.0, 3.0));
        assert!(!is_usable(10.0, -180.5));
    }
}
