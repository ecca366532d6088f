//! Progress of long runs on stderr: a status line redrawn in place when stderr is a terminal,
//! nothing when it is not. With `AWESOME_KG_TIMINGS` set, each stage's wall time, CPU time, page faults and memory are printed
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
    /// The stage, when it started, and the process's CPU time then.
    stage: Option<(&'static str, Instant, Option<Cpu>)>,
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
        self.stage = Some((name, Instant::now(), self.timings.then(Cpu::now).flatten()));
        self.draw(name, None, true);
    }

    /// Within the current stage, `done` of `total` steps are done.
    pub fn step(&mut self, done: usize, total: usize) {
        if let Some((name, ..)) = self.stage {
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
        if let Some((name, ..)) = self.stage {
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
        if let (true, Some((name, started, cpu))) = (self.timings, self.stage.take()) {
            let cpu = match (cpu, Cpu::now()) {
                (Some(then), Some(now)) => format!(
                    ", cpu {:.2} s (kernel {:.2} s, {} page faults)",
                    (now.user + now.kernel - then.user - then.kernel) as f64 / Cpu::TICKS,
                    (now.kernel - then.kernel) as f64 / Cpu::TICKS,
                    now.faults - then.faults
                ),
                _ => String::new(),
            };
            eprintln!("awesome-kg: timing: {name} {:.3} s{cpu}{}", started.elapsed().as_secs_f64(), memory());
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

/// The CPU time this process has used on all its threads, in clock ticks, where the system
/// tells (Linux): for benchmarks, where it moves less than wall time with what else the machine
/// does, and shows work done on the other cores.
#[derive(Debug, Clone, Copy)]
struct Cpu {
    /// Page faults that needed no reading from disk: most of them a fresh page the kernel
    /// zeroes (with transparent huge pages, one fault per 2 MiB).
    faults: u64,
    user: u64,
    kernel: u64,
}

impl Cpu {
    /// Clock ticks per second in `/proc` (`USER_HZ`: 100 on every Linux architecture's ABI).
    const TICKS: f64 = 100.0;

    fn now() -> Option<Cpu> {
        Cpu::parse(&std::fs::read_to_string("/proc/self/stat").ok()?)
    }

    /// Reads a `/proc/PID/stat` line.
    fn parse(stat: &str) -> Option<Cpu> {
        // After the command name (in parentheses, which may hold spaces): state is field 3,
        // minflt field 10, utime field 14 and stime field 15.
        let fields: Vec<&str> = stat.get(stat.rfind(')')? + 1..)?.split_whitespace().take(13).collect();
        let field = |n: usize| fields.get(n - 3).and_then(|f| f.parse().ok());
        Some(Cpu { faults: field(10)?, user: field(14)?, kernel: field(15)? })
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

#[cfg(test)]
mod tests {
    use super::Cpu;

    /// A command name may hold spaces and parentheses: fields are counted after the last `)`.
    #[test]
    fn cpu_fields_are_read_after_the_command_name() {
        let stat = "4242 (a (b) c) R 1 2 3 4 5 6 777 8 9 10 1500 250 0 0 20 0 3";
        let cpu = Cpu::parse(stat).expect("a whole line");
        assert_eq!((cpu.faults, cpu.user, cpu.kernel), (777, 1500, 250));
        assert!(Cpu::parse("4242 (cut short) R 1 2").is_none());
        if cfg!(target_os = "linux") {
            assert!(Cpu::now().is_some(), "/proc/self/stat is readable on Linux");
        }
    }
}
