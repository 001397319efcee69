//! Messy-dump recovery: adding a file that is not JSON at all (random bytes,
//! or another account's dump cut short) to a generated workspace changes no
//! answer about the workspace's own principals, and loading it never panics.
#![no_main]

use arbitrary::Arbitrary;
use iamscope::workspace::{load_sources, Source};
use iamscope_fuzz::oracle::same_answers;
use iamscope_fuzz::scenario::{Ask, Scenario};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
enum Broken {
    Bytes(Vec<u8>),
    /// Another scenario's account file, cut after this many bytes.
    Cut(Box<Scenario>, u16),
}

#[derive(Arbitrary, Debug)]
struct Input {
    scenario: Scenario,
    asks: Vec<Ask>,
    broken: Broken,
    /// The broken file's name sorts before the others (else after).
    first: bool,
}

fn broken_bytes(broken: &Broken) -> Vec<u8> {
    match broken {
        Broken::Bytes(bytes) => bytes.clone(),
        Broken::Cut(other, at) => {
            let text = serde_json::to_vec(&other.account_json()).unwrap_or_default();
            let at = (*at as usize).min(text.len());
            text[..at].to_vec()
        }
    }
}

fuzz_target!(|input: Input| {
    let bytes = broken_bytes(&input.broken);
    if serde_json::from_slice::<serde_json::Value>(&bytes).is_ok() {
        return;
    }
    let sources = input.scenario.sources();
    let clean = load_sources("fuzz", sources.clone());
    let mut messy_sources = sources;
    let name = if input.first {
        "0-broken.json"
    } else {
        "z-broken.json"
    };
    messy_sources.push(Source {
        name: name.to_string(),
        bytes,
    });
    let messy = load_sources("fuzz", messy_sources);
    for diagnostic in &messy.diagnostics {
        let _ = diagnostic.to_string();
    }
    let requests: Vec<_> = input.asks.iter().take(4).map(|a| a.request()).collect();
    same_answers(
        &clean.workspace,
        &messy.workspace,
        input.scenario.who.query(),
        &requests,
        "with an unparseable file added",
    );
});
