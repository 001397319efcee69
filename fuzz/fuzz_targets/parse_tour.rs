//! Parsing a tour and playing it on the bundled workshop: no panic.
#![no_main]

use std::sync::OnceLock;

use iamscope::model::Workspace;
use libfuzzer_sys::fuzz_target;

fn workshop() -> &'static Workspace {
    static WORKSHOP: OnceLock<Workspace> = OnceLock::new();
    WORKSHOP.get_or_init(|| iamscope::bundled::workshop::load().workspace)
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let workspace = workshop();
    if let Ok(tour) = iamscope::tour::parse("t.json", text) {
        let _ = iamscope::tour::play(workspace, &tour, 1_767_260_400);
    }
});
