//! Caveats under an answer: the problems of the data it rests on.

use serde::Serialize;

use crate::text::clean;
use crate::workspace::caveats::Caveat;

/// How many caveats the text output lists; `--json` has every one.
const LISTED: usize = 12;

/// An answer as `--json` prints it: its own fields, then `"caveats"` (always
/// present, empty on clean data, so scripts can rely on the key).
#[derive(Serialize)]
pub struct WithCaveats<'a, T: Serialize> {
    #[serde(flatten)]
    pub answer: &'a T,
    pub caveats: &'a [Caveat],
}

/// The caveats as text, for under the answer; nothing when there are none.
pub fn render(caveats: &[Caveat]) -> String {
    if caveats.is_empty() {
        return String::new();
    }
    let mut out = format!(
        "\nCaveats: {} problem{} in the data this answer rests on (`iamscope validate` explains each):\n",
        caveats.len(),
        if caveats.len() == 1 { "" } else { "s" }
    );
    for caveat in caveats.iter().take(LISTED) {
        out.push_str(&format!("  {}\n", clean(&caveat.to_string())));
    }
    if caveats.len() > LISTED {
        out.push_str(&format!(
            "  … and {} more (--json lists every one)\n",
            caveats.len() - LISTED
        ));
    }
    out
}
