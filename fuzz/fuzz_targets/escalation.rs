//! Escalation paths in a generated workspace: every request of a step that
//! needs nothing the dump cannot show is allowed by `check`.
#![no_main]

use arbitrary::Arbitrary;
use iamscope::workspace::load_sources;
use iamscope_fuzz::oracle::escalation_steps_allowed;
use iamscope_fuzz::scenario::{Context, Scenario};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Input {
    scenario: Scenario,
    context: Context,
}

fuzz_target!(|input: Input| {
    let loaded = load_sources("fuzz", input.scenario.sources());
    escalation_steps_allowed(&loaded.workspace, &input.context.build());
});
