//! The map panel: where the filtered events took place, drawn by us over Natural Earth's
//! country outlines (no tiles, no network). Markers coloured by type, deaths or source and
//! sized by deaths; clusters with their count; a density image over ~20k events in view;
//! countries shaded by their events. Events placed only at an area's centre are rings, never
//! points. Linked like every view: hover for the event, click to select it, drag a box to
//! filter every view to a region, "Filter to map view", a click on a shaded country filters
//! to it.
//!
//! What is drawn comes from the query layer ([`faultline_core::query::map`], computed off the
//! UI thread for large datasets) and the outlines and labels from
//! [`faultline_core::layout::map`], the same answers the map exporter draws. The panel keeps
//! only what it drew last (to redraw it while the camera moves) and a box being dragged.

use std::any::Any;
use std::sync::Arc;

use egui::{Color32, Mesh, Pos2, Rect, Sense, Shape, Stroke, TextureHandle, Ui, Vec2};

use super::palette::colour;
use super::panel::{Panel, PanelContext, Slot};
use crate::app::{Action, AppState, CentralTab, MapSettings, Selection};
use faultline_core::basemap::{basemap, ATTRIBUTION};
use faultline_core::layout::map::{
    country_labels, country_outlines, scale_bar, MapFrame, Projection,
};
use faultline_core::model::{GeoArea, GeoBox};
use faultline_core::query::map::{
    log_position, mark_at, mark_radius, marks_holding, ColourBy, CountryTotals, MapLayer,
    MapPoints, MapScene, Mark, SceneLayer,
};
use faultline_core::query::Filter;
use faultline_core::style;

/// The land and borders drawn for one camera (rebuilt only when the camera, the canvas or the
/// shading changes).
struct Land {
    key: (MapFrame, Pos2, usize),
    fill: Arc<Mesh>,
    borders: Vec<Shape>,
    labels: Vec<(String, Pos2)>,
}

/// A marker as drawn in the last frame (for tests and hit-testing).
#[derive(Debug, Clone, PartialEq)]
pub struct DrawnMark {
    /// Its centre on screen.
    pub at: Pos2,
    /// How many events it stands for.
    pub count: u32,
    /// The store row of its first event.
    pub row: u32,
    /// Drawn as a ring: every event in it is placed only approximately.
    pub approximate: bool,
    /// How many of its events are selected: the selected actor's, or the selected event.
    pub selected: u32,
}

/// What dragging on the map does, as chosen in the toolbar.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum Tool {
    /// Pan (Shift+drag: a region box; Ctrl+drag: zoom to a box).
    #[default]
    Pan,
    /// Draw a box that filters every view to it.
    Region,
    /// Draw a free shape that filters every view to it.
    Lasso,
}

/// A drag in progress.
#[derive(Debug, Clone)]
enum Gesture {
    Pan,
    Region(Pos2),
    ZoomBox(Pos2),
    Lasso(Vec<Pos2>),
}

/// The map panel's own state.
#[derive(Default)]
pub struct MapPanel {
    tool: Tool,
    gesture: Option<Gesture>,
    land: Option<Land>,
    /// The density image of the last density scene, and which scene it was made from.
    density: Option<(usize, TextureHandle)>,
    drawn: Vec<DrawnMark>,
    /// The same markers where they were drawn, for the hit-test.
    hit_marks: Vec<Mark>,
    /// How many selected events each marker of a scene holds, for the scene and the
    /// selection it was counted for (counted again when either changes, not every frame).
    held: Option<((usize, Selection), Vec<u32>)>,
    canvas: Option<Rect>,
    /// Where the map was right-clicked (`[longitude, latitude]`), for "Annotate here…".
    menu_at: Option<[f64; 2]>,
}

impl Panel for MapPanel {
    fn id(&self) -> &'static str {
        "map"
    }
    fn title(&self) -> &'static str {
        "Map"
    }
    fn slot(&self) -> Slot {
        Slot::Main(CentralTab::Map)
    }
    fn ui(&mut self, ui: &mut Ui, cx: &PanelContext, actions: &mut Vec<Action>) {
        self.show(ui, cx.state, actions);
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// How much one wheel notch (in points scrolled) zooms.
const WHEEL_ZOOM: f32 = 0.0025;

impl MapPanel {
    /// The markers drawn in the last frame.
    pub fn drawn_marks(&self) -> &[DrawnMark] {
        &self.drawn
    }

    /// The canvas of the last frame, on screen.
    pub fn canvas(&self) -> Option<Rect> {
        self.canvas
    }

    fn show(&mut self, ui: &mut Ui, state: &AppState, actions: &mut Vec<Action>) {
        let engine = &state.dataset.engine;
        let settings = state.map;
        // The places of the view that is ready (prepared with the scene, on the worker for
        // large data), so a change of colours never computes on this thread.
        let (projection, colour_by) = state
            .shown
            .map
            .map_or((settings.projection, settings.colour_by), |spec| {
                (spec.frame.projection, spec.colour_by)
            });
        let points = engine.map_points(&state.shown.filter, projection, colour_by);
        let totals = engine.country_totals(&state.shown.filter);
        self.toolbar(ui, state, &points, &totals, actions);
        let rect = ui.available_rect_before_wrap();
        self.canvas = Some(rect);
        let size = [rect.width().max(1.0), rect.height().max(1.0)];
        let frame = match settings.camera {
            Some(c) if c.projection == settings.projection && c.is_usable() => c.resized(size),
            _ => fit(settings.projection, &points, &totals, size),
        };
        let response = ui.allocate_rect(rect, Sense::click_and_drag());
        let scene = state
            .shown
            .map
            .map(|spec| engine.map_scene(&state.shown.filter, &spec));
        let moved = self.navigate(ui, &response, frame, rect);
        let camera = moved.unwrap_or(frame);
        if settings.camera != Some(camera) {
            actions.push(Action::SetMap(Box::new(MapSettings {
                camera: Some(camera),
                ..settings
            })));
        }
        let shaded = scene
            .as_ref()
            .is_some_and(|s| matches!(s.layer, SceneLayer::Countries));
        let painter = ui.painter_at(rect);
        painter.rect_filled(rect, 0.0, colour(style::SEA));
        self.draw_land(
            &camera,
            rect,
            shaded.then_some((&*totals, points.colour_by)),
        );
        draw_graticule(&painter, &camera, rect);
        if let Some(land) = &self.land {
            painter.add(Shape::mesh(land.fill.clone()));
            painter.extend(land.borders.iter().cloned());
        }
        self.drawn.clear();
        self.hit_marks.clear();
        if let Some(scene) = &scene {
            match &scene.layer {
                SceneLayer::Marks(marks) => {
                    self.draw_marks(&painter, state, &points, scene, marks, &camera, rect)
                }
                SceneLayer::Density(_) => self.draw_density(ui, &painter, scene, &camera, rect),
                SceneLayer::Countries => {}
            }
        }
        if let Some(land) = &self.land {
            for (name, at) in &land.labels {
                painter.text(
                    *at,
                    egui::Align2::CENTER_CENTER,
                    name,
                    egui::FontId::proportional(11.0),
                    Color32::from_rgb(0x5A, 0x56, 0x50),
                );
            }
        }
        draw_pins(&painter, &camera, rect, &state.layer.workspace.annotations);
        self.annotate_menu(&response, &camera, rect, actions);
        self.draw_gesture(&painter, &response);
        let selected = self
            .drawn
            .iter()
            .any(|m| m.selected > 0)
            .then(|| match state.selection {
                Selection::Actor(a) => format!(
                    "{}'s events",
                    faultline_core::text::cut(state.dataset.store().actor_name(a), 16)
                ),
                _ => "the selected event".to_string(),
            });
        draw_overlays(
            &painter,
            &camera,
            rect,
            scene.as_deref(),
            (&points, &totals),
            selected,
        );
        self.hover_and_click(
            &response,
            state,
            &totals,
            scene.as_deref(),
            &camera,
            rect,
            actions,
        );
    }

    /// The controls above the map; a change becomes one [`Action::SetMap`] (or a filter).
    fn toolbar(
        &mut self,
        ui: &mut Ui,
        state: &AppState,
        points: &MapPoints,
        totals: &CountryTotals,
        actions: &mut Vec<Action>,
    ) {
        let mut next = state.map;
        ui.horizontal_wrapped(|ui| {
            combo(
                ui,
                "Show",
                "map-layer",
                &mut next.layer,
                &MapLayer::ALL,
                |l| l.label(),
            );
            combo(
                ui,
                "Colour by",
                "map-colour",
                &mut next.colour_by,
                &ColourBy::ALL,
                |c| c.label(),
            );
            combo(
                ui,
                "Projection",
                "map-projection",
                &mut next.projection,
                &Projection::ALL,
                |p| p.label(),
            );
            if next.projection != state.map.projection {
                // The same part of the world in the other projection.
                next.camera = state
                    .map
                    .camera
                    .map(|c| MapFrame::fit(next.projection, &c.visible(), c.size, 0.0));
            }
            if ui.button("Fit to data").clicked() {
                next.camera = state
                    .map
                    .camera
                    .map(|c| fit(next.projection, points, totals, c.size));
            }
            if ui
                .button("World")
                .on_hover_text("Show the whole world")
                .clicked()
            {
                next.camera = state
                    .map
                    .camera
                    .map(|c| MapFrame::world(next.projection, c.size));
            }
            let centre = |c: &MapFrame| [c.size[0] / 2.0, c.size[1] / 2.0];
            if ui.button("+").on_hover_text("Zoom in (+)").clicked() {
                next.camera = state.map.camera.map(|c| c.zoomed(2.0, centre(&c)));
            }
            if ui.button("−").on_hover_text("Zoom out (−)").clicked() {
                next.camera = state.map.camera.map(|c| c.zoomed(0.5, centre(&c)));
            }
            for (tool, label, hint) in [
                (
                    Tool::Region,
                    "Select region",
                    "Drag a box to filter every view to it (or Shift+drag; Ctrl+drag zooms to a box)",
                ),
                (
                    Tool::Lasso,
                    "Lasso",
                    "Draw around the events to filter every view to them",
                ),
            ] {
                let mut on = self.tool == tool;
                if ui.toggle_value(&mut on, label).on_hover_text(hint).changed() {
                    self.tool = if on { tool } else { Tool::Pan };
                }
            }
            ui.checkbox(&mut next.follow_view, "Filter to map view")
                .on_hover_text("Every view shows only the events in the map's view");
            ui.separator();
            ui.label(placed_summary(points));
        });
        if next != state.map {
            actions.push(Action::SetMap(Box::new(next)));
        }
    }

    /// Pan, zoom (wheel, pinch, + and − keys) and double-click: the new camera, if it moved.
    fn navigate(
        &mut self,
        ui: &Ui,
        response: &egui::Response,
        frame: MapFrame,
        rect: Rect,
    ) -> Option<MapFrame> {
        let local = |p: Pos2| [p.x - rect.min.x, p.y - rect.min.y];
        let mut camera = frame;
        self.follow_gesture(ui, response);
        if response.dragged() && matches!(self.gesture, Some(Gesture::Pan)) {
            let d = response.drag_delta();
            camera = camera.panned([d.x, d.y]);
        }
        if let Some(pointer) = response.hover_pos() {
            let (scroll, pinch) = ui.input(|i| (i.smooth_scroll_delta.y, i.zoom_delta()));
            let factor = f64::from((scroll * WHEEL_ZOOM).exp() * pinch);
            if (factor - 1.0).abs() > 1e-4 {
                camera = camera.zoomed(factor, local(pointer));
            }
            if response.double_clicked() {
                camera = camera.zoomed(2.0, local(pointer));
            }
        }
        if response.hovered() || response.has_focus() {
            let centre = [rect.width() / 2.0, rect.height() / 2.0];
            let (plus, minus) = ui.input(|i| {
                (
                    i.key_pressed(egui::Key::Plus) || i.key_pressed(egui::Key::Equals),
                    i.key_pressed(egui::Key::Minus),
                )
            });
            if plus {
                camera = camera.zoomed(2.0, centre);
            }
            if minus {
                camera = camera.zoomed(0.5, centre);
            }
        }
        (camera != frame).then_some(camera)
    }

    /// Rebuilds the land's triangles, borders and names when the camera or shading changed.
    fn draw_land(
        &mut self,
        frame: &MapFrame,
        rect: Rect,
        shading: Option<(&CountryTotals, ColourBy)>,
    ) {
        let shading_key = shading.map_or(0, |(t, by)| {
            t as *const CountryTotals as usize + usize::from(by == ColourBy::Fatalities)
        });
        let key = (*frame, rect.min, shading_key);
        if self.land.as_ref().is_some_and(|l| l.key == key) {
            return;
        }
        let (resolution, outlines) = country_outlines(frame);
        let map = basemap(resolution);
        let max = shading.map_or(0, |(t, by)| t.max_value(by));
        let offset = rect.min.to_vec2();
        let mut mesh = Mesh::default();
        let mut borders = Vec::new();
        let border = Stroke::new(0.6, colour(style::BORDER));
        for outline in &outlines {
            let country = &map.countries[outline.country];
            let value = shading.map_or(0, |(t, by)| t.value(&country.name, by));
            let fill = if value > 0 {
                colour(style::ramp(log_position(value, max)))
            } else {
                colour(style::LAND)
            };
            for polygon in country.fills() {
                let base = mesh.vertices.len() as u32;
                for &[lon, lat] in &polygon.points {
                    let [x, y] = frame.to_screen(lon, lat);
                    mesh.colored_vertex(Pos2::new(x, y) + offset, fill);
                }
                mesh.indices
                    .extend(polygon.triangles.iter().map(|&i| base + i));
            }
            for line in &outline.borders {
                let points: Vec<Pos2> = line
                    .iter()
                    .map(|&[x, y]| Pos2::new(x, y) + offset)
                    .collect();
                borders.push(Shape::line(points, border));
            }
        }
        let labels = country_labels(frame, &outlines, resolution, 6.5)
            .into_iter()
            .map(|(_, name, [x, y])| (name, Pos2::new(x, y) + offset))
            .collect();
        self.land = Some(Land {
            key,
            fill: Arc::new(mesh),
            borders,
            labels,
        });
    }

    #[allow(clippy::too_many_arguments)]
    fn draw_marks(
        &mut self,
        painter: &egui::Painter,
        state: &AppState,
        points: &MapPoints,
        scene: &MapScene,
        marks: &[Mark],
        camera: &MapFrame,
        rect: Rect,
    ) {
        let store = state.dataset.store();
        let key = (scene as *const MapScene as usize, state.selection);
        if self.held.as_ref().is_none_or(|(k, _)| *k != key) {
            let wanted = |row: usize| match state.selection {
                Selection::Event(r) => row == r as usize,
                Selection::Actor(a) => store.row(row).all_actors().any(|x| x == a),
                Selection::None | Selection::Relation(_) => false,
            };
            let held = match state.selection {
                Selection::Event(_) | Selection::Actor(_) => {
                    marks_holding(points, &scene.frame, marks, wanted)
                }
                Selection::None | Selection::Relation(_) => vec![0; marks.len()],
            };
            self.held = Some((key, held));
        }
        let held = self.held.as_ref().map(|(_, h)| h.as_slice()).unwrap_or(&[]);
        for (k, m) in marks.iter().enumerate() {
            let at = reframe(&scene.frame, camera, m.at, rect);
            let r = mark_radius(m);
            let class = points
                .classes
                .get(m.class as usize)
                .map_or(colour(style::OTHER), |c| colour(c.colour));
            let row = points.rows.get(m.first as usize).copied().unwrap_or(0);
            if m.approximate {
                painter.circle_stroke(at, r, Stroke::new(2.0, class));
            } else {
                painter.circle(
                    at,
                    r,
                    class.gamma_multiply(0.9),
                    Stroke::new(0.8, Color32::WHITE),
                );
            }
            if m.count > 1 {
                painter.text(
                    at,
                    egui::Align2::CENTER_CENTER,
                    faultline_core::text::thousands(m.count as usize),
                    egui::FontId::proportional(10.0),
                    Color32::from_rgb(0x1A, 0x1A, 0x1A),
                );
            }
            let selected = held.get(k).copied().unwrap_or(0);
            if selected > 0 {
                painter.circle_stroke(at, r + 3.0, Stroke::new(2.0, Color32::BLACK));
            }
            self.hit_marks.push(Mark {
                at: [at.x, at.y],
                ..m.clone()
            });
            self.drawn.push(DrawnMark {
                at,
                count: m.count,
                row,
                approximate: m.approximate,
                selected,
            });
        }
    }

    fn draw_density(
        &mut self,
        ui: &Ui,
        painter: &egui::Painter,
        scene: &MapScene,
        camera: &MapFrame,
        rect: Rect,
    ) {
        let SceneLayer::Density(grid) = &scene.layer else {
            return;
        };
        let key = scene as *const MapScene as usize;
        if self.density.as_ref().is_none_or(|(k, _)| *k != key) {
            let pixels: Vec<Color32> = grid
                .counts
                .iter()
                .map(|&c| {
                    if c == 0 {
                        Color32::TRANSPARENT
                    } else {
                        let rgb = style::ramp(log_position(u64::from(c), u64::from(grid.max)));
                        Color32::from_rgba_unmultiplied(rgb.0, rgb.1, rgb.2, 220)
                    }
                })
                .collect();
            let image = egui::ColorImage::new([grid.columns, grid.rows], pixels);
            let texture =
                ui.ctx()
                    .load_texture("map-density", image, egui::TextureOptions::NEAREST);
            self.density = Some((key, texture));
        }
        if let Some((_, texture)) = &self.density {
            // The image as computed, moved and scaled with the camera since.
            let w = grid.columns as f32 * grid.cell;
            let h = grid.rows as f32 * grid.cell;
            let min = reframe(&scene.frame, camera, [0.0, 0.0], rect);
            let max = reframe(&scene.frame, camera, [w, h], rect);
            painter.image(
                texture.id(),
                Rect::from_min_max(min, max),
                Rect::from_min_max(Pos2::ZERO, Pos2::new(1.0, 1.0)),
                Color32::WHITE,
            );
        }
    }

    /// Starts a drag's gesture (by the tool and the modifiers) and follows a lasso.
    fn follow_gesture(&mut self, ui: &Ui, response: &egui::Response) {
        if response.drag_started() {
            let (shift, command) = ui.input(|i| (i.modifiers.shift, i.modifiers.command));
            // Where the button went down, not where the drag was first noticed (a few
            // pixels on): a box starts at the corner the user pressed.
            let from = ui
                .input(|i| i.pointer.press_origin())
                .or(response.interact_pointer_pos())
                .unwrap_or_default();
            self.gesture = Some(match self.tool {
                _ if command => Gesture::ZoomBox(from),
                _ if shift => Gesture::Region(from),
                Tool::Region => Gesture::Region(from),
                Tool::Lasso => Gesture::Lasso(vec![from]),
                Tool::Pan => Gesture::Pan,
            });
        }
        if let (Some(Gesture::Lasso(points)), Some(p)) =
            (&mut self.gesture, response.interact_pointer_pos())
        {
            if points.last().is_none_or(|q| q.distance(p) >= 4.0) {
                points.push(p);
            }
        }
    }

    /// The box or shape being dragged.
    fn draw_gesture(&self, painter: &egui::Painter, response: &egui::Response) {
        let blue = Color32::from_rgb(0, 114, 178);
        let wash = Color32::from_rgba_unmultiplied(0, 114, 178, 40);
        match (&self.gesture, response.interact_pointer_pos()) {
            (Some(Gesture::Region(from) | Gesture::ZoomBox(from)), Some(to)) => {
                painter.rect(
                    Rect::from_two_pos(*from, to),
                    0.0,
                    wash,
                    Stroke::new(1.5, blue),
                    egui::StrokeKind::Inside,
                );
            }
            (Some(Gesture::Lasso(points)), _) if points.len() >= 2 => {
                painter.add(Shape::closed_line(points.clone(), Stroke::new(1.5, blue)));
            }
            _ => {}
        }
    }

    /// At the end of a drag: the region or area filter, or the zoom to a box.
    fn finish_gesture(
        &mut self,
        response: &egui::Response,
        state: &AppState,
        camera: &MapFrame,
        rect: Rect,
        actions: &mut Vec<Action>,
    ) {
        if !response.drag_stopped() {
            return;
        }
        let local = |p: Pos2| [p.x - rect.min.x, p.y - rect.min.y];
        let to = response.interact_pointer_pos();
        let filter = match (self.gesture.take(), to) {
            (Some(Gesture::Region(from)), Some(to)) if from.distance(to) > 4.0 => camera
                .box_between(local(from), local(to))
                .map(|region| Filter {
                    region: Some(region),
                    ..state.filter.clone()
                }),
            (Some(Gesture::ZoomBox(from)), Some(to)) if from.distance(to) > 4.0 => {
                if let Some(b) = camera.box_between(local(from), local(to)) {
                    let zoomed = MapFrame::fit(camera.projection, &b, camera.size, 0.0);
                    actions.push(Action::SetMap(Box::new(MapSettings {
                        camera: Some(zoomed),
                        ..state.map
                    })));
                }
                None
            }
            (Some(Gesture::Lasso(points)), _) => {
                // Longitudes unrolled (past 180° across the antimeridian), so the area is
                // the shape that was drawn.
                let corners: Vec<[f64; 2]> = points
                    .iter()
                    .map(|&p| {
                        let (_, lat) = camera.to_geo(local(p));
                        let x = camera.screen_to_unit(local(p))[0];
                        [(x - 0.5) * 360.0, lat]
                    })
                    .collect();
                GeoArea::new(corners).ok().map(|area| Filter {
                    area: Some(area),
                    ..state.filter.clone()
                })
            }
            _ => None,
        };
        if let Some(mut filter) = filter {
            if state.map.follow_view {
                // A drawn region replaces "Filter to map view".
                actions.push(Action::SetMap(Box::new(MapSettings {
                    follow_view: false,
                    ..state.map
                })));
                if filter.area.is_some() {
                    filter.region = None;
                }
            }
            actions.push(Action::SetFilter(Box::new(filter)));
            self.tool = Tool::Pan;
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn hover_and_click(
        &mut self,
        response: &egui::Response,
        state: &AppState,
        totals: &CountryTotals,
        scene: Option<&MapScene>,
        camera: &MapFrame,
        rect: Rect,
        actions: &mut Vec<Action>,
    ) {
        self.finish_gesture(response, state, camera, rect, actions);
        let Some(pointer) = response.hover_pos() else {
            return;
        };
        let local = [pointer.x - rect.min.x, pointer.y - rect.min.y];
        match mark_at(&self.hit_marks, [pointer.x, pointer.y], 2.0) {
            Some(k) => hover_mark(response, state, &self.drawn[k], camera, rect, actions),
            None => {
                let shaded = scene.is_some_and(|s| matches!(s.layer, SceneLayer::Countries));
                hover_country(
                    response,
                    state,
                    totals,
                    shaded,
                    camera.to_geo(local),
                    camera,
                    actions,
                );
            }
        }
    }
}

impl MapPanel {
    /// A right-click offers "Annotate here…", which opens the annotations window with the
    /// place filled in.
    fn annotate_menu(
        &mut self,
        response: &egui::Response,
        camera: &MapFrame,
        rect: Rect,
        actions: &mut Vec<Action>,
    ) {
        if response.secondary_clicked() {
            self.menu_at = response.interact_pointer_pos().map(|p| {
                let (lon, lat) = camera.to_geo([p.x - rect.min.x, p.y - rect.min.y]);
                [lon, lat]
            });
        }
        let Some(at) = self.menu_at else {
            return;
        };
        response.context_menu(|ui| {
            if ui.button("Annotate here…").clicked() {
                actions.push(Action::AnnotateAt(at));
                ui.close();
            }
        });
    }
}

/// The analyst's annotations with a place: a pin and the words, as the exported map has
/// them (placed by the same rule, [`MapFrame::pins`]).
fn draw_pins(
    painter: &egui::Painter,
    camera: &MapFrame,
    rect: Rect,
    annotations: &[faultline_core::model::Annotation],
) {
    const AMBER: Color32 = Color32::from_rgb(0x8a, 0x6d, 0x00);
    const AMBER_TEXT: Color32 = Color32::from_rgb(0x6b, 0x55, 0x00);
    for ([x, y], a) in camera.pins(annotations) {
        let tip = rect.min + egui::vec2(x, y);
        let head = tip + egui::vec2(0.0, -11.0);
        let stroke = egui::Stroke::new(1.0, Color32::WHITE);
        painter.add(Shape::convex_polygon(
            vec![
                tip,
                head + egui::vec2(-4.5, 2.0),
                head + egui::vec2(4.5, 2.0),
            ],
            AMBER,
            egui::Stroke::NONE,
        ));
        painter.circle(head, 5.0, AMBER, stroke);
        let galley = painter.layout_no_wrap(a.text.clone(), small_font(), AMBER_TEXT);
        let at = head + egui::vec2(8.0, -galley.size().y / 2.0);
        painter.rect_filled(
            egui::Rect::from_min_size(at, galley.size()).expand(2.0),
            2.0,
            BACKDROP,
        );
        painter.galley(at, galley, AMBER_TEXT);
    }
}

/// A marker under the pointer: its event (or count) in a tooltip; a click selects the event
/// or zooms into the cluster.
fn hover_mark(
    response: &egui::Response,
    state: &AppState,
    mark: &DrawnMark,
    camera: &MapFrame,
    rect: Rect,
    actions: &mut Vec<Action>,
) {
    let text = if mark.count == 1 {
        event_tooltip(state.dataset.store(), mark.row, mark.approximate)
    } else {
        let selected = match state.selection {
            _ if mark.selected == 0 => String::new(),
            Selection::Actor(a) => format!(
                "\n{} of them involve {}",
                faultline_core::text::thousands(mark.selected as usize),
                state.dataset.store().actor_name(a)
            ),
            _ => "\nThe selected event is one of them".to_string(),
        };
        format!(
            "{} events here{selected}\nClick to zoom in",
            faultline_core::text::thousands(mark.count as usize)
        )
    };
    response.clone().on_hover_text_at_pointer(text);
    if !response.clicked() {
        return;
    }
    if mark.count == 1 {
        actions.push(Action::SelectEvent(Some(mark.row)));
    } else {
        let at = [mark.at.x - rect.min.x, mark.at.y - rect.min.y];
        actions.push(Action::SetMap(Box::new(MapSettings {
            camera: Some(camera.zoomed(3.0, at)),
            ..state.map
        })));
    }
}

/// The country under the pointer: its events and deaths in a tooltip; on shaded countries a
/// click filters to it.
fn hover_country(
    response: &egui::Response,
    state: &AppState,
    totals: &CountryTotals,
    shaded: bool,
    (lon, lat): (f64, f64),
    camera: &MapFrame,
    actions: &mut Vec<Action>,
) {
    use faultline_core::text::thousands;
    let map = basemap(camera.resolution());
    let country = map.country_at(lon, lat).map(|k| &map.countries[k]);
    let text = match country {
        Some(c) => match totals.of(&c.name) {
            Some((events, deaths)) => format!(
                "{}: {} events, {} deaths{}",
                c.name,
                thousands(events as usize),
                thousands(deaths as usize),
                if shaded {
                    "\nClick to filter to it"
                } else {
                    ""
                }
            ),
            None => c.name.clone(),
        },
        None => format!("{lat:.2}°, {lon:.2}°"),
    };
    response.clone().on_hover_text_at_pointer(text);
    if response.clicked() && shaded {
        if let Some(filter) = country.and_then(|c| country_filter(&state.filter, totals, c)) {
            actions.push(Action::SetFilter(Box::new(filter)));
        }
    }
}

/// The filter to one country: by the names the data uses for it, else by its box.
fn country_filter(
    current: &Filter,
    totals: &CountryTotals,
    country: &faultline_core::basemap::Country,
) -> Option<Filter> {
    match totals.dataset_names.get(&country.name) {
        Some(names) if !names.is_empty() => Some(Filter {
            countries: names.clone(),
            ..current.clone()
        }),
        _ => {
            let [w, s, e, n] = country.bounds;
            GeoBox::new(w, s, e, n).ok().map(|region| Filter {
                region: Some(region),
                ..current.clone()
            })
        }
    }
}

/// The camera that fits the placed events, or the countries the events name, or the world.
fn fit(
    projection: Projection,
    points: &MapPoints,
    totals: &CountryTotals,
    size: [f32; 2],
) -> MapFrame {
    let named = || {
        let map = basemap(faultline_core::basemap::Resolution::Coarse);
        let mut b: Option<[f64; 4]> = None;
        for (name, _, _) in &totals.countries {
            if let Some(k) = map.index_of(name) {
                let c = map.countries[k].bounds;
                b = Some(match b {
                    None => c,
                    Some(o) => [
                        o[0].min(c[0]),
                        o[1].min(c[1]),
                        o[2].max(c[2]),
                        o[3].max(c[3]),
                    ],
                });
            }
        }
        b.and_then(|[w, s, e, n]| GeoBox::new(w, s, e, n).ok())
    };
    match points.bounds().or_else(named) {
        Some(b) => MapFrame::fit(projection, &b, size, 32.0),
        None => MapFrame::world(projection, size),
    }
}

/// Where a point drawn for `old` goes under `new`, on screen.
fn reframe(old: &MapFrame, new: &MapFrame, p: [f32; 2], rect: Rect) -> Pos2 {
    let [x, y] = if old == new {
        p
    } else {
        new.unit_to_screen(old.screen_to_unit(p))
    };
    Pos2::new(x, y) + rect.min.to_vec2()
}

fn draw_graticule(painter: &egui::Painter, frame: &MapFrame, rect: Rect) {
    let (lons, lats) = frame.graticule();
    let stroke = Stroke::new(0.5, colour(style::GRATICULE));
    for lon in lons {
        let x = rect.min.x + frame.to_screen(lon, 0.0)[0];
        painter.line_segment([Pos2::new(x, rect.min.y), Pos2::new(x, rect.max.y)], stroke);
    }
    for lat in lats {
        let y = rect.min.y + frame.to_screen(0.0, lat)[1];
        painter.line_segment([Pos2::new(rect.min.x, y), Pos2::new(rect.max.x, y)], stroke);
    }
}

/// The legend, the scale bar and the attribution over the map.
fn draw_overlays(
    painter: &egui::Painter,
    frame: &MapFrame,
    rect: Rect,
    scene: Option<&MapScene>,
    (points, totals): (&MapPoints, &CountryTotals),
    selected: Option<String>,
) {
    draw_attribution(painter, rect);
    draw_scale_bar(painter, frame, rect);
    if let Some(scene) = scene {
        draw_legend(painter, rect, scene, (points, totals), selected);
    }
}

const INK: Color32 = Color32::from_rgb(0x1A, 0x1A, 0x1A);
/// The legend's ring for an approximate place, grey as in the exported map's legend.
const RING_GREY: Color32 = Color32::from_rgb(0x55, 0x55, 0x55);
const BACKDROP: Color32 = Color32::from_rgba_premultiplied(215, 215, 215, 215);

fn small_font() -> egui::FontId {
    egui::FontId::proportional(11.0)
}

/// "Boundaries: Natural Earth …", bottom right.
fn draw_attribution(painter: &egui::Painter, rect: Rect) {
    let galley = painter.layout_no_wrap(ATTRIBUTION.to_string(), small_font(), INK);
    let at = rect.right_bottom() - galley.size() - Vec2::new(6.0, 4.0);
    painter.rect_filled(
        Rect::from_min_size(at - Vec2::splat(2.0), galley.size() + Vec2::splat(4.0)),
        2.0,
        BACKDROP,
    );
    painter.galley(at, galley, INK);
}

/// A round distance at the centre's latitude, bottom left.
fn draw_scale_bar(painter: &egui::Painter, frame: &MapFrame, rect: Rect) {
    let bar = scale_bar(frame, 120.0);
    let base = Pos2::new(rect.min.x + 12.0, rect.max.y - 12.0);
    painter.rect_filled(
        Rect::from_min_size(
            base - Vec2::new(4.0, 20.0),
            Vec2::new(bar.pixels + 8.0, 24.0),
        ),
        2.0,
        BACKDROP,
    );
    painter.line_segment(
        [base, base + Vec2::new(bar.pixels, 0.0)],
        Stroke::new(2.0, INK),
    );
    painter.text(
        base - Vec2::new(0.0, 4.0),
        egui::Align2::LEFT_BOTTOM,
        &bar.label,
        small_font(),
        INK,
    );
}

/// One row of the legend: a filled swatch, a ring, or a title alone.
enum LegendRow {
    Swatch(Color32, String),
    /// An approximate place: a ring in its class's colour (drawn grey here).
    Ring(String),
    /// Markers that hold the selection: a black ring around them.
    Selected(String),
    Title(String),
}

/// The legend, top right: the colour classes and the ring, or the ramp with real numbers.
fn draw_legend(
    painter: &egui::Painter,
    rect: Rect,
    scene: &MapScene,
    (points, totals): (&MapPoints, &CountryTotals),
    selected: Option<String>,
) {
    let mut rows = Vec::new();
    let mut ramp_max = None;
    match &scene.layer {
        SceneLayer::Marks(_) => {
            for c in &points.classes {
                rows.push(LegendRow::Swatch(colour(c.colour), c.name.clone()));
            }
            if points.approximate_count() > 0 {
                rows.push(LegendRow::Ring("approximate place (ring)".into()));
            }
            if let Some(selected) = selected {
                rows.push(LegendRow::Selected(format!("holds {selected}")));
            }
        }
        SceneLayer::Density(grid) => {
            rows.push(LegendRow::Title("Events per cell".into()));
            ramp_max = Some(u64::from(grid.max));
        }
        SceneLayer::Countries => {
            let title = CountryTotals::legend_title(points.colour_by);
            rows.push(LegendRow::Title(title.into()));
            ramp_max = Some(totals.max_value(points.colour_by));
        }
    }
    let width = 200.0;
    let height = rows.len() as f32 * 16.0 + if ramp_max.is_some() { 30.0 } else { 6.0 };
    let top_left = Pos2::new(rect.max.x - width - 8.0, rect.min.y + 8.0);
    painter.rect_filled(
        Rect::from_min_size(top_left, Vec2::new(width, height)),
        3.0,
        BACKDROP,
    );
    let x = top_left.x + 8.0;
    let mut y = top_left.y + 10.0;
    for row in rows {
        let swatch = Pos2::new(x + 5.0, y);
        let (indent, name) = match row {
            LegendRow::Swatch(c, name) => {
                painter.circle_filled(swatch, 5.0, c);
                (16.0, name)
            }
            LegendRow::Ring(name) => {
                painter.circle_stroke(swatch, 5.0, Stroke::new(2.0, RING_GREY));
                (16.0, name)
            }
            LegendRow::Selected(name) => {
                painter.circle_filled(swatch, 3.5, RING_GREY);
                painter.circle_stroke(swatch, 6.0, Stroke::new(2.0, Color32::BLACK));
                (16.0, name)
            }
            LegendRow::Title(name) => (0.0, name),
        };
        painter.text(
            Pos2::new(x + indent, y),
            egui::Align2::LEFT_CENTER,
            name,
            small_font(),
            INK,
        );
        y += 16.0;
    }
    if let Some(max) = ramp_max {
        draw_ramp(painter, Pos2::new(x, y), width - 16.0, max);
    }
}

/// The density or shading ramp at `at`, `width` wide, with 1, 10, 100 … and the largest count.
fn draw_ramp(painter: &egui::Painter, at: Pos2, width: f32, max: u64) {
    for k in 0..40 {
        let t = k as f32 / 39.0;
        let r = Rect::from_min_size(
            Pos2::new(at.x + t * (width - 4.0), at.y - 6.0),
            Vec2::new(4.5, 10.0),
        );
        painter.rect_filled(r, 0.0, colour(style::ramp(t)));
    }
    for v in faultline_core::query::map::legend_values(max) {
        let t = log_position(v, max);
        painter.text(
            Pos2::new(at.x + t * (width - 4.0) + 2.0, at.y + 12.0),
            egui::Align2::CENTER_CENTER,
            faultline_core::text::thousands(v as usize),
            egui::FontId::proportional(10.0),
            INK,
        );
    }
}

/// "1,204 placed · 310 approximately · 12 without coordinates".
fn placed_summary(points: &MapPoints) -> String {
    use faultline_core::text::thousands;
    let mut parts = vec![format!("{} placed", thousands(points.len()))];
    let approximate = points.approximate_count();
    if approximate > 0 {
        parts.push(format!("{} approximately (rings)", thousands(approximate)));
    }
    parts.extend(points.unplaced_note());
    parts.join(" · ")
}

/// One event in words, for the tooltip.
fn event_tooltip(store: &faultline_core::store::Store, row: u32, approximate: bool) -> String {
    let e = store.row(row as usize);
    let mut lines = vec![format!("{} · {}", e.date(), e.event_type())];
    let place: Vec<&str> = [e.place(), e.admin1(), e.country()]
        .into_iter()
        .flatten()
        .collect();
    if !place.is_empty() {
        lines.push(place.join(", "));
    }
    let actors: Vec<&str> = [e.actor1(), e.actor2()]
        .into_iter()
        .flatten()
        .map(|a| store.actor_name(a))
        .collect();
    if !actors.is_empty() {
        lines.push(actors.join(" × "));
    }
    if let Some(f) = e.fatalities() {
        lines.push(format!("{f} deaths"));
    }
    if approximate {
        lines.push("Placed only approximately: the centre of an area".into());
    }
    if store.files.len() > 1 {
        if let Some(file) = e.file() {
            lines.push(format!("From {}", file.name));
        }
    }
    lines.push("Click to select".into());
    lines.join("\n")
}

/// A labelled combo box over a core enum.
fn combo<T: Copy + PartialEq>(
    ui: &mut Ui,
    label: &str,
    id: &str,
    value: &mut T,
    all: &[T],
    name: impl Fn(T) -> &'static str,
) {
    let l = ui.label(label);
    egui::ComboBox::from_id_salt(id)
        .selected_text(name(*value))
        .show_ui(ui, |ui| {
            for &v in all {
                ui.selectable_value(value, v, name(v));
            }
        })
        .response
        .labelled_by(l.id);
}
