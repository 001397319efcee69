//! A recipe file, `{"GeneratedOrganization": {"Scale": 0.2, "Seed": 42}}`,
//! stands for the organization [`crate::generate`] builds at that scale and
//! seed: the loader reads the generated files in its place, in memory.
//!
//! Why: a large sample (20 MB at scale 0.2, 100 MB at scale 1) is better
//! generated than stored, yet `iamscope sample-accounts/enterprise` should
//! open like any other folder. Nothing is written; the same recipe gives the
//! same bytes on every run, so diagnostics and answers are stable. Generated
//! files are named `RECIPE → account-<id>.json (generated)` wherever a file
//! is named (diagnostics, the policy's origin in the UI).

use serde_json::{Map, Value};

use super::diagnostic::Diagnostic;
use super::locate::{locate, Position};
use super::Source;
use crate::policy::{JsonPath, Severity};

/// The top-level key that makes a file a recipe.
pub const RECIPE_KEY: &str = "GeneratedOrganization";

/// The largest scale a recipe may ask for: about 1 GB of JSON built in
/// memory each time the workspace opens. Larger organizations are for the
/// generator example, which writes them to disk.
pub const MAX_RECIPE_SCALE: f64 = 10.0;

// A recipe never asks for a scale the generator refuses.
const _: () = assert!(MAX_RECIPE_SCALE <= crate::generate::MAX_SCALE);

/// The seed of a recipe that names none (the generator example's default).
const DEFAULT_SEED: u64 = 42;

/// A recipe is a few lines: larger files are not looked at as one, so that
/// telling a recipe costs nothing on a 10 MB account dump.
const MAX_RECIPE_BYTES: usize = 64 * 1024;

/// What a recipe asks for.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Recipe {
    scale: f64,
    seed: u64,
}

/// `sources` with every recipe replaced, in its place, by the files it
/// generates. A recipe that cannot be used adds an error naming its file,
/// line and column, and the other files load as usual.
pub(super) fn expand(sources: Vec<Source>, diagnostics: &mut Vec<Diagnostic>) -> Vec<Source> {
    let mut out = Vec::with_capacity(sources.len());
    for source in sources {
        let recipe = match read_recipe(&source) {
            None => {
                out.push(source);
                continue;
            }
            Some(Err(diagnostic)) => {
                diagnostics.push(diagnostic);
                continue;
            }
            Some(Ok(recipe)) => recipe,
        };
        match crate::generate::generate(recipe.scale, recipe.seed) {
            Ok(generated) => out.extend(generated.files.into_iter().map(|file| Source {
                name: generated_name(&source.name, &file.name),
                bytes: file.bytes,
            })),
            Err(e) => diagnostics.push(Diagnostic {
                severity: Severity::Error,
                file: source.name,
                position: Some(Position { line: 1, column: 1 }),
                path: None,
                message: format!("the organization cannot be generated: {e}"),
                // Nothing was generated: a caveat for every answer.
                anchor: None,
            }),
        }
    }
    out
}

/// `sample-accounts/enterprise/enterprise.json → account-100000000001.json (generated)`.
pub fn generated_name(recipe: &str, file: &str) -> String {
    format!("{recipe} → {file} (generated)")
}

/// `None` when the file is not a recipe (the loader then reads it as any
/// other file, and reports it if it is not valid JSON); otherwise the recipe
/// or the first problem with it.
fn read_recipe(source: &Source) -> Option<Result<Recipe, Diagnostic>> {
    let bytes = &source.bytes;
    let quoted_key = format!("\"{RECIPE_KEY}\"");
    if bytes.len() > MAX_RECIPE_BYTES
        || !bytes
            .windows(quoted_key.len())
            .any(|w| w == quoted_key.as_bytes())
    {
        return None;
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).ok()?;
    let top: Map<String, Value> = serde_json::from_str(text).ok()?;
    let body = top.get(RECIPE_KEY)?;
    let error = |path: JsonPath, message: String| {
        Some(Err(Diagnostic {
            severity: Severity::Error,
            file: source.name.clone(),
            position: Some(locate(text, &path)),
            path: Some(path.to_string()),
            message,
            // A recipe in error generates nothing: a caveat for every answer.
            anchor: None,
        }))
    };
    let root = JsonPath::root().key(RECIPE_KEY);
    if let Some(other) = top.keys().find(|k| *k != RECIPE_KEY) {
        return error(
            JsonPath::root().key(other),
            format!(
                "a recipe file holds only \"{RECIPE_KEY}\"; put \"{other}\" in a file of its own"
            ),
        );
    }
    let scale_rule = format!("a number above 0 and at most {MAX_RECIPE_SCALE}");
    let Some(fields) = body.as_object() else {
        return error(
            root,
            format!(
                "\"{RECIPE_KEY}\" must be an object such as {{\"Scale\": 0.2, \"Seed\": 42}} (Scale: {scale_rule}; Seed: optional, an integer)"
            ),
        );
    };
    if let Some(other) = fields.keys().find(|k| *k != "Scale" && *k != "Seed") {
        return error(
            root.key(other),
            format!("unknown key \"{other}\": a recipe takes \"Scale\" and \"Seed\""),
        );
    }
    let Some(scale_value) = fields.get("Scale") else {
        return error(root, format!("\"Scale\" is missing: {scale_rule}"));
    };
    let scale = match scale_value.as_f64() {
        Some(scale) if scale > 0.0 && scale <= MAX_RECIPE_SCALE => scale,
        _ => {
            return error(
                root.key("Scale"),
                format!("\"Scale\" must be {scale_rule}, not {scale_value}"),
            )
        }
    };
    let seed = match fields.get("Seed") {
        None => DEFAULT_SEED,
        Some(value) => match value.as_u64() {
            Some(seed) => seed,
            None => {
                return error(
                    root.key("Seed"),
                    format!(
                        "\"Seed\" must be an integer from 0 to {}, not {value}",
                        u64::MAX
                    ),
                )
            }
        },
    };
    Some(Ok(Recipe { scale, seed }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::{load_sources, Loaded};

    /// A small account file, to show that the rest of a folder still loads.
    const ACCOUNT: &str = r#"{"UserDetailList": [{"UserName": "alice", "UserId": "AIDAEXAMPLE", "Arn": "arn:aws:iam::123456789012:user/alice"}]}"#;

    fn load(files: &[(&str, &str)]) -> Loaded {
        load_sources(
            "test",
            files
                .iter()
                .map(|(name, text)| Source {
                    name: name.to_string(),
                    bytes: text.as_bytes().to_vec(),
                })
                .collect(),
        )
    }

    /// The one diagnostic of a folder holding a bad recipe and an account,
    /// checking that the account loaded anyway.
    #[track_caller]
    fn only_error(recipe: &str) -> Diagnostic {
        let loaded = load(&[("a.json", ACCOUNT), ("recipe.json", recipe)]);
        assert_eq!(loaded.diagnostics.len(), 1, "{:#?}", loaded.diagnostics);
        assert_eq!(
            loaded.workspace.accounts.len(),
            1,
            "the account still loads"
        );
        let d = loaded.diagnostics[0].clone();
        assert_eq!(
            (d.severity, d.file.as_str()),
            (Severity::Error, "recipe.json")
        );
        d
    }

    #[track_caller]
    fn at(d: &Diagnostic, line: usize, column: usize, fragment: &str) {
        assert_eq!(d.position, Some(Position { line, column }), "{d}");
        assert!(d.message.contains(fragment), "{d}");
    }

    #[test]
    fn a_recipe_loads_the_generated_files_in_its_place_byte_for_byte() {
        let loaded = load(&[
            (
                "dir/org.json",
                r#"{"GeneratedOrganization": {"Scale": 0.01, "Seed": 7}}"#,
            ),
            ("dir/z-account.json", ACCOUNT),
        ]);
        assert!(loaded.diagnostics.is_empty(), "{:#?}", loaded.diagnostics);
        let generated = crate::generate::generate(0.01, 7).expect("generates");
        let ws = &loaded.workspace;
        assert_eq!(ws.accounts.len(), generated.summary.accounts + 1);
        assert!(ws.organization.is_some());
        assert_eq!(
            ws.resource_policies.len(),
            generated.summary.resource_policies
        );
        for file in &generated.files {
            let name = generated_name("dir/org.json", &file.name);
            let text = ws.sources.get(name.as_str()).expect("the file is a source");
            assert!(text.as_bytes() == file.bytes.as_slice(), "{name} differs");
        }
        assert_eq!(
            &*ws.accounts[0].file,
            "dir/org.json → account-100000000001.json (generated)"
        );
    }

    #[test]
    fn the_seed_defaults_to_42_and_a_bom_is_allowed() {
        let loaded = load(&[(
            "r.json",
            "\u{feff}{\"GeneratedOrganization\": {\"Scale\": 0.01}}",
        )]);
        assert!(loaded.diagnostics.is_empty(), "{:#?}", loaded.diagnostics);
        let generated = crate::generate::generate(0.01, 42).expect("generates");
        let name = generated_name("r.json", "organization.json");
        let text = loaded
            .workspace
            .sources
            .get(name.as_str())
            .expect("a source");
        assert!(text.as_bytes() == generated.files[3].bytes.as_slice());
    }

    #[test]
    fn a_bad_scale_is_an_error_at_its_value_and_the_rest_loads() {
        for (scale, shown) in [
            ("0", "not 0"),
            ("-1", "not -1"),
            ("10.5", "not 10.5"),
            ("\"big\"", "not \"big\""),
            ("null", "not null"),
            ("[0.2]", "not [0.2]"),
        ] {
            let recipe = format!("{{\n  \"GeneratedOrganization\": {{\n    \"Scale\": {scale},\n    \"Seed\": 1\n  }}\n}}");
            let d = only_error(&recipe);
            at(
                &d,
                3,
                14,
                "\"Scale\" must be a number above 0 and at most 10",
            );
            assert!(d.message.ends_with(shown), "{d}");
            assert_eq!(d.path.as_deref(), Some("GeneratedOrganization.Scale"));
        }
    }

    #[test]
    fn other_recipe_problems_name_their_place() {
        let d = only_error("{\"GeneratedOrganization\": {\"Seed\": 1}}");
        at(&d, 1, 27, "\"Scale\" is missing");
        let d = only_error("{\"GeneratedOrganization\": {\"Scale\": 0.1, \"Seed\": -3}}");
        at(&d, 1, 50, "\"Seed\" must be an integer");
        let d = only_error("{\"GeneratedOrganization\": {\"Scale\": 0.1, \"Sead\": 3}}");
        at(&d, 1, 50, "unknown key \"Sead\"");
        let d = only_error("{\"GeneratedOrganization\": 0.2}");
        at(&d, 1, 27, "must be an object");
        let d = only_error("{\"GeneratedOrganization\": {\"Scale\": 0.1}, \"Policies\": []}");
        at(&d, 1, 55, "put \"Policies\" in a file of its own");
    }

    #[test]
    fn a_file_naming_the_key_below_the_top_level_is_not_a_recipe() {
        let account = r#"{"UserDetailList": [{"UserName": "GeneratedOrganization", "UserId": "AIDAEXAMPLE", "Arn": "arn:aws:iam::123456789012:user/x", "Tags": [{"Key": "GeneratedOrganization", "Value": "x"}]}]}"#;
        let loaded = load(&[("a.json", account)]);
        assert!(loaded.diagnostics.is_empty(), "{:#?}", loaded.diagnostics);
        assert_eq!(loaded.workspace.accounts.len(), 1);
        // Invalid JSON is reported by the loader as for any file.
        let loaded = load(&[("r.json", "{\"GeneratedOrganization\": {\"Scale\": 0.2,}}")]);
        assert_eq!(loaded.diagnostics.len(), 1, "{:#?}", loaded.diagnostics);
        assert!(loaded.diagnostics[0].message.starts_with("invalid JSON"));
    }
}
