//! Progress of long runs on stderr: a status line redrawn in place when stderr is a terminal,
//! nothing when it is not. With `AWESOME_KG_TIMINGS` set, each stage's wall time is printed
//! instead (for benchmarks, terminal or not).

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

/// Redraw the status line at most this often.
const REDRAW: Duration = Duration::from_millis(100);

/// Reports stages and steps of a run.
#[derive(Debug)]
pub struct Progress {
    live: bool,
    timings: bool,
    started: Instant,
    stage: Option<(&'static str, Instant)>,
    drawn: Option<Instant>,
}

impl Progress {
    /// Live on a terminal; timings when `AWESOME_KG_TIMINGS` is set.
    pub fn for_stderr() -> Self {
        let timings = std::env::var_os("AWESOME_KG_TIMINGS").is_some();
        Progress { live: std::io::stderr().is_terminal() && !timings, timings, ..Progress::silent() }
    }

    /// Says nothing.
    pub fn silent() -> Self {
        Progress { live: false, timings: false, started: Instant::now(), stage: None, drawn: None }
    }

    /// Ends the current stage and starts `name`.
    pub fn stage(&mut self, name: &'static str) {
        self.end_stage();
        self.stage = Some((name, Instant::now()));
        self.draw(name, None, true);
    }

    /// Within the current stage, `done` of `total` steps are done.
    pub fn step(&mut self, done: usize, total: usize) {
        if let Some((name, _)) = self.stage {
            self.draw(name, Some((done, total)), done == total);
        }
    }

    /// Prints a message on its own line, keeping the status line below it.
    pub fn say(&mut self, message: &str) {
        if self.live {
            eprint!("\r\x1b[2K");
            self.drawn = None;
        }
        eprintln!("{message}");
        if let Some((name, _)) = self.stage {
            self.draw(name, None, true);
        }
    }

    /// Ends the last stage and clears the status line.
    pub fn finish(&mut self) {
        self.end_stage();
        if self.live {
            eprint!("\r\x1b[2K");
        }
        if self.timings {
            eprintln!("awesome-kg: timing: total {:.3} s", self.started.elapsed().as_secs_f64());
        }
    }

    fn end_stage(&mut self) {
        if let (true, Some((name, started))) = (self.timings, self.stage.take()) {
            eprintln!("awesome-kg: timing: {name} {:.3} s{}", started.elapsed().as_secs_f64(), memory());
        }
    }

    fn draw(&mut self, name: &str, steps: Option<(usize, usize)>, force: bool) {
        if !self.live || (!force && self.drawn.is_some_and(|t| t.elapsed() < REDRAW)) {
            return;
        }
        self.drawn = Some(Instant::now());
        let elapsed = self.started.elapsed().as_secs_f64();
        let mut err = std::io::stderr().lock();
        let _ = match steps {
            Some((done, total)) => write!(err, "\r\x1b[2Kawesome-kg: {name} {done}/{total} ({elapsed:.1} s)"),
            None => write!(err, "\r\x1b[2Kawesome-kg: {name}… ({elapsed:.1} s)"),
        };
        let _ = err.flush();
    }
}

/// The resident set and its peak so far, where the system tells (Linux), as ", rss … MiB".
fn memory() -> String {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else { return String::new() };
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches(" kB").parse::<u64>().ok())
    };
    match (field("VmRSS:"), field("VmHWM:")) {
        (Some(rss), Some(peak)) => format!(", rss {} MiB, peak {} MiB", rss / 1024, peak / 1024),
        _ => String::new(),
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        // An error ends the run early: leave the terminal on a clean line for its message.
        if self.live && self.stage.is_some() {
            eprint!("\r\x1b[2K");
        }
    }
}
