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
