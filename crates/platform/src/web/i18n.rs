//! One translation lookup for every user-facing string. A language is one
//! TOML file of `key = "text"` under `locales/`; English is the fallback.

use std::{collections::HashMap, sync::LazyLock};

type Catalog = HashMap<String, String>;

/// Per language, one file per module (so modules never edit each other's strings).
const SOURCES: &[(&str, &[&str])] = &[(
    "en",
    &[
        include_str!("../../locales/en/core.toml"),
        include_str!("../../locales/en/accounts.toml"),
        include_str!("../../locales/en/profiles.toml"),
        include_str!("../../locales/en/jobs.toml"),
        include_str!("../../locales/en/notifications.toml"),
        include_str!("../../locales/en/courses.toml"),
        include_str!("../../locales/en/enrollment.toml"),
        include_str!("../../locales/en/learning.toml"),
        include_str!("../../locales/en/catalog.toml"),
    ],
)];

static CATALOGS: LazyLock<HashMap<&'static str, Catalog>> = LazyLock::new(|| {
    SOURCES
        .iter()
        .map(|(code, files)| {
            let mut catalog = Catalog::new();
            for text in *files {
                catalog.extend(toml_catalog(text).unwrap_or_else(|e| panic!("locales/{code}: {e}")));
            }
            (*code, catalog)
        })
        .collect()
});

fn toml_catalog(text: &str) -> Result<Catalog, String> {
    let value: figment::value::Dict =
        figment::Figment::from(<figment::providers::Toml as figment::providers::Format>::string(text))
            .extract()
            .map_err(|e| e.to_string())?;
    let mut out = Catalog::new();
    flatten("", &value, &mut out);
    Ok(out)
}

fn flatten(prefix: &str, dict: &figment::value::Dict, out: &mut Catalog) {
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

/// The languages we have a catalog for.
pub fn available() -> Vec<&'static str> {
    SOURCES.iter().map(|(code, _)| *code).collect()
}

/// Picks the first supported language in an `Accept-Language` header.
pub fn negotiate(accept_language: &str) -> &'static str {
    accept_language
        .split(',')
        .filter_map(|part| part.split(';').next())
        .map(|tag| tag.trim().split('-').next().unwrap_or_default().to_ascii_lowercase())
        .find_map(|lang| SOURCES.iter().find(|(code, _)| *code == lang).map(|(code, _)| *code))
        .unwrap_or("en")
}

/// Normalises a stored locale to one we support.
pub fn supported(locale: &str) -> &'static str {
    SOURCES.iter().find(|(code, _)| *code == locale).map(|(code, _)| *code).unwrap_or("en")
}

/// Looks up `key` in `locale`, falling back to English, then to the key itself
/// (a test checks every key used in the templates exists in English).
pub fn t(locale: &str, key: &str) -> String {
    let catalogs = &*CATALOGS;
    catalogs
        .get(locale)
        .and_then(|c| c.get(key))
        .or_else(|| catalogs.get("en").and_then(|c| c.get(key)))
        .cloned()
        .unwrap_or_else(|| key.to_string())
}

/// True when English has `key` (for the template key test).
pub fn has_key(key: &str) -> bool {
    CATALOGS.get("en").is_some_and(|c| c.contains_key(key))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negotiates_and_falls_back() {
        assert_eq!(negotiate("fr-CH, fr;q=0.9, en;q=0.8"), "en");
        assert_eq!(negotiate(""), "en");
        assert_eq!(t("en", "nav.home"), "Home");
        assert_eq!(t("xx", "nav.home"), "Home");
        assert_eq!(t("en", "no.such.key"), "no.such.key");
    }
}
