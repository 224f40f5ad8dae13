//! Every `page.t("key")` in any module's templates has an English string, so
//! no page ever shows a raw key; and every English string has a French one
//! (file by file, with the same placeholders and markup, in French typography),
//! so a French page is French throughout.

use std::{
    collections::BTreeMap,
    path::{Path, PathBuf},
};

/// The languages besides English the interface is complete in.
const TRANSLATIONS: &[&str] = &["fr"];

/// Every file under `dir` whose name ends in `.{ext}` (templates, Rust sources).
fn files_named(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files_named(&path, ext, out);
        } else if path.extension().is_some_and(|e| e == ext) {
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
            files_named(&dir, "html", &mut files);
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

/// The message keys a Rust source names: the literal of every
/// `Text::new("…")` and `.arg_key(…, "…")`, and every string literal shaped
/// like a message key (`<module>.errors.…`, the platform's `errors.…`), which
/// also finds keys kept in constants and tables before they reach `Text::new`.
fn rust_keys_used(text: &str) -> Vec<String> {
    let is_key = |s: &str| {
        s.contains('.')
            && !s.ends_with('.')
            && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.')
    };
    // The literal `rest` starts with, if it does.
    let literal =
        |rest: &str| rest.trim_start().strip_prefix('"').and_then(|r| r.split('"').next()).map(str::to_string);
    let mut keys: Vec<String> = text.split("Text::new(").skip(1).filter_map(literal).collect();
    for arg in text.split(".arg_key(").skip(1) {
        // The second argument: `.arg_key("name", "key")`.
        let second = arg.trim_start().strip_prefix('"').and_then(|r| r.split_once('"')).map(|(_, r)| r);
        keys.extend(second.and_then(|r| literal(r.trim_start().strip_prefix(',')?)));
    }
    for (i, literal) in text.split('"').enumerate() {
        if i % 2 == 1 && literal.split('.').any(|part| part == "errors") && is_key(literal) {
            keys.push(literal.to_string());
        }
    }
    keys.retain(|k| is_key(k));
    keys.sort_unstable();
    keys.dedup();
    keys
}

#[test]
fn every_message_key_in_rust_has_an_english_string() {
    let mut files = Vec::new();
    for krate in std::fs::read_dir(crates_dir()).unwrap().flatten() {
        let dir = krate.path().join("src");
        if dir.is_dir() {
            files_named(&dir, "rs", &mut files);
        }
    }
    lyceum::modules().install();
    let mut found = 0;
    let mut missing = Vec::new();
    for file in &files {
        for key in rust_keys_used(&std::fs::read_to_string(file).unwrap()) {
            found += 1;
            if !lyceum_platform::web::i18n::has_key(&key) {
                missing.push(format!("{}: {key}", file.display()));
            }
        }
    }
    assert!(found > 100, "only {found} message keys found under {}", crates_dir().display());
    assert!(
        missing.is_empty(),
        "message keys in Rust with no English string (locales/en.toml, crates/platform/locales/en/):\n{}",
        missing.join("\n")
    );
}

#[test]
fn the_rust_key_scanner_finds_keys() {
    let source = r#"
        FieldError::new("q", Text::new("catalog.errors.search_too_long").arg("max", 200));
        const REUSED: &str = "accounts.errors.password_reused";
        Text::new(key).arg_key("named", "courses.errors.file_types.pdf").arg_key("found", found.label);
        /// `Text::new("…")`
        let plain = "Use free or paid."; let path = "crates/errors.rs"; let short = "errors.";
    "#;
    assert_eq!(
        rust_keys_used(source),
        ["accounts.errors.password_reused", "catalog.errors.search_too_long", "courses.errors.file_types.pdf"]
    );
}

/// The `crates/` directory.
fn crates_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap()
}

/// Every locale file of `lang` in the workspace, under the name it shares
/// with its other languages: `crates/<module>/locales/<lang>.toml` is
/// `<module>`, `crates/platform/locales/<lang>/<file>.toml` is `platform/<file>`.
fn locale_files(lang: &str) -> BTreeMap<String, PathBuf> {
    let mut files = BTreeMap::new();
    for krate in std::fs::read_dir(crates_dir()).unwrap().flatten() {
        let name = krate.file_name().to_string_lossy().into_owned();
        let dir = krate.path().join("locales");
        let single = dir.join(format!("{lang}.toml"));
        if single.is_file() {
            files.insert(name.clone(), single);
        }
        for entry in std::fs::read_dir(dir.join(lang)).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "toml") {
                files.insert(format!("{name}/{}", path.file_stem().unwrap().to_string_lossy()), path);
            }
        }
    }
    files
}

/// A locale file's strings by dotted key, as `web::i18n` reads them.
fn strings(path: &Path) -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(path).unwrap();
    let table: toml::Table = toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut out = BTreeMap::new();
    flatten(path, "", &table, &mut out);
    out
}

fn flatten(path: &Path, prefix: &str, table: &toml::Table, out: &mut BTreeMap<String, String>) {
    for (k, v) in table {
        let key = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
        match v {
            toml::Value::Table(inner) => flatten(path, &key, inner, out),
            toml::Value::String(text) => drop(out.insert(key, text.clone())),
            other => panic!("{}: {key} is not a string: {other:?}", path.display()),
        }
    }
}

/// What a translation must keep byte for byte: `{placeholders}` and `<tags>`, sorted.
fn fixed_parts(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    for (open, close) in [('{', '}'), ('<', '>')] {
        let mut rest = text;
        while let Some(start) = rest.find(open) {
            let Some(len) = rest[start..].find(close) else { break };
            parts.push(&rest[start..=start + len]);
            rest = &rest[start + len + 1..];
        }
    }
    parts.sort_unstable();
    parts
}

#[test]
fn every_english_file_has_a_translation_with_the_same_keys() {
    let english = locale_files("en");
    assert!(english.len() > 5, "English locale files not found under {}", crates_dir().display());
    let mut problems = Vec::new();
    for lang in TRANSLATIONS {
        let translated = locale_files(lang);
        for (name, path) in &english {
            let Some(other) = translated.get(name) else {
                problems.push(format!("{name}: no {lang} file beside {}", path.display()));
                continue;
            };
            let (en, tr) = (strings(path), strings(other));
            problems.extend(
                en.keys().filter(|k| !tr.contains_key(*k)).map(|k| format!("{name}: {k} has no {lang} string")),
            );
            problems.extend(
                tr.keys().filter(|k| !en.contains_key(*k)).map(|k| format!("{name}: {lang} key {k} is not in English")),
            );
            for (key, text) in &en {
                if let Some(translation) = tr.get(key).filter(|t| fixed_parts(t) != fixed_parts(text)) {
                    problems.push(format!("{name}: {lang} {key} changes placeholders or markup: {translation:?}"));
                }
            }
        }
        problems.extend(
            translated
                .keys()
                .filter(|name| !english.contains_key(*name))
                .map(|name| format!("{name}: a {lang} file with no English one")),
        );
    }
    assert!(problems.is_empty(), "translations out of step with English:\n{}", problems.join("\n"));
}

/// What the app installs, not only what is on disk: each module registers its
/// French file (`.locale("fr", …)`) beside its English one.
#[test]
fn every_english_string_is_installed_in_french() {
    use lyceum_platform::web::i18n;
    lyceum::modules().install();
    let (english, french) = (i18n::keys("en"), i18n::keys("fr"));
    let missing: Vec<&String> = english.iter().filter(|k| french.binary_search(k).is_err()).collect();
    let extra: Vec<&String> = french.iter().filter(|k| english.binary_search(k).is_err()).collect();
    assert!(missing.is_empty() && extra.is_empty(), "not installed in French: {missing:?}\nFrench only: {extra:?}");
    assert!(i18n::available().contains(&"fr"));
    assert_eq!(i18n::t("fr", "learning.nav"), "Mes cours");
}

/// French puts a narrow no-break space (U+202F) before `; : ! ?` and inside
/// `« »`; a plain or no-break space there is a line break waiting to happen
/// at the wrong place.
#[test]
fn french_strings_keep_french_typography() {
    const NARROW: char = '\u{202F}';
    let mut problems = Vec::new();
    for (name, path) in locale_files("fr") {
        for (key, text) in strings(&path) {
            let chars: Vec<char> = text.chars().collect();
            for (i, &c) in chars.iter().enumerate() {
                let before = i.checked_sub(1).map(|j| chars[j]);
                let after = chars.get(i + 1).copied();
                let ends_a_phrase = after.is_none_or(char::is_whitespace);
                let wrong = match c {
                    ';' | ':' | '!' | '?' => ends_a_phrase && before != Some(NARROW),
                    '»' => before != Some(NARROW),
                    '«' => after != Some(NARROW),
                    _ => false,
                };
                if wrong {
                    problems.push(format!("{name}: {key}: {c:?} in {text:?}"));
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "French punctuation without its narrow no-break space (U+202F):\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_fixed_parts_are_placeholders_and_tags() {
    assert_eq!(
        fixed_parts(r#"Wait {seconds} s, <a href="{login}">sign in</a>"#),
        ["</a>", r#"<a href="{login}">"#, "{login}", "{seconds}"]
    );
}
