//! The binary's allocator and its settings, in one file that `main.rs` and the benchmarks
//! (`#[path]`) include, so that benchmark figures are the tool's.

/// mimalloc rather than the system allocator: the pipeline makes and drops millions of small
/// strings and terms, where glibc's malloc spent over half of a big query's time consolidating
/// and unlinking free chunks (see BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's number for its `purge_delay` option (`mi_option_purge_delay` in mimalloc.h; the
/// Rust bindings leave it out). A test below checks it against the option's documented default.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Milliseconds before mimalloc hands freed memory back to the system. Its default is 1,000: a
/// 100k-entry build then peaks ~80 MiB above what it holds, on memory freed by the finished
/// stages but not yet returned. At 10 ms (mimalloc 2's default) the peak fell from 355–404 to
/// 278–320 MB, and the 1M build's time did not move (BENCHMARKS.md).
const PURGE_DELAY_MS: std::ffi::c_long = 10;

/// Sets [`PURGE_DELAY_MS`] unless `MIMALLOC_PURGE_DELAY` in the environment chose a delay.
pub fn return_freed_memory_sooner() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: `mi_option_set` writes one entry of mimalloc's option table; it is not
        // thread-safe, and this runs first thing in `main` (the binary's or a benchmark's),
        // before any thread is started.
        #[allow(unsafe_code)]
        unsafe {
            libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, PURGE_DELAY_MS);
        }
    }
}

#[cfg(test)]
mod tests {
    /// Guards [`super::MI_OPTION_PURGE_DELAY`] against a mimalloc update that renumbers its options: the
    /// option at that number must hold `purge_delay`'s value (1,000 ms in mimalloc 3, or what the
    /// environment chose); no neighbouring option defaults to 1,000.
    #[test]
    fn purge_delay_option_number_names_purge_delay() {
        let expected = std::env::var("MIMALLOC_PURGE_DELAY").ok().and_then(|v| v.parse().ok()).unwrap_or(1000);
        // SAFETY: reads one entry of mimalloc's option table; no test writes it.
        #[allow(unsafe_code)]
        let value = unsafe { libmimalloc_sys::mi_option_get(super::MI_OPTION_PURGE_DELAY) };
        assert_eq!(value, expected);
    }
}
