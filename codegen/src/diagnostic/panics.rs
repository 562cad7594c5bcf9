//! Panics of the generators onex calls (typify, prost-build) on schemas they
//! cannot handle are caught and turned into diagnostics; their panic
//! message then reaches the user in the diagnostic, and the default panic
//! hook's report of it (thread name, location, backtrace) is only noise.
//! [`quiet_expected_panics`] keeps that report for every other panic.

use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};

thread_local! {
    /// Inside [`expected`] on this thread.
    static EXPECTING: Cell<bool> = const { Cell::new(false) };
}

/// Run `f`, catching a panic (as `catch_unwind`); while it runs, a hook
/// installed by [`quiet_expected_panics`] prints nothing for this thread.
pub(crate) fn expected<T>(f: impl FnOnce() -> T) -> std::thread::Result<T> {
    let before = EXPECTING.with(|e| e.replace(true));
    let out = catch_unwind(AssertUnwindSafe(f));
    EXPECTING.with(|e| e.set(before));
    out
}

/// What a caught panic said (a panic's payload is its message as a
/// `String` or a `&str`).
pub(crate) fn message(panic: &(dyn std::any::Any + Send)) -> &str {
    panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("no reason given")
}

/// Install a panic hook that stays silent for the panics onex catches and
/// reports as diagnostics, and hands every other panic to the hook that was
/// installed before. For programs that call onex (its CLI, a build script);
/// installing it twice is harmless.
pub fn quiet_expected_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !EXPECTING.with(Cell::get) {
                previous(info);
            }
        }));
    });
}
