//! No import cycles between modules: read every file under `src/`, collect
//! the modules each one names (`use` trees, and `crate::…`, `super::…`,
//! `self::…` or child-module paths anywhere in its code), and fail on any
//! strongly connected group of two or more modules within a layer that must
//! stay acyclic: `src/tui`, and the engine core `src/eval`, `src/policy`,
//! `src/model` taken together.
//!
//! A path names the deepest module it reaches (`super::app::App` names
//! `tui::app`); a name a module only re-exports (`pub use x::Y`) counts as
//! the module it comes from, so a parent's re-exports do not look like a
//! cycle with its children. Test-only code (`#[cfg(test)]` inline modules
//! and files) is left out: tests may reach anywhere.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

type Module = Vec<String>;

struct File {
    module: Module,
    text: String,
}

fn read_files(root: &Path) -> Vec<File> {
    let mut out = Vec::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let Ok(relative) = path.strip_prefix(root) else {
                continue;
            };
            let mut module: Module = relative
                .with_extension("")
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if matches!(
                module.last().map(String::as_str),
                Some("mod" | "lib" | "main")
            ) {
                module.pop();
            }
            // Test files (`tests.rs`, `tests/…`) are tests.
            if module.iter().any(|m| m == "tests") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            out.push(File { module, text });
        }
    }
    out
}

/// The code of a file without comments, string literals and test modules.
fn code_lines(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut skip_depth: Option<i64> = None;
    let mut depth: i64 = 0;
    let mut cfg_test = false;
    for raw in text.lines() {
        let line = strip(raw);
        let trimmed = line.trim();
        let opens = line.matches('{').count() as i64;
        let closes = line.matches('}').count() as i64;
        if skip_depth.is_none() && cfg_test && trimmed.starts_with("mod ") && opens > 0 {
            skip_depth = Some(depth);
        }
        if trimmed.starts_with("#[cfg(test)]") {
            cfg_test = true;
        } else if !trimmed.is_empty() {
            cfg_test = false;
        }
        depth += opens - closes;
        if let Some(d) = skip_depth {
            if depth <= d {
                skip_depth = None;
            }
            continue;
        }
        out.push(line);
    }
    out
}

/// A line without its `//` comment and the contents of its string literals.
fn strip(line: &str) -> String {
    let mut out = String::new();
    let mut chars = line.chars().peekable();
    let mut in_string = false;
    while let Some(c) = chars.next() {
        if in_string {
            match c {
                '\\' => {
                    chars.next();
                }
                '"' => {
                    in_string = false;
                    out.push('"');
                }
                _ => {}
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push('"');
            }
            '/' if chars.peek() == Some(&'/') => break,
            _ => out.push(c),
        }
    }
    out
}

/// Every path of a `use` tree: `a::{b, c::{d, e}}` gives `a::b`, `a::c::d`, `a::c::e`.
fn expand_use(tree: &str) -> Vec<String> {
    let tree: String = tree.chars().filter(|c| !c.is_whitespace()).collect();
    fn go(prefix: &str, tree: &str, out: &mut Vec<String>) {
        match tree.find('{') {
            None => {
                let path = tree.split(" as ").next().unwrap_or(tree);
                out.push(format!("{prefix}{path}"));
            }
            Some(open) => {
                let head = &tree[..open];
                let inner = &tree[open + 1..tree.len().saturating_sub(1)];
                let mut level = 0;
                let mut start = 0;
                let mut parts = Vec::new();
                for (i, c) in inner.char_indices() {
                    match c {
                        '{' => level += 1,
                        '}' => level -= 1,
                        ',' if level == 0 => {
                            parts.push(&inner[start..i]);
                            start = i + 1;
                        }
                        _ => {}
                    }
                }
                parts.push(&inner[start..]);
                for part in parts.into_iter().filter(|p| !p.is_empty()) {
                    go(&format!("{prefix}{head}"), part, out);
                }
            }
        }
    }
    let mut out = Vec::new();
    go("", &tree, &mut out);
    out
}

struct Crate {
    modules: BTreeSet<Module>,
    /// Per module: name re-exported → the path it comes from (absolute).
    reexports: BTreeMap<Module, BTreeMap<String, Vec<String>>>,
}

impl Crate {
    /// The deepest module `segments` (absolute) reaches, following re-exports.
    fn resolve(&self, segments: &[String]) -> Option<Module> {
        let mut module: Module = Vec::new();
        for (i, seg) in segments.iter().enumerate() {
            let mut next = module.clone();
            next.push(seg.clone());
            if self.modules.contains(&next) {
                module = next;
                continue;
            }
            if let Some(target) = self.reexports.get(&module).and_then(|r| r.get(seg)) {
                let mut path = target.clone();
                path.extend(segments[i + 1..].iter().cloned());
                if path != segments {
                    return self.resolve(&path);
                }
            }
            break;
        }
        (!module.is_empty()).then_some(module)
    }
}

/// `path` (as written in `module`, whose child modules are `children`) as
/// absolute segments; `None` for paths into other crates.
fn absolute(module: &Module, children: &BTreeSet<String>, path: &str) -> Option<Vec<String>> {
    let segments: Vec<&str> = path.split("::").filter(|s| !s.is_empty()).collect();
    let first = *segments.first()?;
    let mut base: Vec<String> = match first {
        "crate" => Vec::new(),
        "super" | "self" => module.clone(),
        child if children.contains(child) => module.clone(),
        _ => return None,
    };
    let mut rest = &segments[..];
    if first == "crate" || first == "self" {
        rest = &segments[1..];
    }
    while rest.first() == Some(&"super") {
        base.pop();
        rest = &rest[1..];
    }
    base.extend(rest.iter().map(|s| s.to_string()));
    Some(base)
}

fn paths_in(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let bytes: Vec<char> = line.chars().collect();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let starts_word = i == 0 || !(bytes[i - 1].is_alphanumeric() || bytes[i - 1] == '_');
        if starts_word && (c.is_alphabetic() || c == '_') {
            let mut j = i;
            while j < bytes.len()
                && (bytes[j].is_alphanumeric() || bytes[j] == '_' || bytes[j] == ':')
            {
                j += 1;
            }
            let word: String = bytes[i..j].iter().collect();
            if word.contains("::") {
                out.push(word.trim_end_matches(':').to_string());
            }
            i = j.max(i + 1);
        } else {
            i += 1;
        }
    }
    out
}

fn graph(root: &Path) -> BTreeMap<Module, BTreeSet<Module>> {
    let files = read_files(root);
    let mut modules: BTreeSet<Module> = files.iter().map(|f| f.module.clone()).collect();
    modules.insert(Vec::new());
    let mut children: BTreeMap<Module, BTreeSet<String>> = BTreeMap::new();
    let mut uses: BTreeMap<Module, Vec<(bool, String)>> = BTreeMap::new();
    let mut other: BTreeMap<Module, Vec<String>> = BTreeMap::new();
    for file in &files {
        let lines = code_lines(&file.text);
        let kids = children.entry(file.module.clone()).or_default();
        for line in &lines {
            let t = line.trim();
            let decl = t.strip_prefix("pub ").unwrap_or(t);
            let decl = decl.strip_prefix("pub(crate) ").unwrap_or(decl);
            if let Some(name) = decl.strip_prefix("mod ").and_then(|r| r.strip_suffix(';')) {
                kids.insert(name.trim().to_string());
            }
        }
        // `use` statements may span lines: join until the `;`.
        let joined = lines.join("\n");
        let mut rest = joined.as_str();
        let mut code = String::new();
        while let Some(at) = find_use(rest) {
            code.push_str(&rest[..at.start]);
            let public = rest[..at.start].trim_end().ends_with("pub")
                || rest[..at.start].trim_end().ends_with(')');
            let end = rest[at.body..]
                .find(';')
                .map_or(rest.len(), |e| at.body + e);
            for path in expand_use(&rest[at.body..end]) {
                uses.entry(file.module.clone())
                    .or_default()
                    .push((public, path));
            }
            rest = &rest[(end + 1).min(rest.len())..];
        }
        code.push_str(rest);
        other
            .entry(file.module.clone())
            .or_default()
            .extend(code.lines().flat_map(paths_in));
    }
    let empty = BTreeSet::new();
    let mut reexports: BTreeMap<Module, BTreeMap<String, Vec<String>>> = BTreeMap::new();
    for (module, list) in &uses {
        let kids = children.get(module).unwrap_or(&empty);
        for (public, path) in list.iter().filter(|(p, _)| *p) {
            let _ = public;
            if let Some(abs) = absolute(module, kids, path) {
                if let Some(name) = abs.last().filter(|n| *n != "*") {
                    reexports
                        .entry(module.clone())
                        .or_default()
                        .insert(name.clone(), abs.clone());
                }
            }
        }
    }
    modules.retain(|m| !m.is_empty());
    let krate = Crate { modules, reexports };
    let mut edges: BTreeMap<Module, BTreeSet<Module>> = BTreeMap::new();
    for file in &files {
        let kids = children.get(&file.module).unwrap_or(&empty);
        let paths = uses
            .get(&file.module)
            .into_iter()
            .flatten()
            .map(|(_, p)| p.clone())
            .chain(other.get(&file.module).into_iter().flatten().cloned());
        for path in paths {
            let Some(abs) = absolute(&file.module, kids, &path) else {
                continue;
            };
            let Some(target) = krate.resolve(&abs) else {
                continue;
            };
            // A module's own items, or its ancestors' `mod` lines, are not imports.
            if target == file.module {
                continue;
            }
            edges.entry(file.module.clone()).or_default().insert(target);
        }
    }
    edges
}

struct UseAt {
    start: usize,
    body: usize,
}

/// The next `use ` statement in `text`.
fn find_use(text: &str) -> Option<UseAt> {
    let mut from = 0;
    while let Some(i) = text[from..].find("use ") {
        let at = from + i;
        let before = text[..at].chars().last();
        if before.is_none_or(|c| c == '\n' || c == ' ' || c == '\t') {
            let line_start = text[..at].rfind('\n').map_or(0, |n| n + 1);
            let lead = text[line_start..at].trim();
            if lead.is_empty() || lead == "pub" || lead.starts_with("pub(") {
                return Some(UseAt {
                    start: at,
                    body: at + 4,
                });
            }
        }
        from = at + 4;
    }
    None
}

/// Tarjan's strongly connected components over `succ`.
struct Tarjan {
    succ: Vec<Vec<usize>>,
    index: Vec<usize>,
    low: Vec<usize>,
    on_stack: Vec<bool>,
    stack: Vec<usize>,
    next: usize,
    /// Components of two or more nodes.
    groups: Vec<Vec<usize>>,
}

impl Tarjan {
    fn visit(&mut self, v: usize) {
        self.index[v] = self.next;
        self.low[v] = self.next;
        self.next += 1;
        self.stack.push(v);
        self.on_stack[v] = true;
        for i in 0..self.succ[v].len() {
            let w = self.succ[v][i];
            if self.index[w] == usize::MAX {
                self.visit(w);
                self.low[v] = self.low[v].min(self.low[w]);
            } else if self.on_stack[w] {
                self.low[v] = self.low[v].min(self.index[w]);
            }
        }
        if self.low[v] == self.index[v] {
            let mut group = Vec::new();
            while let Some(w) = self.stack.pop() {
                self.on_stack[w] = false;
                group.push(w);
                if w == v {
                    break;
                }
            }
            if group.len() > 1 {
                self.groups.push(group);
            }
        }
    }
}

/// Groups of two or more modules that reach each other (Tarjan's algorithm).
fn cycles(
    edges: &BTreeMap<Module, BTreeSet<Module>>,
    scope: impl Fn(&Module) -> bool,
) -> Vec<Vec<String>> {
    let nodes: Vec<&Module> = edges
        .keys()
        .chain(edges.values().flatten())
        .filter(|m| scope(m))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let index_of: BTreeMap<&Module, usize> =
        nodes.iter().enumerate().map(|(i, m)| (*m, i)).collect();
    let succ: Vec<Vec<usize>> = nodes
        .iter()
        .map(|m| {
            edges
                .get(*m)
                .into_iter()
                .flatten()
                .filter_map(|t| index_of.get(t).copied())
                .collect()
        })
        .collect();
    let mut tarjan = Tarjan {
        succ,
        index: vec![usize::MAX; nodes.len()],
        low: vec![0; nodes.len()],
        on_stack: vec![false; nodes.len()],
        stack: Vec::new(),
        next: 0,
        groups: Vec::new(),
    };
    for v in 0..nodes.len() {
        if tarjan.index[v] == usize::MAX {
            tarjan.visit(v);
        }
    }
    let groups = tarjan.groups;
    groups
        .into_iter()
        .map(|g| {
            let mut names: Vec<String> = g.iter().map(|&i| nodes[i].join("::")).collect();
            names.sort();
            names
        })
        .collect()
}

fn describe(edges: &BTreeMap<Module, BTreeSet<Module>>, group: &[String]) -> String {
    let mut out = format!("cycle between {}:\n", group.join(", "));
    for (from, targets) in edges {
        let from_name = from.join("::");
        if !group.contains(&from_name) {
            continue;
        }
        for to in targets {
            let to_name = to.join("::");
            if group.contains(&to_name) {
                out.push_str(&format!("  {from_name} -> {to_name}\n"));
            }
        }
    }
    out
}

fn src() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

#[test]
fn no_module_of_the_tui_imports_one_that_imports_it_back() {
    let edges = graph(&src());
    let found = cycles(&edges, |m| m.first().is_some_and(|f| f == "tui"));
    let report: Vec<String> = found.iter().map(|g| describe(&edges, g)).collect();
    assert!(found.is_empty(), "{}", report.join("\n"));
}

/// Privilege escalation's modules (one job each: graph, ask, hops, search...).
#[test]
fn no_module_of_escalation_imports_one_that_imports_it_back() {
    let edges = graph(&src());
    let found = cycles(&edges, |m| m.first().is_some_and(|f| f == "escalation"));
    let report: Vec<String> = found.iter().map(|g| describe(&edges, g)).collect();
    assert!(found.is_empty(), "{}", report.join("\n"));
}

/// The engine core: eval, policy and model.
#[test]
fn no_module_of_the_engine_core_imports_one_that_imports_it_back() {
    let edges = graph(&src());
    let found = cycles(&edges, |m| {
        m.first()
            .is_some_and(|f| f == "eval" || f == "policy" || f == "model")
    });
    let report: Vec<String> = found.iter().map(|g| describe(&edges, g)).collect();
    assert!(found.is_empty(), "{}", report.join("\n"));
}

/// The checker itself: a made-up crate with a cycle through a grouped `use`
/// and one through an inline path is caught; re-exports and test modules
/// are not taken for imports.
#[test]
fn the_checker_finds_cycles_and_only_cycles() {
    let dir = std::env::temp_dir().join(format!("module-cycles-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let write = |path: &str, text: &str| {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("dir");
        std::fs::write(path, text).expect("write");
    };
    write("lib.rs", "pub mod a;\npub mod b;\n");
    write("a/mod.rs", "mod x;\nmod y;\npub use x::X;\npub use y::Y;\n");
    // y uses a's re-export of x: no cycle with a, an edge y -> x.
    write("a/x.rs", "//! use super::y::Y;\npub struct X;\n#[cfg(test)]\nmod tests {\n    use super::super::y::Y;\n}\n");
    write("a/y.rs", "use super::X;\npub struct Y;\n");
    // b::p and b::q: a cycle through a grouped use and an inline path.
    write("b/mod.rs", "pub mod p;\npub mod q;\n");
    write("b/p.rs", "use super::{q::Q, p::P as _};\npub struct P;\n");
    write(
        "b/q.rs",
        "pub struct Q;\nfn f() { let s = \"crate::b::p\"; crate::b::p::P; }\n",
    );
    let edges = graph(&dir);
    let found = cycles(&edges, |_| true);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(
        found,
        vec![vec!["b::p".to_string(), "b::q".to_string()]],
        "{edges:?}"
    );
}
