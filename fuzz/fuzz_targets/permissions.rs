//! The permissions list of a generated principal against `check` under the
//! same context (see `oracle::permissions_agree_with_check`).
#![no_main]

use arbitrary::Arbitrary;
use iamscope::workspace::load_sources;
use iamscope_fuzz::oracle::{permissions_agree_with_check, principal};
use iamscope_fuzz::scenario::{Context, Scenario};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Input {
    scenario: Scenario,
    context: Context,
}

fuzz_target!(|input: Input| {
    let loaded = load_sources("fuzz", input.scenario.sources());
    let workspace = &loaded.workspace;
    let who = principal(workspace, input.scenario.who.query());
    permissions_agree_with_check(workspace, &who, &input.context.build());
});
