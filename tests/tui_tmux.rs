//! End to end: the real binary in tmux, driven with `send-keys` and read back
//! with `capture-pane`. Each test runs its own tmux server on a private
//! socket, killed when the test ends, pass or fail. Screens are polled until
//! the expected text appears, never waited for with fixed sleeps. Without
//! tmux the tests print a note and pass.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_iamscope");
const TIMEOUT: Duration = Duration::from_secs(10);
const POLL: Duration = Duration::from_millis(100);
/// Box-drawing characters of the TUI's panes.
const BORDERS: [char; 6] = ['┌', '┐', '└', '┘', '│', '─'];

static NEXT: AtomicUsize = AtomicUsize::new(0);

/// A tmux server of our own with one detached 120×34 session, `main`.
/// Dropping it kills the server and removes its scratch folder.
struct Tmux {
    socket: String,
    /// The socket file, which tmux leaves behind when its server exits.
    socket_path: Option<PathBuf>,
    dir: PathBuf,
}

impl Tmux {
    /// A guard for a server not started yet (so that a test knows its
    /// scratch folder first); `None` when tmux is not installed.
    fn new() -> Option<Tmux> {
        if Command::new("tmux").arg("-V").output().is_err() {
            eprintln!("note: tmux is not installed; skipping this end-to-end test");
            return None;
        }
        let n = NEXT.fetch_add(1, Ordering::SeqCst);
        let socket = format!("iamscope-test-{}-{n}", std::process::id());
        let dir = std::env::temp_dir().join(&socket);
        std::fs::create_dir_all(&dir).expect("scratch folder");
        Some(Tmux {
            socket,
            socket_path: None,
            dir,
        })
    }

    /// Starts the server with `argv` (run directly, not through the user's
    /// shell) in the session. The guard exists first, so a failure from
    /// here on still kills the server.
    fn start(mut self, argv: &[&str]) -> Tmux {
        // The snapshot cache goes to the scratch folder, never the user's.
        let cache = format!("IAMSCOPE_CACHE_DIR={}", self.dir.join("cache").display());
        let mut args = vec![
            "new-session",
            "-d",
            "-s",
            "main",
            "-x",
            "120",
            "-y",
            "34",
            "-e",
            "NO_COLOR=1",
            "-e",
            "TERM=xterm-256color",
            "--",
            // tmux sets TERM in the pane from its default-terminal option,
            // over the session environment: set both again for the program.
            "env",
            "NO_COLOR=1",
            "TERM=xterm-256color",
            &cache,
        ];
        args.extend_from_slice(argv);
        self.run(&args);
        let path = self
            .command(&["display-message", "-p", "#{socket_path}"])
            .output()
            .ok()
            .filter(|out| out.status.success());
        if let Some(out) = path {
            let path = String::from_utf8_lossy(&out.stdout).trim().to_string();
            self.socket_path = Some(PathBuf::from(path));
        }
        self
    }

    /// `sh -c script` in a new server.
    fn sh(script: &str) -> Option<Tmux> {
        Some(Tmux::new()?.start(&["sh", "-c", script]))
    }

    /// The TUI on `args`, followed by a line giving its exit status, with
    /// the pane kept open afterwards.
    fn tui(args: &str) -> Option<Tmux> {
        Tmux::sh(&format!("{} {args}; echo EXITED:$?; sleep 30", quote(BIN)))
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new("tmux");
        command
            .args(["-L", &self.socket, "-f", "/dev/null"])
            .args(args)
            .env_remove("TMUX");
        command
    }

    fn run(&self, args: &[&str]) -> String {
        let out = self.command(args).output().expect("tmux runs");
        assert!(
            out.status.success(),
            "tmux {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Keys by tmux name (`Enter`, `Escape`, `C-z`, `j`).
    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "main"];
        args.extend_from_slice(keys);
        self.run(&args);
    }

    /// Text typed as is.
    fn type_text(&self, text: &str) {
        self.run(&["send-keys", "-t", "main", "-l", text]);
    }

    fn screen(&self) -> String {
        self.run(&["capture-pane", "-p", "-t", "main"])
    }

    /// A tmux format, e.g. `#{alternate_on}`.
    fn display(&self, format: &str) -> String {
        self.run(&["display-message", "-p", "-t", "main", format])
            .trim()
            .to_string()
    }

    /// Polls the screen until `ready` holds; the screen then. Panics with
    /// the last screen after the timeout.
    fn wait_until(&self, what: &str, ready: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if ready(&screen) {
                return screen;
            }
            if start.elapsed() > TIMEOUT {
                panic!("timed out waiting for {what}; the screen:\n{screen}");
            }
            std::thread::sleep(POLL);
        }
    }

    fn wait_for(&self, text: &str) -> String {
        self.wait_until(&format!("{text:?}"), |s| s.contains(text))
    }

    fn wait_for_all(&self, texts: &[&str]) -> String {
        self.wait_until(&format!("{texts:?}"), |s| {
            texts.iter().all(|t| s.contains(t))
        })
    }

    /// Polls a tmux format until it reads `value`.
    fn wait_display(&self, format: &str, value: &str) {
        let start = Instant::now();
        loop {
            let now = self.display(format);
            if now == value {
                return;
            }
            if start.elapsed() > TIMEOUT {
                panic!(
                    "timed out waiting for {format} = {value} (it is {now}); the screen:\n{}",
                    self.screen()
                );
            }
            std::thread::sleep(POLL);
        }
    }

    /// After the program has ended: the main screen is back, with the
    /// cursor shown and no trace of the TUI.
    fn assert_terminal_restored(&self) {
        self.wait_display("#{alternate_on}", "0");
        assert_eq!(self.display("#{cursor_flag}"), "1", "the cursor is hidden");
        assert_eq!(
            self.display("#{mouse_any_flag}"),
            "0",
            "the mouse is captured"
        );
        let screen = self.screen();
        assert!(
            !screen.contains(BORDERS),
            "the TUI is still on screen:\n{screen}"
        );
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.command(&["kill-server"]).output();
        if let Some(path) = &self.socket_path {
            let _ = std::fs::remove_file(path);
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// `text` quoted for sh and bash.
fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

fn quote_path(path: &Path) -> String {
    quote(path.to_str().expect("UTF-8 path"))
}

/// The Users pane: the text between the first two vertical borders of each
/// line (the leftmost pane).
fn users_pane(screen: &str) -> String {
    screen
        .lines()
        .filter_map(|line| line.split('│').nth(1))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn starts_on_the_sample_and_quits_restoring_the_terminal() {
    let Some(tmux) = Tmux::tui("") else { return };
    let screen = tmux.wait_for_all(&["iamscope", "[1] Users 6", "alice"]);
    assert_eq!(tmux.display("#{alternate_on}"), "1", "{screen}");
    tmux.keys(&["q"]);
    tmux.wait_for("EXITED:0");
    tmux.assert_terminal_restored();
}

#[test]
fn switch_role_lesson() {
    let Some(tmux) = Tmux::tui("") else { return };
    tmux.wait_for("[1] Users 6");
    // carol is the third user; `s` opens the role picker on the role she may assume.
    tmux.keys(&["j", "j", "s"]);
    tmux.wait_for("Switch role — acting as carol");
    tmux.keys(&["Enter"]);
    tmux.wait_for_all(&[
        "carol → EC2Terminator",
        "+ Write  ?TerminateInstances",
        " left",
    ]);
    tmux.keys(&["x"]);
    tmux.wait_for("ended the session; acting as carol");
}

/// A tour in the real binary: the chooser offers its own keys only; the
/// event log stays under the tour's text, so the session a step lets expire
/// is seen expiring; a step speaks about its subject even when the user
/// moved the selection before pressing `n`.
#[test]
fn a_tour_shows_its_events_and_keeps_its_subject() {
    let Some(tmux) = Tmux::tui("tour") else {
        return;
    };
    let chooser = tmux.wait_for("Guided tours");
    assert!(chooser.contains("Enter start the tour"), "{chooser}");
    assert!(!chooser.contains("filter the roles"), "{chooser}");
    // The first tour: dave and the Auditor role.
    tmux.keys(&["Enter"]);
    tmux.wait_for("step 1/14");
    tmux.keys(&["n", "n"]);
    tmux.wait_for("step 3/14");
    tmux.keys(&["Escape"]);
    tmux.wait_until("the policy closed", |s| !s.contains("AssumeAuditor —"));
    // The user wanders off to carol; step 4 still selects the Auditor role,
    // and step 6 dave again.
    tmux.keys(&["1", "j", "j", "n", "n", "n"]);
    tmux.wait_for_all(&["step 6/14", "acting as: dave"]);
    for _ in 6..13 {
        tmux.keys(&["n"]);
    }
    tmux.wait_for_all(&["step 13/14", "Auditor expired; acting as dave"]);
    tmux.keys(&["Escape"]);
    tmux.wait_for("left the tour");
    tmux.keys(&["q"]);
    tmux.wait_for("EXITED:0");
    tmux.assert_terminal_restored();
}

#[test]
fn filter_narrows_the_users_and_escape_clears_it() {
    let Some(tmux) = Tmux::tui("") else { return };
    tmux.wait_for("[1] Users 6");
    tmux.keys(&["/"]);
    tmux.type_text("da");
    let screen = tmux.wait_until("only dave in the Users pane", |s| {
        let users = users_pane(s);
        users.contains("dave") && !["alice", "bob", "carol"].iter().any(|u| users.contains(u))
    });
    assert!(screen.contains("/da"), "the filter is not shown:\n{screen}");
    tmux.keys(&["Escape"]);
    tmux.wait_until("every user back", |s| {
        let users = users_pane(s);
        ["alice", "bob", "carol", "dave"]
            .iter()
            .all(|u| users.contains(u))
            && !s.contains("Users /da")
    });
}

#[test]
fn help_opens_and_closes() {
    let Some(tmux) = Tmux::tui("") else { return };
    tmux.wait_for("[1] Users 6");
    tmux.keys(&["?"]);
    tmux.wait_for("Help: every key");
    tmux.keys(&["Escape"]);
    tmux.wait_until("the help closed", |s| {
        !s.contains("Help: every key") && s.contains("[1] Users 6")
    });
}

#[test]
fn too_small_a_terminal_gets_a_message_and_resizing_back_restores_the_ui() {
    let Some(tmux) = Tmux::tui("") else { return };
    tmux.wait_for("[1] Users 6");
    tmux.run(&["resize-window", "-t", "main", "-x", "50", "-y", "12"]);
    let screen = tmux.wait_for("needs at least");
    assert!(screen.contains("50×12"), "{screen}");
    tmux.run(&["resize-window", "-t", "main", "-x", "120", "-y", "34"]);
    let screen = tmux.wait_until("the full UI", |s| {
        s.contains("[1] Users 6") && s.contains("┌ Users") && !s.contains("needs at least")
    });
    assert_eq!(screen.lines().count(), 34, "{screen}");
}

/// Sends `signal` to the running TUI and checks that it died of it (the
/// shell's status 128 + signal) with the terminal restored. The pid: an
/// inner `sh` writes its own pid, then `exec`s the binary, which keeps that
/// pid and the foreground of the pane (a process started with `&` would not
/// own the terminal, and the pane's own pid is the outer shell's).
fn killed_by(signal: &str, status: i32) {
    killed_by_on(signal, status, |_| Vec::new(), "[1] Users 6");
}

/// [`killed_by`] with the arguments `args` gives (it may prepare files in
/// the scratch folder), once `ready` is on screen.
fn killed_by_on(signal: &str, status: i32, args: impl FnOnce(&Tmux) -> Vec<String>, ready: &str) {
    let Some(tmux) = Tmux::new() else { return };
    let pid_file = tmux.path("pid");
    let mut words = vec![quote_path(&pid_file), quote(BIN)];
    words.extend(args(&tmux).iter().map(|a| quote(a)));
    let script = format!(
        r#"sh -c 'echo $$ > "$0"; exec "$@"' {}; echo EXITED:$?; sleep 30"#,
        words.join(" ")
    );
    let tmux = tmux.start(&["sh", "-c", &script]);
    tmux.wait_for(ready);
    let pid = std::fs::read_to_string(&pid_file).expect("pid file");
    let killed = Command::new("kill")
        .args([&format!("-{signal}"), pid.trim()])
        .status()
        .expect("kill runs");
    assert!(killed.success());
    tmux.wait_for(&format!("EXITED:{status}"));
    tmux.assert_terminal_restored();
}

#[test]
fn sigterm_restores_the_terminal() {
    killed_by("TERM", 143);
}

#[test]
fn sighup_restores_the_terminal() {
    killed_by("HUP", 129);
}

#[test]
fn ctrl_z_suspends_and_fg_resumes() {
    let Some(tmux) = Tmux::new() else { return };
    // An interactive shell, for job control; with no history file, so as
    // not to write the user's.
    let tmux = tmux.start(&["env", "HISTFILE=", "bash", "--norc", "--noprofile", "-i"]);
    tmux.wait_until("the prompt", |s| !s.trim().is_empty());
    tmux.type_text(&quote(BIN));
    tmux.keys(&["Enter"]);
    tmux.wait_for("[1] Users 6");
    tmux.keys(&["j"]);
    tmux.wait_for("acting as: bob");
    // With the mouse captured, to see it released and captured again.
    tmux.keys(&["m"]);
    tmux.wait_display("#{mouse_any_flag}", "1");
    tmux.keys(&["C-z"]);
    tmux.wait_for("Stopped");
    tmux.assert_terminal_restored();
    tmux.type_text("fg");
    tmux.keys(&["Enter"]);
    // Everything is drawn again, not only what changed since the suspension.
    tmux.wait_until("the UI back", |s| {
        s.contains("[1] Users 6") && s.contains("acting as: bob") && !s.contains("Stopped")
    });
    assert_eq!(tmux.display("#{alternate_on}"), "1");
    assert_eq!(tmux.display("#{mouse_any_flag}"), "1");
    // And it still reads keys, in raw mode.
    tmux.keys(&["j"]);
    tmux.wait_for("acting as: carol");
    tmux.keys(&["q"]);
    tmux.wait_display("#{alternate_on}", "0");
    tmux.type_text("echo EXITED:$?");
    tmux.keys(&["Enter"]);
    tmux.wait_for("EXITED:0");
}

#[test]
fn hostile_names_render_escaped() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hostile");
    let Some(tmux) = Tmux::tui(&quote_path(&fixture)) else {
        return;
    };
    let screen = tmux.wait_for("[1] Users 3");
    // ESC, the OSC title sequence and BEL as visible text; the right-to-left
    // override too.
    assert!(
        screen.contains(r"mallory\u{1b}[2J\u{1b}]0;pwned\u{7}x"),
        "{screen}"
    );
    assert!(screen.contains(r"eve\u{202e}txt.exe"), "{screen}");
    assert!(screen.contains(r"note\u{1b}]0;pwned\u{7}=ring"), "{screen}");
    assert!(!screen.contains('\u{202e}'), "{screen}");
    // The Sid, in the trace of the one action: Tab to the permissions pane,
    // down to the action, `w`.
    tmux.keys(&["Tab", "Tab", "j", "w"]);
    tmux.wait_for(r#"(Sid "Evil\u{1b}[2J\u{1b}]0;pwned\u{7}Sid")"#);
    // Nothing cleared the screen or set the title.
    let title = tmux.display("#{pane_title}");
    assert!(!title.contains("pwned"), "the title was set to {title:?}");
    tmux.keys(&["q"]);
    tmux.wait_for("EXITED:0");
    tmux.assert_terminal_restored();
}

/// The whole lesson in one run, as a trainer does it: open the sample,
/// filter to a user, switch role, see the countdown tick and the gained
/// action, end the session, quit with the terminal restored.
#[test]
fn the_whole_switch_role_flow_in_one_run() {
    let Some(tmux) = Tmux::tui("") else { return };
    tmux.wait_for("[1] Users 6");
    tmux.keys(&["/"]);
    tmux.type_text("car");
    tmux.wait_until("only carol in the Users pane", |s| {
        let users = users_pane(s);
        users.contains("carol") && !["alice", "bob", "dave"].iter().any(|u| users.contains(u))
    });
    tmux.keys(&["Enter", "s"]);
    tmux.wait_for("Switch role — acting as carol");
    tmux.keys(&["Enter"]);
    tmux.wait_for_all(&[
        "carol → EC2Terminator (session)",
        "+ Write  ?TerminateInstances",
        "1:00:00 left",
    ]);
    // Speed the clock to 600x: the countdown visibly runs.
    tmux.keys(&["+", "+", "+"]);
    tmux.wait_until("the countdown moves", |s| {
        s.contains(" left") && !s.contains("1:00:00 left")
    });
    tmux.keys(&["x"]);
    tmux.wait_for("ended the session; acting as carol");
    tmux.keys(&["q"]);
    tmux.wait_for("EXITED:0");
    tmux.assert_terminal_restored();
}

/// Opening a workspace, browsing, switching role and quitting leaves every
/// file of it byte for byte unchanged, and adds no file.
#[test]
fn the_ui_writes_nothing_into_the_workspace() {
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-accounts/workshop");
    let copy =
        std::env::temp_dir().join(format!("iamscope-nothing-written-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&copy);
    copy_dir(&source, &copy);
    let before = snapshot(&copy);
    if let Some(tmux) = Tmux::tui(&quote_path(&copy)) {
        tmux.wait_for("[1] Users 6");
        tmux.keys(&["j", "j", "s"]);
        tmux.wait_for("Switch role — acting as carol");
        tmux.keys(&["Enter"]);
        tmux.wait_for("carol → EC2Terminator (session)");
        tmux.keys(&["w"]);
        tmux.wait_for("Why:");
        // Escape alone: followed at once by a letter, a terminal reads Alt+letter.
        tmux.keys(&["Escape"]);
        tmux.wait_until("the why view closed", |s| !s.contains("Why:"));
        tmux.keys(&["x"]);
        tmux.wait_for("ended the session; acting as carol");
        tmux.keys(&["t"]);
        tmux.wait_for("Guided tours");
        tmux.keys(&["Escape"]);
        tmux.wait_until("the tours closed", |s| !s.contains("Guided tours"));
        tmux.keys(&["q"]);
        tmux.wait_for("EXITED:0");
    }
    let after = snapshot(&copy);
    let _ = std::fs::remove_dir_all(&copy);
    assert_eq!(before, after, "the workspace changed");
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create the copy");
    for entry in std::fs::read_dir(from).expect("read the sample").flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy a file");
        }
    }
}

/// Every file under `dir`: its path, bytes and modification time.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>, Option<std::time::SystemTime>)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read").flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(snapshot(&path));
        } else {
            let modified = std::fs::metadata(&path).and_then(|m| m.modified()).ok();
            out.push((
                path.clone(),
                std::fs::read(&path).expect("read a file"),
                modified,
            ));
        }
    }
    out.sort();
    out
}

/// An empty folder: the error screen in the alternate screen instead of the
/// UI, readable at 80×24; `q` leaves it, the terminal comes back, the
/// message stays on stderr, and the status is 2.
#[test]
fn an_empty_folder_gets_the_error_screen_then_status_2() {
    let Some(tmux) = Tmux::new() else { return };
    let empty = tmux.path("empty");
    std::fs::create_dir(&empty).expect("the empty folder");
    let stderr = tmux.path("stderr");
    let script = format!(
        "{} {} 2>{}; echo EXITED:$?; sleep 30",
        quote(BIN),
        quote_path(&empty),
        quote_path(&stderr)
    );
    let tmux = tmux.start(&["sh", "-c", &script]);
    tmux.wait_for("iamscope cannot open this workspace");
    tmux.run(&["resize-window", "-t", "main", "-x", "80", "-y", "24"]);
    let screen = tmux.wait_until("the error screen at 80×24", |s| {
        s.lines().count() == 24
            && s.lines().all(|l| l.chars().count() <= 80)
            && s.contains("the folder holds no .json file")
            && s.contains("q/Esc/Enter quit")
    });
    for expected in [
        "┌ iamscope cannot open this workspace",
        "What went wrong",
        "iamscope validate",
        "opens the bundled workshop sample",
        "README.md, section \"Workspaces\"",
    ] {
        assert!(screen.contains(expected), "{expected:?} missing:\n{screen}");
    }
    assert_eq!(tmux.display("#{alternate_on}"), "1", "{screen}");
    tmux.keys(&["q"]);
    tmux.wait_for("EXITED:2");
    tmux.assert_terminal_restored();
    let message = std::fs::read_to_string(&stderr).expect("stderr");
    let path = empty.to_str().expect("UTF-8 path");
    assert_eq!(
        message,
        format!("iamscope: {path}: the folder holds no .json file; it is empty\n")
    );
}

/// Nothing readable as an account: every problem on the screen, scrolled
/// with `j` and `G`; Escape leaves; stderr has the problems, status 2.
#[test]
fn unrelated_json_files_get_the_error_screen_with_each_problem() {
    let Some(tmux) = Tmux::new() else { return };
    let folder = tmux.path("unrelated");
    std::fs::create_dir(&folder).expect("the folder");
    for n in 1..=12 {
        std::fs::write(
            folder.join(format!("package{n:02}.json")),
            r#"{"name": "my-app", "version": "1.0.0"}"#,
        )
        .expect("a file");
    }
    let stderr = tmux.path("stderr");
    let script = format!(
        "{} {} 2>{}; echo EXITED:$?; sleep 30",
        quote(BIN),
        quote_path(&folder),
        quote_path(&stderr)
    );
    let tmux = tmux.start(&["sh", "-c", &script]);
    tmux.wait_for_all(&["no account could be read (12 errors", "Problems (12)"]);
    tmux.keys(&["j"]);
    tmux.wait_until("one line down", |s| {
        !s.contains("Path ") && s.contains("What went wrong")
    });
    tmux.keys(&["G"]);
    tmux.wait_for("package12.json:1:1: error: not a workspace file");
    tmux.keys(&["Escape"]);
    tmux.wait_for("EXITED:2");
    tmux.assert_terminal_restored();
    let message = std::fs::read_to_string(&stderr).expect("stderr");
    assert_eq!(message.matches("error: not a workspace file").count(), 12);
    assert!(
        message.ends_with("no account could be read (12 errors: `iamscope validate` lists them)\n"),
        "{message}"
    );
}

#[test]
fn sigterm_on_the_error_screen_restores_the_terminal() {
    killed_by_on(
        "TERM",
        143,
        |tmux| {
            let empty = tmux.path("empty");
            std::fs::create_dir(&empty).expect("the empty folder");
            vec![empty.to_str().expect("UTF-8 path").to_string()]
        },
        "iamscope cannot open this workspace",
    );
}

/// A workspace with problems opens at 80×24: the header counts them, `!`
/// lists them, Enter goes to the user the first error sits in, and the why
/// view of that user's answer lists the caveats.
#[test]
fn a_messy_workspace_opens_with_its_problems_at_80x24() {
    let Some(tmux) = Tmux::tui("tests/fixtures/messy") else {
        return;
    };
    tmux.run(&["resize-window", "-t", "main", "-x", "80", "-y", "24"]);
    // The first screen's notice names the key that lists the problems.
    let notice = tmux.wait_for("Problems in the workspace");
    assert!(notice.contains("`!` lists every"), "{notice}");
    tmux.keys(&["Escape"]);
    let screen = tmux.wait_until("the main screen at 80×24", |s| {
        s.lines().count() == 24 && s.contains("✗3 !10") && !s.contains("Problems in the workspace")
    });
    assert!(
        screen.contains("! problems"),
        "the footer offers !:\n{screen}"
    );
    tmux.keys(&["!"]);
    let list = tmux.wait_for("Problems: 3 errors, 10 warnings");
    assert!(list.contains("user ana (444455556666)"), "{list}");
    tmux.keys(&["j", "j", "k", "k", "Enter"]);
    let screen = tmux.wait_until("ana selected, the list closed", |s| {
        s.contains("▶ ✗ ana") && !s.contains("Problems: 3 errors")
    });
    assert!(screen.contains("Problems    ✗ 2 errors"), "{screen}");
    tmux.keys(&["q"]);
    tmux.wait_for("EXITED:0");
    tmux.assert_terminal_restored();
}

/// A trainer's "why not" beat at 80×24 in the real binary: dave selected,
/// `a`, a few letters of the action, Tab, Enter: the why view says DENIED;
/// and during carol's session the header keeps the countdown.
#[test]
fn asking_why_not_and_the_countdown_at_80x24() {
    let Some(tmux) = Tmux::tui("") else { return };
    tmux.wait_for("[1] Users 6");
    tmux.run(&["resize-window", "-t", "main", "-x", "80", "-y", "24"]);
    tmux.wait_until("80 columns", |s| {
        s.lines().next().is_some_and(|l| l.chars().count() <= 80) && s.contains("[1] Users 6")
    });
    tmux.keys(&["j", "j", "j"]);
    tmux.keys(&["a"]);
    tmux.wait_for("Ask as dave");
    tmux.type_text("TerminateInst");
    tmux.wait_for("Tab ec2:TerminateInstances");
    tmux.keys(&["Tab", "Enter"]);
    tmux.wait_for_all(&["Why: ec2:TerminateInstances", "DENIED"]);
    tmux.keys(&["Escape"]);
    tmux.keys(&["k", "s"]);
    tmux.wait_for("Switch role — acting as carol");
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_for("1:00:00 left");
    let header = screen.lines().next().unwrap_or_default();
    assert!(
        header.contains("carol → EC2Terminator") && header.contains("left"),
        "{header}"
    );
}

/// Escalation at 80×24 in the real binary: `E` lists who can become
/// admin, Enter on erin opens her path, `w` the why of its step (her
/// iam:PassRole on OpsAutomation, allowed), Esc comes back to the path,
/// then to the list.
#[test]
fn the_escalation_path_and_a_steps_why_at_80x24() {
    let Some(tmux) = Tmux::tui("") else { return };
    tmux.wait_for("[1] Users 6");
    tmux.run(&["resize-window", "-t", "main", "-x", "80", "-y", "24"]);
    tmux.wait_until("80 columns", |s| {
        s.lines().next().is_some_and(|l| l.chars().count() <= 80) && s.contains("[1] Users 6")
    });
    tmux.keys(&["E"]);
    let list = tmux.wait_for("Who can become admin");
    assert!(
        list.contains("role  OpsAutomation  admin-equivalent"),
        "{list}"
    );
    tmux.keys(&["j"]);
    tmux.wait_for("▶ user  erin");
    tmux.keys(&["Enter"]);
    let path = tmux.wait_for_all(&[
        "Escalation path: erin",
        "▶ 1. user/erin → role/OpsAutomation",
    ]);
    assert!(path.contains("w why"), "the footer offers w:\n{path}");
    tmux.keys(&["w"]);
    let why = tmux.wait_for_all(&["Why: iam:PassRole", "ALLOWED"]);
    assert!(why.contains("LambdaDeployers"), "{why}");
    tmux.keys(&["Escape"]);
    tmux.wait_until("the path again", |s| {
        s.contains("Escalation path: erin") && !s.contains("Why: iam:PassRole")
    });
    tmux.keys(&["Escape"]);
    tmux.wait_until("the list again", |s| {
        s.contains("Who can become admin") && !s.contains("Escalation path")
    });
    tmux.keys(&["Escape"]);
    tmux.wait_until("the main screen", |s| !s.contains("Who can become admin"));
}

/// A what-if that closes a door, at 80×24 in the real binary: alice, `W`,
/// the group's DevelopersDaily detached on a copy; the header says
/// WHAT-IF, the pane strikes out what she lost, `w` on the first loss says
/// DENIED, the log records the change; `u` undoes it.
#[test]
fn a_what_if_closes_a_door_at_80x24() {
    let Some(tmux) = Tmux::tui("") else { return };
    tmux.run(&["resize-window", "-t", "main", "-x", "80", "-y", "24"]);
    tmux.wait_until("the main screen at 80×24", |s| {
        s.lines().count() == 24 && s.contains("[1] Users 6")
    });
    tmux.keys(&["W"]);
    let menu = tmux.wait_for("What-if: a change on a copy");
    assert!(
        menu.contains("detach DevelopersDaily (group Developers)"),
        "{menu}"
    );
    assert!(menu.contains("Enter make the change"), "{menu}");
    tmux.keys(&["j", "j", "Enter"]);
    let screen = tmux.wait_for_all(&[
        "WHAT-IF ×1",
        "what-if: detach DevelopersDaily from group/Developers",
    ]);
    assert!(screen.contains("Permissions +0 -"), "{screen}");
    assert!(screen.contains("- "), "the losses are listed:\n{screen}");
    tmux.keys(&["w"]);
    let why = tmux.wait_for("Why: ");
    assert!(why.contains("DENIED"), "{why}");
    // Escape alone: followed at once by `u`, a terminal reads Alt-u.
    tmux.keys(&["Escape"]);
    tmux.wait_until("the why view closed", |s| !s.contains("Why: "));
    tmux.keys(&["u"]);
    let screen = tmux.wait_for("what-if undone");
    assert!(!screen.contains("WHAT-IF"), "{screen}");
    tmux.keys(&["q"]);
    tmux.wait_for("EXITED:0");
    tmux.assert_terminal_restored();
}

/// A trainer at 80×24 with `--present`: the focused pane zoomed, carol's
/// session with MFA in the header and its countdown; `T` writes the theme
/// into the config directory XDG_CONFIG_HOME names (not the workspace, not
/// the current folder), and a broken config file is a warning in the log.
#[test]
fn presenter_mode_at_80x24_remembers_the_theme_in_the_config_directory() {
    let Some(tmux) = Tmux::new() else { return };
    let config = tmux.path("config");
    std::fs::create_dir_all(config.join("iamscope")).expect("config folder");
    let file = config.join("iamscope").join("config.json");
    std::fs::write(&file, "{ broken").expect("a broken config file");
    let script = format!(
        "XDG_CONFIG_HOME={} {} --present; echo EXITED:$?; sleep 30",
        quote_path(&config),
        quote(BIN)
    );
    let tmux = tmux.start(&["sh", "-c", &script]);
    tmux.run(&["resize-window", "-t", "main", "-x", "80", "-y", "24"]);
    let screen = tmux.wait_until("the zoomed users list at 80×24", |s| {
        s.lines().count() == 24 && s.contains("presenter (P)") && s.contains("┌ Users")
    });
    assert!(!screen.contains("┌ Permissions"), "{screen}");
    // The log is the zoomed pane after three Tabs: the warning is there,
    // wrapped whole.
    tmux.keys(&["Tab", "Tab", "Tab"]);
    let log = tmux.wait_until("the zoomed event log", |s| {
        !s.contains("┌ Users") && s.contains("warning: config file:")
    });
    assert!(log.contains("not a") && log.contains("defaults"), "{log}");
    tmux.keys(&["Tab"]);
    // carol, MFA on, her session: the header keeps who, MFA and the countdown.
    tmux.keys(&["j", "j", "c", "F2", "Enter", "s", "Enter"]);
    let screen = tmux.wait_for("1:00:00 left");
    let header = screen.lines().next().unwrap_or_default().to_string();
    for part in ["carol → EC2Terminator", "MFA on", "1:00:00 left"] {
        assert!(header.contains(part), "{part}: {header}");
    }
    // --present without a theme remembered: high-contrast; T goes to light.
    tmux.keys(&["T"]);
    tmux.wait_for("theme: light");
    let written = std::fs::read_to_string(&file).expect("the config file");
    assert!(written.contains("\"theme\": \"light\""), "{written}");
    assert!(written.contains("\"version\": 1"), "{written}");
    tmux.keys(&["q"]);
    tmux.wait_for("EXITED:0");
    tmux.assert_terminal_restored();
}

/// A room prepared the day before: `S` saves carol's session (refused
/// inside the workspace, written outside it), and `--restore FILE` at 80×24
/// opens on it again: the same acting identity, countdown and clock.
#[test]
fn save_the_demo_state_and_restore_it_at_80x24() {
    let Some(tmux) = Tmux::new() else { return };
    let file = tmux.path("demo.json");
    let inside = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-accounts/workshop/demo.json");
    let script = format!(
        "{} sample-accounts/workshop; echo EXITED:$?; {} sample-accounts/workshop --restore {}; echo EXITED:$?; sleep 30",
        quote(BIN),
        quote(BIN),
        quote_path(&file)
    );
    let tmux = tmux.start(&["sh", "-c", &script]);
    tmux.run(&["resize-window", "-t", "main", "-x", "80", "-y", "24"]);
    tmux.wait_for("[1] Users 6");
    tmux.keys(&["j", "j", "s"]);
    tmux.wait_for("Switch role — acting as carol");
    tmux.keys(&["Enter"]);
    tmux.wait_for("1:00:00 left");
    tmux.keys(&["p", "S"]);
    tmux.wait_for("Save the demo state to");
    tmux.type_text(inside.to_str().expect("UTF-8 path"));
    tmux.keys(&["Enter"]);
    tmux.wait_for("not saved:");
    assert!(!inside.exists(), "written into the workspace");
    tmux.keys(&["S"]);
    tmux.wait_for("Save the demo state to");
    tmux.type_text(file.to_str().expect("UTF-8 path"));
    tmux.keys(&["Enter"]);
    tmux.wait_for("demo state saved to");
    let saved = std::fs::read_to_string(&file).expect("the demo state file");
    assert!(saved.contains("\"version\": 1"), "{saved}");
    assert!(saved.contains("role/EC2Terminator"), "{saved}");
    let before = tmux.screen();
    let header = before.lines().next().unwrap_or_default().to_string();
    tmux.keys(&["q"]);
    let after = tmux.wait_for("demo state restored from");
    let restored = after
        .lines()
        .find(|l| l.contains("EC2Terminator") && l.contains("left"))
        .unwrap_or_default()
        .to_string();
    assert_eq!(restored.trim(), header.trim(), "{after}");
    assert!(restored.contains("PAUSED"), "{restored}");
    tmux.keys(&["q"]);
    tmux.wait_for("EXITED:0");
}

/// A trainer's script at 80×24 in the real binary, in one run: each of the
/// three lessons' allowed *and* denied beats, a what-if that closes a door,
/// a comparison, and the demo state saved and restored (issue 16). Each
/// beat is a few keys; the whole script is typed in well under two minutes.
#[test]
fn a_trainers_script_at_80x24() {
    let Some(tmux) = Tmux::tui("") else { return };
    let started = std::time::Instant::now();
    tmux.wait_for("[1] Users 6");
    tmux.run(&["resize-window", "-t", "main", "-x", "80", "-y", "24"]);
    tmux.wait_until("80 columns", |s| {
        s.lines().next().is_some_and(|l| l.chars().count() <= 80) && s.contains("[1] Users 6")
    });
    let ask = |action: &str, resource: &str, verdict: &str| {
        tmux.keys(&["a"]);
        tmux.wait_for("Ask as");
        tmux.type_text(action);
        if !resource.is_empty() {
            tmux.type_text(&format!(" {resource}"));
        }
        tmux.keys(&["Enter"]);
        let why = tmux.wait_for_all(&["Why: ", verdict]);
        tmux.keys(&["Escape"]);
        tmux.wait_until("the why view closed", |s| !s.contains("Why: "));
        why
    };
    let more_keys = |keys: &str| {
        tmux.keys(&["c"]);
        tmux.wait_for("Request context");
        tmux.keys(&["Down", "Down", "Down"]);
        tmux.type_text(keys);
        tmux.keys(&["Enter"]);
        tmux.wait_until("the form closed", |s| !s.contains("Request context"));
    };
    // Lesson 1, the auditor: dave cannot assume Auditor without MFA…
    tmux.keys(&["j", "j", "j", "s"]);
    // The picker's selected row (the detail pane has its own "✗ Auditor").
    tmux.wait_for_all(&["Switch role — acting as dave", "▶ ✗ Auditor"]);
    tmux.keys(&["Escape"]);
    tmux.wait_until("the picker closed", |s| !s.contains("Switch role"));
    // …and can with it.
    tmux.keys(&["c"]);
    tmux.wait_for("Request context");
    tmux.keys(&["F2", "Enter"]);
    tmux.wait_until("the form closed", |s| !s.contains("Request context"));
    tmux.keys(&["s"]);
    // The picker's row, not the detail pane's "✓ Auditor".
    tmux.wait_for_all(&["Switch role — acting as dave", "▶ ✓ Auditor"]);
    tmux.keys(&["Enter"]);
    tmux.wait_for_all(&["dave → Auditor", "left"]);
    tmux.keys(&["x"]);
    tmux.wait_until("the session ended", |s| {
        !s.lines().next().unwrap_or_default().contains("→ Auditor")
    });
    // Lesson 2, the critical task: carol cannot terminate a critical
    // instance before her session, can during it, and cannot after.
    const CRITICAL: &str = "arn:aws:ec2:eu-west-1:111111111111:instance/i-0critical";
    tmux.keys(&["1", "g", "j", "j"]);
    tmux.wait_for("▶ carol");
    more_keys("aws:ResourceTag/critical=true");
    ask("ec2:TerminateInstances", CRITICAL, "DENIED");
    tmux.keys(&["s"]);
    tmux.wait_for("Switch role — acting as carol");
    tmux.keys(&["Enter"]);
    tmux.wait_for_all(&["carol → EC2Terminator", "left"]);
    ask("ec2:TerminateInstances", CRITICAL, "ALLOWED");
    tmux.keys(&["x"]);
    tmux.wait_until("the session ended", |s| {
        !s.lines()
            .next()
            .unwrap_or_default()
            .contains("→ EC2Terminator")
    });
    ask("ec2:TerminateInstances", CRITICAL, "DENIED");
    // Lesson 3, cross-account: alice cannot write prod's artifacts from
    // dev, can through ProdDeploy (over HTTPS), and the SCP denies
    // iam:CreateUser even there.
    const ARTIFACT: &str = "arn:aws:s3:::prod-app-artifacts/app-1.4.2.zip";
    tmux.keys(&["1", "g"]);
    tmux.wait_for("▶ alice");
    ask("s3:PutObject", ARTIFACT, "DENIED");
    more_keys("; aws:SecureTransport=true");
    tmux.keys(&["s"]);
    tmux.wait_for("Switch role — acting as alice");
    tmux.keys(&["/"]);
    tmux.type_text("ProdDeploy");
    tmux.keys(&["Enter"]);
    tmux.wait_for("▶ ✓ ProdDeploy");
    tmux.keys(&["Enter"]);
    tmux.wait_for_all(&["alice → ProdDeploy", "left"]);
    ask("s3:PutObject", ARTIFACT, "ALLOWED");
    let scp = ask("iam:CreateUser", "", "DENIED");
    assert!(scp.contains("SCP"), "{scp}");
    tmux.keys(&["x"]);
    tmux.wait_until("the session ended", |s| {
        !s.lines()
            .next()
            .unwrap_or_default()
            .contains("→ ProdDeploy")
    });
    // A what-if that closes a door: detaching the Developers' daily policy
    // takes alice's everyday actions away; u undoes it.
    tmux.keys(&["W"]);
    tmux.wait_for("What-if: a change on a copy");
    tmux.keys(&["j", "j", "Enter"]);
    tmux.wait_for_all(&["WHAT-IF ×1", "what-if: detach DevelopersDaily"]);
    tmux.keys(&["u"]);
    tmux.wait_for("what-if undone");
    // A comparison: alice against bob, by service.
    tmux.keys(&["1", "g", "v", "j", "V"]);
    tmux.wait_for("alice → bob");
    tmux.keys(&["Escape"]);
    // Closed: only the event log's line still names it.
    tmux.wait_until("the comparison closed", |s| {
        s.contains("compared alice → bob") && s.matches("alice → bob").count() == 1
    });
    // The demo state: carol in her session, saved, then restored.
    // Outside the session's temporary folder, which goes with it.
    let file = std::env::temp_dir().join(format!("iamscope-script-{}.json", std::process::id()));
    tmux.keys(&["1", "g", "j", "j", "s"]);
    tmux.wait_for("Switch role — acting as carol");
    tmux.keys(&["Enter"]);
    tmux.wait_for_all(&["carol → EC2Terminator", "left"]);
    tmux.keys(&["S"]);
    tmux.wait_for("Save the demo state");
    tmux.type_text(&file.display().to_string());
    tmux.keys(&["Enter"]);
    tmux.wait_for("demo state saved");
    tmux.keys(&["q"]);
    tmux.wait_for("EXITED:0");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(120),
        "the script took {:?}",
        started.elapsed()
    );
    drop(tmux);
    let Some(tmux) = Tmux::tui(&format!("--restore {}", quote_path(&file))) else {
        return;
    };
    tmux.run(&["resize-window", "-t", "main", "-x", "80", "-y", "24"]);
    let restored = tmux.wait_for_all(&["carol → EC2Terminator", "left"]);
    let _ = std::fs::remove_file(&file);
    assert!(restored.contains("[1] Users 6"), "{restored}");
    tmux.keys(&["q"]);
    tmux.wait_for("EXITED:0");
    tmux.assert_terminal_restored();
}

/// `e` on the main screen exports carol's permissions at 80×24: refused
/// inside the workspace, then written as CSV outside it and read back, the
/// same actions as the pane lists, each a record.
#[test]
fn export_the_permissions_to_a_csv_file_at_80x24() {
    let Some(tmux) = Tmux::new() else { return };
    let file = tmux.path("carol.csv");
    let inside = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-accounts/workshop/carol.md");
    let script = format!(
        "{} sample-accounts/workshop; echo EXITED:$?; sleep 30",
        quote(BIN)
    );
    let tmux = tmux.start(&["sh", "-c", &script]);
    tmux.run(&["resize-window", "-t", "main", "-x", "80", "-y", "24"]);
    tmux.wait_for("[1] Users 6");
    tmux.keys(&["j", "j", "e"]);
    tmux.wait_for("Export the permissions of carol to");
    tmux.type_text(inside.to_str().expect("UTF-8 path"));
    tmux.keys(&["Enter"]);
    tmux.wait_for("not saved:");
    assert!(!inside.exists(), "written into the workspace");
    tmux.keys(&["e"]);
    tmux.wait_for("Export the permissions of carol to");
    tmux.type_text(file.to_str().expect("UTF-8 path"));
    tmux.keys(&["Enter"]);
    tmux.wait_for("exported the permissions of carol");
    let csv = std::fs::read_to_string(&file).expect("the exported file");
    let records: Vec<&str> = csv.split("\r\n").collect();
    assert_eq!(records[0], "service,access level,action,resources", "{csv}");
    for record in [
        "ec2,List,ec2:DescribeInstances,*",
        "sts,Write,sts:AssumeRole,arn:aws:iam::111111111111:role/EC2Terminator",
    ] {
        assert!(records.contains(&record), "{record} missing:\n{csv}");
    }
    assert!(records
        .iter()
        .skip(1)
        .all(|r| r.is_empty() || r.contains(':')));
    tmux.keys(&["q"]);
    tmux.wait_for("EXITED:0");
}

/// The UI on the workshop folder with its load held back `ms` (the test-only
/// hook), then the exit status line.
fn slow_load(ms: u32) -> Option<Tmux> {
    Tmux::sh(&format!(
        "IAMSCOPE_TEST_SLOW_LOAD_MS={ms} {} sample-accounts/workshop; echo EXITED:$?; sleep 30",
        quote(BIN)
    ))
}

/// The first screen comes before the workspace: the frame, the load's
/// progress in the header (at 80×24 too), then the panes once it is loaded.
#[test]
fn a_slow_load_shows_the_frame_and_its_progress_then_the_panes() {
    let Some(tmux) = slow_load(5000) else { return };
    let screen = tmux.wait_for_all(&["iamscope ─ workshop ─ loading:", "q quit"]);
    assert!(screen.contains("┌ Users"), "{screen}");
    assert!(!screen.contains("alice"), "{screen}");
    tmux.run(&["resize-window", "-t", "main", "-x", "80", "-y", "24"]);
    let screen = tmux.wait_until("the loading screen at 80×24", |s| {
        s.lines().count() == 24
            && s.lines().all(|l| l.chars().count() <= 80)
            && s.contains("iamscope ─ workshop ─ loading: ")
            && s.contains(" files, ")
            && s.contains(", 2 accounts")
    });
    assert!(screen.contains("C-c interrupt"), "{screen}");
    // Keys other than q and Ctrl-C wait for nothing.
    tmux.keys(&["j", "Enter", "Escape"]);
    let screen = tmux.wait_for_all(&["[1] Users 6", "alice", "acting as:"]);
    assert!(!screen.contains("loading"), "{screen}");
    tmux.keys(&["q"]);
    tmux.wait_for("EXITED:0");
    tmux.assert_terminal_restored();
}

/// `q` during the load quits at once, as a quit from the UI does.
#[test]
fn q_during_the_load_quits_with_status_0() {
    let Some(tmux) = slow_load(60_000) else {
        return;
    };
    tmux.wait_for("loading:");
    tmux.keys(&["q"]);
    tmux.wait_for("EXITED:0");
    tmux.assert_terminal_restored();
}

/// Ctrl-C during the load ends as Ctrl-C ends a command: status 130.
#[test]
fn ctrl_c_during_the_load_exits_130() {
    let Some(tmux) = slow_load(60_000) else {
        return;
    };
    tmux.wait_for("loading:");
    tmux.keys(&["C-c"]);
    tmux.wait_for("EXITED:130");
    tmux.assert_terminal_restored();
}
