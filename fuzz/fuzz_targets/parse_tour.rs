//! Parsing a tour and playing it on the bundled workshop with the UI's own
//! code (as `validate` does): no panic.
#![no_main]

use std::sync::{Arc, OnceLock};

use iamscope::model::Workspace;
use libfuzzer_sys::fuzz_target;

fn workshop() -> Arc<Workspace> {
    static WORKSHOP: OnceLock<Arc<Workspace>> = OnceLock::new();
    WORKSHOP
        .get_or_init(|| Arc::new(iamscope::bundled::workshop::load().workspace))
        .clone()
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let workspace = workshop();
    if let Ok(tour) = iamscope::tour::parse("t.json", text) {
        let _ = iamscope::tui::headless::check(workspace, &tour, 1_767_260_400);
    }
});
