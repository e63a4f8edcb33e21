//! Third-party parsers (Parquet, Arrow IPC, workbooks) fed untrusted bytes. A panic inside one
//! is a bad file, not a crash of Faultline: [`catch_parser_panic`] turns it into an error
//! that says what the parser said, and while a parser runs under it [`in_caught_parser`]
//! tells a panic hook (the app's crash reports) that the panic will be caught and reported as
//! a bad file. The fuzzers and the fuzz regression test install hooks of their own and still
//! count every such panic: each is a bug, to be fixed at its root when it can be.

use std::cell::Cell;
use std::panic::{catch_unwind, AssertUnwindSafe};

thread_local! {
    /// How many [`catch_parser_panic`] calls are running on this thread.
    static CAUGHT_DEPTH: Cell<u32> = const { Cell::new(0) };
}

/// True while a third-party parser runs on this thread under [`catch_parser_panic`]: a panic
/// now is a bad file, caught and reported as one.
pub fn in_caught_parser() -> bool {
    CAUGHT_DEPTH.with(|depth| depth.get() > 0)
}

/// Runs `parse` (third-party code on untrusted bytes); a panic in it becomes `Err` with the
/// panic's message.
pub(crate) fn catch_parser_panic<T>(parse: impl FnOnce() -> T) -> Result<T, String> {
    CAUGHT_DEPTH.with(|depth| depth.set(depth.get() + 1));
    let result = catch_unwind(AssertUnwindSafe(parse));
    CAUGHT_DEPTH.with(|depth| depth.set(depth.get() - 1));
    result.map_err(|panic| panic_text(panic.as_ref()))
}

/// What a panic said, as text.
pub fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_parser_panic_is_an_error_with_its_message_and_is_known_while_it_runs() {
        assert!(!in_caught_parser());
        let inside = catch_parser_panic(|| {
            let nested = catch_parser_panic(in_caught_parser);
            (in_caught_parser(), nested)
        });
        assert_eq!(inside, Ok((true, Ok(true))));
        // A panic: the hook sees it inside, and the count is undone after it.
        let seen_inside = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let hook_saw = seen_inside.clone();
        let before = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |_| {
            if in_caught_parser() {
                hook_saw.store(true, std::sync::atomic::Ordering::SeqCst);
            }
        }));
        let failed: Result<(), String> =
            catch_parser_panic(|| panic!("offset {} out of bounds", 7));
        std::panic::set_hook(before);
        assert_eq!(failed, Err("offset 7 out of bounds".to_string()));
        assert!(seen_inside.load(std::sync::atomic::Ordering::SeqCst));
        assert!(!in_caught_parser());
    }
}
