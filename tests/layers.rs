//! The engine's layers, checked: `src/lib.rs` declares the modules lowest first, and a module
//! may use only the modules declared above it, so every arrow points down and there is no import
//! cycle. Within a folder module, the files (other than `mod.rs`) must not use each other in a
//! cycle either. Test code (`#[cfg(test)]` and below) may reach anywhere; the two edges
//! (`src/wasm/`, `src/bin/`) sit above everything.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// The `pub mod` names of `lib.rs`, in order (the edges excluded).
fn layer_order() -> Vec<String> {
    let lib = fs::read_to_string("src/lib.rs").unwrap();
    lib.lines()
        .filter_map(|l| l.trim().strip_prefix("pub mod "))
        .map(|m| m.trim_end_matches(';').to_string())
        .filter(|m| m != "wasm")
        .collect()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The code of a file before its tests, without comments.
fn code(path: &Path) -> String {
    strip(&fs::read_to_string(path).unwrap())
}

/// `text` without its test items (a `#[cfg(test)]` line and the item after it, to the end of
/// its block) and without comments.
fn strip(text: &str) -> String {
    let mut out = String::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let t = line.trim_start();
        if t.starts_with("#[cfg(test)]") {
            // The item it applies to: one line (`mod tests;`), or a block closed by a `}` at
            // the item's own indentation.
            if let Some(item) = lines.next() {
                if item.trim_end().ends_with('{') {
                    let indent = item.len() - item.trim_start().len();
                    let close = format!("{}}}", " ".repeat(indent));
                    for l in lines.by_ref() {
                        if l.trim_end() == close {
                            break;
                        }
                    }
                }
            }
            continue;
        }
        if t.starts_with("//") {
            continue;
        }
        // A trailing comment may name a module in words.
        out.push_str(line.split(" // ").next().unwrap());
        out.push('\n');
    }
    out
}

/// The identifiers that follow `prefix` in `code` (`crate::` -> `data`, `model`, ...).
fn after(code: &str, prefix: &str) -> BTreeSet<String> {
    code.match_indices(prefix)
        .filter(|(k, _)| {
            // Not the tail of a longer path (`foo_crate::`).
            !code[..*k]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric() || c == '_')
        })
        .map(|(k, _)| {
            code[k + prefix.len()..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect::<String>()
        })
        .filter(|s| !s.is_empty())
        .collect()
}

#[test]
fn every_module_uses_only_the_layers_below_it() {
    let order = layer_order();
    assert!(order.len() > 10, "lib.rs lists the modules: {order:?}");
    let rank: BTreeMap<&str, usize> = order
        .iter()
        .enumerate()
        .map(|(k, m)| (m.as_str(), k))
        .collect();
    let mut files = Vec::new();
    rust_files(Path::new("src"), &mut files);
    let mut wrong = Vec::new();
    let mut checked = 0;
    for f in &files {
        let rel = f.strip_prefix("src").unwrap();
        let top = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_string();
        if top == "lib" || top == "wasm" || top == "bin" {
            continue;
        }
        let own = *rank
            .get(top.as_str())
            .unwrap_or_else(|| panic!("{} is not declared in lib.rs", f.display()));
        checked += 1;
        for used in after(&code(f), "crate::") {
            match rank.get(used.as_str()) {
                Some(&r) if r > own => wrong.push(format!(
                    "{} ({top}) uses crate::{used}, declared after it in lib.rs",
                    f.display()
                )),
                _ => {}
            }
        }
    }
    assert!(checked > 40, "checked {checked} files");
    assert!(
        wrong.is_empty(),
        "arrows pointing up:\n{}",
        wrong.join("\n")
    );
}

/// A cycle in `g`, if it has one (a depth-first search for a back edge).
fn find_cycle<'a>(g: &BTreeMap<&'a str, Vec<&'a str>>) -> Option<Vec<&'a str>> {
    fn visit<'a>(
        n: &'a str,
        g: &BTreeMap<&'a str, Vec<&'a str>>,
        state: &mut BTreeMap<&'a str, u8>,
        path: &mut Vec<&'a str>,
    ) -> Option<Vec<&'a str>> {
        state.insert(n, 1);
        path.push(n);
        for &m in &g[n] {
            match state.get(m) {
                Some(1) => {
                    let start = path.iter().position(|&p| p == m).unwrap();
                    let mut c = path[start..].to_vec();
                    c.push(m);
                    return Some(c);
                }
                Some(_) => {}
                None => {
                    if let Some(c) = visit(m, g, state, path) {
                        return Some(c);
                    }
                }
            }
        }
        path.pop();
        state.insert(n, 2);
        None
    }
    let mut state = BTreeMap::new();
    for &n in g.keys() {
        if !state.contains_key(n) {
            if let Some(c) = visit(n, g, &mut state, &mut Vec::new()) {
                return Some(c);
            }
        }
    }
    None
}

#[test]
fn the_files_of_a_folder_module_use_each_other_without_a_cycle() {
    let mut files = Vec::new();
    rust_files(Path::new("src"), &mut files);
    // Folder -> (file stem -> the sibling stems it uses).
    let mut folders: BTreeMap<PathBuf, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    for f in &files {
        let stem = f.file_stem().unwrap().to_string_lossy().to_string();
        if stem == "mod" || f.parent() == Some(Path::new("src")) {
            continue;
        }
        let dir = f.parent().unwrap().to_path_buf();
        let module_path = dir
            .strip_prefix("src")
            .unwrap()
            .to_string_lossy()
            .replace('/', "::");
        let code = code(f);
        let mut uses = after(&code, "super::");
        uses.extend(after(&code, &format!("crate::{module_path}::")));
        folders.entry(dir).or_default().insert(stem, uses);
    }
    let mut cycles = Vec::new();
    for (dir, graph) in &folders {
        let siblings: BTreeMap<&str, Vec<&str>> = graph
            .iter()
            .map(|(f, uses)| {
                let next = uses
                    .iter()
                    .filter(|u| *u != f && graph.contains_key(*u))
                    .map(String::as_str)
                    .collect();
                (f.as_str(), next)
            })
            .collect();
        if let Some(c) = find_cycle(&siblings) {
            cycles.push(format!("{}: {}", dir.display(), c.join(" -> ")));
        }
    }
    assert!(cycles.is_empty(), "import cycles:\n{}", cycles.join("\n"));
}

#[test]
fn the_checker_sees_an_upward_arrow_and_a_cycle() {
    // The checks above would pass vacuously if they read nothing: show they find what they
    // look for.
    let code = "//! About crate::view.\nuse crate::session::Session;\nlet x = foo_crate::bar; // crate::lab in words\n#[cfg(test)]\nuse crate::cv;\n#[cfg(test)]\nmod tests {\n    use crate::sweep;\n}\nuse crate::model;\n";
    assert_eq!(
        after(&strip(code), "crate::"),
        BTreeSet::from(["session".to_string(), "model".to_string()])
    );
    assert_eq!(
        after("use super::params::TrainParams;", "super::"),
        BTreeSet::from(["params".to_string()])
    );
    let g = BTreeMap::from([
        ("loss", vec!["params"]),
        ("params", vec!["loss"]),
        ("sgd", vec!["params"]),
    ]);
    assert_eq!(find_cycle(&g), Some(vec!["loss", "params", "loss"]));
    let g = BTreeMap::from([("loss", vec![]), ("params", vec!["loss"])]);
    assert_eq!(find_cycle(&g), None);
}
