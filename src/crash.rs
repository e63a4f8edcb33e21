//! Crash reports: a panic anywhere writes a report file (what, where, the backtrace) so a bug
//! never just makes the window vanish, and the app can tell the user where the report is.

use std::cell::RefCell;
use std::collections::HashMap;
use std::io::Write as _;
use std::path::PathBuf;
use std::sync::Mutex;

static REPORT_DIR: Mutex<Option<PathBuf>> = Mutex::new(None);
/// Reports already written, by what panicked where: a bug that repeats every frame writes
/// one report, not one per frame.
static WRITTEN: Mutex<Option<HashMap<String, PathBuf>>> = Mutex::new(None);

thread_local! {
    /// The report of the latest panic on this thread (a panic is caught on its own thread).
    static LAST_REPORT: RefCell<Option<PathBuf>> = const { RefCell::new(None) };
}

pub use faultline_core::io::untrusted::panic_text;

/// Where reports go: as set by [`set_report_dir`], else `$XDG_STATE_HOME/faultline`, else
/// `~/.local/state/faultline`, else the temp directory.
pub fn report_dir() -> PathBuf {
    if let Some(dir) = REPORT_DIR.lock().ok().and_then(|d| d.clone()) {
        return dir;
    }
    std::env::var_os("XDG_STATE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/state")))
        .map(|d| d.join("faultline"))
        .unwrap_or_else(std::env::temp_dir)
}

/// Sends reports to `dir` from now on.
pub fn set_report_dir(dir: PathBuf) {
    if let Ok(mut d) = REPORT_DIR.lock() {
        *d = Some(dir);
    }
}

/// The report written for the latest panic on this thread, if any.
pub fn last_report() -> Option<PathBuf> {
    LAST_REPORT.with(|r| r.borrow().clone())
}

/// Installs the panic hook: every panic (on any thread) writes a report, then the usual
/// message goes to stderr with the report's path. A panic inside a third-party parser fed a
/// file is no crash: the reader catches it and refuses the file, saying what the parser said
/// (`faultline_core::io::untrusted`), so it writes nothing here.
pub fn install_hook() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        LAST_REPORT.with(|r| *r.borrow_mut() = None);
        if faultline_core::io::untrusted::in_caught_parser() {
            return;
        }
        let written = write_report(info);
        default(info);
        match written {
            Ok(path) => eprintln!(
                "faultline: a crash report was written to {}",
                path.display()
            ),
            Err(e) => eprintln!("faultline: the crash report could not be written: {e}"),
        }
    }));
}

fn write_report(info: &std::panic::PanicHookInfo<'_>) -> std::io::Result<PathBuf> {
    let what = panic_text(info.payload());
    let place = info
        .location()
        .map(|l| l.to_string())
        .unwrap_or_else(|| "unknown".into());
    let key = format!("{place}: {what}");
    if let Some(path) = WRITTEN
        .lock()
        .ok()
        .and_then(|w| w.as_ref().and_then(|w| w.get(&key).cloned()))
    {
        LAST_REPORT.with(|r| *r.borrow_mut() = Some(path.clone()));
        return Ok(path);
    }
    let dir = report_dir();
    std::fs::create_dir_all(&dir)?;
    let now = chrono::Local::now();
    let path = dir.join(format!(
        "crash-{}-{}.txt",
        now.format("%Y%m%d-%H%M%S%.3f"),
        std::process::id()
    ));
    let thread = std::thread::current();
    let mut file = std::fs::File::create(&path)?;
    writeln!(
        file,
        "Faultline {} crash report, {}\nthread: {}\npanic: {what}\nat: {}\n\nbacktrace:\n{}",
        env!("CARGO_PKG_VERSION"),
        now.to_rfc3339(),
        thread.name().unwrap_or("unnamed"),
        place,
        std::backtrace::Backtrace::force_capture()
    )?;
    LAST_REPORT.with(|r| *r.borrow_mut() = Some(path.clone()));
    if let Ok(mut written) = WRITTEN.lock() {
        written
            .get_or_insert_with(HashMap::new)
            .insert(key, path.clone());
    }
    Ok(path)
}
