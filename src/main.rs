//! The `iamscope` binary: parse the command line, read the clock, dispatch.

use clap::Parser;

fn main() {
    let cli = iamscope::cli::Cli::parse();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let code = iamscope::cli::run(cli, now);
    std::process::exit(code as i32);
}
