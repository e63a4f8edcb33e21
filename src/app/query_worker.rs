//! Keeping what the views show ([`AppState::shown`]) up to what the user asked for: at once
//! when the answer is cached or cheap, else as a background [`Job`] while the views keep
//! drawing the previous results. One job at a time: while it runs, newer requests wait, and
//! the newest is computed next.

use faultline_core::query::View;

use super::job::{Job, Waker};
use super::state::{AppState, Message};

/// Datasets at least this large are re-queried in the background, so the window keeps
/// drawing; smaller ones are fast enough to query while drawing.
pub const ASYNC_QUERY_MIN_EVENTS: usize = 200_000;

/// Graphs of more actors than this are laid out in the background whatever the dataset's
/// size (a layout of a few hundred actors takes longer than a frame).
pub const ASYNC_LAYOUT_MIN_ACTORS: usize = 300;

/// How many background queries this process has started (for the status of tests and
/// benchmarks that must know the worker path was taken).
static JOBS_STARTED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// How many views were computed in the background so far.
pub fn jobs_started() -> usize {
    JOBS_STARTED.load(std::sync::atomic::Ordering::Relaxed)
}

/// A view being computed in the background.
pub struct Preparing {
    /// What is being computed.
    pub view: View,
    job: Job<()>,
}

/// Whether computing `view` could hold up a frame.
fn is_heavy(state: &AppState, view: &View) -> bool {
    let store = state.dataset.store();
    let big_graph = view
        .graph
        .as_ref()
        .is_some_and(|g| g.top_n.min(store.actors().len()) > ASYNC_LAYOUT_MIN_ACTORS);
    store.len() >= ASYNC_QUERY_MIN_EVENTS || big_graph
}

/// Brings `state.shown` up to `state.wanted()`, or starts the job that will.
pub fn sync_view(state: &mut AppState, wake: &Waker) {
    if let Some(preparing) = &state.preparing {
        match preparing.job.poll() {
            None => return,
            Some(Ok(())) => state.preparing = None,
            Some(Err(failure)) => {
                // Show what was asked for anyway: the views compute it themselves, and a
                // repeated panic there is caught by the frame guard. No endless retries.
                let view = preparing.view.clone();
                state.preparing = None;
                state.shown = view;
                state.notify(Message {
                    title: "A view could not be computed in the background".into(),
                    details: vec![failure.to_string()],
                    is_error: true,
                });
                return;
            }
        }
    }
    let wanted = state.wanted();
    if wanted == state.shown {
        return;
    }
    let engine = state.dataset.engine.clone();
    if engine.is_prepared(&wanted) || !is_heavy(state, &wanted) {
        engine.prepare(&wanted);
        state.shown = wanted;
        return;
    }
    let view = wanted.clone();
    JOBS_STARTED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let job = Job::start("query", 0, wake.clone(), move |_| engine.prepare(&view));
    state.preparing = Some(Preparing { view: wanted, job });
}
