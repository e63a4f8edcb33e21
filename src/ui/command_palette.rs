//! The command palette (Ctrl+K or Ctrl+Shift+P): type a few letters of an action, an actor,
//! an event type, a country or a place, and go there with the keyboard alone. Actions show
//! their shortcut; choosing an actor selects it and filters to it, as clicking it would; a
//! type, country or place filters to it. The matching is the core's
//! ([`faultline_core::query::palette::rank`]): fuzzy, case- and accent-blind.

use std::any::Any;

use egui::{Key, Modifiers, Ui};

use super::panel::{Panel, PanelContext, Slot};
use super::shell::TABS;
use crate::app::{Action, AppState, ThemeChoice};
use faultline_core::export::{Chart, ExportKind};
use faultline_core::query::palette::rank;
use faultline_core::query::{BucketSize, Filter};

/// How many matches are listed.
const SHOWN: usize = 12;

/// One thing the palette can do.
#[derive(Debug, Clone, PartialEq)]
pub struct Command {
    /// What it says ("Export map…", "Al Shabaab").
    pub label: String,
    /// What kind of thing it is, or its shortcut ("actor · 1,204 events", "Ctrl+E").
    pub detail: String,
    /// What choosing it does.
    pub does: Does,
}

/// What choosing a command does.
#[derive(Debug, Clone, PartialEq)]
pub enum Does {
    /// These actions.
    Act(Vec<Action>),
    /// Adds a value to a list of the filter, as ticking it in the filters panel would.
    Filter(FilterList, String),
}

/// A list of the filter the palette can add to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilterList {
    /// Event types.
    EventType,
    /// Countries.
    Country,
    /// Places.
    Place,
}

impl Does {
    /// The actions, given the filter now.
    fn actions(&self, filter: &Filter) -> Vec<Action> {
        match self {
            Does::Act(actions) => actions.clone(),
            Does::Filter(list, value) => {
                let mut f = filter.clone();
                let values = match list {
                    FilterList::EventType => &mut f.event_types,
                    FilterList::Country => &mut f.countries,
                    FilterList::Place => &mut f.locations,
                };
                if !values.contains(value) {
                    values.push(value.clone());
                }
                vec![Action::SetFilter(Box::new(f))]
            }
        }
    }
}

fn command(label: impl Into<String>, detail: impl Into<String>, actions: Vec<Action>) -> Command {
    Command {
        label: label.into(),
        detail: detail.into(),
        does: Does::Act(actions),
    }
}

/// The palette's own state: the query, the highlighted match, and the commands of the open
/// dataset (made once per dataset).
#[derive(Default)]
pub struct CommandPalette {
    query: String,
    highlighted: usize,
    commands: Vec<Command>,
    made_for: Option<u64>,
    /// The query the matches are for, and the matches (indices into `commands`).
    matches: Option<(String, Vec<usize>)>,
    was_open: bool,
}

impl Panel for CommandPalette {
    fn id(&self) -> &'static str {
        "command-palette"
    }
    fn title(&self) -> &'static str {
        "Command palette"
    }
    fn slot(&self) -> Slot {
        Slot::Window
    }
    fn ui(&mut self, ui: &mut Ui, cx: &PanelContext, actions: &mut Vec<Action>) {
        if !cx.state.palette_open {
            self.was_open = false;
            return;
        }
        self.show(ui.ctx(), cx, actions);
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

impl CommandPalette {
    /// The labels of the matches listed now, best first.
    pub fn listed(&self) -> Vec<&str> {
        self.matches
            .as_ref()
            .map(|(_, m)| m.iter().map(|&k| self.commands[k].label.as_str()).collect())
            .unwrap_or_default()
    }

    fn show(&mut self, ctx: &egui::Context, cx: &PanelContext, actions: &mut Vec<Action>) {
        let state = cx.state;
        let generation = state.dataset.store().generation();
        if self.made_for != Some(generation) {
            self.commands = commands(state, cx.toggles);
            self.made_for = Some(generation);
            self.matches = None;
        }
        let opened_now = !self.was_open;
        if opened_now {
            self.query.clear();
            self.highlighted = 0;
            self.matches = None;
        }
        self.was_open = true;
        // The keys the list answers to, taken before the text field sees them.
        let (down, up, enter, escape) = ctx.input_mut(|i| {
            (
                i.consume_key(Modifiers::NONE, Key::ArrowDown),
                i.consume_key(Modifiers::NONE, Key::ArrowUp),
                i.consume_key(Modifiers::NONE, Key::Enter),
                i.consume_key(Modifiers::NONE, Key::Escape),
            )
        });
        let mut chosen = None;
        egui::Window::new("Command palette")
            .collapsible(false)
            .resizable(false)
            .title_bar(false)
            .fixed_size([560.0, 0.0])
            .anchor(egui::Align2::CENTER_TOP, [0.0, 70.0])
            .show(ctx, |ui| {
                let field = ui
                    .horizontal(|ui| {
                        let label = ui.label("Command");
                        ui.add(
                            egui::TextEdit::singleline(&mut self.query)
                                .hint_text("an action, an actor, a type, a country or a place")
                                .desired_width(f32::INFINITY),
                        )
                        .labelled_by(label.id)
                    })
                    .inner;
                if opened_now || !field.has_focus() {
                    field.request_focus();
                }
                let stale = self.matches.as_ref().is_none_or(|(q, _)| *q != self.query);
                if stale {
                    let labels: Vec<&str> =
                        self.commands.iter().map(|c| c.label.as_str()).collect();
                    self.matches = Some((self.query.clone(), rank(&self.query, &labels, SHOWN)));
                    self.highlighted = 0;
                }
                let matches = self
                    .matches
                    .as_ref()
                    .map(|(_, m)| m.clone())
                    .unwrap_or_default();
                if down && !matches.is_empty() {
                    self.highlighted = (self.highlighted + 1).min(matches.len() - 1);
                }
                if up {
                    self.highlighted = self.highlighted.saturating_sub(1);
                }
                if matches.is_empty() {
                    ui.weak("Nothing matches.");
                }
                for (row, &k) in matches.iter().enumerate() {
                    let c = &self.commands[k];
                    ui.horizontal(|ui| {
                        let item = ui.selectable_label(row == self.highlighted, &c.label);
                        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                            ui.weak(&c.detail);
                        });
                        if item.clicked() {
                            chosen = Some(k);
                        }
                    });
                }
                if enter {
                    chosen = chosen.or(matches.get(self.highlighted).copied());
                }
            });
        if let Some(k) = chosen {
            actions.push(Action::ShowPalette(false));
            actions.extend(self.commands[k].does.actions(&state.filter));
        } else if escape {
            actions.push(Action::ShowPalette(false));
        }
    }
}

/// Everything the palette offers for the open dataset: the app's actions first, then the
/// actors (most active first), event types, countries and places.
fn commands(state: &AppState, toggles: &[super::panel::PanelToggle]) -> Vec<Command> {
    let mut out = vec![
        command("Open a dataset…", "Ctrl+O", vec![Action::OpenDialog]),
        command(
            "Open a folder of Parquet shards…",
            "",
            vec![Action::OpenFolderDialog],
        ),
        command("Find events…", "Ctrl+F", vec![Action::FocusSearch]),
        command("Clear all filters", "", vec![Action::ClearFilters]),
        command(
            "Play or pause playback through time",
            "Space",
            vec![Action::Playback(crate::app::PlaybackAction::Toggle)],
        ),
        command(
            "Stop playback",
            "",
            vec![Action::Playback(crate::app::PlaybackAction::Stop)],
        ),
        command("Reset dates", "", vec![Action::ResetDates]),
    ];
    for chart in Chart::ALL {
        let shortcut = if chart == Chart::Timeline {
            "Ctrl+E"
        } else {
            ""
        };
        out.push(command(
            format!("Export {}…", chart.label().to_lowercase()),
            shortcut,
            vec![Action::Export(ExportKind::new(chart, chart.formats()[0]))],
        ));
    }
    for (tab, name) in TABS {
        out.push(command(
            format!("Go to {name}"),
            "tab",
            vec![Action::SetTab(tab)],
        ));
    }
    for bucket in BucketSize::ALL {
        out.push(command(
            format!("Timeline by {}", bucket.name()),
            "bucket",
            vec![Action::SetBucket(bucket)],
        ));
    }
    for (theme, name) in [
        (ThemeChoice::Light, "Light theme"),
        (ThemeChoice::Dark, "Dark theme"),
        (ThemeChoice::System, "Theme of the system"),
    ] {
        out.push(command(name, "theme", vec![Action::SetTheme(theme)]));
    }
    for t in toggles {
        let verb = if t.shown { "Hide" } else { "Show" };
        out.push(command(
            format!("{verb} {}", t.title.to_lowercase()),
            "panel",
            vec![Action::ShowPanel(t.id.to_string(), !t.shown)],
        ));
    }
    out.push(command(
        "About Faultline and its data",
        "",
        vec![Action::ShowAbout(true)],
    ));
    out.extend(data_commands(state));
    out
}

/// The dataset's actors, event types, countries and places, each as a command that selects
/// or filters to it.
fn data_commands(state: &AppState) -> Vec<Command> {
    use faultline_core::text::thousands;
    let store = state.dataset.store();
    let facets = state.dataset.engine.facets();
    let events = |n: usize| format!("{} event{}", thousands(n), if n == 1 { "" } else { "s" });
    let mut out = Vec::new();
    for &(a, n) in &facets.actors {
        out.push(command(
            store.actor_name(a),
            format!("actor · {}", events(n)),
            vec![Action::FocusActor(a)],
        ));
    }
    let lists = [
        ("event type", &facets.event_types, FilterList::EventType),
        ("country", &facets.countries, FilterList::Country),
        ("place", &facets.locations, FilterList::Place),
    ];
    for (kind, facet, list) in lists {
        for (name, n) in facet {
            out.push(Command {
                label: name.clone(),
                detail: format!("{kind} · {}", events(*n)),
                does: Does::Filter(list, name.clone()),
            });
        }
    }
    out
}
