//! Cancels queries that run past their time limit.

use oxigraph::sparql::CancellationToken;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// How often the watchdog looks at the clock; a query may overrun its limit by this much.
const TICK: Duration = Duration::from_millis(20);

type Watched = Mutex<Vec<(u64, Instant, CancellationToken)>>;

/// A thread that cancels each watched query's token once its deadline passes.
pub struct Watchdog {
    watched: Arc<Watched>,
    next_id: AtomicU64,
    stop: Arc<AtomicBool>,
}

/// A watched query: dropping it stops the watch.
pub struct Watch<'a> {
    id: u64,
    watchdog: &'a Watchdog,
    pub token: CancellationToken,
}

impl Watchdog {
    pub fn start() -> Self {
        let watched: Arc<Watched> = Arc::default();
        let stop = Arc::new(AtomicBool::new(false));
        let (w, s) = (Arc::clone(&watched), Arc::clone(&stop));
        std::thread::spawn(move || {
            while !s.load(Ordering::Relaxed) {
                std::thread::sleep(TICK);
                let now = Instant::now();
                let watched = w.lock().unwrap_or_else(PoisonError::into_inner);
                for (_, deadline, token) in watched.iter() {
                    if *deadline <= now {
                        token.cancel();
                    }
                }
            }
        });
        Watchdog { watched, next_id: AtomicU64::new(0), stop }
    }

    /// Starts watching a query allowed to run for `limit`.
    pub fn watch(&self, limit: Duration) -> Watch<'_> {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let token = CancellationToken::new();
        let deadline = Instant::now() + limit;
        self.watched.lock().unwrap_or_else(PoisonError::into_inner).push((id, deadline, token.clone()));
        Watch { id, watchdog: self, token }
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

impl Drop for Watch<'_> {
    fn drop(&mut self) {
        let mut watched = self.watchdog.watched.lock().unwrap_or_else(PoisonError::into_inner);
        watched.retain(|(id, _, _)| *id != self.id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cancels_after_the_limit_and_not_before() {
        let watchdog = Watchdog::start();
        let slow = watchdog.watch(Duration::from_millis(30));
        let fast = watchdog.watch(Duration::from_secs(3600));
        let started = Instant::now();
        while !slow.token.is_cancelled() {
            assert!(started.elapsed() < Duration::from_secs(10), "never cancelled");
            std::thread::sleep(Duration::from_millis(5));
        }
        assert!(started.elapsed() >= Duration::from_millis(30));
        assert!(!fast.token.is_cancelled());
        drop(slow);
        assert_eq!(watchdog.watched.lock().unwrap().len(), 1);
    }
}
