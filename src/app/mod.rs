//! The desktop app: state, actions, the background loader, persistence, and the frame loop
//! that lays out the panels of [`crate::ui`].

pub mod action;
pub mod dataset;
pub mod dialogs;
pub mod export_job;
pub mod loader;
pub mod state;

use std::path::PathBuf;

pub use action::{apply, finish_load, poll_export, poll_load, Action};
pub use dataset::LoadedDataset;
pub use export_job::ExportSettings;
pub use state::{
    AppState, CentralTab, GraphSettings, Message, PanelsShown, Selection, Settings, ThemeChoice,
};

use crate::ui;

/// Datasets at least this large are re-queried on a worker thread, so the window keeps
/// drawing; smaller ones are fast enough to query while drawing.
pub const ASYNC_QUERY_MIN_EVENTS: usize = 200_000;

/// When the process started (set by `main`), for the first-frame report.
static LAUNCHED: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();

/// Notes the launch time; call first thing in `main`.
pub fn mark_launch() {
    let _ = LAUNCHED.set(std::time::Instant::now());
}

pub use crate::crash::panic_text;

/// The key under which settings are stored.
const SETTINGS_KEY: &str = "faultline-settings";

/// The eframe application.
pub struct FaultlineApp {
    /// Everything the views read.
    pub state: AppState,
    /// The actor graph panel's layout and camera.
    pub graph_view: ui::actor_graph::GraphView,
    actor_list: ui::actor_list::ActorList,
    shown_title: String,
    applied_theme: Option<ThemeChoice>,
    frames: u64,
}

impl FaultlineApp {
    /// The app with the embedded dataset open and `settings` applied; `files` start loading
    /// at once (the embedded dataset stays on screen until they are ready).
    pub fn new(settings: Settings, files: &[PathBuf], ctx: &egui::Context) -> FaultlineApp {
        let (dataset, mut messages) = match LoadedDataset::seed() {
            Ok(d) => (d, Vec::new()),
            Err(e) => (
                // The embedded dataset is tested; should it ever fail, show an empty app and say why.
                LoadedDataset::new(
                    faultline_core::io::Opened::native(faultline_core::model::Dataset {
                        title: "No dataset".into(),
                        ..Default::default()
                    }),
                    None,
                ),
                vec![Message {
                    title: "The embedded dataset cannot be read".into(),
                    details: vec![e.to_string()],
                    is_error: true,
                }],
            ),
        };
        let mut state = AppState::new(dataset, settings);
        state.messages.append(&mut messages);
        let mut app = FaultlineApp {
            state,
            graph_view: Default::default(),
            actor_list: Default::default(),
            shown_title: String::new(),
            applied_theme: None,
            frames: 0,
        };
        if let Some(first) = files.first() {
            let wake = waker(ctx);
            apply(&mut app.state, Action::Open(first.clone()), &wake);
        }
        if files.len() > 1 {
            app.state.notify(Message {
                title: format!(
                    "Faultline shows one dataset at a time: opening {}",
                    files[0].display()
                ),
                details: files[1..]
                    .iter()
                    .map(|p| format!("not opened: {}", p.display()))
                    .collect(),
                is_error: false,
            });
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
            .unwrap_or_default();
        FaultlineApp::new(settings, files, &cc.egui_ctx)
    }

    /// Runs one action (as the views do), for scripted use and tests.
    pub fn act(&mut self, ctx: &egui::Context, action: Action) {
        apply(&mut self.state, action, &waker(ctx));
    }

    fn shortcuts(&self, ctx: &egui::Context, actions: &mut Vec<Action>) {
        use egui::{Key, KeyboardShortcut, Modifiers};
        let open = KeyboardShortcut::new(Modifiers::COMMAND, Key::O);
        let find = KeyboardShortcut::new(Modifiers::COMMAND, Key::F);
        let export = KeyboardShortcut::new(Modifiers::COMMAND, Key::E);
        ctx.input_mut(|i| {
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
            if i.key_pressed(Key::Escape) && self.state.selection != Selection::None {
                actions.push(Action::SelectEvent(None));
            }
        });
        // Files dropped on the window open like File → Open.
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .collect()
        });
        if let Some(path) = dropped.into_iter().next() {
            actions.push(Action::Open(path));
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

    /// Brings `shown` up to what was asked for: at once when the answer is cached or cheap,
    /// else on a worker thread (the views keep the previous results until it is done). One
    /// worker at a time: while it runs, newer requests wait, and the newest is computed next.
    fn sync_view(&mut self, ctx: &egui::Context) {
        let state = &mut self.state;
        if let Some((_, worker)) = &state.preparing {
            if !worker.is_finished() {
                return;
            }
            state.preparing = None;
        }
        let wanted = state.wanted();
        if wanted == state.shown {
            return;
        }
        let engine = state.dataset.engine.clone();
        if engine.is_prepared(&wanted) || engine.store().len() < ASYNC_QUERY_MIN_EVENTS {
            engine.prepare(&wanted);
            state.shown = wanted;
            return;
        }
        let ctx = ctx.clone();
        let view = wanted.clone();
        let worker = std::thread::Builder::new()
            .name("faultline-query".into())
            .spawn(move || {
                engine.prepare(&view);
                ctx.request_repaint();
            });
        match worker {
            Ok(handle) => state.preparing = Some((wanted, handle)),
            // No thread to be had: compute here rather than never.
            Err(_) => {
                state.dataset.engine.prepare(&wanted);
                state.shown = wanted;
            }
        }
    }

    /// Draws one frame and applies what the views asked for.
    pub fn frame(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        poll_load(&mut self.state);
        poll_export(&mut self.state);
        self.sync_view(&ctx);
        let mut actions = Vec::new();
        self.shortcuts(&ctx, &mut actions);
        let state = &mut self.state;
        let (graph_view, actor_list) = (&mut self.graph_view, &mut self.actor_list);

        egui::Panel::top("menu").show(ui, |ui| ui::menu::show(ui, state, &mut actions));
        egui::Panel::bottom("status").show(ui, |ui| ui::status_bar::show(ui, state, &mut actions));
        if state.panels.filters {
            egui::Panel::left("filters")
                .resizable(true)
                .default_size(290.0)
                .show(ui, |ui| ui::filters::show(ui, state, &mut actions));
        }
        if state.panels.details {
            egui::Panel::right("details")
                .resizable(true)
                .default_size(330.0)
                .show(ui, |ui| ui::details::show(ui, state, &mut actions));
        }
        egui::CentralPanel::default().show(ui, |ui| {
            ui.horizontal(|ui| {
                for (tab, name) in [
                    (CentralTab::Events, "Timeline and events"),
                    (CentralTab::Actors, "Actors and relations"),
                ] {
                    if ui.selectable_label(state.tab == tab, name).clicked() {
                        actions.push(Action::SetTab(tab));
                    }
                }
                if state.tab == CentralTab::Events {
                    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                        if ui
                            .button("Export events…")
                            .on_hover_text("The filtered event list as CSV or Faultline JSON")
                            .clicked()
                        {
                            actions.push(Action::Export(
                                faultline_core::export::ExportKind::EVENTS_CSV,
                            ));
                        }
                    });
                }
            });
            match state.tab {
                CentralTab::Events => {
                    if state.panels.timeline {
                        egui::Panel::top("timeline")
                            .resizable(true)
                            .default_size(320.0)
                            .show(ui, |ui| ui::timeline::show(ui, state, &mut actions));
                    }
                    ui::events_table::show(ui, state, &mut actions);
                }
                CentralTab::Actors => {
                    use egui_extras::{Size, StripBuilder};
                    StripBuilder::new(ui)
                        .size(Size::remainder().at_least(320.0))
                        .size(Size::exact(400.0))
                        .horizontal(|mut strip| {
                            strip.cell(|ui| graph_view.ui(ui, state, &mut actions));
                            strip.cell(|ui| {
                                StripBuilder::new(ui)
                                    .size(Size::relative(0.55))
                                    .size(Size::remainder())
                                    .vertical(|mut strip| {
                                        strip.cell(|ui| actor_list.ui(ui, state, &mut actions));
                                        strip.cell(|ui| ui::actor_list::statements(ui, state));
                                    });
                            });
                        });
                }
            }
        });
        ui::windows::messages(&ctx, state, &mut actions);
        ui::windows::problems(&ctx, state, &mut actions);
        ui::windows::about(&ctx, state, &mut actions);
        ui::export_window::show(&ctx, state, &mut actions);

        let wake = waker(&ctx);
        for action in actions {
            apply(&mut self.state, action, &wake);
        }
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
}

fn waker(ctx: &egui::Context) -> impl Fn() + Clone + Send + Sync + 'static {
    let ctx = ctx.clone();
    move || ctx.request_repaint()
}

impl FaultlineApp {
    /// Runs `draw` (a frame) so that a panic in it — a bug — becomes a message naming the crash
    /// report, and the app goes on with its dataset and filters instead of vanishing.
    pub fn frame_guarded(
        &mut self,
        ui: &mut egui::Ui,
        draw: impl FnOnce(&mut Self, &mut egui::Ui),
    ) {
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| draw(self, ui)));
        if let Err(panic) = result {
            let mut details = vec![panic_text(panic.as_ref())];
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
            let seen =
                self.state.messages.iter().any(|m| {
                    m.title == message.title && m.details.first() == message.details.first()
                });
            if !seen {
                self.state.notify(message);
            }
            // Whatever else failed, the messages are drawn (and can be dismissed).
            let mut actions = Vec::new();
            ui::windows::messages(ui.ctx(), &self.state, &mut actions);
            let wake = waker(ui.ctx());
            for action in actions {
                apply(&mut self.state, action, &wake);
            }
        }
    }
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
