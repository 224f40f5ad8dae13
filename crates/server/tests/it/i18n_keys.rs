//! Every `page.t("key")` in any module's templates has an English string, so
//! no page ever shows a raw key.

use std::path::{Path, PathBuf};

fn templates(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            templates(&path, out);
        } else if path.extension().is_some_and(|e| e == "html") {
            out.push(path);
        }
    }
}

fn keys_used(text: &str) -> Vec<String> {
    text.split(".t(\"").skip(1).filter_map(|rest| rest.split('"').next()).map(str::to_string).collect()
}

/// The modules' navigation links name their labels by key too.
#[test]
fn every_navigation_label_has_an_english_string() {
    use lyceum_platform::{
        auth::Role,
        web::{
            i18n::has_key,
            nav::{Menu, visible},
        },
    };
    lyceum::modules().install();
    let mut missing = Vec::new();
    for menu in [Menu::Main, Menu::Settings, Menu::Admin] {
        let links = visible(menu, Some(Role::Admin));
        assert!(!links.is_empty(), "{menu:?} has no links");
        for link in links {
            let keys = std::iter::once(link.label).chain(link.badge.map(|(_, spoken)| spoken));
            missing.extend(keys.filter(|key| !has_key(key)).map(|key| format!("{} ({menu:?}): {key}", link.href)));
        }
    }
    assert!(missing.is_empty(), "navigation keys with no English string:\n{}", missing.join("\n"));
}

#[test]
fn every_template_key_has_an_english_string() {
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let mut files = Vec::new();
    for krate in std::fs::read_dir(crates).unwrap().flatten() {
        let dir = krate.path().join("templates");
        if dir.is_dir() {
            templates(&dir, &mut files);
        }
    }
    assert!(files.len() > 5, "templates not found under {}", crates.display());
    lyceum::modules().install();
    let mut missing = Vec::new();
    for file in &files {
        for key in keys_used(&std::fs::read_to_string(file).unwrap()) {
            if !lyceum_platform::web::i18n::has_key(&key) {
                missing.push(format!("{}: {key}", file.display()));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "keys missing from the modules' locales/en.toml (or crates/platform/locales/en/):\n{}",
        missing.join("\n")
    );
}

#[test]
fn the_key_scanner_finds_keys() {
    assert_eq!(keys_used(r#"{{ page.t("nav.home") }} and {{ page.t("a.b") }}"#), ["nav.home", "a.b"]);
}
