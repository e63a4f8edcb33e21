//! The map's answers: where the filtered events are ([`MapPoints`], once per filter and
//! projection), what one view of the map shows ([`MapScene`]: markers and clusters, or a
//! density grid over ~20k visible events), and the events per country ([`CountryTotals`]).
//! The map panel and the map exporter draw these same answers.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::facets::Facets;
use super::GroupBy;
use crate::basemap::{basemap, Resolution};
use crate::layout::map::{MapFrame, Projection};
use crate::model::geo::is_usable;
use crate::store::{Store, NO_COUNT};
use crate::style::{self, Rgb};

/// Over this many events in view, the map draws their density instead of markers.
pub const DENSITY_MIN_VISIBLE: usize = 20_000;
/// Markers closer than this many pixels are drawn as one cluster with its count.
pub const CLUSTER_CELL: f32 = 18.0;
/// The density grid's cell, in pixels.
pub const DENSITY_CELL: f32 = 4.0;
/// Colour classes beyond these many get "Other".
const CLASSES_SHOWN: usize = 7;

/// What the map draws the events as.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MapLayer {
    /// Markers, or density when more than [`DENSITY_MIN_VISIBLE`] events are in view, or
    /// the countries shaded when no event has coordinates.
    #[default]
    Auto,
    /// Markers and clusters, however many.
    Points,
    /// Counts per screen cell.
    Density,
    /// Events per country, shaded.
    Countries,
}

impl MapLayer {
    /// Every layer, in menu order.
    pub const ALL: [MapLayer; 4] = [
        MapLayer::Auto,
        MapLayer::Points,
        MapLayer::Density,
        MapLayer::Countries,
    ];

    /// Its name for people.
    pub fn label(self) -> &'static str {
        match self {
            MapLayer::Auto => "Markers or density",
            MapLayer::Points => "Markers",
            MapLayer::Density => "Density",
            MapLayer::Countries => "Countries",
        }
    }

    /// Its name on the command line (`--layer`).
    pub fn key(self) -> &'static str {
        match self {
            MapLayer::Auto => "auto",
            MapLayer::Points => "points",
            MapLayer::Density => "density",
            MapLayer::Countries => "countries",
        }
    }

    /// The layer of a `--layer` value.
    pub fn from_key(key: &str) -> Option<MapLayer> {
        MapLayer::ALL.into_iter().find(|l| l.key() == key)
    }
}

/// What a marker's colour says.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ColourBy {
    /// The event type.
    #[default]
    EventType,
    /// Deaths, in classes.
    Fatalities,
    /// The reporting source.
    Source,
}

impl ColourBy {
    /// Every choice, in menu order.
    pub const ALL: [ColourBy; 3] = [ColourBy::EventType, ColourBy::Fatalities, ColourBy::Source];

    /// Its name for people.
    pub fn label(self) -> &'static str {
        match self {
            ColourBy::EventType => "Event type",
            ColourBy::Fatalities => "Deaths",
            ColourBy::Source => "Source",
        }
    }

    /// Its name on the command line (`--color-by`).
    pub fn key(self) -> &'static str {
        match self {
            ColourBy::EventType => "type",
            ColourBy::Fatalities => "fatalities",
            ColourBy::Source => "source",
        }
    }

    /// The choice of a `--color-by` value.
    pub fn from_key(key: &str) -> Option<ColourBy> {
        ColourBy::ALL.into_iter().find(|c| c.key() == key)
    }
}

/// One view of the map: what is drawn, and where the camera is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MapSpec {
    /// What the events are drawn as.
    pub layer: MapLayer,
    /// What the markers' colour says.
    pub colour_by: ColourBy,
    /// The camera and the picture's size.
    pub frame: MapFrame,
}

/// How exactly the source places an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// At the place itself (a town, a village, a site).
    Exact,
    /// At the centre of an area (a district, a province, a country): drawn as a ring, never
    /// as a point.
    Approximate,
}

/// The source's precision columns, looked up once: ACLED `geo_precision` (1 the place, 2 near
/// it or part of a region, 3 a provincial capital or region centre), UCDP `where_prec` (1
/// exact, 2 within 25 km, 3 a second-order area, 4 a first-order area, 5 a line of places, 6
/// a country, 7 international waters) and GDELT's action geography type (1 a country, 2 a US
/// state, 3 a US city, 4 a world city, 5 a world state or province).
pub struct Precision<'s> {
    store: &'s Store,
    columns: [(Option<&'s crate::store::Interned>, &'static [&'static str]); 3],
}

impl<'s> Precision<'s> {
    /// The precision columns of `store`, if it has any.
    pub fn of(store: &'s Store) -> Precision<'s> {
        let column = |name: &str| store.events.attributes.get(name);
        Precision {
            store,
            columns: [
                (column("geo_precision"), &["2", "3"]),
                (column("where_prec"), &["2", "3", "4", "5", "6", "7"]),
                (column("action_geo_type"), &["1", "2", "5"]),
            ],
        }
    }

    /// How exactly event `i` is placed. Without a precision column, exact: the file gives no
    /// reason to doubt its coordinates.
    pub fn of_row(&self, i: usize) -> Placement {
        for (column, approximate) in &self.columns {
            if let Some(id) = column.and_then(|c| c.0.get(i)) {
                let value = self.store.strings.text(*id).trim();
                // "2.0" from exports that wrote numbers as floats.
                let value = value.strip_suffix(".0").unwrap_or(value);
                if approximate.contains(&value) {
                    return Placement::Approximate;
                }
            }
        }
        Placement::Exact
    }
}

/// One entry of a map's legend.
#[derive(Debug, Clone, PartialEq)]
pub struct MapClass {
    /// "Battles", "10–99 deaths", "Other".
    pub name: String,
    /// Its colour.
    pub colour: Rgb,
}

/// The filtered events that have usable coordinates, projected once.
#[derive(Debug, Clone, Default)]
pub struct MapPoints {
    /// The projection the positions are in.
    pub projection: Projection,
    /// What the colour classes say.
    pub colour_by: ColourBy,
    /// Their rows in the store.
    pub rows: Vec<u32>,
    /// Their positions in world units (see [`Projection::project`]).
    pub xy: Vec<[f32; 2]>,
    /// Whether each is placed only approximately.
    pub approximate: Vec<bool>,
    /// Each one's colour class (an index into `classes`).
    pub class: Vec<u8>,
    /// Each one's deaths (0 when not reported).
    pub fatalities: Vec<u32>,
    /// The colour classes, for the legend.
    pub classes: Vec<MapClass>,
    /// Filtered events that cannot be placed (no coordinates, out of range, or 0°, 0°).
    pub without_coordinates: usize,
}

impl MapPoints {
    /// How many events are placed.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// True when no event is placed.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// "312 events have no coordinates", when some filtered events cannot be placed.
    pub fn unplaced_note(&self) -> Option<String> {
        let n = self.without_coordinates;
        (n > 0).then(|| {
            let verb = if n == 1 { "event has" } else { "events have" };
            format!("{} {verb} no coordinates", crate::text::thousands(n))
        })
    }

    /// How many are placed only approximately.
    pub fn approximate_count(&self) -> usize {
        self.approximate.iter().filter(|&&a| a).count()
    }

    /// The smallest box around every placed event, if any is placed: across the
    /// antimeridian when that is narrower (events in Fiji on both sides of 180°).
    pub fn bounds(&self) -> Option<crate::model::GeoBox> {
        if self.xy.is_empty() {
            return None;
        }
        let mut lo = [f64::MAX, f64::MAX];
        let mut hi = [f64::MIN, f64::MIN];
        // Which of 3,600 slices of longitude hold an event: the widest run of empty slices
        // is the gap the box leaves out.
        const SLICES: usize = 3600;
        let slice = |x: f64| ((x * SLICES as f64) as usize).min(SLICES - 1);
        let mut held = vec![false; SLICES];
        for &[x, y] in &self.xy {
            let (x, y) = (f64::from(x), f64::from(y));
            lo = [lo[0].min(x), lo[1].min(y)];
            hi = [hi[0].max(x), hi[1].max(y)];
            held[slice(x)] = true;
        }
        let (west, north) = self.projection.unproject(lo);
        let (east, south) = self.projection.unproject(hi);
        let plain = crate::model::GeoBox::new(west, south, east, north).ok();
        // The widest gap inside the world, against the one the plain box leaves round the
        // antimeridian (west of its west plus east of its east).
        let (mut gap, mut widest) = (0, (0, 0));
        for (k, &h) in held.iter().enumerate() {
            gap = if h { 0 } else { gap + 1 };
            if gap > widest.1 - widest.0 {
                widest = (k + 1 - gap, k + 1);
            }
        }
        let outer = slice(lo[0]) + (SLICES - 1 - slice(hi[0]));
        if widest.1 - widest.0 <= outer {
            return plain;
        }
        // Across: from the first event east of the gap round to the last one west of it.
        let (gap_start, gap_end) = (
            widest.0 as f64 / SLICES as f64,
            widest.1 as f64 / SLICES as f64,
        );
        let (mut east_x, mut west_x) = (f64::MIN, f64::MAX);
        for &[x, _] in &self.xy {
            let x = f64::from(x);
            if x < gap_start {
                east_x = east_x.max(x);
            } else if x >= gap_end {
                west_x = west_x.min(x);
            }
        }
        let (west, _) = self.projection.unproject([west_x, lo[1]]);
        let (east, _) = self.projection.unproject([east_x, lo[1]]);
        crate::model::GeoBox::new(west, south, east, north)
            .ok()
            .or(plain)
    }
}

/// The classes of deaths when markers are coloured by them.
const DEATH_CLASSES: [(&str, u32); 4] = [
    ("No deaths reported", 0),
    ("1–9 deaths", 1),
    ("10–99 deaths", 10),
    ("100 or more deaths", 100),
];

/// Places the filtered `rows` of `store`.
pub fn map_points(
    store: &Store,
    facets: &Facets,
    rows: &[u32],
    projection: Projection,
    colour_by: ColourBy,
) -> MapPoints {
    let e = &store.events;
    let precision = Precision::of(store);
    // Colour classes: the dataset's most frequent values (so a filter never recolours),
    // then "Other".
    let (facet, column, group_by) = match colour_by {
        ColourBy::EventType => (&facets.event_types, &e.event_type, GroupBy::EventType),
        ColourBy::Source => (&facets.sources, &e.source, GroupBy::Source),
        ColourBy::Fatalities => (&facets.sources, &e.source, GroupBy::None),
    };
    let mut classes: Vec<MapClass> = Vec::new();
    let mut class_of_string: HashMap<u32, u8> = HashMap::new();
    if colour_by == ColourBy::Fatalities {
        classes = DEATH_CLASSES
            .iter()
            .enumerate()
            .map(|(k, (name, _))| MapClass {
                name: name.to_string(),
                colour: style::DEATHS[k],
            })
            .collect();
    } else {
        for (rank, (name, _)) in facet.iter().take(CLASSES_SHOWN).enumerate() {
            if let Some(id) = store.strings.get(name) {
                class_of_string.insert(id, classes.len() as u8);
                let rank = facets.rank(group_by, name, store).unwrap_or(rank);
                classes.push(MapClass {
                    name: name.clone(),
                    colour: style::category(rank),
                });
            }
        }
        classes.push(MapClass {
            name: "Other".to_string(),
            colour: style::OTHER,
        });
    }
    let other = (classes.len() - 1) as u8;
    let mut out = MapPoints {
        projection,
        colour_by,
        classes,
        ..MapPoints::default()
    };
    for &r in rows {
        let i = r as usize;
        let (lat, lon) = (e.latitude[i], e.longitude[i]);
        if !is_usable(lat, lon) {
            out.without_coordinates += 1;
            continue;
        }
        let [x, y] = projection.project(lon, lat);
        let deaths = match e.fatalities[i] {
            NO_COUNT => 0,
            n => n,
        };
        let class = if colour_by == ColourBy::Fatalities {
            DEATH_CLASSES
                .iter()
                .rposition(|(_, min)| deaths >= *min)
                .unwrap_or(0) as u8
        } else {
            class_of_string.get(&column[i]).copied().unwrap_or(other)
        };
        out.rows.push(r);
        out.xy.push([x as f32, y as f32]);
        out.approximate
            .push(precision.of_row(i) == Placement::Approximate);
        out.class.push(class);
        out.fatalities.push(deaths);
    }
    out
}

/// One marker: an event, or a cluster of events drawn as one with its count.
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    /// Where, in pixels from the picture's top-left corner.
    pub at: [f32; 2],
    /// How many events.
    pub count: u32,
    /// The first of them (an index into [`MapPoints`]).
    pub first: u32,
    /// The most common colour class among them.
    pub class: u8,
    /// True when every one of them is placed only approximately.
    pub approximate: bool,
    /// Their deaths, summed.
    pub fatalities: u64,
}

/// Counts of events per screen cell.
#[derive(Debug, Clone, PartialEq)]
pub struct DensityGrid {
    /// A cell's side in pixels.
    pub cell: f32,
    /// Cells across.
    pub columns: usize,
    /// Cells down.
    pub rows: usize,
    /// Events per cell, row by row.
    pub counts: Vec<u32>,
    /// The largest count.
    pub max: u32,
}

impl DensityGrid {
    /// The legend's marks: 1, 10, 100, … up to the largest count, and the largest count.
    pub fn legend_values(&self) -> Vec<u64> {
        legend_values(u64::from(self.max))
    }
}

/// 1, 10, 100, … below `max`, then `max`.
pub fn legend_values(max: u64) -> Vec<u64> {
    let mut out = Vec::new();
    let mut v = 1u64;
    while v < max {
        out.push(v);
        v = v.saturating_mul(10);
    }
    if max > 0 {
        out.push(max);
    }
    out
}

/// Where `count` falls on a log ramp up to `max`, from 0 to 1.
pub fn log_position(count: u64, max: u64) -> f32 {
    if max <= 1 {
        return if count > 0 { 1.0 } else { 0.0 };
    }
    ((count as f64).ln_1p() / (max as f64).ln_1p()) as f32
}

/// What one view of the map draws of the events.
#[derive(Debug, Clone, PartialEq)]
pub enum SceneLayer {
    /// Markers and clusters.
    Marks(Vec<Mark>),
    /// Counts per cell.
    Density(DensityGrid),
    /// Countries shaded by their events ([`CountryTotals`]).
    Countries,
}

/// One view of the map.
#[derive(Debug, Clone, PartialEq)]
pub struct MapScene {
    /// The camera it was computed for (the panel moves it with the view while a newer one
    /// is computed).
    pub frame: MapFrame,
    /// Placed events in view.
    pub visible: usize,
    /// What is drawn.
    pub layer: SceneLayer,
}

/// Computes what `spec`'s view shows of `points`.
pub fn map_scene(points: &MapPoints, spec: &MapSpec) -> MapScene {
    let frame = spec.frame;
    let screen = in_view(points, &frame);
    let visible = screen.len();
    // With nothing to place, "auto" shades the countries the events name.
    let countries =
        spec.layer == MapLayer::Countries || (spec.layer == MapLayer::Auto && points.is_empty());
    let density = match spec.layer {
        MapLayer::Density => true,
        MapLayer::Auto => visible > DENSITY_MIN_VISIBLE,
        MapLayer::Points | MapLayer::Countries => false,
    };
    let layer = if countries {
        SceneLayer::Countries
    } else if density {
        SceneLayer::Density(density_grid(&screen, frame.size))
    } else {
        SceneLayer::Marks(cluster(points, &screen, frame.size))
    };
    MapScene {
        frame,
        visible,
        layer,
    }
}

fn density_grid(screen: &[(u32, [f32; 2])], size: [f32; 2]) -> DensityGrid {
    let columns = (size[0] / DENSITY_CELL).ceil().max(1.0) as usize;
    let rows = (size[1] / DENSITY_CELL).ceil().max(1.0) as usize;
    let mut counts = vec![0u32; columns * rows];
    for (_, [x, y]) in screen {
        let c = ((x / DENSITY_CELL) as usize).min(columns - 1);
        let r = ((y / DENSITY_CELL) as usize).min(rows - 1);
        counts[r * columns + c] += 1;
    }
    let max = counts.iter().copied().max().unwrap_or(0);
    DensityGrid {
        cell: DENSITY_CELL,
        columns,
        rows,
        counts,
        max,
    }
}

/// The events in view and where each is drawn, in every copy of the world the frame shows
/// (an event near the antimeridian, seen from across it, is in the copy beside it).
fn in_view(points: &MapPoints, frame: &MapFrame) -> Vec<(u32, [f32; 2])> {
    let mut screen = Vec::new();
    let turn = frame.pixels_per_unit;
    let width = f64::from(frame.size[0]);
    for (k, &[x, y]) in points.xy.iter().enumerate() {
        let [_, sy] = frame.unit_to_screen([x as f64, y as f64]);
        if !in_picture(frame.size, [0.0, sy]) {
            continue;
        }
        // Where it is in the camera's own copy of the world, then one world's width east
        // for each copy further east, while on the picture.
        let sx = (f64::from(x) - frame.center[0]) * turn + width / 2.0;
        let mut at = sx + (-sx / turn).ceil() * turn;
        while at < width {
            if in_picture(frame.size, [at as f32, sy]) {
                screen.push((k as u32, [at as f32, sy]));
            }
            at += turn;
        }
    }
    screen
}

/// True when a pixel is inside a picture `size` pixels wide and high.
fn in_picture([w, h]: [f32; 2], [x, y]: [f32; 2]) -> bool {
    x >= 0.0 && y >= 0.0 && x < w && y < h
}

/// The screen cell a pixel clusters in, for a picture `size` pixels wide and high.
fn cluster_cell(size: [f32; 2], [x, y]: [f32; 2]) -> usize {
    let columns = (size[0] / CLUSTER_CELL).ceil().max(1.0) as usize;
    (y / CLUSTER_CELL) as usize * columns + (x / CLUSTER_CELL) as usize
}

/// For each of `marks` (as [`map_scene`] made them for `frame`), how many of its events are
/// `wanted` (given their row in the store): the selected actor's, the selected event. One
/// pass over the placed events, asking `wanted` only of the ones in view (markers are drawn
/// only up to [`DENSITY_MIN_VISIBLE`] of them); the panel asks when the selection or the
/// view changes, not every frame. `marks` must be what [`map_scene`] made for `frame`.
pub fn marks_holding(
    points: &MapPoints,
    frame: &MapFrame,
    marks: &[Mark],
    wanted: impl Fn(usize) -> bool,
) -> Vec<u32> {
    let screen = in_view(points, frame);
    // Clustering made one marker per cell, in the order the events in view first met each
    // cell: the same walk numbers the cells the same way.
    let mut mark_of_cell: HashMap<usize, usize> = HashMap::new();
    let mut held = vec![0u32; marks.len()];
    for &(k, p) in &screen {
        let next = mark_of_cell.len();
        let i = *mark_of_cell
            .entry(cluster_cell(frame.size, p))
            .or_insert(next);
        if i < held.len() && wanted(points.rows[k as usize] as usize) {
            held[i] += 1;
        }
    }
    held
}

/// Groups the events in view by screen cell: one marker per cell, at its events' mean.
fn cluster(points: &MapPoints, screen: &[(u32, [f32; 2])], size: [f32; 2]) -> Vec<Mark> {
    struct Acc {
        sum: [f64; 2],
        count: u32,
        first: u32,
        approximate: bool,
        fatalities: u64,
        classes: Vec<u32>,
    }
    let mut cells: HashMap<usize, Acc> = HashMap::new();
    let mut order: Vec<usize> = Vec::new();
    for &(k, [x, y]) in screen {
        let key = cluster_cell(size, [x, y]);
        let acc = cells.entry(key).or_insert_with(|| {
            order.push(key);
            Acc {
                sum: [0.0, 0.0],
                count: 0,
                first: k,
                approximate: true,
                fatalities: 0,
                classes: vec![0; points.classes.len()],
            }
        });
        acc.sum[0] += x as f64;
        acc.sum[1] += y as f64;
        acc.count += 1;
        acc.approximate &= points.approximate[k as usize];
        acc.fatalities += u64::from(points.fatalities[k as usize]);
        if let Some(c) = acc.classes.get_mut(points.class[k as usize] as usize) {
            *c += 1;
        }
    }
    order
        .into_iter()
        .filter_map(|key| cells.remove(&key))
        .map(|acc| {
            let n = f64::from(acc.count);
            let class = (0..acc.classes.len())
                .max_by_key(|&c| (acc.classes[c], std::cmp::Reverse(c)))
                .unwrap_or(0) as u8;
            Mark {
                at: [(acc.sum[0] / n) as f32, (acc.sum[1] / n) as f32],
                count: acc.count,
                first: acc.first,
                class,
                approximate: acc.approximate,
                fatalities: acc.fatalities,
            }
        })
        .collect()
}

/// The marker under a pixel, if any: the nearest within its drawn radius (plus `slack`).
pub fn mark_at(marks: &[Mark], pixel: [f32; 2], slack: f32) -> Option<usize> {
    marks
        .iter()
        .enumerate()
        .map(|(k, m)| {
            let (dx, dy) = (m.at[0] - pixel[0], m.at[1] - pixel[1]);
            (k, dx * dx + dy * dy, mark_radius(m) + slack)
        })
        .filter(|(_, d2, r)| *d2 <= r * r)
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(k, _, _)| k)
}

/// A marker's radius in pixels: by deaths for one event, by count for a cluster.
pub fn mark_radius(mark: &Mark) -> f32 {
    if mark.count > 1 {
        7.0 + 2.5 * (mark.count as f32).log10()
    } else {
        3.5 + 1.5 * (mark.fatalities as f32).ln_1p()
    }
}

/// Events (and deaths) per country under a filter.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CountryTotals {
    /// Natural Earth name → (events, deaths), most events first.
    pub countries: Vec<(String, u32, u64)>,
    /// The dataset's own names of each Natural Earth country met (for filtering by a click).
    pub dataset_names: HashMap<String, Vec<String>>,
    /// Country names the map does not know, with their events.
    pub unknown_names: Vec<(String, u32)>,
    /// Events with neither a country the map knows nor coordinates on land.
    pub unplaced: usize,
}

impl CountryTotals {
    /// The events and deaths of a Natural Earth country.
    pub fn of(&self, natural_earth_name: &str) -> Option<(u32, u64)> {
        self.countries
            .iter()
            .find(|(n, _, _)| n == natural_earth_name)
            .map(|(_, e, d)| (*e, *d))
    }

    /// The most events in one country.
    pub fn max_events(&self) -> u32 {
        self.countries.first().map_or(0, |c| c.1)
    }

    /// What a shaded country shows: its deaths when the map is coloured by deaths, else its
    /// events (0 for a country with none).
    pub fn value(&self, natural_earth_name: &str, by: ColourBy) -> u64 {
        self.of(natural_earth_name)
            .map_or(0, |(events, deaths)| match by {
                ColourBy::Fatalities => deaths,
                _ => u64::from(events),
            })
    }

    /// The largest [`CountryTotals::value`].
    pub fn max_value(&self, by: ColourBy) -> u64 {
        self.countries
            .iter()
            .map(|(name, _, _)| self.value(name, by))
            .max()
            .unwrap_or(0)
    }

    /// The legend's title for shaded countries.
    pub fn legend_title(by: ColourBy) -> &'static str {
        match by {
            ColourBy::Fatalities => "Deaths per country",
            _ => "Events per country",
        }
    }
}

/// Counts `rows` per country: by the event's country name when the map knows it, else by
/// the country its coordinates fall in.
pub fn country_totals(store: &Store, rows: &[u32]) -> CountryTotals {
    let map = basemap(Resolution::Fine);
    let e = &store.events;
    let mut by_name: HashMap<u32, Option<usize>> = HashMap::new();
    let mut by_point: HashMap<(u64, u64), Option<usize>> = HashMap::new();
    let mut counts: HashMap<usize, (u32, u64)> = HashMap::new();
    let mut unknown: HashMap<u32, u32> = HashMap::new();
    let mut dataset_names: HashMap<usize, Vec<u32>> = HashMap::new();
    let mut unplaced = 0;
    for &r in rows {
        let i = r as usize;
        let name_id = e.country[i];
        let named = (name_id != 0)
            .then(|| {
                *by_name
                    .entry(name_id)
                    .or_insert_with(|| map.country_named(store.strings.text(name_id)))
            })
            .flatten();
        let (lat, lon) = (e.latitude[i], e.longitude[i]);
        let country = named.or_else(|| {
            is_usable(lat, lon)
                .then(|| {
                    *by_point
                        .entry((lon.to_bits(), lat.to_bits()))
                        .or_insert_with(|| map.country_at(lon, lat))
                })
                .flatten()
        });
        let Some(c) = country else {
            if name_id != 0 && named.is_none() {
                *unknown.entry(name_id).or_default() += 1;
            }
            unplaced += 1;
            continue;
        };
        if named.is_some() {
            let names = dataset_names.entry(c).or_default();
            if !names.contains(&name_id) {
                names.push(name_id);
            }
        }
        let entry = counts.entry(c).or_default();
        entry.0 += 1;
        if e.fatalities[i] != NO_COUNT {
            entry.1 += u64::from(e.fatalities[i]);
        }
    }
    let name = |c: usize| map.countries[c].name.clone();
    let mut countries: Vec<(String, u32, u64)> =
        counts.iter().map(|(&c, &(n, d))| (name(c), n, d)).collect();
    countries.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let mut unknown_names: Vec<(String, u32)> = unknown
        .into_iter()
        .map(|(id, n)| (store.strings.text(id).to_string(), n))
        .collect();
    unknown_names.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    CountryTotals {
        countries,
        dataset_names: dataset_names
            .into_iter()
            .map(|(c, ids)| {
                let names = ids
                    .into_iter()
                    .map(|id| store.strings.text(id).to_string())
                    .collect();
                (name(c), names)
            })
            .collect(),
        unknown_names,
        unplaced,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marks(points: &MapPoints, frame: MapFrame, layer: MapLayer) -> MapScene {
        map_scene(
            points,
            &MapSpec {
                layer,
                colour_by: ColourBy::EventType,
                frame,
            },
        )
    }

    fn points_at(coords: &[(f64, f64)]) -> MapPoints {
        let p = Projection::Equirectangular;
        MapPoints {
            projection: p,
            colour_by: ColourBy::EventType,
            rows: (0..coords.len() as u32).collect(),
            xy: coords
                .iter()
                .map(|&(lon, lat)| {
                    let [x, y] = p.project(lon, lat);
                    [x as f32, y as f32]
                })
                .collect(),
            approximate: coords.iter().map(|&(lon, _)| lon < 0.0).collect(),
            class: vec![0; coords.len()],
            fatalities: vec![1; coords.len()],
            classes: vec![MapClass {
                name: "Other".into(),
                colour: style::OTHER,
            }],
            without_coordinates: 0,
        }
    }

    #[test]
    fn nearby_events_cluster_and_far_ones_do_not() {
        let points = points_at(&[(36.0, 0.0), (36.001, 0.001), (10.0, 10.0), (-60.0, -10.0)]);
        let frame = MapFrame::world(Projection::Equirectangular, [1000.0, 500.0]);
        let scene = marks(&points, frame, MapLayer::Auto);
        assert_eq!(scene.visible, 4);
        let SceneLayer::Marks(m) = &scene.layer else {
            panic!("few events are markers")
        };
        let mut counts: Vec<u32> = m.iter().map(|m| m.count).collect();
        counts.sort();
        assert_eq!(counts, vec![1, 1, 2]);
        let approximate: Vec<bool> = m.iter().map(|m| m.approximate).collect();
        assert_eq!(approximate.iter().filter(|&&a| a).count(), 1, "{m:?}");
        // The pair's marker is hit at its place, nothing is hit in the empty ocean.
        let at = frame.to_screen(36.0, 0.0);
        let hit = mark_at(m, at, 2.0).unwrap();
        assert_eq!(m[hit].count, 2);
        assert_eq!(mark_at(m, frame.to_screen(-150.0, -40.0), 2.0), None);
    }

    #[test]
    fn many_events_in_view_become_a_density_grid_with_true_counts() {
        let coords: Vec<(f64, f64)> = (0..DENSITY_MIN_VISIBLE + 1)
            .map(|k| (30.0 + (k % 100) as f64 * 0.01, (k / 100) as f64 * 0.01))
            .collect();
        let points = points_at(&coords);
        let frame = MapFrame::world(Projection::Equirectangular, [1000.0, 500.0]);
        let scene = marks(&points, frame, MapLayer::Auto);
        let SceneLayer::Density(grid) = &scene.layer else {
            panic!("over the limit is density")
        };
        let total: u32 = grid.counts.iter().sum();
        assert_eq!(total as usize, DENSITY_MIN_VISIBLE + 1);
        assert!(grid.max > 1);
        assert_eq!(*grid.legend_values().last().unwrap(), u64::from(grid.max));
        // Zoomed on an empty ocean, nothing is in view and nothing is drawn.
        let away = frame.zoomed(50.0, frame.to_screen(-150.0, -40.0));
        let scene = marks(&points, away, MapLayer::Auto);
        assert_eq!(scene.visible, 0);
        assert_eq!(scene.layer, SceneLayer::Marks(Vec::new()));
    }

    #[test]
    fn legend_values_and_the_log_ramp() {
        assert_eq!(legend_values(0), Vec::<u64>::new());
        assert_eq!(legend_values(1), vec![1]);
        assert_eq!(legend_values(250), vec![1, 10, 100, 250]);
        assert_eq!(log_position(0, 100), 0.0);
        assert_eq!(log_position(100, 100), 1.0);
        let mid = log_position(10, 100);
        assert!(mid > 0.4 && mid < 0.6, "{mid}");
    }
}
