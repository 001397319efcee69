//! Headless commands and their human and `--json` output.

/// `println!` that ends quietly when stdout is closed (`iamscope ... | head`)
/// instead of panicking.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}

/// `print!` that ends quietly when stdout is closed.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stdout().lock(), $($arg)*);
    }};
}

pub mod args;
mod assume;
mod batch;
mod caveats;
mod check;
mod diff;
mod escalation;
mod interactive;
mod permissions;
mod progress;
mod summary;

mod validate;
mod who_can;
mod workspace_arg;

pub use args::{Cli, Command};

/// The exit statuses scripts can rely on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitCode {
    /// Success; for `check`, the action is allowed.
    Ok = 0,
    /// `check`: the action is denied.
    Denied = 1,
    /// Bad input or usage.
    BadInput = 2,
}

/// Runs a parsed command line; `now_epoch` is the wall clock, read by the caller.
pub fn run(cli: Cli, now_epoch: i64) -> ExitCode {
    workspace_arg::use_cache(!cli.no_cache);
    match cli.command {
        Some(Command::Check(args)) => check::run(&args, now_epoch),
        Some(Command::Assume(args)) => assume::run(&args, now_epoch),
        Some(Command::Permissions(args)) => permissions::run(&args, now_epoch),
        Some(Command::WhoCan(args)) => who_can::run(&args, now_epoch),
        Some(Command::Escalation(args)) => escalation::run(&args, now_epoch),
        Some(Command::Diff(args)) => diff::run(&args, now_epoch),
        Some(Command::Validate(args)) => validate::run(&args, now_epoch),
        None if cli.summary || !std::io::IsTerminal::is_terminal(&std::io::stdout()) => {
            summary::run(cli.workspace.as_deref())
        }
        None => interactive::run(
            cli.workspace.as_deref(),
            cli.mouse,
            None,
            &cli.ui,
            now_epoch,
        ),
        Some(Command::Tour(args)) => interactive::run(
            args.workspace.as_deref(),
            args.mouse,
            Some(args.name.clone().unwrap_or_default()),
            &args.ui,
            now_epoch,
        ),
    }
}
