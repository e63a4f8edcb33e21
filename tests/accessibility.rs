//! Every control names itself to assistive technology: on each tab of the app, every button,
//! checkbox, text field, combo box, slider and number field in the AccessKit tree that egui
//! builds has a label.

mod common;

use egui::accesskit::Role;
use egui_kittest::kittest::{NodeT, Queryable};

use faultline::app::Settings;

#[test]
fn every_control_on_every_tab_has_a_label() {
    let mut h = common::app(Settings::default(), (1400.0, 900.0));
    h.run();
    let mut unnamed = Vec::new();
    for (tab, name) in faultline::ui::shell::TABS {
        h.get_by_label(name).click();
        common::settle(&mut h);
        assert_eq!(h.state().state.tab, tab);
        let controls: Vec<(Role, String)> = h
            .query_all_by(|node| {
                matches!(
                    node.role(),
                    Role::Button
                        | Role::CheckBox
                        | Role::TextInput
                        | Role::ComboBox
                        | Role::Slider
                        | Role::SpinButton
                        | Role::RadioButton
                        | Role::Tab
                )
            })
            .map(|n| {
                let node = n.accesskit_node();
                (node.role(), node.label().unwrap_or_default())
            })
            .collect();
        assert!(controls.len() >= 10, "{name}: {} controls", controls.len());
        for (role, label) in controls {
            if label.trim().is_empty() {
                unnamed.push(format!("{name}: a {role:?}"));
            }
        }
    }
    assert!(unnamed.is_empty(), "controls without a label: {unnamed:#?}");
}
