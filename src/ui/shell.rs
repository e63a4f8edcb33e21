//! The shell: the eframe app. It owns the state, the runtime and the registry of panels; each
//! frame it takes finished jobs in, lays the panels out by their slots, reads the keyboard
//! shortcuts and dropped files, and dispatches what the panels asked for.

use std::path::PathBuf;
use std::sync::Arc;

use super::panel::{Panel, PanelContext, PanelToggle, Slot};
use crate::app::{
    Action, AppState, CentralTab, LoadedDataset, Message, Runtime, Selection, Settings,
    ThemeChoice, Waker,
};

/// When the process started (set by `main`), for the first-frame report.
static LAUNCHED: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();

/// Notes the launch time; call first thing in `main`.
pub fn mark_launch() {
    let _ = LAUNCHED.set(std::time::Instant::now());
}

/// The key under which settings are stored.
const SETTINGS_KEY: &str = "faultline-settings";

/// The tabs of the centre, in order, with their names.
pub const TABS: [(CentralTab, &str); 5] = [
    (CentralTab::Reported, "Reported figures"),
    (CentralTab::Events, "Timeline and events"),
    (CentralTab::Map, "Map"),
    (CentralTab::Actors, "Actors and relations"),
    (CentralTab::Compare, "Compare"),
];

/// The eframe application.
pub struct FaultlineApp {
    /// Everything the panels read.
    pub state: AppState,
    /// Runs effects and background jobs.
    pub runtime: Runtime,
    panels: Vec<Box<dyn Panel>>,
    shown_title: String,
    applied_theme: Option<ThemeChoice>,
    frames: u64,
}

fn waker(ctx: &egui::Context) -> Waker {
    let ctx = ctx.clone();
    Arc::new(move || ctx.request_repaint())
}

/// The embedded dataset, or (should it ever fail to read) an empty one and why.
fn first_dataset() -> (LoadedDataset, Option<Message>) {
    match LoadedDataset::seed() {
        Ok(d) => (d, None),
        Err(e) => (
            LoadedDataset::new(
                faultline_core::io::Opened::native(faultline_core::model::Dataset {
                    title: "No dataset".into(),
                    ..Default::default()
                }),
                None,
            ),
            Some(Message {
                title: "The embedded dataset cannot be read".into(),
                details: vec![e.to_string()],
                is_error: true,
            }),
        ),
    }
}

impl FaultlineApp {
    /// The app with the embedded dataset open and `settings` applied; `files` start loading
    /// at once (the embedded dataset stays on screen until they are ready).
    pub fn new(settings: Settings, files: &[PathBuf], ctx: &egui::Context) -> FaultlineApp {
        let (dataset, problem) = first_dataset();
        let mut state = AppState::new(dataset, settings);
        state.messages.extend(problem);
        let mut app = FaultlineApp {
            state,
            runtime: Runtime::new(waker(ctx)),
            panels: super::registry(),
            shown_title: String::new(),
            applied_theme: None,
            frames: 0,
        };
        match files {
            [] => {}
            [one] => app.act(Action::Open(one.clone())),
            several => app.act(Action::OpenSeveral(several.to_vec())),
        }
        app
    }

    /// Builds the app from eframe's creation context, restoring saved settings.
    pub fn from_creation_context(
        cc: &eframe::CreationContext<'_>,
        files: &[PathBuf],
    ) -> FaultlineApp {
        let settings = cc
            .storage
            .and_then(|s| s.get_string(SETTINGS_KEY))
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_else(Settings::first_run);
        let mut app = FaultlineApp::new(settings, files, &cc.egui_ctx);
        let recovery = crate::crash::report_dir().join(crate::app::layer::RECOVERY_FILE);
        app.keep_recovery(recovery, files.is_empty());
        app
    }

    /// Keeps the analyst's layer in `recovery` after every change, so a crash or a close
    /// without saving loses nothing; with `reopen`, a recovery file left by the last session
    /// is opened now (its files, annotations, notes and view).
    pub fn keep_recovery(&mut self, recovery: PathBuf, reopen: bool) {
        let left = reopen && recovery.is_file();
        self.state.recovery = Some(recovery.clone());
        if left {
            self.act(Action::Open(recovery));
        }
    }

    /// Runs one action (as the panels do), for scripted use and tests.
    pub fn act(&mut self, action: Action) {
        self.runtime.dispatch(&mut self.state, [action]);
    }

    /// The registered panel of type `P`, to look at its own state (tests).
    pub fn panel<P: Panel>(&self) -> Option<&P> {
        self.panels.iter().find_map(|p| p.as_any().downcast_ref())
    }

    fn shortcuts(&self, ctx: &egui::Context, actions: &mut Vec<Action>) {
        use egui::{Key, KeyboardShortcut, Modifiers};
        let open = KeyboardShortcut::new(Modifiers::COMMAND, Key::O);
        let find = KeyboardShortcut::new(Modifiers::COMMAND, Key::F);
        let export = KeyboardShortcut::new(Modifiers::COMMAND, Key::E);
        let palette = KeyboardShortcut::new(Modifiers::COMMAND, Key::K);
        let palette_too = KeyboardShortcut::new(Modifiers::COMMAND | Modifiers::SHIFT, Key::P);
        let save = KeyboardShortcut::new(Modifiers::COMMAND, Key::S);
        let undo = KeyboardShortcut::new(Modifiers::COMMAND, Key::Z);
        let redo = KeyboardShortcut::new(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
        let typing = ctx.egui_wants_keyboard_input();
        ctx.input_mut(|i| {
            if i.consume_shortcut(&save) {
                actions.push(Action::SaveWorkspace);
            }
            // Undo and redo the analyst's layer, unless a text field has the keys (its own
            // undo then). Redo first: its shortcut holds undo's.
            if !typing {
                if i.consume_shortcut(&redo) {
                    actions.push(Action::Redo);
                } else if i.consume_shortcut(&undo) {
                    actions.push(Action::Undo);
                }
            }
            if i.consume_shortcut(&palette) || i.consume_shortcut(&palette_too) {
                actions.push(Action::ShowPalette(true));
            }
            if i.consume_shortcut(&open) {
                actions.push(Action::OpenDialog);
            }
            if i.consume_shortcut(&find) {
                actions.push(Action::FocusSearch);
            }
            if i.consume_shortcut(&export) {
                actions.push(Action::Export(
                    faultline_core::export::ExportKind::TIMELINE_PNG,
                ));
            }
            // Space plays or pauses, Left and Right step, unless a text field has the keys.
            if !typing && !self.state.palette_open {
                use crate::app::PlaybackAction;
                if i.key_pressed(Key::Space) {
                    actions.push(Action::Playback(PlaybackAction::Toggle));
                }
                if self.state.playback.index.is_some() {
                    if i.key_pressed(Key::ArrowLeft) {
                        actions.push(Action::Playback(PlaybackAction::Step(-1)));
                    }
                    if i.key_pressed(Key::ArrowRight) {
                        actions.push(Action::Playback(PlaybackAction::Step(1)));
                    }
                }
            }
            if i.key_pressed(Key::Escape)
                && self.state.selection != Selection::None
                && !self.state.palette_open
            {
                actions.push(Action::SelectEvent(None));
            }
        });
        // Files dropped on the window open like File → Open; several at once, as one view.
        let mut dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .collect()
        });
        match dropped.len() {
            0 => {}
            1 => actions.push(Action::Open(dropped.remove(0))),
            _ => actions.push(Action::OpenSeveral(dropped)),
        }
    }

    fn sync_window(&mut self, ctx: &egui::Context) {
        let title = self.state.window_title();
        if title != self.shown_title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.shown_title = title;
        }
        if self.applied_theme != Some(self.state.theme) {
            ctx.set_theme(match self.state.theme {
                ThemeChoice::System => egui::ThemePreference::System,
                ThemeChoice::Light => egui::ThemePreference::Light,
                ThemeChoice::Dark => egui::ThemePreference::Dark,
            });
            self.applied_theme = Some(self.state.theme);
        }
    }

    fn toggles(&self) -> Vec<PanelToggle> {
        self.panels
            .iter()
            .filter(|p| p.can_hide())
            .map(|p| PanelToggle {
                id: p.id(),
                title: p.title(),
                shown: self.state.panels.is_shown(p.id()),
            })
            .collect()
    }

    /// Draws one frame and applies what the panels asked for.
    pub fn frame(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        self.runtime.tick(&mut self.state);
        let mut actions = Vec::new();
        self.shortcuts(&ctx, &mut actions);
        let toggles = self.toggles();
        let cx = PanelContext {
            state: &self.state,
            engine: &self.state.dataset.engine,
            time: ctx.input(|i| i.time),
            toggles: &toggles,
        };
        lay_out(ui, &mut self.panels, &cx, &mut actions);
        self.runtime.dispatch(&mut self.state, actions);
        self.sync_window(&ctx);
        self.frames += 1;
        if self.frames == 1 && std::env::var_os("FAULTLINE_REPORT_FIRST_FRAME").is_some() {
            if let Some(t) = LAUNCHED.get() {
                eprintln!(
                    "first frame built {} ms after launch",
                    t.elapsed().as_millis()
                );
            }
        }
    }

    /// Runs `draw` (a frame) so that a panic in it — a bug — becomes a message naming the crash
    /// report, and the app goes on with its dataset and filters instead of vanishing.
    pub fn frame_guarded(
        &mut self,
        ui: &mut egui::Ui,
        draw: impl FnOnce(&mut Self, &mut egui::Ui),
    ) {
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| draw(self, ui)));
        let Err(panic) = result else {
            return;
        };
        let mut details = vec![crate::crash::panic_text(panic.as_ref())];
        if let Some(report) = crate::crash::last_report() {
            details.push(format!(
                "A crash report was written to {}",
                report.display()
            ));
        }
        let message = Message {
            title: "Faultline hit a bug and recovered; the open dataset and filters are kept"
                .into(),
            details,
            is_error: true,
        };
        // The same bug every frame is one message, not a flood.
        let seen = self
            .state
            .messages
            .iter()
            .any(|m| m.title == message.title && m.details.first() == message.details.first());
        if !seen {
            self.state.notify(message);
        }
        // Whatever else failed, the messages are drawn (and can be dismissed).
        let mut actions = Vec::new();
        super::windows::messages(ui.ctx(), &self.state, &mut actions);
        self.runtime.dispatch(&mut self.state, actions);
    }
}

/// Whether the panel is drawn this frame: its slot's tab is the one shown, and the user has
/// not hidden it.
fn is_drawn(panel: &dyn Panel, state: &AppState) -> bool {
    let tab_ok = match panel.slot() {
        Slot::Top(t) | Slot::Main(t) | Slot::Side(t) => t == state.tab,
        _ => true,
    };
    tab_ok && (!panel.can_hide() || state.panels.is_shown(panel.id()))
}

/// Draws the panels whose slot `wanted` accepts, each in its own egui panel.
fn draw_slots(
    ui: &mut egui::Ui,
    panels: &mut [Box<dyn Panel>],
    wanted: impl Fn(Slot) -> bool,
    cx: &PanelContext,
    actions: &mut Vec<Action>,
) {
    for panel in panels.iter_mut() {
        let slot = panel.slot();
        if !wanted(slot) || !is_drawn(panel.as_ref(), cx.state) {
            continue;
        }
        let id = panel.id();
        let mut body = |ui: &mut egui::Ui| panel.ui(ui, cx, actions);
        match slot {
            Slot::MenuBar => {
                egui::Panel::top(id).show(ui, body);
            }
            Slot::StatusBar => {
                egui::Panel::bottom(id).show(ui, body);
            }
            Slot::Left => {
                egui::Panel::left(id)
                    .resizable(true)
                    .default_size(290.0)
                    .show(ui, body);
            }
            Slot::Right => {
                egui::Panel::right(id)
                    .resizable(true)
                    .default_size(330.0)
                    .show(ui, body);
            }
            Slot::Top(_) => {
                egui::Panel::top(id)
                    .resizable(true)
                    .default_size(320.0)
                    .show(ui, body);
            }
            Slot::Main(_) | Slot::Side(_) | Slot::Window => body(ui),
        }
    }
}

/// Lays the panels out: the bars, the side columns (the tab's own side column too), then the
/// centre with its tab row and the tab's panels; windows last.
fn lay_out(
    ui: &mut egui::Ui,
    panels: &mut [Box<dyn Panel>],
    cx: &PanelContext,
    actions: &mut Vec<Action>,
) {
    let state = cx.state;
    let tab = state.tab;
    draw_slots(
        ui,
        panels,
        |s| matches!(s, Slot::MenuBar | Slot::StatusBar),
        cx,
        actions,
    );
    draw_slots(
        ui,
        panels,
        |s| matches!(s, Slot::Left | Slot::Right),
        cx,
        actions,
    );
    // The tab's side column sits between the centre and the right column.
    // It never takes more than half of what is left, so the tab's own view keeps room.
    if panels_in(panels, Slot::Side(tab), state) > 0 {
        let room = ui.available_width();
        egui::Panel::right(side_id(tab))
            .resizable(true)
            .default_size((room * 0.35).clamp(220.0, 400.0))
            .max_size((room * 0.5).max(240.0))
            .show(ui, |ui| stack_side(ui, panels, tab, cx, actions));
    }
    egui::CentralPanel::default().show(ui, |ui| {
        tab_row(ui, state, actions);
        draw_slots(ui, panels, |s| s == Slot::Top(tab), cx, actions);
        draw_slots(ui, panels, |s| s == Slot::Main(tab), cx, actions);
    });
    draw_slots(ui, panels, |s| s == Slot::Window, cx, actions);
}

/// The id of a tab's side column (kept apart per tab, so each remembers its width).
fn side_id(tab: CentralTab) -> &'static str {
    match tab {
        CentralTab::Events => "events-side",
        CentralTab::Actors => "actors-side",
        CentralTab::Reported => "reported-side",
        CentralTab::Map => "map-side",
        CentralTab::Compare => "compare-side",
    }
}

fn panels_in(panels: &[Box<dyn Panel>], slot: Slot, state: &AppState) -> usize {
    panels
        .iter()
        .filter(|p| p.slot() == slot && is_drawn(p.as_ref(), state))
        .count()
}

/// The side column of a tab: its panels one above the other, the upper ones resizable.
fn stack_side(
    ui: &mut egui::Ui,
    panels: &mut [Box<dyn Panel>],
    tab: CentralTab,
    cx: &PanelContext,
    actions: &mut Vec<Action>,
) {
    let count = panels_in(panels, Slot::Side(tab), cx.state);
    let share = ui.available_height() * 0.55;
    let mut drawn = 0;
    for panel in panels.iter_mut() {
        if panel.slot() != Slot::Side(tab) || !is_drawn(panel.as_ref(), cx.state) {
            continue;
        }
        drawn += 1;
        if drawn < count {
            egui::Panel::top(panel.id())
                .resizable(true)
                .default_size(share)
                .show(ui, |ui| panel.ui(ui, cx, actions));
        } else {
            panel.ui(ui, cx, actions);
        }
    }
}

/// The centre's tabs.
fn tab_row(ui: &mut egui::Ui, state: &AppState, actions: &mut Vec<Action>) {
    ui.horizontal_wrapped(|ui| {
        for (tab, name) in TABS {
            if ui.selectable_label(state.tab == tab, name).clicked() {
                actions.push(Action::SetTab(tab));
            }
        }
    });
}

impl eframe::App for FaultlineApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.frame_guarded(ui, Self::frame);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        if let Ok(text) = serde_json::to_string(&self.state.settings()) {
            storage.set_string(SETTINGS_KEY, text);
        }
    }
}

/// Opens the app window (blocks until it is closed).
pub fn run(files: Vec<PathBuf>) -> Result<(), String> {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Faultline")
            .with_app_id("faultline")
            .with_inner_size([1400.0, 900.0])
            .with_min_inner_size([720.0, 480.0])
            .with_drag_and_drop(true),
        ..Default::default()
    };
    eframe::run_native(
        "Faultline",
        options,
        Box::new(move |cc| Ok(Box::new(FaultlineApp::from_creation_context(cc, &files)))),
    )
    .map_err(|e| e.to_string())
}
