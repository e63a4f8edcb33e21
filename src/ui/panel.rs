//! The panel trait: what every view of the app is. A panel reads a [`PanelContext`] (the
//! state, the query engine, the time), never the state mutably, and pushes [`Action`]s; the
//! shell ([`super::shell`]) lays panels out by their [`Slot`] and lists the ones that can be
//! hidden in the View menu. Adding a panel is one module and one line in
//! [`super::registry`].

use std::any::Any;

use egui::Ui;

use crate::app::{Action, AppState, CentralTab};
use faultline_core::query::Engine;

/// Where the shell puts a panel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    /// The menu bar across the top of the window.
    MenuBar,
    /// The status bar across the bottom.
    StatusBar,
    /// A resizable column at the left.
    Left,
    /// A resizable column at the right.
    Right,
    /// A resizable band across the top of a tab of the centre.
    Top(CentralTab),
    /// The rest of a tab of the centre.
    Main(CentralTab),
    /// A column at the right of a tab of the centre; its panels are stacked.
    Side(CentralTab),
    /// A floating window (shown when the state says so).
    Window,
}

/// A panel that can be hidden, as the View menu lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PanelToggle {
    /// The panel's id.
    pub id: &'static str,
    /// Its name in the menu.
    pub title: &'static str,
    /// Whether it is shown.
    pub shown: bool,
}

/// What a panel may read while it draws.
pub struct PanelContext<'a> {
    /// Everything the app knows.
    pub state: &'a AppState,
    /// The open dataset's queries (cached; heavy answers are prepared off the UI thread).
    pub engine: &'a Engine,
    /// Seconds since the app started (for anything that moves).
    pub time: f64,
    /// The panels that can be hidden, for the View menu.
    pub toggles: &'a [PanelToggle],
}

/// One view of the app.
pub trait Panel: Any {
    /// A stable id: the key of "panels shown" in the saved settings.
    fn id(&self) -> &'static str;
    /// Its name in the View menu.
    fn title(&self) -> &'static str;
    /// Where it goes.
    fn slot(&self) -> Slot;
    /// Whether the View menu can hide it (side columns, a tab's side column and top bands
    /// can).
    fn can_hide(&self) -> bool {
        matches!(
            self.slot(),
            Slot::Left | Slot::Right | Slot::Side(_) | Slot::Top(_)
        )
    }
    /// Draws the panel and pushes what the user asked for.
    fn ui(&mut self, ui: &mut Ui, cx: &PanelContext, actions: &mut Vec<Action>);
    /// The panel as `Any`, so tests can look at a panel's own state.
    fn as_any(&self) -> &dyn Any;
}
