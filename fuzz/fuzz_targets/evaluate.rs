//! Evaluating requests in a generated workspace (see `scenario`): the
//! workspace is loaded once per input and each request is evaluated with
//! the explanation, again, and outcome-only; the three must agree, and an
//! unconditional `Deny *` on `*` must deny.
#![no_main]

use arbitrary::Arbitrary;
use iamscope::workspace::load_sources;
use iamscope_fuzz::oracle::{decisions_agree, principal};
use iamscope_fuzz::scenario::{Ask, Scenario};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Input {
    scenario: Scenario,
    asks: Vec<Ask>,
}

fuzz_target!(|input: Input| {
    let loaded = load_sources("fuzz", input.scenario.sources());
    let workspace = &loaded.workspace;
    let who = principal(workspace, input.scenario.who.query());
    for ask in input.asks.iter().take(4) {
        decisions_agree(
            workspace,
            &who,
            &ask.request(),
            input.scenario.denies_everything(),
        );
    }
});
