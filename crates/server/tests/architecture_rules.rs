//! Rules of the architecture that a test keeps, read from the source and the
//! running registry: every domain event has a subscriber, and the event list
//! in `docs/architecture.md` is the true one.

use std::{
    collections::BTreeMap,
    path::{Path, PathBuf},
};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Every `impl Event for X { const NAME: &'static str = "…"; }` in the crates' sources.
fn declared_events() -> Vec<String> {
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let mut files = Vec::new();
    for krate in std::fs::read_dir(crates).unwrap().flatten() {
        let src = krate.path().join("src");
        if src.is_dir() {
            rust_files(&src, &mut files);
        }
    }
    let mut names = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for block in text.split("impl Event for ").skip(1) {
            let name = block.split("const NAME: &'static str = \"").nth(1).and_then(|rest| rest.split('"').next());
            names.push(name.unwrap_or_else(|| panic!("an Event in {} without a NAME", file.display())).to_string());
        }
    }
    names.sort();
    names
}

/// The "Every event" table of `docs/architecture.md`: event → observing job kinds.
fn documented_events() -> BTreeMap<String, Vec<String>> {
    let doc = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/architecture.md");
    let text = std::fs::read_to_string(doc).unwrap();
    let table = text.split("| event | published by | observed by |").nth(1).expect("the event table");
    let ticked = |cell: &str| -> Vec<String> { cell.split('`').skip(1).step_by(2).map(str::to_string).collect() };
    table
        .lines()
        .skip(2)
        .take_while(|line| line.starts_with('|'))
        .map(|row| {
            let cells: Vec<&str> = row.split('|').collect();
            let mut kinds = ticked(cells[3]);
            kinds.sort();
            (ticked(cells[1]).remove(0), kinds)
        })
        .collect()
}

#[test]
fn every_event_has_a_subscriber_and_the_docs_list_them_all() {
    let registry = lyceum::job_registry();
    let subscribed: BTreeMap<String, Vec<String>> = registry
        .subscriptions()
        .into_iter()
        .map(|(event, kinds)| {
            let mut kinds: Vec<String> = kinds.into_iter().map(str::to_string).collect();
            kinds.sort();
            (event.to_string(), kinds)
        })
        .collect();
    let declared = declared_events();
    let without: Vec<&String> = declared.iter().filter(|e| !subscribed.contains_key(*e)).collect();
    assert!(without.is_empty(), "events published with no subscriber: {without:?}");
    assert_eq!(declared, subscribed.keys().cloned().collect::<Vec<_>>(), "a subscription to an undeclared event");
    assert_eq!(documented_events(), subscribed, "docs/architecture.md's event table differs from the registry");
}

/// The platform names no module, so adding one never means editing the
/// platform: no identifier, path, string or `include_str!` in
/// `crates/platform/src` is a module's name (comments may describe; code
/// may not). Words are split at `_`, `::`, `/`, `.` and camelCase humps.
#[test]
fn the_platform_names_no_module() {
    const MODULES: &[&str] = &["accounts", "profiles", "notifications", "courses", "catalog", "enrollment", "learning"];
    /// The line without its comment (a `//` not part of a `scheme://`).
    fn code(line: &str) -> &str {
        let cut = line.match_indices("//").map(|(i, _)| i).find(|&i| !line[..i].ends_with(':'));
        &line[..cut.unwrap_or(line.len())]
    }
    fn words(code: &str) -> Vec<String> {
        let mut out = Vec::new();
        for token in code.split(|c: char| !c.is_ascii_alphanumeric()) {
            let mut word = String::new();
            let mut previous_lower = false;
            for c in token.chars() {
                if c.is_ascii_uppercase() && previous_lower {
                    out.push(std::mem::take(&mut word));
                }
                previous_lower = c.is_ascii_lowercase();
                word.push(c.to_ascii_lowercase());
            }
            out.push(word);
        }
        out.retain(|w| !w.is_empty());
        out
    }
    let sample = words("lyceum_courses::x(\"/notifications/a\") UnreadNotifications");
    assert_eq!(sample, ["lyceum", "courses", "x", "notifications", "a", "unread", "notifications"]);
    assert_eq!(code("let a = \"https://x\"; // courses"), "let a = \"https://x\"; ");

    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../platform/src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    assert!(files.len() > 20, "platform sources not found under {}", src.display());
    let mut named = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        for (n, line) in text.lines().enumerate() {
            if let Some(module) = words(code(line)).into_iter().find(|w| MODULES.contains(&w.as_str())) {
                named.push(format!("{}:{}: `{module}` in {}", file.display(), n + 1, line.trim()));
            }
        }
    }
    assert!(
        named.is_empty(),
        "the platform names a module (contribute it through the module's `module()`):\n{}",
        named.join("\n")
    );
}
