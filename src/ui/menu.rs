//! The menu bar: File, View, Help.

use std::any::Any;

use egui::Ui;

use super::panel::{Panel, PanelContext, Slot};
use crate::app::{Action, AppState, ThemeChoice};
use faultline_core::query::{BucketSize, GroupBy};

/// The keyboard shortcuts, for the Help menu and the About window.
pub const SHORTCUTS: [(&str, &str); 12] = [
    ("Ctrl+K", "Command palette: actions, actors, types, places"),
    ("Ctrl+O", "Open a dataset"),
    (
        "Ctrl+S",
        "Save the workspace: the files, your notes and the view",
    ),
    ("Ctrl+Z", "Undo a change to your annotations and notes"),
    ("Ctrl+Shift+Z", "Redo it"),
    (
        "Space / Left / Right",
        "Play or pause playback; step back or on",
    ),
    ("Ctrl+E", "Export the timeline (PNG, SVG or CSV)"),
    ("Ctrl+F", "Search events"),
    ("Up / Down", "Move through the event list"),
    ("Esc", "Clear the selection"),
    ("Click a bar", "Narrow the dates to it"),
    ("Drag on the chart", "Narrow the dates to a range"),
];

/// The menu bar.
pub struct MenuBar;

impl Panel for MenuBar {
    fn id(&self) -> &'static str {
        "menu"
    }
    fn title(&self) -> &'static str {
        "Menu"
    }
    fn slot(&self) -> Slot {
        Slot::MenuBar
    }
    fn ui(&mut self, ui: &mut Ui, cx: &PanelContext, actions: &mut Vec<Action>) {
        show(ui, cx, actions);
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// Draws the menu bar.
fn show(ui: &mut Ui, cx: &PanelContext, actions: &mut Vec<Action>) {
    egui::MenuBar::new().ui(ui, |ui| {
        ui.menu_button("File", |ui| file_menu(ui, cx.state, actions));
        ui.menu_button("Edit", |ui| edit_menu(ui, cx.state, actions));
        ui.menu_button("View", |ui| view_menu(ui, cx, actions));
        ui.menu_button("Export", |ui| export_menu(ui, actions));
        ui.menu_button("Help", |ui| help_menu(ui, actions));
    });
}

/// The File menu: open (a file, a folder of shards, a recent file), close, the brief, the
/// row problems.
fn file_menu(ui: &mut Ui, state: &AppState, actions: &mut Vec<Action>) {
    if ui.button("Open…  (Ctrl+O)").clicked() {
        actions.push(Action::OpenDialog);
        ui.close();
    }
    if ui
        .button("Open folder of Parquet shards…")
        .on_hover_text(
            "A folder's .parquet files as one dataset (as BigQuery, DuckDB or Spark write them)",
        )
        .clicked()
    {
        actions.push(Action::OpenFolderDialog);
        ui.close();
    }
    if ui
        .button("Add to view…")
        .on_hover_text(
            "Read another file into this view, beside what is open: each file a layer you can \
             hide, filter and stack the timeline by",
        )
        .clicked()
    {
        actions.push(Action::AddToViewDialog);
        ui.close();
    }
    ui.menu_button("Open recent", |ui| {
        if state.recent.is_empty() {
            ui.weak("No recent files");
        }
        for path in &state.recent {
            if ui.button(path.display().to_string()).clicked() {
                actions.push(Action::Open(path.clone()));
                ui.close();
            }
        }
    });
    let can_close = state.dataset.path.is_some();
    if ui
        .add_enabled(can_close, egui::Button::new("Close"))
        .on_hover_text("Close the file and show the embedded dataset")
        .clicked()
    {
        actions.push(Action::CloseDataset);
        ui.close();
    }
    ui.separator();
    if ui
        .button("Save workspace  (Ctrl+S)")
        .on_hover_text(
            "The files of the view (by path, with their checksums), your annotations and \
             notes, and the view, in one Faultline file; the data files are never written",
        )
        .clicked()
    {
        actions.push(Action::SaveWorkspace);
        ui.close();
    }
    if ui.button("Save workspace as…").clicked() {
        actions.push(Action::SaveWorkspaceAs);
        ui.close();
    }
    ui.separator();
    if ui
        .button("Export brief…")
        .on_hover_text(
            "Every view, table and statement of the filtered events, with their \
             sources, as a PDF or one HTML file",
        )
        .clicked()
    {
        use faultline_core::export::{Chart, ExportKind, FileFormat};
        actions.push(Action::Export(ExportKind::new(
            Chart::Brief,
            FileFormat::Pdf,
        )));
        ui.close();
    }
    if state.dataset.skipped > 0 && ui.button("Row problems…").clicked() {
        actions.push(Action::ShowProblems(true));
        ui.close();
    }
}

/// The Edit menu: undo and redo the analyst's changes, and the window that lists them.
fn edit_menu(ui: &mut Ui, state: &AppState, actions: &mut Vec<Action>) {
    let layer = &state.layer;
    let undo = layer
        .changes()
        .last()
        .map_or("Undo".to_string(), |w| format!("Undo: {w}"));
    if ui
        .add_enabled(!layer.changes().is_empty(), egui::Button::new(undo))
        .on_hover_text("Ctrl+Z")
        .clicked()
    {
        actions.push(Action::Undo);
        ui.close();
    }
    let redo = layer
        .undone()
        .first()
        .map_or("Redo".to_string(), |w| format!("Redo: {w}"));
    if ui
        .add_enabled(!layer.undone().is_empty(), egui::Button::new(redo))
        .on_hover_text("Ctrl+Shift+Z")
        .clicked()
    {
        actions.push(Action::Redo);
        ui.close();
    }
    ui.separator();
    if ui
        .button("Add an event…")
        .on_hover_text("An event you read of, with its source's words; kept in your workspace")
        .clicked()
    {
        actions.push(Action::ShowAddEvent(true));
        ui.close();
    }
    if ui.button("Annotations and changes…").clicked() {
        actions.push(Action::ShowChanges(true));
        ui.close();
    }
}

/// The View menu: the bucket, the stacking, the theme, and which panels are shown.
fn view_menu(ui: &mut Ui, cx: &PanelContext, actions: &mut Vec<Action>) {
    let state = cx.state;
    ui.label("Bucket");
    for b in BucketSize::ALL {
        if ui.radio(state.spec.bucket == b, b.name()).clicked() {
            actions.push(Action::SetBucket(b));
        }
    }
    ui.separator();
    ui.label("Stack bars by");
    for g in GroupBy::stackings(state.dataset.store()) {
        if ui.radio(state.spec.group_by == g, g.label()).clicked() {
            actions.push(Action::SetGroupBy(g));
        }
    }
    ui.separator();
    ui.label("Theme");
    for (t, name) in [
        (ThemeChoice::System, "Follow the system"),
        (ThemeChoice::Light, "Light"),
        (ThemeChoice::Dark, "Dark"),
    ] {
        if ui.radio(state.theme == t, name).clicked() {
            actions.push(Action::SetTheme(t));
        }
    }
    ui.separator();
    for toggle in cx.toggles {
        let mut shown = toggle.shown;
        if ui.checkbox(&mut shown, toggle.title).changed() {
            actions.push(Action::ShowPanel(toggle.id.to_string(), shown));
        }
    }
}

/// The Export menu: one entry per view, each opening the Export window on it.
fn export_menu(ui: &mut Ui, actions: &mut Vec<Action>) {
    use faultline_core::export::{Chart, ExportKind};
    for chart in Chart::ALL {
        let label = match chart {
            Chart::Reported => "Reported figures…",
            Chart::Brief => "Brief (PDF or HTML)…",
            Chart::Timeline => "Timeline…  (Ctrl+E)",
            Chart::Network => "Actor network…",
            Chart::Map => "Map…",
            Chart::Compare => "Comparison…",
            Chart::Events => "Filtered event list…",
        };
        if ui.button(label).clicked() {
            actions.push(Action::Export(ExportKind::new(chart, chart.formats()[0])));
            ui.close();
        }
    }
}

/// The Help menu: the command palette, About, and the keyboard shortcuts.
fn help_menu(ui: &mut Ui, actions: &mut Vec<Action>) {
    if ui.button("Command palette…  (Ctrl+K)").clicked() {
        actions.push(Action::ShowPalette(true));
        ui.close();
    }
    if ui.button("About Faultline and its data").clicked() {
        actions.push(Action::ShowAbout(true));
        ui.close();
    }
    ui.separator();
    ui.label("Keyboard shortcuts");
    for (keys, what) in SHORTCUTS {
        ui.label(format!("{keys}  —  {what}"));
    }
}
