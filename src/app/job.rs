//! [`Job`]: the one way the app does work in the background — loading a file, writing an
//! export, computing a large view. A job runs on a named thread; reports progress; can be
//! asked to stop; wakes the UI when it has news; and if it panics (a bug), the panic becomes a
//! [`JobFailure`] naming the crash report instead of a lost app.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{mpsc, Arc};
use std::time::Duration;

/// Asks the UI for a new frame (the shell hands in egui's repaint request).
pub type Waker = Arc<dyn Fn() + Send + Sync>;

/// A waker that does nothing (for headless use and tests).
pub fn no_waker() -> Waker {
    Arc::new(|| {})
}

/// Why a job gave no outcome.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JobFailure {
    /// The job panicked: a bug in Faultline.
    #[error("the {job} crashed ({panic}); this is a bug in Faultline{}", report_note(.report))]
    Crashed {
        /// What the job was ("loader", "exporter", …).
        job: &'static str,
        /// The panic's message.
        panic: String,
        /// The crash report written, if any.
        report: Option<PathBuf>,
    },
    /// The job's thread could not start or ended without an answer.
    #[error("the {job} stopped without an answer")]
    Vanished {
        /// What the job was.
        job: &'static str,
    },
}

fn report_note(report: &Option<PathBuf>) -> String {
    report
        .as_ref()
        .map(|r| format!(". A crash report was written to {}", r.display()))
        .unwrap_or_default()
}

/// What a job's work can see: whether it was asked to stop, and where to report progress.
pub struct JobContext {
    cancel: Arc<AtomicBool>,
    done: Arc<AtomicU64>,
    total: Arc<AtomicU64>,
    wake: Waker,
}

impl JobContext {
    /// Reports progress (in any unit: bytes read, rows, steps) and wakes the UI.
    pub fn progress(&self, done: u64, total: u64) {
        self.done.store(done, Ordering::Relaxed);
        self.total.store(total, Ordering::Relaxed);
        (self.wake)();
    }

    /// The flag that is set when the job is asked to stop (readers poll it).
    pub fn cancel_flag(&self) -> &AtomicBool {
        &self.cancel
    }
}

/// A background task that ends with a `T`.
pub struct Job<T> {
    name: &'static str,
    outcome: mpsc::Receiver<Result<T, JobFailure>>,
    cancel: Arc<AtomicBool>,
    done: Arc<AtomicU64>,
    total: Arc<AtomicU64>,
}

impl<T: Send + 'static> Job<T> {
    /// Starts `work` on a thread named `faultline-{name}`; `wake` is called on progress and
    /// when it ends. `total` is the expected amount of progress (0 if unknown).
    pub fn start(
        name: &'static str,
        total: u64,
        wake: Waker,
        work: impl FnOnce(&JobContext) -> T + Send + 'static,
    ) -> Job<T> {
        let (sender, outcome) = mpsc::channel();
        let cancel = Arc::new(AtomicBool::new(false));
        let done = Arc::new(AtomicU64::new(0));
        let total = Arc::new(AtomicU64::new(total));
        let context = JobContext {
            cancel: cancel.clone(),
            done: done.clone(),
            total: total.clone(),
            wake,
        };
        let body = move || {
            let result = catch_unwind(AssertUnwindSafe(|| work(&context)));
            let outcome = result.map_err(|panic| JobFailure::Crashed {
                job: name,
                panic: crate::crash::panic_text(panic.as_ref()),
                report: crate::crash::last_report(),
            });
            let _ = sender.send(outcome);
            (context.wake)();
        };
        // If the thread cannot start, the sender is dropped and `poll` says so.
        let _ = std::thread::Builder::new()
            .name(format!("faultline-{name}"))
            .spawn(body);
        Job {
            name,
            outcome,
            cancel,
            done,
            total,
        }
    }

    /// The outcome, once the job has ended (once: the job is then spent).
    pub fn poll(&self) -> Option<Result<T, JobFailure>> {
        match self.outcome.try_recv() {
            Ok(o) => Some(o),
            Err(mpsc::TryRecvError::Empty) => None,
            Err(mpsc::TryRecvError::Disconnected) => {
                Some(Err(JobFailure::Vanished { job: self.name }))
            }
        }
    }

    /// Waits for the outcome (for tests and scripted use); `None` on timeout.
    pub fn wait(&self, timeout: Duration) -> Option<Result<T, JobFailure>> {
        match self.outcome.recv_timeout(timeout) {
            Ok(o) => Some(o),
            Err(mpsc::RecvTimeoutError::Timeout) => None,
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                Some(Err(JobFailure::Vanished { job: self.name }))
            }
        }
    }

    /// Asks the job to stop (it decides when; a reader checks between blocks).
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    /// Fraction done, 0–1 (0 while the total is unknown).
    pub fn fraction(&self) -> f32 {
        let total = self.total.load(Ordering::Relaxed);
        if total == 0 {
            return 0.0;
        }
        (self.done.load(Ordering::Relaxed) as f64 / total as f64).min(1.0) as f32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_job_returns_its_outcome_and_reports_progress() {
        let job = Job::start("test", 10, no_waker(), |cx| {
            cx.progress(5, 10);
            42
        });
        assert_eq!(job.wait(Duration::from_secs(10)), Some(Ok(42)));
        assert_eq!(job.fraction(), 0.5);
    }

    #[test]
    fn a_panicking_job_becomes_a_crash_failure() {
        let job: Job<()> = Job::start("test", 0, no_waker(), |_| panic!("boom"));
        match job.wait(Duration::from_secs(10)) {
            Some(Err(JobFailure::Crashed { job, panic, .. })) => {
                assert_eq!(job, "test");
                assert!(panic.contains("boom"), "{panic}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_job_sees_that_it_was_cancelled() {
        let (go, wait) = mpsc::channel::<()>();
        let job = Job::start("test", 0, no_waker(), move |cx| {
            let _ = wait.recv();
            cx.cancel_flag().load(Ordering::Relaxed)
        });
        job.cancel();
        go.send(()).unwrap();
        assert_eq!(job.wait(Duration::from_secs(10)), Some(Ok(true)));
    }
}
