//! One translation lookup for every user-facing string. A language is one
//! TOML file of `key = "text"` per module; English is the fallback.
//!
//! The platform's own strings (`locales/<lang>/core.toml`, `jobs.toml`, in
//! English and French) are always there; each module embeds its own files
//! (`locales/en.toml`, `fr.toml`) and hands them over through its
//! [`crate::module::Module`], and the composition root [`install`]s them at
//! start-up. The strings live in one process-wide table rather than in
//! `AppState` because they are compile-time data that templates, e-mails and
//! error pages (rendered outside any handler) all read; installing only ever
//! adds, and installing the same file twice changes nothing, so apps started
//! side by side in one test process see the same table.

use std::{
    collections::{HashMap, HashSet},
    sync::{Arc, LazyLock, RwLock},
};

/// One language's strings, by dotted key.
type Strings = HashMap<String, String>;

/// One embedded translation file: its language code and its TOML text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Locale {
    pub lang: &'static str,
    pub toml: &'static str,
}

/// The platform's own files, present before anything is installed.
const PLATFORM: &[Locale] = &[
    Locale { lang: "en", toml: include_str!("../../locales/en/core.toml") },
    Locale { lang: "en", toml: include_str!("../../locales/en/jobs.toml") },
    Locale { lang: "fr", toml: include_str!("../../locales/fr/core.toml") },
    Locale { lang: "fr", toml: include_str!("../../locales/fr/jobs.toml") },
];

/// Every language's strings and the files they came from.
#[derive(Default, Clone)]
pub struct Translations {
    languages: HashMap<&'static str, Strings>,
    installed: HashSet<Locale>,
}

impl Translations {
    /// Adds `locale`'s strings (a file already added is skipped). A file that
    /// is not valid TOML is a build mistake, found by any test that starts the app.
    fn add(&mut self, locale: Locale) {
        if !self.installed.insert(locale) {
            return;
        }
        let strings = parse(locale.toml).unwrap_or_else(|e| panic!("a locale file for {:?}: {e}", locale.lang));
        self.languages.entry(locale.lang).or_default().extend(strings);
    }

    fn lookup(&self, locale: &str, key: &str) -> Option<&String> {
        self.languages.get(locale).and_then(|s| s.get(key)).or_else(|| self.languages.get("en")?.get(key))
    }

    /// `key` in `locale`, falling back to English, then to the key itself.
    pub fn t(&self, locale: &str, key: &str) -> String {
        self.lookup(locale, key).cloned().unwrap_or_else(|| key.to_string())
    }
}

impl std::fmt::Debug for Translations {
    /// The languages and their sizes: the strings would drown any debug output.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.languages.iter().map(|(lang, strings)| (lang, strings.len()))).finish()
    }
}

/// Replaced whole on install (copy on write), so a page takes the lock once
/// ([`current`]) and then reads without it.
static TABLE: LazyLock<RwLock<Arc<Translations>>> = LazyLock::new(|| {
    let mut table = Translations::default();
    PLATFORM.iter().for_each(|l| table.add(*l));
    RwLock::new(Arc::new(table))
});

/// Adds modules' translation files to the table (see the module docs).
pub fn install(locales: &[Locale]) {
    let mut table = TABLE.write().unwrap_or_else(|poisoned| poisoned.into_inner());
    if locales.iter().all(|l| table.installed.contains(l)) {
        return;
    }
    let mut next = (**table).clone();
    locales.iter().for_each(|l| next.add(*l));
    *table = Arc::new(next);
}

/// The table as it is now.
pub fn current() -> Arc<Translations> {
    TABLE.read().unwrap_or_else(|poisoned| poisoned.into_inner()).clone()
}

fn parse(text: &str) -> Result<Strings, String> {
    let value: figment::value::Dict =
        figment::Figment::from(<figment::providers::Toml as figment::providers::Format>::string(text))
            .extract()
            .map_err(|e| e.to_string())?;
    let mut out = Strings::new();
    flatten("", &value, &mut out);
    Ok(out)
}

fn flatten(prefix: &str, dict: &figment::value::Dict, out: &mut Strings) {
    for (k, v) in dict {
        let key = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
        match v {
            figment::value::Value::Dict(_, inner) => flatten(&key, inner, out),
            other => {
                out.insert(key, other.as_str().map(str::to_string).unwrap_or_else(|| format!("{other:?}")));
            }
        }
    }
}

/// The languages we have strings for.
pub fn available() -> Vec<&'static str> {
    let mut codes: Vec<&'static str> = current().languages.keys().copied().collect();
    codes.sort_unstable();
    codes
}

/// Picks the supported language an `Accept-Language` header prefers: by
/// weight (`q`, 1 when absent; `q=0` refuses), then in header order, by
/// primary subtag (`fr-CH` is `fr`); English when none is supported.
pub fn negotiate(accept_language: &str) -> &'static str {
    let table = current();
    let mut wanted: Vec<(f32, String)> = accept_language
        .split(',')
        .filter_map(|part| {
            let mut pieces = part.split(';');
            let lang = pieces.next()?.trim().split('-').next()?.to_ascii_lowercase();
            let q = match pieces.find_map(|p| p.trim().strip_prefix("q=")) {
                Some(q) => q.trim().parse::<f32>().ok()?,
                None => 1.0,
            };
            (q > 0.0).then_some((q, lang))
        })
        .collect();
    wanted.sort_by(|a, b| b.0.total_cmp(&a.0));
    wanted
        .iter()
        .find_map(|(_, lang)| table.languages.get_key_value(lang.as_str()).map(|(code, _)| *code))
        .unwrap_or("en")
}

/// Normalises a stored locale to one we support.
pub fn supported(locale: &str) -> &'static str {
    current().languages.get_key_value(locale).map(|(code, _)| *code).unwrap_or("en")
}

/// Looks up `key` in `locale`, falling back to English, then to the key itself
/// (tests check every key the templates and handlers use exists in English).
pub fn t(locale: &str, key: &str) -> String {
    current().t(locale, key)
}

/// True when English has `key` (for the translation key tests).
pub fn has_key(key: &str) -> bool {
    current().languages.get("en").is_some_and(|s| s.contains_key(key))
}

/// Every key `locale` has a string of its own for (not through the English
/// fallback), sorted; empty for a language we have no strings in. For the
/// translation tests: every installed language has the keys English has.
pub fn keys(locale: &str) -> Vec<String> {
    let mut keys: Vec<String> =
        current().languages.get(locale).map(|s| s.keys().cloned().collect()).unwrap_or_default();
    keys.sort_unstable();
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negotiates_and_falls_back() {
        // French is the platform's own (`locales/fr/`), so it is here without any module installed.
        assert!(available().contains(&"fr"), "{:?}", available());
        assert_eq!(negotiate("fr-CH, fr;q=0.9, en;q=0.8"), "fr");
        assert_eq!(negotiate("FR"), "fr");
        assert_eq!(negotiate("de-DE, de;q=0.9, en;q=0.5, fr;q=0.4"), "en", "the first supported one");
        assert_eq!(negotiate("en;q=0.5, fr"), "fr", "by weight, not by place");
        assert_eq!(negotiate("fr;q=0, en;q=0.1"), "en", "q=0 refuses a language");
        assert_eq!(negotiate("de, *;q=0.5"), "en");
        assert_eq!(negotiate(""), "en");
        assert_eq!(supported("fr"), "fr");
        assert_eq!(supported("pt-BR"), "en");
        assert_eq!(t("en", "nav.home"), "Home");
        assert_eq!(t("fr", "nav.home"), "Accueil");
        assert_eq!(t("xx", "nav.home"), "Home");
        assert_eq!(t("en", "no.such.key"), "no.such.key");
        assert_eq!(t("fr", "no.such.key"), "no.such.key");
    }

    #[test]
    fn a_language_without_a_string_falls_back_to_english() {
        const ENGLISH_ONLY: Locale = Locale { lang: "en", toml: "[i18n_fallback_test]\ngreeting = \"Hello\"\n" };
        install(&[ENGLISH_ONLY]);
        assert_eq!(t("fr", "i18n_fallback_test.greeting"), "Hello");
        assert!(!keys("fr").contains(&"i18n_fallback_test.greeting".to_string()), "keys are a language's own");
        assert!(keys("en").contains(&"i18n_fallback_test.greeting".to_string()));
    }

    #[test]
    fn the_platform_speaks_french_for_every_english_key() {
        let own = |lang| {
            let mut table = Translations::default();
            PLATFORM.iter().filter(|l| l.lang == lang).for_each(|l| table.add(*l));
            let mut keys: Vec<String> =
                table.languages.get(lang).map(|s| s.keys().cloned().collect()).unwrap_or_default();
            keys.sort_unstable();
            keys
        };
        let (english, french) = (own("en"), own("fr"));
        assert!(!english.is_empty());
        let missing: Vec<&String> = english.iter().filter(|k| !french.contains(k)).collect();
        let extra: Vec<&String> = french.iter().filter(|k| !english.contains(k)).collect();
        assert!(missing.is_empty() && extra.is_empty(), "no French string: {missing:?}; French only: {extra:?}");
    }

    #[test]
    fn installing_adds_strings_once() {
        const EXTRA: Locale = Locale { lang: "en", toml: "[i18n_test]\ngreeting = \"Hello\"\n" };
        install(&[EXTRA]);
        let after_first = current();
        install(&[EXTRA]);
        assert!(Arc::ptr_eq(&after_first, &current()), "a second install of the same file changes nothing");
        assert_eq!(t("en", "i18n_test.greeting"), "Hello");
        assert_eq!(t("en", "nav.home"), "Home", "the platform's strings stay");
    }
}
