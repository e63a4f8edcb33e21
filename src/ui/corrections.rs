//! "Your corrections" in the details of an event: each field the analyst corrected with
//! what the file says and when the correction was made, and a form to correct a field.
//! The file is never written: corrections live in the workspace, undoable.

use egui::{RichText, Ui};

use crate::app::layer::CorrectRequest;
use crate::app::{Action, AppState};
use faultline_core::model::Field;

/// The correction being written for the selected event.
pub struct CorrectionDraft {
    event: Option<String>,
    field: Field,
    value: String,
    why: String,
}

impl Default for CorrectionDraft {
    fn default() -> CorrectionDraft {
        CorrectionDraft {
            event: None,
            field: Field::Fatalities,
            value: String::new(),
            why: String::new(),
        }
    }
}

/// "2026-12-01T10:30:00Z" as "1 Dec 2026 10:30 UTC" (the text itself if it is not RFC 3339).
fn when(made: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(made)
        .map(|t| {
            t.with_timezone(&chrono::Utc)
                .format("%-d %b %Y %H:%M UTC")
                .to_string()
        })
        .unwrap_or_else(|_| made.to_string())
}

fn shown(value: &str) -> &str {
    if value.is_empty() {
        "(none)"
    } else {
        value
    }
}

/// The corrections of event `row` and the form; `draft` starts over for another event.
pub fn corrections(
    ui: &mut Ui,
    state: &AppState,
    row: usize,
    draft: &mut CorrectionDraft,
    actions: &mut Vec<Action>,
) {
    let store = state.dataset.store();
    let id = store.row(row).id().to_string();
    if draft.event.as_deref() != Some(id.as_str()) {
        *draft = CorrectionDraft {
            value: store.field_text(row, draft.field),
            event: Some(id.clone()),
            field: draft.field,
            why: String::new(),
        };
    }
    ui.separator();
    ui.label(RichText::new("Your corrections").strong())
        .on_hover_text("Kept in your workspace (Ctrl+S); the data file is never changed");
    for c in state
        .dataset
        .corrected
        .iter()
        .filter(|c| c.correction.event == id)
    {
        let correction = &c.correction;
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(format!("{}:", correction.field.label())).strong());
            ui.label(shown(&correction.value));
            ui.weak(format!("(the file says {})", shown(&c.replaced)));
            if correction.original != c.replaced {
                ui.weak(format!(
                    "(it said {} when you corrected it)",
                    shown(&correction.original)
                ));
            }
        });
        ui.horizontal_wrapped(|ui| {
            ui.weak(format!("corrected {}", when(&correction.made)));
            if !correction.why.is_empty() {
                ui.label(RichText::new(&correction.why).italics());
            }
            if ui
                .small_button("Take back")
                .on_hover_text("Show the file's value again (Undo brings the correction back)")
                .clicked()
            {
                actions.push(Action::Correct(Box::new(CorrectRequest {
                    event: id.clone(),
                    field: correction.field,
                    value: None,
                    why: String::new(),
                    made: String::new(),
                })));
            }
        });
    }
    form(ui, store, row, draft, actions);
}

fn form(
    ui: &mut Ui,
    store: &faultline_core::store::Store,
    row: usize,
    draft: &mut CorrectionDraft,
    actions: &mut Vec<Action>,
) {
    let before = draft.field;
    egui::ComboBox::from_label("Field to correct")
        .selected_text(draft.field.label())
        .show_ui(ui, |ui| {
            for field in Field::ALL {
                ui.selectable_value(&mut draft.field, field, field.label());
            }
        });
    if draft.field != before {
        draft.value = store.field_text(row, draft.field);
    }
    let label = ui.label("Corrected value");
    ui.add(
        egui::TextEdit::singleline(&mut draft.value)
            .desired_width(f32::INFINITY)
            .hint_text(hint(draft.field)),
    )
    .labelled_by(label.id);
    let label = ui.label("Why");
    ui.add(
        egui::TextEdit::singleline(&mut draft.why)
            .desired_width(f32::INFINITY)
            .hint_text("the source that says otherwise"),
    )
    .labelled_by(label.id);
    // The value is checked the way the view will apply it, on a copy of this one field.
    let problem = check(store, row, draft.field, &draft.value);
    let unchanged = draft.value.trim() == store.field_text(row, draft.field);
    if let Some(problem) = &problem {
        ui.colored_label(ui.visuals().error_fg_color, problem);
    }
    if ui
        .add_enabled(
            problem.is_none() && !unchanged,
            egui::Button::new("Correct"),
        )
        .clicked()
    {
        actions.push(Action::Correct(Box::new(CorrectRequest {
            event: draft.event.clone().unwrap_or_default(),
            field: draft.field,
            value: Some(draft.value.trim().to_string()),
            why: draft.why.trim().to_string(),
            made: chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        })));
        draft.why.clear();
    }
}

/// What is wrong with `value` for `field`, if anything: the store's own rule, tried on a
/// one-event store so the view's store is not copied for it.
fn check(
    store: &faultline_core::store::Store,
    row: usize,
    field: Field,
    value: &str,
) -> Option<String> {
    let mut one = faultline_core::store::Store::new(Default::default());
    one.push(&store.event(row));
    one.set_field(0, field, value).err()
}

fn hint(field: Field) -> &'static str {
    match field {
        Field::Date => "2024-10-04, 2024-10, 2024 or 2024-10-01/2024-10-15",
        Field::Actor1 | Field::Actor2 => "an actor's id, or a new name",
        Field::Latitude => "decimal degrees, -90 to 90",
        Field::Longitude => "decimal degrees, -180 to 180",
        Field::Fatalities => "a whole number; empty: not reported",
        _ => "empty clears the field",
    }
}
