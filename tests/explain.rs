//! "Why this number?" in the app: a right-click on a part of a stacked bar, on a filter
//! entry's count, or on a reported figure opens the answer, which lists exactly the rows
//! behind the number (worked out here by hand from the embedded dataset) and shows exactly
//! them in the event list.

mod common;

use std::collections::BTreeSet;

use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;
use faultline::app::{Action, CentralTab, Settings};
use faultline::ui::reported::ReportedPanel;
use faultline::ui::FaultlineApp;
use faultline_core::query::GroupBy;

fn harness(settings: Settings) -> Harness<'static, FaultlineApp> {
    common::app(settings, (1400.0, 900.0))
}

use common::settle;

/// The ids of the events behind the answer on screen.
fn answered(h: &Harness<'static, FaultlineApp>) -> BTreeSet<String> {
    let state = &h.state().state;
    let why = state.explanation.as_ref().expect("an answer is shown");
    let store = state.dataset.store();
    why.rows
        .iter()
        .map(|&r| store.row(r as usize).id().to_string())
        .collect()
}

fn set(ids: &[&str]) -> BTreeSet<String> {
    ids.iter().map(|s| s.to_string()).collect()
}

#[test]
fn a_right_click_on_a_stacked_bar_lists_exactly_the_rows_of_that_part() {
    let mut h = harness(Settings::default());
    h.state_mut().act(Action::SetGroupBy(GroupBy::EventType));
    settle(&mut h);
    // October 2024 holds three events: two explosions (the Iranian missiles, dated to the
    // month, and the drone that killed soldiers on 4 October) and Channel 14's report on
    // al-Sistani (a strategic development, dated to the month). Each part of the stacked
    // bar is a widget of its own.
    h.get_by_label("Oct 2024: 2 Explosions/Remote violence")
        .click_secondary();
    h.run();
    assert_eq!(
        answered(&h),
        set(&[
            "ev-2024-10-iranian-missiles",
            "ev-2024-10-04-drone-soldiers-killed"
        ])
    );
    let why = h.state().state.explanation.clone().unwrap();
    assert!(
        why.what == "2 events of event type Explosions/Remote violence in Oct 2024",
        "{}",
        why.what
    );
    // The answer quotes each row's source.
    h.get_by_label_contains("Iranian missiles");
    // And shows exactly these rows in the event list.
    h.get_by_label("Show these 2 events in the event list")
        .click();
    settle(&mut h);
    let state = &h.state().state;
    assert_eq!(state.tab, CentralTab::Events);
    let rows = state.dataset.engine.rows(&state.shown.filter);
    let shown: BTreeSet<String> = rows
        .iter()
        .map(|&r| state.dataset.store().row(r as usize).id().to_string())
        .collect();
    assert_eq!(shown, answered(&h));
    h.get_by_label("2 chosen events  ×");
}

#[test]
fn a_right_click_on_a_filter_entry_answers_for_its_count() {
    let mut h = harness(Settings::default());
    settle(&mut h);
    h.get_by_label("Battles  (1)").click_secondary();
    h.run();
    assert_eq!(answered(&h), set(&["ev-2024-09-israel-lebanon-war"]));
    assert!(
        !h.state()
            .state
            .filter
            .event_types
            .contains(&"Battles".to_string()),
        "a right-click asks, it does not tick"
    );
    // Closing the window closes the answer.
    h.state_mut().act(Action::Explain(None));
    h.run();
    assert!(h.state().state.explanation.is_none());
}

#[test]
fn a_right_click_on_a_reported_figure_says_who_said_it_and_quotes_them() {
    let mut h = harness(Settings::first_run());
    settle(&mut h);
    let bar = h
        .state()
        .panel::<ReportedPanel>()
        .unwrap()
        .drawn()
        .unwrap()
        .bars[2]
        .rect;
    let centre = egui::pos2((bar.x0 + bar.x1) / 2.0, (bar.y0 + bar.y1) / 2.0);
    let quoted_before = h.query_all_by_label_contains("90 in October").count();
    h.hover_at(centre);
    h.run();
    for pressed in [true, false] {
        h.event(egui::Event::PointerButton {
            pos: centre,
            button: egui::PointerButton::Secondary,
            pressed,
            modifiers: egui::Modifiers::default(),
        });
    }
    h.run();
    let why = h.state().state.explanation.clone().expect("an answer");
    let figure = why.figure.expect("a reported figure's account");
    assert_eq!(figure.figure, "90 drone attacks");
    assert_eq!(figure.reported_by, "Maariv");
    assert_eq!(figure.counted_by.as_deref(), Some("Israel"));
    assert!(why.rows.is_empty());
    h.get_by_label("Reported by Maariv");
    // The quote is in the answer, besides the details panel that showed it before.
    assert_eq!(
        h.query_all_by_label_contains("90 in October").count(),
        quoted_before + 1
    );
}
