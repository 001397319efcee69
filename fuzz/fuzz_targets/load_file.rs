//! Loading one workspace file: any bytes, no panic; then the first user or
//! role of the loaded accounts is resolved and its effective permissions
//! computed.
#![no_main]

use iamscope::eval::effective::effective_permissions;
use iamscope::eval::Principal;
use iamscope::policy::RequestContext;
use iamscope::workspace::{load_sources, Source};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // A recipe file builds a generated organization of up to a gigabyte,
    // which libFuzzer would report as a timeout or out-of-memory; recipes are
    // tested in src/workspace/recipe.rs instead.
    if data
        .windows(b"GeneratedOrganization".len())
        .any(|w| w == b"GeneratedOrganization")
    {
        return;
    }
    let loaded = load_sources(
        "fuzz",
        vec![Source {
            name: "f.json".into(),
            bytes: data.to_vec(),
        }],
    );
    for diagnostic in &loaded.diagnostics {
        let _ = diagnostic.to_string();
    }
    let workspace = &loaded.workspace;
    let Some(account) = workspace.accounts.first() else {
        return;
    };
    let name = account
        .users
        .first()
        .map(|u| u.name.clone())
        .or_else(|| account.roles.first().map(|r| r.name.clone()));
    let Some(name) = name else {
        return;
    };
    if let Ok(principal) = Principal::lookup(workspace, &name) {
        let _ = effective_permissions(workspace, &principal, &RequestContext::new(), 1_767_260_400);
    }
});
