//! The details panel: every field of the selected event with its sources' verbatim quotes;
//! for a selected actor its kind, aliases, relations and statements with their quotes;
//! with nothing selected, what the dataset is and its reported figures.

use std::any::Any;

use egui::{RichText, Ui};

use super::panel::{Panel, PanelContext, Slot};
use crate::app::{Action, AppState, Selection};
use faultline_core::model::{Field, Note, NoteTarget, SourceRef};
use faultline_core::store::Store;
use faultline_core::text::thousands;

fn field(ui: &mut Ui, name: &str, value: impl Into<String>) {
    let value = value.into();
    if value.is_empty() {
        return;
    }
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(format!("{name}:")).strong());
        ui.label(value);
    });
}

fn actor_link(ui: &mut Ui, store: &Store, actor: u32, actions: &mut Vec<Action>) {
    if ui
        .link(store.actor_name(actor))
        .on_hover_text("Show this actor and its events")
        .clicked()
    {
        actions.push(Action::FocusActor(actor));
    }
}

fn actor_id_link(ui: &mut Ui, store: &Store, id: &str, actions: &mut Vec<Action>) {
    match store.actor_index(id) {
        Some(i) => actor_link(ui, store, i, actions),
        None => {
            ui.label(id);
        }
    }
}

fn quotes(ui: &mut Ui, store: &Store, refs: &[SourceRef], actions: &mut Vec<Action>) {
    for r in refs {
        let source = store.meta.sources.iter().find(|s| s.id == r.source);
        ui.group(|ui| {
            ui.label(RichText::new(format!("“{}”", r.quote)).italics());
            ui.horizontal_wrapped(|ui| {
                if let Some(s) = source {
                    let date = s
                        .date
                        .map(|d| format!(", {}", d.label()))
                        .unwrap_or_default();
                    ui.weak(format!("— {}{date}", s.publisher));
                }
                if let Some(a) = &r.attributed_to {
                    ui.weak("· attributed to");
                    actor_id_link(ui, store, a, actions);
                }
            });
        });
    }
}

/// The events of other datasets in the view that may record the same happening, each a
/// link; linked, never merged.
fn possible_matches(ui: &mut Ui, state: &AppState, row: u32, actions: &mut Vec<Action>) {
    let store = state.dataset.store();
    if store.files.len() < 2 {
        return;
    }
    let matches = state.dataset.engine.possible_matches(&state.match_rules);
    let others = matches.of(row);
    if others.is_empty() {
        return;
    }
    ui.label(RichText::new("Possibly the same event as").strong())
        .on_hover_text(format!(
            "An event of another dataset in the view: days overlapping, within {} km, of \
                 the same kind or with an actor in common. Both records are kept as their \
                 sources wrote them.",
            state.match_rules.max_km
        ));
    let this = store.row(row as usize).id().to_string();
    for (other, km) in others {
        let event = store.row(other as usize);
        let file = event.file().map_or("", |f| f.name.as_str());
        let text = format!(
            "{} · {} ({file}, {km:.0} km)",
            event.id(),
            event.date().label()
        );
        if ui.link(text).clicked() {
            actions.push(Action::SelectEvent(Some(other)));
        }
        // The analyst's word on the pair: the same happening, or not (both records stay).
        let id = event.id().to_string();
        let marked = state.layer.workspace.mark(&this, &id);
        ui.horizontal(|ui| {
            ui.weak("you say:");
            for (value, label) in [(true, "Same event"), (false, "Different events")] {
                let on = marked == Some(value);
                if ui
                    .selectable_label(on, label)
                    .on_hover_text(format!("{this} and {id}: {}", label.to_lowercase()))
                    .clicked()
                {
                    let new = if on { None } else { Some(value) };
                    actions.push(Action::Mark(this.clone(), id.clone(), new));
                }
            }
        });
    }
}

fn event_details(ui: &mut Ui, state: &AppState, row: u32, actions: &mut Vec<Action>) {
    let store = state.dataset.store();
    let event = store.event(row as usize);
    let view = store.row(row as usize);
    ui.heading(event.date.label());
    field(ui, "Id", event.id.clone());
    if let Some(file) = view.file() {
        field(ui, "File", format!("{} ({})", file.name, file.format));
    }
    possible_matches(ui, state, row, actions);
    // A field the analyst corrected says so (the file's value is under "Your corrections").
    let corrected = |fields: &[Field]| match state.dataset.corrected(&event.id, fields) {
        Some(_) => " (corrected)",
        None => "",
    };
    field(
        ui,
        "Date",
        format!(
            "{} ({} precision){}",
            event.date.to_iso(),
            event.date.precision().as_str(),
            corrected(&[Field::Date])
        ),
    );
    field(
        ui,
        "Type",
        format!("{}{}", event.event_type, corrected(&[Field::EventType])),
    );
    if let Some(sub) = &event.sub_event_type {
        field(
            ui,
            "Sub-type",
            format!("{sub}{}", corrected(&[Field::SubEventType])),
        );
    }
    for (name, actor, associated) in [
        ("Actor 1", view.actor1(), view.associated_1()),
        ("Actor 2", view.actor2(), view.associated_2()),
    ] {
        if actor.is_none() && associated.is_empty() {
            continue;
        }
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(format!("{name}:")).strong());
            if let Some(actor) = actor {
                actor_link(ui, store, actor, actions);
            }
            if !associated.is_empty() {
                ui.weak("with");
                for &a in associated {
                    actor_link(ui, store, a, actions);
                }
            }
        });
    }
    let l = &event.location;
    let place: Vec<&str> = [&l.place, &l.admin3, &l.admin2, &l.admin1, &l.country]
        .into_iter()
        .filter_map(|x| x.as_deref())
        .collect();
    if !place.is_empty() {
        let mark = corrected(&[Field::Place, Field::Admin1, Field::Country]);
        field(ui, "Location", format!("{}{mark}", place.join(", ")));
    }
    if let (Some(lat), Some(lon)) = (l.latitude, l.longitude) {
        let mark = corrected(&[Field::Latitude, Field::Longitude]);
        field(ui, "Coordinates", format!("{lat:.4}, {lon:.4}{mark}"));
    }
    if let Some(deaths) = event.fatalities {
        let range = match (event.fatalities_low, event.fatalities_high) {
            (Some(lo), Some(hi)) => format!(" (low {lo}, high {hi})"),
            _ => String::new(),
        };
        let mark = corrected(&[Field::Fatalities]);
        field(ui, "Deaths", format!("{deaths}{range}{mark}"));
    }
    if !event.weapons.is_empty() {
        field(ui, "Weapons", event.weapons.join(", "));
    }
    status_words_and_sources(ui, store, &event, actions);
}

/// An event's status, its description, its further fields and its sources' words.
fn status_words_and_sources(
    ui: &mut Ui,
    store: &Store,
    event: &faultline_core::model::Event,
    actions: &mut Vec<Action>,
) {
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new("Status:").strong());
        ui.label(event.status.kind.label());
        if let Some(by) = &event.status.by {
            ui.label("by");
            actor_id_link(ui, store, by, actions);
        }
    });
    if !event.description.is_empty() {
        ui.separator();
        ui.label(&event.description);
    }
    for (k, v) in &event.attributes {
        field(ui, k, v.clone());
    }
    if !event.sources.is_empty() {
        ui.separator();
        ui.label(RichText::new("Sources").strong());
        quotes(ui, store, &event.sources, actions);
    }
}

fn actor_details(ui: &mut Ui, state: &AppState, actor: u32, actions: &mut Vec<Action>) {
    let store = state.dataset.store();
    let Some(a) = store.actors().get(actor as usize) else {
        return;
    };
    ui.heading(&a.name);
    field(ui, "Kind", a.kind.label());
    field(ui, "Also called", a.aliases.join(", "));
    field(ui, "Country", a.country.clone().unwrap_or_default());
    field(ui, "Role", a.affiliation.clone().unwrap_or_default());
    field(ui, "Weapons", a.weapons.join(", "));
    if let Some(d) = &a.description {
        ui.label(d);
    }
    let events = state
        .dataset
        .facets()
        .actors
        .iter()
        .find(|(x, _)| *x == actor)
        .map_or(0, |(_, n)| *n);
    ui.horizontal(|ui| {
        field(ui, "Events", thousands(events));
        if ui.small_button("Show its events").clicked() {
            actions.push(Action::FocusActor(actor));
        }
    });
    quotes(ui, store, &a.sources, actions);

    let relations: Vec<_> = store
        .meta
        .relations
        .iter()
        .filter(|r| r.from == a.id || r.to == a.id)
        .collect();
    if !relations.is_empty() {
        ui.separator();
        ui.label(RichText::new(format!("Relations ({})", relations.len())).strong());
        for r in relations {
            ui.horizontal_wrapped(|ui| {
                actor_id_link(ui, store, &r.from, actions);
                ui.label(RichText::new(r.kind.label()).italics());
                actor_id_link(ui, store, &r.to, actions);
                if let Some(p) = r.period {
                    ui.weak(format!("({})", p.label()));
                }
            });
            quotes(ui, store, &r.sources, actions);
        }
    }
    let statements: Vec<_> = store
        .meta
        .statements
        .iter()
        .filter(|s| s.speaker == a.id)
        .collect();
    if !statements.is_empty() {
        ui.separator();
        ui.label(RichText::new(format!("Statements ({})", statements.len())).strong());
        for s in statements {
            ui.group(|ui| {
                let when = s
                    .date
                    .map(|d| d.label())
                    .unwrap_or_else(|| "undated".into());
                ui.weak(format!("{when} · {}", s.topic.clone().unwrap_or_default()));
                super::statements::statement_words(ui, store, s);
            });
        }
    }
}

fn relation_details(ui: &mut Ui, state: &AppState, index: u32, actions: &mut Vec<Action>) {
    let store = state.dataset.store();
    let Some(r) = store.meta.relations.get(index as usize) else {
        return;
    };
    ui.heading("Relation");
    ui.horizontal_wrapped(|ui| {
        actor_id_link(ui, store, &r.from, actions);
        ui.label(RichText::new(r.kind.label()).italics());
        actor_id_link(ui, store, &r.to, actions);
    });
    if let Some(p) = r.period {
        field(ui, "When", p.label());
    }
    if let Some(d) = &r.description {
        ui.label(d);
    }
    ui.separator();
    ui.label(RichText::new("Sources").strong());
    quotes(ui, store, &r.sources, actions);
}

fn overview(ui: &mut Ui, state: &AppState, actions: &mut Vec<Action>) {
    let store = state.dataset.store();
    ui.heading(&store.meta.title);
    if let Some(d) = &store.meta.description {
        ui.label(d);
    }
    missing_includes(ui, state, actions);
    if store.files.len() > 1 {
        ui.label(RichText::new(format!("{} files in one view", store.files.len())).strong());
        for file in &store.files {
            let mut line = format!(
                "{} ({}): {}",
                file.name,
                file.format,
                faultline_core::text::plural(file.events, "event")
            );
            if file.skipped > 0 {
                line += &format!(
                    ", {} skipped",
                    faultline_core::text::thousands(file.skipped)
                );
            }
            if file.replaced > 0 {
                line += &format!(
                    ", {} replaced by a newer release",
                    faultline_core::text::thousands(file.replaced)
                );
            }
            ui.label(line).on_hover_text(&file.path);
        }
    }
    if !store.meta.series.is_empty() {
        ui.separator();
        ui.label(RichText::new("Reported figures (as reported, not counted events)").strong());
        for s in &store.meta.series {
            ui.label(RichText::new(&s.name).strong());
            ui.horizontal_wrapped(|ui| {
                ui.weak("reported by");
                actor_id_link(ui, store, &s.reported_by, actions);
            });
            for o in &s.observations {
                let period = o
                    .period
                    .map_or_else(|| "undated".to_string(), |p| p.label());
                ui.label(format!("{period}: {} {}", o.figure(), s.unit));
                quotes(ui, store, &o.sources, actions);
            }
        }
    }
    ui.separator();
    ui.weak("Select an event in the list or an actor to see its details and sources.");
}

/// The workspace's included files that could not be read, each with why and a button to
/// say where it is now.
fn missing_includes(ui: &mut Ui, state: &AppState, actions: &mut Vec<Action>) {
    use faultline_core::io::workspace::IncludeState;
    let Some(workspace) = state.dataset.workspace.as_ref() else {
        return;
    };
    for (k, status) in workspace.includes.iter().enumerate() {
        let IncludeState::NotRead(why) = &status.state else {
            continue;
        };
        if state.layer.located.contains(&status.include.path) {
            continue;
        }
        ui.horizontal_wrapped(|ui| {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                format!("Not read: {} ({why})", status.include.path),
            )
            .on_hover_text(status.resolved.display().to_string());
            if ui
                .small_button("Locate…")
                .on_hover_text("Say where this file is now; it is read into the view")
                .clicked()
            {
                actions.push(Action::LocateDialog(k));
            }
        });
    }
}

/// The details panel, with the note being written on the selected event or actor.
#[derive(Default)]
pub struct DetailsPanel {
    note: NoteDraft,
    correction: super::corrections::CorrectionDraft,
    /// How many changes the layer had made and undone at the last frame (a change, an undo
    /// or a redo starts the draft over from the saved note).
    seen_changes: (usize, usize),
}

/// The analyst's note on the selection, as it is being edited.
#[derive(Default)]
struct NoteDraft {
    about: Option<NoteTarget>,
    text: String,
    tags: String,
}

impl NoteDraft {
    /// Starts over from the saved note when the selection changed (or the note did, by undo).
    fn follow(&mut self, about: Option<NoteTarget>, state: &AppState, force: bool) {
        if self.about == about && !force {
            return;
        }
        let saved = about.as_ref().and_then(|t| state.layer.workspace.note(t));
        self.text = saved.map(|n| n.text.clone()).unwrap_or_default();
        self.tags = saved.map(|n| n.tags.join(", ")).unwrap_or_default();
        self.about = about;
    }
}

/// What the selection is, as a note's target.
fn note_target(state: &AppState) -> Option<NoteTarget> {
    let store = state.dataset.store();
    match state.selection {
        Selection::Event(row) if (row as usize) < store.len() => {
            Some(NoteTarget::Event(store.row(row as usize).id().to_string()))
        }
        Selection::Actor(a) => store
            .actors()
            .get(a as usize)
            .map(|a| NoteTarget::Actor(a.id.clone())),
        _ => None,
    }
}

/// "Your note": free text and tags on the selected event or actor, kept in the analyst's
/// layer (saved with the workspace, undoable).
fn note_editor(ui: &mut Ui, state: &AppState, draft: &mut NoteDraft, actions: &mut Vec<Action>) {
    let Some(about) = draft.about.clone() else {
        return;
    };
    ui.separator();
    ui.label(RichText::new("Yours").strong())
        .on_hover_text("Kept in your workspace (Ctrl+S), never in the data file");
    let text_label = ui.label("Your note");
    ui.add(
        egui::TextEdit::multiline(&mut draft.text)
            .desired_rows(2)
            .desired_width(f32::INFINITY)
            .hint_text("what you make of it"),
    )
    .labelled_by(text_label.id);
    let tags_label = ui.label("Your tags");
    ui.add(
        egui::TextEdit::singleline(&mut draft.tags)
            .desired_width(f32::INFINITY)
            .hint_text("verify, ceasefire"),
    )
    .labelled_by(tags_label.id);
    let tags: Vec<String> = draft
        .tags
        .split(',')
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .collect();
    let note = Note {
        about,
        text: draft.text.trim().to_string(),
        tags,
    };
    let saved = state.layer.workspace.note(&note.about);
    let unchanged = match saved {
        Some(n) => *n == note,
        None => note.text.is_empty() && note.tags.is_empty(),
    };
    if ui
        .add_enabled(!unchanged, egui::Button::new("Save note"))
        .clicked()
    {
        actions.push(Action::SetNote(note));
    }
}

impl Panel for DetailsPanel {
    fn id(&self) -> &'static str {
        "details"
    }
    fn title(&self) -> &'static str {
        "Details panel"
    }
    fn slot(&self) -> Slot {
        Slot::Right
    }
    fn ui(&mut self, ui: &mut Ui, cx: &PanelContext, actions: &mut Vec<Action>) {
        // The draft starts over when the selection changes, or when the saved note changed
        // under it (undo, redo).
        let layer = &cx.state.layer;
        let history = (layer.changes().len(), layer.undone().len());
        let changed = history != self.seen_changes;
        self.seen_changes = history;
        self.note.follow(note_target(cx.state), cx.state, changed);
        show(ui, cx.state, self, actions);
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// Draws the details panel.
fn show(ui: &mut Ui, state: &AppState, panel: &mut DetailsPanel, actions: &mut Vec<Action>) {
    egui::ScrollArea::vertical()
        .id_salt("details")
        .show(ui, |ui| {
            match state.selection {
                Selection::Event(row) if (row as usize) < state.dataset.store().len() => {
                    event_details(ui, state, row, actions);
                    note_editor(ui, state, &mut panel.note, actions);
                    super::corrections::corrections(
                        ui,
                        state,
                        row as usize,
                        &mut panel.correction,
                        actions,
                    );
                    return;
                }
                Selection::Actor(a) => actor_details(ui, state, a, actions),
                Selection::Relation(r) => relation_details(ui, state, r, actions),
                _ => overview(ui, state, actions),
            }
            note_editor(ui, state, &mut panel.note, actions);
        });
}
