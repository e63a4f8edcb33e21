//! The filters panel: free text (Ctrl+F), dates, event types with counts, searchable actor,
//! country, place and source lists, status, deaths; active filters as removable chips.

use std::any::Any;

use chrono::NaiveDate;
use egui::{Id, RichText, Ui};

use super::explanation::asked;
use super::panel::{Panel, PanelContext, Slot};
use crate::app::{Action, AppState};
use faultline_core::model::StatusKind;
use faultline_core::query::explain::{EntryList, Subject};
use faultline_core::query::Facet;
use faultline_core::query::{ActorRole, Filter};
use faultline_core::text::thousands;

/// How many matches a searchable list shows.
const LIST_SHOWN: usize = 40;

fn set(actions: &mut Vec<Action>, filter: Filter) {
    actions.push(Action::SetFilter(Box::new(filter)));
}

/// Picks one list of values out of a filter.
type ListField = fn(&mut Filter) -> &mut Vec<String>;

fn toggle(list: &mut Vec<String>, value: &str) {
    if let Some(i) = list.iter().position(|v| v == value) {
        list.remove(i);
    } else {
        list.push(value.to_string());
    }
}

/// The chips of the filter's lists of values (types, places, sources, files): each value's
/// words, and the filter without it.
fn value_chips(f: &Filter, store: &faultline_core::store::Store) -> Vec<(String, Filter)> {
    let lists: [(&Vec<String>, ListField); 6] = [
        (&f.event_types, |g| &mut g.event_types),
        (&f.sub_event_types, |g| &mut g.sub_event_types),
        (&f.countries, |g| &mut g.countries),
        (&f.admin1, |g| &mut g.admin1),
        (&f.locations, |g| &mut g.locations),
        (&f.sources, |g| &mut g.sources),
    ];
    let mut chips = Vec::new();
    for (values, field) in lists {
        for v in values {
            let mut g = f.clone();
            field(&mut g).retain(|x| x != v);
            chips.push((v.clone(), g));
        }
    }
    for path in &f.files {
        let mut g = f.clone();
        g.files.retain(|x| x != path);
        let name = store.files.iter().find(|x| &x.path == path);
        let text = format!("file: {}", name.map_or(path.as_str(), |x| x.name.as_str()));
        chips.push((text, g));
    }
    chips
}

/// Removable chips for each active part of the filter, and "Clear all".
fn chips(ui: &mut Ui, state: &AppState, actions: &mut Vec<Action>) {
    let f = &state.filter;
    if f.is_empty() {
        ui.weak("No filters: showing every event.");
        return;
    }
    let store = state.dataset.store();
    ui.horizontal_wrapped(|ui| {
        let mut chip = |ui: &mut Ui, text: String, without: Filter| {
            if ui
                .small_button(format!("{text}  ×"))
                .on_hover_text("Remove this filter")
                .clicked()
            {
                set(actions, without);
            }
        };
        if f.from.is_some() || f.to.is_some() {
            let mut g = f.clone();
            g.from = None;
            g.to = None;
            let text = match (f.from, f.to) {
                (Some(a), Some(b)) => format!("{a} to {b}"),
                (Some(a), None) => format!("from {a}"),
                (None, Some(b)) => format!("until {b}"),
                _ => String::new(),
            };
            chip(ui, text, g);
        }
        if !f.events.is_empty() {
            let g = Filter {
                events: Vec::new(),
                ..f.clone()
            };
            let n = f.events.len();
            let text = if n == 1 {
                "1 chosen event".to_string()
            } else {
                format!("{} chosen events", thousands(n))
            };
            chip(ui, text, g);
        }
        if let Some(region) = &f.region {
            let g = Filter {
                region: None,
                ..f.clone()
            };
            chip(ui, region.describe(), g);
        }
        if let Some(area) = &f.area {
            let g = Filter {
                area: None,
                ..f.clone()
            };
            chip(ui, area.describe(), g);
        }
        if !f.text.trim().is_empty() {
            let mut g = f.clone();
            g.text.clear();
            chip(ui, format!("“{}”", f.text.trim()), g);
        }
        for id in &f.actors {
            let mut g = f.clone();
            g.actors.retain(|a| a != id);
            let name = store
                .actor_index(id)
                .map_or(id.as_str(), |i| store.actor_name(i));
            chip(ui, name.to_string(), g);
        }
        for (text, without) in value_chips(f, store) {
            chip(ui, text, without);
        }
        for s in &f.statuses {
            let mut g = f.clone();
            g.statuses.retain(|x| x != s);
            chip(ui, s.label().to_string(), g);
        }
        if let Some(n) = f.min_fatalities {
            let mut g = f.clone();
            g.min_fatalities = None;
            chip(ui, format!("≥ {n} deaths"), g);
        }
        if let Some(km) = f.once_within_km {
            let mut g = f.clone();
            g.once_within_km = None;
            chip(ui, format!("possibly-same counted once ({km} km)"), g);
        }
    });
    if ui.button("Clear all").clicked() {
        actions.push(Action::ClearFilters);
    }
}

/// What a count of an entry of a list answers for ("why this number?").
type WhyOf<'a> = dyn Fn(&str) -> Option<Subject> + 'a;

/// A right-click on a count (or `?` while it has the focus) asks why it is what it is.
fn ask_why(entry: &egui::Response, why: Option<Subject>, actions: &mut Vec<Action>) {
    if let (Some(_), Some(why)) = (asked(entry), why) {
        actions.push(Action::Explain(Some(Box::new(why))));
    }
}

/// A searchable multi-select over a facet (right-click an entry: why its count); returns
/// the new selection when it changed.
fn searchable(
    ui: &mut Ui,
    (id, name): (Id, &str),
    options: &[(String, usize)],
    selected: &[String],
    label_of: &dyn Fn(&str) -> String,
    (why, actions): (&WhyOf<'_>, &mut Vec<Action>),
) -> Option<Vec<String>> {
    let mut query: String = ui.data(|d| d.get_temp(id)).unwrap_or_default();
    let mut changed = None;
    let field = ui.add(
        egui::TextEdit::singleline(&mut query)
            .hint_text("search…")
            .desired_width(f32::INFINITY),
    );
    // Named for screen readers, which do not read the hint.
    field.widget_info(|| egui::WidgetInfo::labeled(egui::Role::TextInput, ui.is_enabled(), name));
    // Escape clears the search, as in a browser's find bar.
    if field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Escape)) {
        query.clear();
    }
    if field.changed() || field.lost_focus() {
        ui.data_mut(|d| d.insert_temp(id, query.clone()));
    }
    let needle = query.trim().to_lowercase();
    let mut shown = 0;
    egui::ScrollArea::vertical()
        .id_salt(id.with("scroll"))
        .max_height(160.0)
        .show(ui, |ui| {
            // Selected values first, so they can always be unticked.
            for value in selected {
                let mut on = true;
                if ui
                    .checkbox(&mut on, label_of(value))
                    .on_hover_text("Chosen: untick to show the others again")
                    .changed()
                {
                    let mut next = selected.to_vec();
                    toggle(&mut next, value);
                    changed = Some(next);
                }
            }
            for (value, count) in options {
                if shown >= LIST_SHOWN {
                    ui.weak("… refine the search to see more");
                    break;
                }
                if selected.contains(value) {
                    continue;
                }
                let label = label_of(value);
                if !needle.is_empty() && !label.to_lowercase().contains(&needle) {
                    continue;
                }
                shown += 1;
                let mut on = false;
                let entry = ui
                    .checkbox(&mut on, format!("{label}  ({})", thousands(*count)))
                    .on_hover_text(format!(
                        "{} events of the whole dataset name “{label}”. Tick to show only \
                         these (with the other filters); right-click or ? for the events behind \
                         the number.",
                        thousands(*count)
                    ));
                ask_why(&entry, why(value), actions);
                if entry.changed() {
                    let mut next = selected.to_vec();
                    next.push(value.clone());
                    changed = Some(next);
                }
            }
            if shown == 0 && !needle.is_empty() {
                ui.horizontal(|ui| {
                    ui.weak(format!("Nothing matches “{}”.", query.trim()));
                    if ui
                        .small_button("Clear search")
                        .on_hover_text("Show every entry again (Esc in the field does too)")
                        .clicked()
                    {
                        ui.data_mut(|d| d.insert_temp(id, String::new()));
                    }
                });
            }
        });
    changed
}

fn date_field(
    ui: &mut Ui,
    id: Id,
    label: &str,
    current: Option<NaiveDate>,
) -> Option<Option<NaiveDate>> {
    let mut text: String = ui
        .data(|d| d.get_temp::<String>(id))
        .unwrap_or_else(|| current.map(|d| d.to_string()).unwrap_or_default());
    let mut result = None;
    ui.horizontal(|ui| {
        // Both labels one width, so the two fields line up.
        let label = ui.add_sized([36.0, 18.0], egui::Label::new(label));
        let valid = text.trim().is_empty() || text.trim().parse::<NaiveDate>().is_ok();
        let edit = egui::TextEdit::singleline(&mut text)
            .hint_text("YYYY-MM-DD")
            .desired_width(100.0)
            .text_color_opt((!valid).then_some(ui.visuals().error_fg_color));
        let response = ui.add(edit).labelled_by(label.id);
        if response.changed() {
            ui.data_mut(|d| d.insert_temp(id, text.clone()));
        }
        if response.lost_focus() {
            let t = text.trim();
            if t.is_empty() {
                result = Some(None);
            } else if let Ok(d) = t.parse::<NaiveDate>() {
                result = Some(Some(d));
            }
            ui.data_mut(|d| d.remove::<String>(id));
        }
        if !response.has_focus() && !response.changed() {
            // Follow the filter when it changes elsewhere (drill-down, reset).
            ui.data_mut(|d| d.remove::<String>(id));
        }
    });
    result
}

/// The filters panel.
pub struct FiltersPanel;

impl Panel for FiltersPanel {
    fn id(&self) -> &'static str {
        "filters"
    }
    fn title(&self) -> &'static str {
        "Filters panel"
    }
    fn slot(&self) -> Slot {
        Slot::Left
    }
    fn ui(&mut self, ui: &mut Ui, cx: &PanelContext, actions: &mut Vec<Action>) {
        show(ui, cx.state, actions);
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// Draws the filters panel.
fn show(ui: &mut Ui, state: &AppState, actions: &mut Vec<Action>) {
    let f = &state.filter;
    ui.heading("Filters");
    chips(ui, state, actions);
    ui.separator();

    let mut text = f.text.clone();
    let search = ui
        .horizontal(|ui| {
            let label = ui.label("Search");
            ui.add(
                egui::TextEdit::singleline(&mut text)
                    .hint_text("notes, places, actors (Ctrl+F)")
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(label.id)
        })
        .inner;
    if state.focus_search {
        search.request_focus();
        actions.push(Action::SearchFocused);
    }
    if search.changed() {
        let mut g = f.clone();
        g.text = text;
        set(actions, g);
    }

    egui::ScrollArea::vertical()
        .id_salt("filters")
        .show(ui, |ui| {
            files(ui, state, actions);
            dates(ui, f, actions);
            event_types(ui, state, actions);
            actors(ui, state, actions);
            value_lists(ui, state, actions);
            status_and_deaths(ui, f, actions);
        });
}

/// The files of a view of several: each a layer in its colour (as the timeline stacks them),
/// shown or hidden by a tick, and a button that takes it out of the view.
fn files(ui: &mut Ui, state: &AppState, actions: &mut Vec<Action>) {
    let (f, files) = (&state.filter, &state.dataset.store().files);
    if files.len() < 2 {
        return;
    }
    egui::CollapsingHeader::new(format!("Files ({})", files.len()))
        .default_open(true)
        .show(ui, |ui| {
            for (k, file) in files.iter().enumerate() {
                ui.horizontal(|ui| {
                    let (swatch, _) =
                        ui.allocate_exact_size(egui::vec2(10.0, 10.0), egui::Sense::hover());
                    ui.painter()
                        .rect_filled(swatch, 2.0, super::palette::category(k));
                    let mut shown = f.files.is_empty() || f.files.contains(&file.path);
                    let mut about = format!("{} · {}", file.path, file.format);
                    if file.skipped > 0 {
                        about += &format!(" · {} records skipped", thousands(file.skipped));
                    }
                    if file.replaced > 0 {
                        about += &format!(
                            " · {} replaced by a newer release in another file",
                            thousands(file.replaced)
                        );
                    }
                    let entry = ui
                        .checkbox(
                            &mut shown,
                            format!("{}  ({})", file.name, thousands(file.events)),
                        )
                        .on_hover_text(about);
                    if entry.changed() {
                        let mut g = f.clone();
                        g.files = if f.files.is_empty() {
                            files.iter().map(|x| x.path.clone()).collect()
                        } else {
                            f.files.clone()
                        };
                        toggle(&mut g.files, &file.path);
                        if g.files.len() == files.len() {
                            g.files.clear();
                        }
                        set(actions, g);
                    }
                    if ui
                        .small_button("Remove")
                        .on_hover_text("Take this file out of the view (the file is not touched)")
                        .clicked()
                    {
                        actions.push(Action::RemoveFile(k));
                    }
                });
            }
            match_distance(ui, state, actions);
        });
}

/// How far apart two events of different datasets may be and still be linked as possibly
/// the same (shown when the view holds files of different formats).
fn match_distance(ui: &mut Ui, state: &AppState, actions: &mut Vec<Action>) {
    let files = &state.dataset.store().files;
    if files.iter().all(|f| f.format == files[0].format) {
        return;
    }
    ui.horizontal(|ui| {
        let label = ui.label("Possibly the same event within");
        let mut km = state.match_rules.max_km;
        let field = ui
            .add(
                egui::DragValue::new(&mut km)
                    .range(0.1..=1000.0)
                    .speed(0.5)
                    .suffix(" km"),
            )
            .labelled_by(label.id)
            .on_hover_text(
                "Events of different datasets whose days overlap, this close, of one kind or \
                 with an actor in common, are linked in the details (never merged)",
            );
        if field.changed() {
            actions.push(Action::SetMatchDistance(km));
        }
    });
    let pairs = state
        .dataset
        .engine
        .possible_matches(&state.match_rules)
        .pairs
        .len();
    ui.weak(format!("{} pairs possibly the same", thousands(pairs)));
    let mut once = state.filter.once_within_km.is_some();
    if ui
        .checkbox(&mut once, "Count possibly-same events once")
        .on_hover_text(
            "Every chart and count leaves out an event that may be the same as one of a file \
             listed earlier (its record stands for both); the captions say so",
        )
        .changed()
    {
        let mut g = state.filter.clone();
        g.once_within_km = once.then(|| state.match_rules.max_km.round().clamp(1.0, 1000.0) as u16);
        set(actions, g);
    }
}

fn dates(ui: &mut Ui, f: &Filter, actions: &mut Vec<Action>) {
    egui::CollapsingHeader::new("Dates")
        .default_open(true)
        .show(ui, |ui| {
            let base = ui.scope_id().with("dates");
            if let Some(from) = date_field(ui, base.with("from"), "From", f.from) {
                actions.push(Action::SetDateRange(from, f.to));
            }
            if let Some(to) = date_field(ui, base.with("to"), "To", f.to) {
                actions.push(Action::SetDateRange(f.from, to));
            }
        });
}

fn event_types(ui: &mut Ui, state: &AppState, actions: &mut Vec<Action>) {
    let (f, facets) = (&state.filter, state.dataset.facets());
    egui::CollapsingHeader::new(format!("Event types ({})", facets.event_types.len()))
        .default_open(true)
        .show(ui, |ui| {
            for (value, count) in facets.event_types.iter().take(60) {
                let mut on = f.event_types.contains(value);
                let entry = ui.checkbox(&mut on, format!("{value}  ({})", thousands(*count)));
                let why = Subject::Entry {
                    list: EntryList::EventType,
                    value: value.clone(),
                };
                ask_why(&entry, Some(why), actions);
                if entry.changed() {
                    let mut g = f.clone();
                    toggle(&mut g.event_types, value);
                    set(actions, g);
                }
            }
        });
}

fn actors(ui: &mut Ui, state: &AppState, actions: &mut Vec<Action>) {
    let (f, facets, store) = (&state.filter, state.dataset.facets(), state.dataset.store());
    egui::CollapsingHeader::new(format!("Actors ({})", facets.actors.len()))
        .default_open(true)
        .show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.label("as");
                for (role, label) in [
                    (ActorRole::Any, "any"),
                    (ActorRole::Actor1, "actor 1"),
                    (ActorRole::Actor2, "actor 2"),
                    (ActorRole::Associated, "associated"),
                ] {
                    if ui.selectable_label(f.actor_role == role, label).clicked() {
                        let mut g = f.clone();
                        g.actor_role = role;
                        set(actions, g);
                    }
                }
            });
            let name_of = |id: &str| {
                store
                    .actor_index(id)
                    .map_or(id.to_string(), |i| store.actor_name(i).to_string())
            };
            let id = ui.scope_id().with("actors");
            let why = |id: &str| store.actor_index(id).map(Subject::ActorEvents);
            if let Some(next) = searchable(
                ui,
                (id, "Search actors"),
                &facets.actor_ids,
                &f.actors,
                &name_of,
                (&why, actions),
            ) {
                let mut g = f.clone();
                g.actors = next;
                set(actions, g);
            }
        });
}

fn value_lists(ui: &mut Ui, state: &AppState, actions: &mut Vec<Action>) {
    let (f, facets) = (&state.filter, state.dataset.facets());
    let same = |v: &str| v.to_string();
    let lists: [(&str, &Facet, &Vec<String>, ListField, EntryList); 3] = [
        (
            "Countries",
            &facets.countries,
            &f.countries,
            |g| &mut g.countries,
            EntryList::Country,
        ),
        (
            "Places",
            &facets.locations,
            &f.locations,
            |g| &mut g.locations,
            EntryList::Place,
        ),
        (
            "Sources",
            &facets.sources,
            &f.sources,
            |g| &mut g.sources,
            EntryList::Source,
        ),
    ];
    for (title, options, selected, field, list) in lists {
        let why = move |value: &str| {
            Some(Subject::Entry {
                list,
                value: value.to_string(),
            })
        };
        egui::CollapsingHeader::new(format!("{title} ({})", options.len()))
            .default_open(title == "Countries")
            .show(ui, |ui| {
                if let Some(next) = searchable(
                    ui,
                    (
                        ui.scope_id().with(title),
                        &format!("Search {}", title.to_lowercase()),
                    ),
                    options,
                    selected,
                    &same,
                    (&why, actions),
                ) {
                    let mut g = f.clone();
                    *field(&mut g) = next;
                    set(actions, g);
                }
            });
    }
}

fn status_and_deaths(ui: &mut Ui, f: &Filter, actions: &mut Vec<Action>) {
    egui::CollapsingHeader::new("Status and deaths").show(ui, |ui| {
        ui.horizontal(|ui| {
            for s in [
                StatusKind::Claimed,
                StatusKind::Reported,
                StatusKind::Confirmed,
            ] {
                let mut on = f.statuses.contains(&s);
                if ui.checkbox(&mut on, s.label()).changed() {
                    let mut g = f.clone();
                    if on {
                        g.statuses.push(s);
                    } else {
                        g.statuses.retain(|x| *x != s);
                    }
                    set(actions, g);
                }
            }
        });
        ui.horizontal(|ui| {
            let mut on = f.min_fatalities.is_some();
            let mut n = f.min_fatalities.unwrap_or(1);
            let at_least = ui.checkbox(&mut on, "At least");
            let toggled = at_least.changed();
            let dragged = ui
                .add_enabled(on, egui::DragValue::new(&mut n).range(0..=100_000))
                .labelled_by(at_least.id)
                .changed();
            ui.label(RichText::new("deaths"));
            if toggled || dragged {
                let mut g = f.clone();
                g.min_fatalities = on.then_some(n);
                set(actions, g);
            }
        });
    });
}
