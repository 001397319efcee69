//! The permissions list of a generated principal against `check` under the
//! same context (see `oracle::permissions_agree_with_check`). The list is
//! computed within the services the vocabulary names plus a fixed sample
//! (`oracle::oracle_scope`, 1,572 of the 22,091 actions): the oracle asks
//! only about those services, and each entry is the whole list's (tested in
//! src/eval/tests/oracles.rs), so the check is the same for less work per
//! input; what is given up is running the list's per-action code over the
//! other services, which no check here reads.
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
