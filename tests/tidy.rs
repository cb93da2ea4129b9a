//! The habits the code keeps, checked on its text: every module says what it is in a `//!`
//! line; the language server uses nothing of the command-line shell; the shells use only
//! what the core makes public (nothing `pub(crate)`).

use std::path::{Path, PathBuf};

fn sources(folder: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(folder).expect("the folder is readable") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            found.extend(sources(&path));
        } else if path.extension().is_some_and(|extension| extension == "rs") {
            found.push(path);
        }
    }
    found.sort();
    found
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn is_shell(path: &Path) -> bool {
    ["cli", "lsp"]
        .iter()
        .any(|shell| path.starts_with(src().join(shell)))
}

/// `src/document/table.rs` → `crate::document::table`; `mod.rs` names its folder.
fn module_path(path: &Path) -> String {
    let relative = path.strip_prefix(src()).expect("a source file");
    let mut parts: Vec<String> = relative
        .iter()
        .map(|part| part.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    if parts
        .last()
        .is_some_and(|last| last == "mod" || last == "lib")
    {
        parts.pop();
    }
    std::iter::once("crate".to_string())
        .chain(parts)
        .collect::<Vec<_>>()
        .join("::")
}

#[test]
fn every_module_starts_with_what_it_is() {
    let missing: Vec<PathBuf> = sources(&src())
        .into_iter()
        .filter(|path| !std::fs::read_to_string(path).unwrap().starts_with("//!"))
        .collect();
    assert!(missing.is_empty(), "no `//!` first line: {missing:?}");
}

#[test]
fn the_language_server_uses_nothing_of_the_command_line_shell() {
    for path in sources(&src().join("lsp")) {
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            !text.contains("crate::cli"),
            "{} uses the CLI",
            path.display()
        );
    }
}

#[test]
fn the_shells_use_only_the_cores_public_items() {
    // Every `pub(crate)` item of the core, as `crate::module::name`.
    let mut internal = Vec::new();
    for path in sources(&src()).into_iter().filter(|path| !is_shell(path)) {
        let module = module_path(&path);
        for line in std::fs::read_to_string(&path).unwrap().lines() {
            let Some(rest) = line.trim_start().strip_prefix("pub(crate) ") else {
                continue;
            };
            let name = rest.split_whitespace().nth(1).map(|name| {
                name.split(|c: char| !c.is_alphanumeric() && c != '_')
                    .next()
                    .unwrap()
            });
            if let Some(name) = name.filter(|name| !name.is_empty()) {
                internal.push((module.clone(), name.to_string()));
            }
        }
    }
    assert!(
        !internal.is_empty(),
        "the scan found no pub(crate) item at all"
    );
    for path in sources(&src()).into_iter().filter(|path| is_shell(path)) {
        let text = std::fs::read_to_string(&path).unwrap();
        for (module, name) in &internal {
            let direct = format!("{module}::{name}");
            let listed = text.lines().any(|line| {
                line.contains(&format!("{module}::{{"))
                    && line
                        .split(|c: char| !c.is_alphanumeric() && c != '_')
                        .any(|word| word == name)
            });
            assert!(
                !text.contains(&direct) && !listed,
                "{} uses {direct}, which is not public",
                path.display()
            );
        }
    }
}
