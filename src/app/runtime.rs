//! [`Runtime`]: carries out the [`Effect`]s that [`apply`] returns — file dialogs, loads,
//! exports — and, each frame, takes finished jobs into the state. The dialogs are behind a
//! trait so tests (and the monkey test) answer them.

use std::collections::VecDeque;

use super::action::{apply, poll_export, poll_load, Action, Effect};
use super::dialogs::{FileDialogs, NativeDialogs};
use super::export_job::{ExportOrder, Exporting};
use super::job::Waker;
use super::loader::Loading;
use super::query_worker;
use super::state::AppState;

/// What runs effects and background jobs for one app.
pub struct Runtime {
    /// The file dialogs (native ones, unless a test answers them).
    pub dialogs: Box<dyn FileDialogs>,
    wake: Waker,
}

impl Runtime {
    /// A runtime with the native dialogs; `wake` asks the UI for a frame.
    pub fn new(wake: Waker) -> Runtime {
        Runtime {
            dialogs: Box::new(NativeDialogs),
            wake,
        }
    }

    /// Applies `actions` in order, carrying out their effects (whose answers, such as a file
    /// picked in a dialog, are applied in turn).
    pub fn dispatch(&mut self, state: &mut AppState, actions: impl IntoIterator<Item = Action>) {
        let mut queue: VecDeque<Action> = actions.into_iter().collect();
        while let Some(action) = queue.pop_front() {
            for effect in apply(state, action) {
                queue.extend(self.run(state, effect));
            }
        }
    }

    /// Carries out one effect; a dialog's answer comes back as an action.
    fn run(&mut self, state: &mut AppState, effect: Effect) -> Option<Action> {
        match effect {
            Effect::Load(request, header) => {
                if let Some(previous) = state.loading.take() {
                    previous.cancel();
                }
                let remember = header.zip(request.column_map.clone());
                let mut loading = Loading::start(request, self.wake.clone());
                loading.remember = remember;
                state.loading = Some(loading);
                None
            }
            Effect::CancelLoad => {
                if let Some(loading) = &state.loading {
                    loading.cancel();
                }
                None
            }
            Effect::PickDataset => self.dialogs.pick_dataset().map(Action::Open),
            Effect::PickDatasetToAdd => self.dialogs.pick_dataset().map(Action::AddToView),
            Effect::PickDatasetToLocate(i) => self
                .dialogs
                .pick_dataset()
                .map(|path| Action::Locate(i, path)),
            Effect::PickWorkspaceFile => self.dialogs.save_workspace().map(Action::SaveWorkspaceTo),
            Effect::WriteRecovery(save, path) => {
                // Best effort: a recovery file that cannot be written costs nothing now.
                let _ = save.write_recovery(&path);
                None
            }
            Effect::RemoveRecovery(path) => {
                let _ = std::fs::remove_file(path);
                None
            }
            Effect::WriteWorkspace(save, path) => {
                let failed = save.write(&path).err();
                Some(Action::WorkspaceWritten(path, failed))
            }
            Effect::PickFolder => self.dialogs.pick_folder().map(Action::Open),
            Effect::PickExportFile(settings, name) => self
                .dialogs
                .save_export(&name, settings.kind.extension())
                .map(|path| Action::ExportTo(settings, path)),
            Effect::StartExport(settings, path) => {
                let order = ExportOrder {
                    engine: state.dataset.engine.clone(),
                    settings: *settings,
                    filter: state.shown.filter.clone(),
                    spec: state.shown.spec,
                    graph: state.graph_spec(),
                    reported: state.reported.clone(),
                    map: state.map.export(),
                    skipped: state.dataset.skipped,
                    annotations: state.layer.workspace.annotations.clone(),
                    compare: state.compare.clone(),
                    path,
                };
                state.exporting = Some(Exporting::start(order, self.wake.clone()));
                None
            }
        }
    }

    /// Once a frame: takes finished loads and exports into the state, and brings what the
    /// views show up to what was asked for.
    pub fn tick(&mut self, state: &mut AppState) {
        poll_load(state);
        poll_export(state);
        query_worker::sync_view(state, &self.wake);
    }

    /// The waker this runtime hands its jobs.
    pub fn waker(&self) -> Waker {
        self.wake.clone()
    }
}
