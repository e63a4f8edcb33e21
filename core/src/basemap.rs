//! The world's country outlines, embedded: Natural Earth's Admin 0 countries at 1:110m and
//! 1:50m (`assets/boundaries-*.bin`, converted from the npm package world-atlas 2.0.2 by
//! `tools/boundaries/convert.py`; see THIRD_PARTY.md). Decoded once, on first use.
//!
//! Also the one place that knows which country a dataset's country name means
//! ([`Basemap::country_named`]: "DR Congo (Zaire)", "Democratic Republic of Congo" and
//! "Dem. Rep. Congo" are one country) and which country a point lies in.

use std::collections::HashMap;
use std::sync::OnceLock;

/// The attribution every map carries.
pub const ATTRIBUTION: &str = "Boundaries: Natural Earth (public domain); de facto borders";

const COARSE: &[u8] = include_bytes!("../../assets/boundaries-110m.bin");
const FINE: &[u8] = include_bytes!("../../assets/boundaries-50m.bin");
const MAGIC: &[u8; 8] = b"FLBND1\n\0";

/// Which outlines: coarse for the world, fine when zoomed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Resolution {
    /// Natural Earth 1:110m (177 countries).
    Coarse,
    /// Natural Earth 1:50m (241 countries and territories).
    Fine,
}

/// A ring of `[longitude, latitude]` points, closed (the last point repeats the first).
pub type Ring = Vec<[f64; 2]>;

/// A polygon: its outline, then its holes.
pub type Polygon = Vec<Ring>;

/// One country (or territory) of Natural Earth.
#[derive(Debug, Clone)]
pub struct Country {
    /// As Natural Earth writes it in world-atlas ("Dem. Rep. Congo", "S. Sudan").
    pub name: String,
    /// ISO 3166-1 numeric code, when it has one.
    pub iso_numeric: Option<u16>,
    /// Its land.
    pub polygons: Vec<Polygon>,
    /// West, south, east, north over all its polygons (degrees).
    pub bounds: [f64; 4],
    /// Where its name goes: the centre of its largest polygon's outline.
    pub label: [f64; 2],
    /// Its land as triangles, made on first use.
    fills: OnceLock<Vec<PolygonFill>>,
}

/// One polygon as triangles, for painters that fill only triangles.
#[derive(Debug, Clone, Default)]
pub struct PolygonFill {
    /// The polygon's points, `[longitude, latitude]`, rings one after another (unclosed).
    pub points: Vec<[f64; 2]>,
    /// Triangles: three indices into `points` each.
    pub triangles: Vec<u32>,
}

impl Country {
    /// The country's land as triangles (earcut over each polygon and its holes).
    pub fn fills(&self) -> &[PolygonFill] {
        self.fills.get_or_init(|| {
            let mut earcut = earcut::Earcut::new();
            self.polygons
                .iter()
                .map(|polygon| {
                    let mut fill = PolygonFill::default();
                    let mut holes: Vec<u32> = Vec::new();
                    for (k, ring) in polygon.iter().enumerate() {
                        if k > 0 {
                            holes.push(fill.points.len() as u32);
                        }
                        let open = &ring[..ring.len().saturating_sub(1)];
                        fill.points.extend_from_slice(open);
                    }
                    earcut.earcut(fill.points.iter().copied(), &holes, &mut fill.triangles);
                    fill
                })
                .collect()
        })
    }

    /// True when the point lies on the country's land (even-odd over its rings).
    pub fn contains(&self, longitude: f64, latitude: f64) -> bool {
        let [w, s, e, n] = self.bounds;
        if longitude < w || longitude > e || latitude < s || latitude > n {
            return false;
        }
        self.polygons.iter().any(|polygon| {
            polygon
                .iter()
                .filter(|ring| ring_contains(ring, longitude, latitude))
                .count()
                % 2
                == 1
        })
    }
}

/// The countries of one resolution, sorted by name.
#[derive(Debug)]
pub struct Basemap {
    /// The countries.
    pub countries: Vec<Country>,
    /// Normalised names and aliases → country.
    names: HashMap<String, usize>,
}

/// The outlines at `resolution`, decoded on first use.
pub fn basemap(resolution: Resolution) -> &'static Basemap {
    static COARSE_MAP: OnceLock<Basemap> = OnceLock::new();
    static FINE_MAP: OnceLock<Basemap> = OnceLock::new();
    let (cell, bytes) = match resolution {
        Resolution::Coarse => (&COARSE_MAP, COARSE),
        Resolution::Fine => (&FINE_MAP, FINE),
    };
    // The assets are ours and a test decodes both: a failure here is a build error.
    cell.get_or_init(|| decode(bytes).expect("the embedded boundary asset decodes"))
}

impl Basemap {
    /// The country a dataset's country name means, if any: names are compared without case,
    /// accents, punctuation or a trailing "(former name)", with Natural Earth's
    /// abbreviations spelled out and the usual other names of a country known.
    pub fn country_named(&self, name: &str) -> Option<usize> {
        let key = normalise(name);
        if key.is_empty() {
            return None;
        }
        if let Some(&i) = self.names.get(&key) {
            return Some(i);
        }
        let alias = ALIASES.iter().find(|(other, _)| *other == key)?.1;
        self.names.get(&normalise(alias)).copied()
    }

    /// The country at a point, if it lies on land.
    pub fn country_at(&self, longitude: f64, latitude: f64) -> Option<usize> {
        self.countries
            .iter()
            .position(|c| c.contains(longitude, latitude))
    }

    /// The country of this name exactly as Natural Earth writes it.
    pub fn index_of(&self, natural_earth_name: &str) -> Option<usize> {
        self.countries
            .binary_search_by(|c| c.name.as_str().cmp(natural_earth_name))
            .ok()
    }
}

/// Other names of countries, normalised, as conflict datasets write them → Natural Earth's.
const ALIASES: &[(&str, &str)] = &[
    ("united states", "United States of America"),
    ("usa", "United States of America"),
    ("us", "United States of America"),
    ("dr congo", "Dem. Rep. Congo"),
    ("drc", "Dem. Rep. Congo"),
    ("democratic republic of congo", "Dem. Rep. Congo"),
    ("democratic republic of the congo", "Dem. Rep. Congo"),
    ("congo kinshasa", "Dem. Rep. Congo"),
    ("zaire", "Dem. Rep. Congo"),
    ("republic of congo", "Congo"),
    ("republic of the congo", "Congo"),
    ("congo brazzaville", "Congo"),
    ("ivory coast", "Côte d'Ivoire"),
    ("bosnia herzegovina", "Bosnia and Herz."),
    ("north macedonia", "Macedonia"),
    ("swaziland", "eSwatini"),
    ("czech republic", "Czechia"),
    ("cape verde", "Cabo Verde"),
    ("east timor", "Timor-Leste"),
    ("burma", "Myanmar"),
    ("turkiye", "Turkey"),
    ("palestinian territory", "Palestine"),
    ("occupied palestinian territory", "Palestine"),
    ("west bank", "Palestine"),
    ("gaza strip", "Palestine"),
    ("russian federation", "Russia"),
    ("syrian arab republic", "Syria"),
    ("iran islamic republic of", "Iran"),
    ("lao pdr", "Laos"),
    ("viet nam", "Vietnam"),
    ("republic of korea", "South Korea"),
    ("korea republic of", "South Korea"),
    ("democratic peoples republic of korea", "North Korea"),
    (
        "united kingdom of great britain and northern ireland",
        "United Kingdom",
    ),
    ("great britain", "United Kingdom"),
    ("uk", "United Kingdom"),
    ("kingdom of eswatini", "eSwatini"),
    ("micronesia federated states of", "Micronesia"),
    ("brunei darussalam", "Brunei"),
    ("vatican city", "Vatican"),
    ("holy see", "Vatican"),
    ("macau", "Macao"),
    ("northern cyprus", "N. Cyprus"),
    ("faroe islands", "Faeroe Islands"),
    ("sao tome", "São Tomé and Principe"),
];

/// A name reduced for comparison: lower case, no accents or punctuation, no "(former
/// name)", no leading "the", Natural Earth's abbreviations spelled out.
fn normalise(name: &str) -> String {
    let name = match name.find('(') {
        Some(i) if i > 0 => &name[..i],
        _ => name,
    };
    let mut words: Vec<String> = Vec::new();
    for raw in name.split(|c: char| c.is_whitespace() || c == '-' || c == '/') {
        let word: String = raw
            .chars()
            .flat_map(char::to_lowercase)
            .map(fold_accent)
            .filter(|c| c.is_alphanumeric() || *c == '.' || *c == '&')
            .collect();
        let word = match word.as_str() {
            "is." => "islands",
            "i." => "island",
            "rep." => "republic",
            "dem." => "democratic",
            "n." => "north",
            "s." => "south",
            "eq." => "equatorial",
            "w." => "western",
            "fr." => "french",
            "br." => "british",
            "st." | "st" => "saint",
            "herz." => "herzegovina",
            "geo." => "georgia",
            "vin." => "vincent",
            "gren." => "grenadines",
            "barb." => "barbuda",
            "ter." => "territory",
            "&" | "and" => continue,
            other => other,
        };
        let word = word.replace(['.', '&'], "");
        if !word.is_empty() {
            words.push(word);
        }
    }
    if words.first().is_some_and(|w| w == "the") {
        words.remove(0);
    }
    words.join(" ")
}

fn fold_accent(c: char) -> char {
    match c {
        'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' => 'a',
        'é' | 'è' | 'ê' | 'ë' => 'e',
        'í' | 'ì' | 'î' | 'ï' => 'i',
        'ó' | 'ò' | 'ô' | 'ö' | 'õ' => 'o',
        'ú' | 'ù' | 'û' | 'ü' => 'u',
        'ç' => 'c',
        'ñ' => 'n',
        '\'' | '’' => '\0',
        other => other,
    }
}

/// A polygon whose outline runs across the antimeridian (its longitudes jump between 180°
/// and −180°) as polygons that do not: cut in two at the seam, or, for a ring around a pole
/// (Antarctica), closed along the pole. Holes go with the part they lie in.
fn split_at_antimeridian(mut polygon: Polygon) -> Vec<Polygon> {
    let jumps = |ring: &Ring| {
        ring.windows(2)
            .filter(|p| (p[1][0] - p[0][0]).abs() > 180.0 && !is_seam(p[0], p[1]))
            .count()
    };
    for ring in polygon.iter_mut().skip(1) {
        if jumps(ring) % 2 == 1 {
            *ring = around_the_pole(ring);
        }
    }
    let Some(outline) = polygon.first() else {
        return Vec::new();
    };
    match jumps(outline) {
        0 => vec![polygon],
        n if n % 2 == 1 => {
            let mut rings = polygon;
            rings[0] = around_the_pole(&rings[0]);
            vec![rings]
        }
        _ => {
            // Unrolled, the ring is whole; cut it at the seam it runs over.
            let mut unrolled: Ring = Vec::with_capacity(outline.len());
            for &[lon, lat] in outline {
                let lon = match unrolled.last() {
                    Some(&[prev, _]) => lon + 360.0 * ((prev - lon) / 360.0).round(),
                    None => lon,
                };
                unrolled.push([lon, lat]);
            }
            let seam = if unrolled.iter().any(|p| p[0] > 180.0) {
                180.0
            } else {
                -180.0
            };
            let shift = if seam > 0.0 { -360.0 } else { 360.0 };
            let near = clip(&unrolled, seam, seam < 0.0);
            let far: Ring = clip(&unrolled, seam, seam > 0.0)
                .into_iter()
                .map(|[lon, lat]| [lon + shift, lat])
                .collect();
            let mut parts: Vec<Polygon> = [near, far]
                .into_iter()
                .filter(|r| r.len() >= 4)
                .map(|r| vec![r])
                .collect();
            for hole in polygon.into_iter().skip(1) {
                let probe = hole[0];
                if let Some(part) = parts
                    .iter_mut()
                    .find(|p| ring_contains(&p[0], probe[0], probe[1]))
                {
                    part.push(hole);
                }
            }
            parts
        }
    }
}

/// A ring around a pole, closed along it where it jumps across the antimeridian.
fn around_the_pole(ring: &[[f64; 2]]) -> Ring {
    let mean = ring.iter().map(|p| p[1]).sum::<f64>() / ring.len().max(1) as f64;
    let pole = if mean < 0.0 { -90.0 } else { 90.0 };
    let mut out = Vec::with_capacity(ring.len() + 2);
    for (k, &p) in ring.iter().enumerate() {
        out.push(p);
        if let Some(&q) = ring.get(k + 1) {
            if (q[0] - p[0]).abs() > 180.0 && !is_seam(p, q) {
                out.push([p[0], pole]);
                out.push([q[0], pole]);
            }
        }
    }
    out
}

/// The part of a closed ring west of `x` (or east of it, with `keep_east`), closed.
fn clip(ring: &[[f64; 2]], x: f64, keep_east: bool) -> Ring {
    let inside = |p: [f64; 2]| if keep_east { p[0] >= x } else { p[0] <= x };
    let mut out: Ring = Vec::new();
    for pair in ring.windows(2) {
        let (p, q) = (pair[0], pair[1]);
        let crossing = || {
            let t = (x - p[0]) / (q[0] - p[0]);
            [x, p[1] + t * (q[1] - p[1])]
        };
        match (inside(p), inside(q)) {
            (true, true) => out.push(q),
            (true, false) => out.push(crossing()),
            (false, true) => {
                out.push(crossing());
                out.push(q);
            }
            (false, false) => {}
        }
    }
    if let Some(&first) = out.first() {
        out.push(first);
    }
    out
}

/// True when a segment runs along the map's edge (the antimeridian or a pole), where a cut
/// polygon has an edge that is not a border.
pub fn is_seam(a: [f64; 2], b: [f64; 2]) -> bool {
    let on_meridian = a[0].abs() >= 179.999 && (b[0] - a[0]).abs() < 0.001;
    let on_pole = a[1].abs() >= 89.999 && b[1].abs() >= 89.999;
    on_meridian || on_pole
}

/// Even-odd crossing test of one ring.
fn ring_contains(ring: &[[f64; 2]], x: f64, y: f64) -> bool {
    let mut inside = false;
    for pair in ring.windows(2) {
        let ([x1, y1], [x2, y2]) = (pair[0], pair[1]);
        if (y1 > y) != (y2 > y) && x < (x2 - x1) * (y - y1) / (y2 - y1) + x1 {
            inside = !inside;
        }
    }
    inside
}

/// A ring's signed area and centroid (shoelace).
fn ring_centroid(ring: &[[f64; 2]]) -> (f64, [f64; 2]) {
    let (mut area, mut cx, mut cy) = (0.0, 0.0, 0.0);
    for pair in ring.windows(2) {
        let ([x1, y1], [x2, y2]) = (pair[0], pair[1]);
        let cross = x1 * y2 - x2 * y1;
        area += cross;
        cx += (x1 + x2) * cross;
        cy += (y1 + y2) * cross;
    }
    area /= 2.0;
    if area.abs() < 1e-12 {
        let first = ring.first().copied().unwrap_or([0.0, 0.0]);
        return (0.0, first);
    }
    (area.abs(), [cx / (6.0 * area), cy / (6.0 * area)])
}

/// Reads one asset (the layout is described in `tools/boundaries/convert.py`).
fn decode(bytes: &[u8]) -> Result<Basemap, String> {
    let mut r = Reader { bytes, at: 0 };
    if r.take(8)? != MAGIC {
        return Err("not a boundary asset".into());
    }
    let [sx, sy, tx, ty] = [r.f64()?, r.f64()?, r.f64()?, r.f64()?];
    let count = r.u32()? as usize;
    let mut countries = Vec::with_capacity(count);
    for _ in 0..count {
        let len = r.u16()? as usize;
        let name = std::str::from_utf8(r.take(len)?)
            .map_err(|_| "a name is not UTF-8")?
            .to_string();
        let code = r.u16()?;
        let mut polygons = Vec::new();
        for _ in 0..r.u32()? {
            let mut polygon = Vec::new();
            for _ in 0..r.u32()? {
                let points = r.u32()? as usize;
                let mut ring = Vec::with_capacity(points);
                let (mut x, mut y) = (0i64, 0i64);
                for _ in 0..points {
                    x += r.varint()?;
                    y += r.varint()?;
                    ring.push([x as f64 * sx + tx, y as f64 * sy + ty]);
                }
                polygon.push(ring);
            }
            polygons.extend(split_at_antimeridian(polygon));
        }
        let mut bounds = [f64::MAX, f64::MAX, f64::MIN, f64::MIN];
        for &[lon, lat] in polygons.iter().flatten().flatten() {
            bounds = [
                bounds[0].min(lon),
                bounds[1].min(lat),
                bounds[2].max(lon),
                bounds[3].max(lat),
            ];
        }
        let label = polygons
            .iter()
            .filter_map(|p: &Polygon| p.first())
            .map(|outline| ring_centroid(outline))
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map_or([0.0, 0.0], |(_, c)| c);
        countries.push(Country {
            name,
            iso_numeric: (code != 0).then_some(code),
            polygons,
            bounds,
            label,
            fills: OnceLock::new(),
        });
    }
    let names = countries
        .iter()
        .enumerate()
        .map(|(i, c)| (normalise(&c.name), i))
        .collect();
    Ok(Basemap { countries, names })
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.bytes.len());
        let end = end.ok_or_else(|| format!("the asset ends early at byte {}", self.at))?;
        let out = &self.bytes[self.at..end];
        self.at = end;
        Ok(out)
    }
    fn u16(&mut self) -> Result<u16, String> {
        Ok(u16::from_le_bytes(
            self.take(2)?.try_into().unwrap_or([0; 2]),
        ))
    }
    fn u32(&mut self) -> Result<u32, String> {
        Ok(u32::from_le_bytes(
            self.take(4)?.try_into().unwrap_or([0; 4]),
        ))
    }
    fn f64(&mut self) -> Result<f64, String> {
        Ok(f64::from_le_bytes(
            self.take(8)?.try_into().unwrap_or([0; 8]),
        ))
    }
    fn varint(&mut self) -> Result<i64, String> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.take(1)?[0];
            value |= u64::from(byte & 0x7F) << shift;
            if byte & 0x80 == 0 {
                // Zigzag: 0, -1, 1, -2, … ← 0, 1, 2, 3, …
                return Ok((value >> 1) as i64 ^ -((value & 1) as i64));
            }
        }
        Err(format!("a number runs past byte {}", self.at))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_resolutions_decode_with_every_country_closed() {
        let coarse = basemap(Resolution::Coarse);
        let fine = basemap(Resolution::Fine);
        assert_eq!(coarse.countries.len(), 177);
        assert_eq!(fine.countries.len(), 241);
        for map in [coarse, fine] {
            for c in &map.countries {
                for ring in c.polygons.iter().flatten() {
                    assert!(ring.len() >= 4, "{} has a ring of {}", c.name, ring.len());
                    assert_eq!(ring.first(), ring.last(), "{}'s ring is closed", c.name);
                }
                let [w, s, e, n] = c.bounds;
                assert!(-180.0 <= w && w <= e && e <= 180.0, "{}: {w}..{e}", c.name);
                assert!(-90.0 <= s && s <= n && n <= 90.0, "{}: {s}..{n}", c.name);
            }
        }
    }

    #[test]
    fn no_ring_jumps_across_the_antimeridian() {
        for map in [basemap(Resolution::Coarse), basemap(Resolution::Fine)] {
            for c in &map.countries {
                for ring in c.polygons.iter().flatten() {
                    for p in ring.windows(2) {
                        // Only the edge along a pole may run the map's whole width.
                        let along_pole = is_seam(p[0], p[1]) && p[0][1].abs() > 89.99;
                        assert!(
                            (p[1][0] - p[0][0]).abs() <= 180.0 || along_pole,
                            "{}: {p:?}",
                            c.name
                        );
                    }
                }
            }
            // Russia's Chukotka lies east of 180° and Fiji on both sides; Antarctica reaches
            // the pole.
            let russia = &map.countries[map.index_of("Russia").unwrap()];
            assert!(russia.bounds[0] <= -179.9 && russia.bounds[2] >= 179.9);
            assert!(russia.contains(-175.0, 66.0), "Chukotka, east of the seam");
            let antarctica = &map.countries[map.index_of("Antarctica").unwrap()];
            assert!(antarctica.bounds[1] <= -89.99);
            assert!(antarctica.contains(0.0, -88.0));
        }
    }

    #[test]
    fn a_cut_ring_keeps_both_sides() {
        // A square from 170°E to 170°W (190°), written with the jump.
        let square = vec![
            [170.0, 0.0],
            [-170.0, 0.0],
            [-170.0, 10.0],
            [170.0, 10.0],
            [170.0, 0.0],
        ];
        let parts = split_at_antimeridian(vec![square]);
        assert_eq!(parts.len(), 2);
        let span = |r: &Ring| {
            let lons: Vec<f64> = r.iter().map(|p| p[0]).collect();
            (
                lons.iter().cloned().fold(f64::MAX, f64::min),
                lons.iter().cloned().fold(f64::MIN, f64::max),
            )
        };
        let mut spans: Vec<(f64, f64)> = parts.iter().map(|p| span(&p[0])).collect();
        spans.sort_by(|a, b| a.0.total_cmp(&b.0));
        assert_eq!(spans, vec![(-180.0, -170.0), (170.0, 180.0)]);
        assert!(is_seam([180.0, 0.0], [180.0, 10.0]));
        assert!(!is_seam([170.0, 0.0], [180.0, 10.0]));
        assert!(
            !is_seam([180.0, 5.0], [-180.0, 5.0]),
            "a jump is not an edge"
        );
    }

    #[test]
    fn points_fall_in_the_right_country() {
        let map = basemap(Resolution::Coarse);
        let name_at = |lon, lat| map.country_at(lon, lat).map(|i| &map.countries[i].name);
        // Erbil, Iraq; Nairobi, Kenya; Bangui, Central African Republic; Kabul.
        assert_eq!(name_at(44.01, 36.19).unwrap(), "Iraq");
        assert_eq!(name_at(36.82, -1.29).unwrap(), "Kenya");
        assert_eq!(name_at(18.56, 4.36).unwrap(), "Central African Rep.");
        assert_eq!(name_at(69.17, 34.53).unwrap(), "Afghanistan");
        assert_eq!(name_at(-30.0, 0.0), None, "the middle of the Atlantic");
        // Fiji lies across the antimeridian: land on both sides.
        let fine = basemap(Resolution::Fine);
        let fiji = fine.index_of("Fiji").unwrap();
        assert_eq!(
            fine.country_at(178.0, -17.8),
            Some(fiji),
            "inland Viti Levu"
        );
        // And Vanua Levu runs across 180°: its east end is at negative longitudes.
        assert!(fine.countries[fiji].bounds[0] < -179.0 && fine.countries[fiji].bounds[2] > 179.0);
    }

    #[test]
    fn dataset_country_names_find_natural_earth_countries() {
        let map = basemap(Resolution::Coarse);
        let find = |name: &str| {
            map.country_named(name)
                .map(|i| map.countries[i].name.clone())
        };
        let cases = [
            ("Iraq", "Iraq"),
            ("IRAQ", "Iraq"),
            ("DR Congo (Zaire)", "Dem. Rep. Congo"),
            ("Democratic Republic of Congo", "Dem. Rep. Congo"),
            ("Central African Republic", "Central African Rep."),
            ("South Sudan", "S. Sudan"),
            ("Russia (Soviet Union)", "Russia"),
            ("Ivory Coast", "Côte d'Ivoire"),
            ("Cote d'Ivoire", "Côte d'Ivoire"),
            ("United States", "United States of America"),
            ("Bosnia-Herzegovina", "Bosnia and Herz."),
            ("Bosnia and Herzegovina", "Bosnia and Herz."),
            ("Myanmar (Burma)", "Myanmar"),
            ("eSwatini", "eSwatini"),
            ("the Gambia", "Gambia"),
            ("Solomon Islands", "Solomon Is."),
            ("Palestine", "Palestine"),
            ("Western Sahara", "W. Sahara"),
        ];
        for (dataset, natural_earth) in cases {
            assert_eq!(find(dataset).as_deref(), Some(natural_earth), "{dataset}");
        }
        for unknown in ["", "Atlantis", "IZ", "(none)"] {
            assert_eq!(find(unknown), None, "{unknown}");
        }
    }

    #[test]
    fn fills_cover_each_country_with_triangles_of_its_area() {
        let map = basemap(Resolution::Coarse);
        for name in ["Iraq", "Indonesia", "Lesotho", "South Africa"] {
            let c = &map.countries[map.index_of(name).unwrap()];
            let area = |fill: &PolygonFill| -> f64 {
                fill.triangles
                    .chunks(3)
                    .map(|t| {
                        let [a, b, c] = [0, 1, 2].map(|k| fill.points[t[k] as usize]);
                        ((b[0] - a[0]) * (c[1] - a[1]) - (c[0] - a[0]) * (b[1] - a[1])).abs() / 2.0
                    })
                    .sum()
            };
            let triangles: f64 = c.fills().iter().map(area).sum();
            // The shoelace area of the outlines less the holes (South Africa has Lesotho).
            let rings: f64 = c
                .polygons
                .iter()
                .map(|p| {
                    let outline = ring_centroid(&p[0]).0;
                    let holes: f64 = p[1..].iter().map(|h| ring_centroid(h).0).sum();
                    outline - holes
                })
                .sum();
            assert!(
                (triangles - rings).abs() < rings * 1e-6,
                "{name}: {triangles} vs {rings}"
            );
        }
    }

    #[test]
    fn labels_sit_inside_compact_countries() {
        let map = basemap(Resolution::Coarse);
        for name in ["Iraq", "Kenya", "France", "Brazil", "Australia"] {
            let c = &map.countries[map.index_of(name).unwrap()];
            assert!(c.contains(c.label[0], c.label[1]), "{name}'s label");
        }
    }

    #[test]
    fn a_broken_asset_is_an_error_not_a_panic() {
        assert!(decode(b"nope").is_err());
        let mut cut = COARSE[..COARSE.len() / 2].to_vec();
        assert!(decode(&cut).unwrap_err().contains("ends early"));
        cut[0] = b'X';
        assert!(decode(&cut).is_err());
    }
}
