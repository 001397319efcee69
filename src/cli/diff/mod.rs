//! `iamscope diff`: what one principal may do that another may not, or what
//! changed in an account between two dumps.
//!
//! Both forms rest on [`crate::eval::effective::diff`], the same `+`/`-`
//! comparison a session start shows, so the three never disagree.

mod principals;
mod workspaces;

use super::args::DiffArgs;
use super::check::fail;
use super::ExitCode;

pub fn run(args: &DiffArgs, wall_clock: i64) -> ExitCode {
    match (&args.principal, &args.with) {
        (Some(a), Some(b)) => {
            if args.workspaces.len() > 1 {
                return fail(
                    "with --principal, give at most one workspace (two workspaces compare dumps, without --principal)",
                );
            }
            principals::run(args, a, b, wall_clock)
        }
        // clap requires --principal and --with together.
        (None, None) => match args.workspaces.as_slice() {
            [old, new] => workspaces::run(old, new, args.json, wall_clock),
            _ => fail(
                "give OLD_WORKSPACE NEW_WORKSPACE to compare two dumps, or --principal A --with B to compare two principals",
            ),
        },
        _ => fail("--principal and --with go together"),
    }
}

/// `n` and the noun, plural when `n` is not 1.
fn count(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}
