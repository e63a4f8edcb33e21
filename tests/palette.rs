//! The command palette (egui_kittest): Ctrl+K opens it; a typo finds an actor and Enter
//! selects it and filters to it; an action runs with the keyboard alone; Esc closes it.

mod common;

use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;

use faultline::app::{Action, CentralTab, Selection, Settings};
use faultline::ui::command_palette::CommandPalette;

#[test]
fn a_typo_finds_an_actor_and_enter_selects_and_filters_to_it() {
    let Some(path) = common::shared_data(
        "a_typo_finds_an_actor_and_enter_selects_and_filters_to_it",
        "acled_africa_2016_api_pandas.csv",
    ) else {
        return;
    };
    let mut h = common::app(Settings::default(), (1400.0, 900.0));
    h.run();
    h.state_mut().act(Action::Open(path));
    common::settle(&mut h);
    h.key_press_modifiers(Modifiers::COMMAND, Key::K);
    h.run();
    assert!(h.state().state.palette_open, "Ctrl+K opens the palette");
    h.get_by_role_and_label(egui::accesskit::Role::TextInput, "Command")
        .type_text("al shabab");
    h.run();
    let listed = h
        .state()
        .panel::<CommandPalette>()
        .unwrap()
        .listed()
        .join(" | ");
    assert!(listed.starts_with("Al Shabaab"), "{listed}");
    h.key_press(Key::Enter);
    common::settle(&mut h);
    let state = &h.state().state;
    assert!(!state.palette_open, "choosing closes it");
    let store = state.dataset.store();
    let actor = store.actor_index("Al Shabaab").or_else(|| {
        store
            .actors()
            .iter()
            .position(|a| a.name == "Al Shabaab")
            .map(|i| i as u32)
    });
    let actor = actor.expect("the file names Al Shabaab");
    assert_eq!(state.selection, Selection::Actor(actor));
    assert_eq!(
        state.filter.actors,
        vec![store.actors()[actor as usize].id.clone()]
    );
    // The reference: rows of the file naming Al Shabaab as an actor or associated actor.
    let mut reader = csv::Reader::from_path(
        common::shared_data("palette reference", "acled_africa_2016_api_pandas.csv").unwrap(),
    )
    .unwrap();
    let header = reader.headers().unwrap().clone();
    let columns: Vec<usize> = ["actor1", "actor2", "assoc_actor_1", "assoc_actor_2"]
        .iter()
        .filter_map(|c| header.iter().position(|h| h == *c))
        .collect();
    let naming = reader
        .records()
        .map(Result::unwrap)
        .filter(|r| {
            columns.iter().any(|&c| {
                r.get(c)
                    .unwrap_or("")
                    .split(';')
                    .any(|a| a.trim() == "Al Shabaab")
            })
        })
        .count();
    assert!(naming > 10, "{naming}");
    assert_eq!(state.dataset.engine.rows(&state.shown.filter).len(), naming);
}

#[test]
fn actions_run_from_the_keyboard_and_esc_closes() {
    let mut h = common::app(Settings::default(), (1400.0, 900.0));
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::P);
    h.run();
    assert!(h.state().state.palette_open, "Ctrl+Shift+P opens it too");
    h.get_by_role_and_label(egui::accesskit::Role::TextInput, "Command")
        .type_text("go map");
    h.run();
    let listed = h.state().panel::<CommandPalette>().unwrap().listed();
    assert_eq!(listed.first(), Some(&"Go to Map"), "{listed:?}");
    h.key_press(Key::Enter);
    common::settle(&mut h);
    assert_eq!(h.state().state.tab, CentralTab::Map);
    // Down moves to the second match; the shortcut is shown beside an action.
    h.key_press_modifiers(Modifiers::COMMAND, Key::K);
    h.run();
    h.get_by_role_and_label(egui::accesskit::Role::TextInput, "Command")
        .type_text("export");
    h.run();
    h.get_by_label("Ctrl+E");
    let listed: Vec<String> = h
        .state()
        .panel::<CommandPalette>()
        .unwrap()
        .listed()
        .into_iter()
        .map(str::to_string)
        .collect();
    assert!(listed.len() >= 6, "{listed:?}");
    h.key_press(Key::ArrowDown);
    h.run();
    h.key_press(Key::Enter);
    common::settle(&mut h);
    let export = h
        .state()
        .state
        .export
        .clone()
        .expect("an Export window opened");
    assert_eq!(
        format!("Export {}…", export.kind.chart.label().to_lowercase()),
        listed[1],
        "the second match ran"
    );
    // Esc closes without running anything.
    h.key_press_modifiers(Modifiers::COMMAND, Key::K);
    h.run();
    h.get_by_role_and_label(egui::accesskit::Role::TextInput, "Command")
        .type_text("clear all");
    h.run();
    h.key_press(Key::Escape);
    h.run();
    h.run();
    assert!(!h.state().state.palette_open);
}
