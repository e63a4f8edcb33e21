//! Playback (egui_kittest): stepping moves the date window month by month and every view
//! follows; Play steps on by itself; Stop gives the dates back.

mod common;

use chrono::NaiveDate;
use egui::Key;
use egui_kittest::kittest::Queryable;

use faultline::app::{Action, Settings};

/// The reference: the UCDP events whose date span's middle lies in `from..=to` and whose
/// span is no longer than it (the filter's rule), counted from the GeoJSON itself.
fn in_window(features: &[(NaiveDate, NaiveDate)], from: NaiveDate, to: NaiveDate) -> usize {
    features
        .iter()
        .filter(|(s, e)| {
            let mid = *s + (*e - *s) / 2;
            from <= mid && mid <= to && (*e - *s) <= (to - from)
        })
        .count()
}

#[test]
fn stepping_and_playing_move_the_window_and_the_list_follows() {
    let Some(path) = common::shared_data(
        "stepping_and_playing_move_the_window_and_the_list_follows",
        "ucdp_ged231_car.geojson",
    ) else {
        return;
    };
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let day = |v: &serde_json::Value| -> NaiveDate {
        NaiveDate::parse_from_str(&v.as_str().unwrap()[..10], "%Y-%m-%d").unwrap()
    };
    let features: Vec<(NaiveDate, NaiveDate)> = json["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                day(&f["properties"]["date_start"]),
                day(&f["properties"]["date_end"]),
            )
        })
        .collect();
    let first = features.iter().map(|f| f.0).min().unwrap();
    let month = |k: u32| {
        let start = NaiveDate::from_ymd_opt(first.year_ce().1 as i32, first.month(), 1)
            .unwrap()
            .checked_add_months(chrono::Months::new(k))
            .unwrap();
        let end = start.checked_add_months(chrono::Months::new(1)).unwrap() - chrono::Days::new(1);
        (start, end)
    };
    use chrono::Datelike;

    let mut h = common::app(Settings::default(), (1400.0, 900.0));
    h.run();
    h.state_mut().act(Action::Open(path));
    common::settle(&mut h);
    let listed = |h: &egui_kittest::Harness<'static, faultline::ui::FaultlineApp>| {
        let s = &h.state().state;
        s.dataset.engine.rows(&s.shown.filter).len()
    };

    // One step on: the first month of the data.
    h.get_by_label("Step on").click();
    common::settle(&mut h);
    let (from, to) = month(0);
    assert_eq!(
        (h.state().state.filter.from, h.state().state.filter.to),
        (Some(from), Some(to))
    );
    assert_eq!(listed(&h), in_window(&features, from, to));

    // Right and Left step through the months; the list follows.
    for _ in 0..3 {
        h.key_press(Key::ArrowRight);
        common::settle(&mut h);
    }
    let (from, to) = month(3);
    assert_eq!(h.state().state.filter.from, Some(from));
    assert_eq!(listed(&h), in_window(&features, from, to));
    h.key_press(Key::ArrowLeft);
    common::settle(&mut h);
    assert_eq!(h.state().state.filter.from, Some(month(2).0));
    h.get_by_label_contains(&format!("{} · step 3 of", month(2).0.format("%b %Y")));

    // Play: the window moves on by itself, and the list with it.
    h.state_mut()
        .act(Action::Playback(faultline::app::PlaybackAction::SetSpeed(
            20.0,
        )));
    h.get_by_label("Play").click();
    // Playing keeps the frames coming: step frames rather than run to rest.
    h.step();
    h.step();
    assert!(h.state().state.playback.playing);
    let at = h.state().state.playback.index.unwrap();
    for _ in 0..400 {
        h.step();
        if h.state().state.playback.index.unwrap() >= at + 2 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let now = h.state().state.playback.index.unwrap();
    assert!(now >= at + 2, "played on from step {at} to {now}");
    h.key_press(Key::Space);
    h.step();
    common::settle(&mut h);
    assert!(!h.state().state.playback.playing, "Space pauses");
    let index = h.state().state.playback.index.unwrap() as u32;
    let (from, to) = month(index);
    assert_eq!(h.state().state.filter.from, Some(from));
    assert_eq!(listed(&h), in_window(&features, from, to));

    // Stop: the dates as before playback (none).
    h.get_by_label("Stop").click();
    common::settle(&mut h);
    assert_eq!(h.state().state.filter.from, None);
    assert_eq!(h.state().state.filter.to, None);
    assert_eq!(listed(&h), features.len());
}
