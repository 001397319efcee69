//! README's key tables are generated from the bindings table
//! (`iamscope::tui::keymap::markdown`), so the README cannot offer a key
//! the UI does not have, nor miss one it has. After changing a binding, run
//! `README_KEYS=write cargo test --test readme_keys` and read the diff.

const BEGIN: &str = "<!-- keys: generated from src/tui/keymap/table.rs (tests/readme_keys.rs); do not edit by hand -->\n";
const END: &str = "<!-- keys: end -->";

#[test]
fn readme_key_tables_are_the_bindings() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let readme = std::fs::read_to_string(&path).expect("README.md");
    let start = readme
        .find(BEGIN)
        .expect("README has the keys' begin marker")
        + BEGIN.len();
    let end = start
        + readme[start..]
            .find(END)
            .expect("README has the keys' end marker");
    let expected = format!("{}\n", iamscope::tui::keymap::markdown());
    if readme[start..end] == expected {
        return;
    }
    if std::env::var_os("README_KEYS").is_some_and(|v| v == "write") {
        let updated = format!("{}{expected}{}", &readme[..start], &readme[end..]);
        std::fs::write(&path, updated).expect("README.md written");
        return;
    }
    panic!(
        "README.md's key tables differ from the bindings; between the markers they should read:\n\n{expected}\n(README_KEYS=write cargo test --test readme_keys writes them)"
    );
}

#[test]
fn every_binding_is_in_one_of_the_tables() {
    let table = iamscope::tui::keymap::markdown();
    for binding in iamscope::tui::keymap::BINDINGS {
        assert!(
            table.contains(&format!(
                "| `{}` | {} |",
                binding.label.replace('|', "\\|"),
                binding.help.replace('|', "\\|")
            )),
            "{} missing",
            binding.label
        );
    }
}
