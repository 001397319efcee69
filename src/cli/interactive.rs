//! Opening the terminal UI on a workspace.

use std::path::Path;
use std::sync::Arc;

use super::workspace_arg::open;
use super::ExitCode;
use crate::tui::run::{run as run_tui, Options};

pub fn run(path: Option<&Path>, mouse: bool, now: i64) -> ExitCode {
    let loaded = match open(path) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let errors: Vec<String> = loaded.errors().map(|d| d.to_string()).collect();
    let warnings = loaded.warnings().count();
    let notice = (!errors.is_empty()).then(|| {
        let mut text = format!(
            "The workspace has {} error{}; statements that could not be read are left out, so answers may be wrong. \
             `iamscope validate` lists every problem.\n\n",
            errors.len(),
            if errors.len() == 1 { "" } else { "s" }
        );
        for e in errors.iter().take(8) {
            text.push_str(e);
            text.push('\n');
        }
        ("Problems in the workspace".to_string(), text)
    });
    let options = Options { mouse, notice };
    match run_tui(
        Arc::new(loaded.workspace),
        (errors.len(), warnings),
        now,
        options,
    ) {
        Ok(()) => ExitCode::Ok,
        Err(e) => {
            eprintln!("iamscope: the terminal failed: {e}");
            ExitCode::BadInput
        }
    }
}
