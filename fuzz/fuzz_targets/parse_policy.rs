//! Parsing a policy document under one kind, and matching wildcard
//! patterns: any text, no panic, no slow unit. The kind is the input's
//! length modulo seven (a corpus entry stays plain JSON, and inserting or
//! erasing a byte moves it to another kind): parsing under all seven kinds
//! each time cost seven times as much per input for the same checks, since
//! the kinds differ only in what they lint.
#![no_main]

use iamscope::policy::glob::{CaseRule, Glob};
use iamscope::policy::{Policy, PolicyKind};
use libfuzzer_sys::fuzz_target;

const KINDS: [PolicyKind; 7] = [
    PolicyKind::Identity,
    PolicyKind::Resource,
    PolicyKind::Trust,
    PolicyKind::Scp,
    PolicyKind::Rcp,
    PolicyKind::Boundary,
    PolicyKind::Session,
];

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(value) = serde_json::from_str::<serde_json::Value>(text) {
        let kind = KINDS[data.len() % KINDS.len()];
        let mut problems = Vec::new();
        let _ = Policy::parse(&value, kind, &mut problems);
        for problem in &problems {
            let _ = format!("{}: {}", problem.path, problem.message);
        }
    }
    let mut middle = text.len() / 2;
    while !text.is_char_boundary(middle) {
        middle -= 1;
    }
    let (pattern, subject) = text.split_at(middle);
    let _ = Glob::new(pattern, CaseRule::Sensitive).matches(subject);
    let _ = Glob::new(pattern, CaseRule::Insensitive).matches(subject);
});
