//! A long load's progress on stderr: a large organization takes seconds to
//! open, and a silent terminal looks hung. Shown only when stderr is a
//! terminal and only once the load has taken `DELAY`, so quick loads and
//! scripts (stderr to a file or a pipe) see nothing.

use std::io::Write;
use std::sync::mpsc::{channel, RecvTimeoutError};
use std::time::Duration;

use crate::text::clean;
use crate::workspace::LoadProgress;

/// How long a load runs before its progress is shown.
const DELAY: Duration = Duration::from_millis(300);
/// How often the line is redrawn.
const EVERY: Duration = Duration::from_millis(100);

/// Runs `load`, showing its progress on stderr when stderr is a terminal.
pub fn on_stderr<T>(label: &str, load: impl FnOnce(&LoadProgress) -> T) -> T {
    if !std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        return load(&LoadProgress::default());
    }
    shown_on(std::io::stderr(), label, DELAY, load)
}

/// Runs `load` while another thread writes its progress to `out`: after
/// `delay`, a line redrawn in place (`\r`, erase line) every `EVERY`, erased
/// when the load ends so the command's own output starts on a clean line.
fn shown_on<T, W: Write + Send>(
    mut out: W,
    label: &str,
    delay: Duration,
    load: impl FnOnce(&LoadProgress) -> T,
) -> T {
    let progress = LoadProgress::default();
    let label = clean(label);
    let (finished, wait) = channel::<()>();
    std::thread::scope(|scope| {
        let progress = &progress;
        let label = &label;
        scope.spawn(move || {
            if wait.recv_timeout(delay) != Err(RecvTimeoutError::Timeout) {
                return;
            }
            loop {
                let line = progress.read().describe();
                // A closed stderr is no reason to stop the load.
                let _ = write!(out, "\r\x1b[2Kiamscope: loading {label}: {line}");
                let _ = out.flush();
                if wait.recv_timeout(EVERY) != Err(RecvTimeoutError::Timeout) {
                    break;
                }
            }
            let _ = write!(out, "\r\x1b[2K");
            let _ = out.flush();
        });
        let result = load(progress);
        drop(finished);
        result
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    /// A writer the test can read while the reporter writes.
    #[derive(Clone, Default)]
    struct Shared(Arc<Mutex<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0
                .lock()
                .map_err(|_| std::io::ErrorKind::Other)?
                .extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl Shared {
        fn text(&self) -> String {
            String::from_utf8_lossy(&self.0.lock().map(|b| b.clone()).unwrap_or_default())
                .into_owned()
        }
    }

    #[test]
    fn a_long_load_shows_its_counts_and_erases_the_line_at_the_end() {
        let out = Shared::default();
        let seen = out.clone();
        let answer = shown_on(out.clone(), "scale-1", Duration::ZERO, |progress| {
            progress.begin(crate::workspace::Unit::File, 10, 20_000_000);
            progress.advance(2_000_000, 1);
            // Wait until the reporter has drawn these counts (it redraws
            // every 100 ms; the bound only keeps a broken reporter from
            // hanging the test).
            for _ in 0..200 {
                if seen.text().contains("1/10 files") {
                    break;
                }
                std::thread::sleep(Duration::from_millis(10));
            }
            42
        });
        assert_eq!(answer, 42);
        let text = out.text();
        assert!(
            text.contains("\r\x1b[2Kiamscope: loading scale-1: 1/10 files, 2/20 MB, 1 account"),
            "{text:?}"
        );
        assert!(text.ends_with("\r\x1b[2K"), "{text:?}");
    }

    #[test]
    fn a_quick_load_shows_nothing() {
        let out = Shared::default();
        shown_on(out.clone(), "workshop", Duration::from_secs(60), |_| ());
        assert_eq!(out.text(), "");
    }

    #[test]
    fn a_hostile_label_is_cleaned() {
        let out = Shared::default();
        let seen = out.clone();
        shown_on(out.clone(), "evil\x1b]0;title\x07", Duration::ZERO, |_| {
            for _ in 0..200 {
                if seen.text().contains("loading") {
                    break;
                }
                std::thread::sleep(Duration::from_millis(10));
            }
        });
        assert!(!out.text().contains('\x07'), "{:?}", out.text());
    }
}
