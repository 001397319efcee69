//! The engine's top-level modules form layers: none imports a module that
//! imports it back, directly or through others. A cycle makes each half
//! untestable without the other and turns every change into a change of
//! both, so this test reads the `crate::` paths of `src/` and fails on any
//! import cycle between top-level modules that goes through one of the
//! engine modules below, naming the cycle and a file:line for each step.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// The modules that must not take part in a cycle.
const ENGINE: [&str; 9] = [
    "eval",
    "policy",
    "model",
    "catalog",
    "sts",
    "who_can",
    "escalation",
    "arn",
    "pattern",
];

/// Leaf modules: shared by modules that must not import each other, so they
/// import nothing of the crate themselves.
const LEAVES: [&str; 2] = ["arn", "pattern"];

/// An import of module `to` by module `from`, first seen at `place`.
type Edges = BTreeMap<String, BTreeMap<String, String>>;

#[test]
fn engine_modules_import_no_module_that_imports_them_back() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let modules = top_level_modules(&src);
    let edges = import_edges(&src, &modules);
    let mut cycles = Vec::new();
    for component in strongly_connected(&modules, &edges) {
        if component.len() < 2 || !component.iter().any(|m| ENGINE.contains(&m.as_str())) {
            continue;
        }
        cycles.push(describe_cycle(&component, &edges));
    }
    assert!(
        cycles.is_empty(),
        "import cycles between top-level modules:\n{}",
        cycles.join("\n")
    );
}

#[test]
fn leaf_modules_import_nothing_of_the_crate() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let modules = top_level_modules(&src);
    let edges = import_edges(&src, &modules);
    for leaf in LEAVES {
        assert!(modules.contains(leaf), "no module {leaf}");
        let imports: Vec<String> = edges
            .get(leaf)
            .into_iter()
            .flatten()
            .map(|(to, place)| format!("{to} ({place})"))
            .collect();
        assert!(
            imports.is_empty(),
            "{leaf} is a leaf, yet imports {imports:?}"
        );
    }
}

#[test]
fn the_reader_sees_grouped_and_inline_paths() {
    let modules: BTreeSet<String> = ["eval", "model", "policy"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let line =
        "use crate::{model::Workspace, policy::Effect}; let x = crate::eval::run(); // crate::tui";
    assert_eq!(
        referenced_modules(line, &modules),
        ["eval", "model", "policy"].map(String::from).to_vec()
    );
}

/// `src/x.rs` and `src/x/` name module `x`; `lib.rs` and `main.rs` are the roots.
fn top_level_modules(src: &Path) -> BTreeSet<String> {
    let mut modules = BTreeSet::new();
    for entry in fs::read_dir(src).expect("src/ is readable").flatten() {
        let path = entry.path();
        let name = match path.file_stem().and_then(|s| s.to_str()) {
            Some(name) => name.to_string(),
            None => continue,
        };
        if path.is_dir()
            || (path.extension().is_some_and(|e| e == "rs") && name != "lib" && name != "main")
        {
            modules.insert(name);
        }
    }
    modules
}

fn import_edges(src: &Path, modules: &BTreeSet<String>) -> Edges {
    let mut edges = Edges::new();
    for module in modules {
        let mut files = Vec::new();
        let dir = src.join(module);
        if dir.is_dir() {
            rust_files(&dir, &mut files);
        }
        let file = src.join(format!("{module}.rs"));
        if file.is_file() {
            files.push(file);
        }
        files.sort();
        for file in files {
            let text = fs::read_to_string(&file).expect("source files are UTF-8");
            for (n, line) in text.lines().enumerate() {
                for to in referenced_modules(line, modules) {
                    if &to != module {
                        let place = format!(
                            "{}:{}",
                            file.strip_prefix(src.parent().unwrap_or(src))
                                .unwrap_or(&file)
                                .display(),
                            n + 1
                        );
                        edges
                            .entry(module.clone())
                            .or_default()
                            .entry(to)
                            .or_insert(place);
                    }
                }
            }
        }
    }
    edges
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir)
        .expect("source folders are readable")
        .flatten()
    {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level modules a line of code names through `crate::`, in order,
/// each once. Comments are left out: doc links are not imports.
fn referenced_modules(line: &str, modules: &BTreeSet<String>) -> Vec<String> {
    let code = line.split("//").next().unwrap_or_default();
    let mut found = BTreeSet::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // `crate::{a::X, b::{Y, Z}}`: the first name of each top-level entry.
            let mut depth = 0;
            let mut start = true;
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => start = true,
                    c if start && (c.is_alphanumeric() || c == '_') => {
                        let name: String = group[i..]
                            .chars()
                            .take_while(|c| c.is_alphanumeric() || *c == '_')
                            .collect();
                        found.insert(name);
                        start = false;
                    }
                    _ => {}
                }
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            found.insert(name);
        }
    }
    found.into_iter().filter(|m| modules.contains(m)).collect()
}

/// Tarjan's strongly connected components of the import graph.
fn strongly_connected(modules: &BTreeSet<String>, edges: &Edges) -> Vec<Vec<String>> {
    struct State<'a> {
        edges: &'a Edges,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        components: Vec<Vec<String>>,
    }
    fn visit<'a>(state: &mut State<'a>, v: &'a str) {
        let n = state.index.len();
        state.index.insert(v, n);
        state.low.insert(v, n);
        state.stack.push(v);
        state.on_stack.insert(v);
        let edges = state.edges;
        for w in edges.get(v).into_iter().flat_map(|m| m.keys()) {
            let w = w.as_str();
            if !state.index.contains_key(w) {
                visit(state, w);
                let low = state.low[v].min(state.low[w]);
                state.low.insert(v, low);
            } else if state.on_stack.contains(w) {
                let low = state.low[v].min(state.index[w]);
                state.low.insert(v, low);
            }
        }
        if state.low[v] == state.index[v] {
            let mut component = Vec::new();
            while let Some(w) = state.stack.pop() {
                state.on_stack.remove(w);
                component.push(w.to_string());
                if w == v {
                    break;
                }
            }
            component.sort();
            state.components.push(component);
        }
    }
    let mut state = State {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        components: Vec::new(),
    };
    for m in modules {
        if !state.index.contains_key(m.as_str()) {
            visit(&mut state, m);
        }
    }
    state.components
}

/// One cycle through the component, from its first module back to it:
/// `model -> workspace (src/model/x.rs:3) -> model (src/workspace/y.rs:9)`.
fn describe_cycle(component: &[String], edges: &Edges) -> String {
    let inside: BTreeSet<&str> = component.iter().map(String::as_str).collect();
    let start = component[0].as_str();
    // Breadth-first from `start` within the component, back to `start`.
    let mut came_from: BTreeMap<&str, &str> = BTreeMap::new();
    let mut queue = std::collections::VecDeque::from([start]);
    let mut last = None;
    while let Some(v) = queue.pop_front() {
        for w in edges.get(v).into_iter().flat_map(|m| m.keys()) {
            let w = w.as_str();
            if !inside.contains(w) {
                continue;
            }
            if w == start {
                last = Some(v);
                queue.clear();
                break;
            }
            if !came_from.contains_key(w) {
                came_from.insert(w, v);
                queue.push_back(w);
            }
        }
    }
    let mut between = Vec::new();
    let mut v = last.unwrap_or(start);
    while v != start {
        between.push(v);
        v = came_from.get(v).copied().unwrap_or(start);
    }
    between.reverse();
    let path: Vec<&str> = std::iter::once(start)
        .chain(between)
        .chain(std::iter::once(start))
        .collect();
    let mut out = format!("  {start}");
    for pair in path.windows(2) {
        let place = edges
            .get(pair[0])
            .and_then(|m| m.get(pair[1]))
            .map(String::as_str)
            .unwrap_or("?");
        out.push_str(&format!(" -> {} ({place})", pair[1]));
    }
    out
}
