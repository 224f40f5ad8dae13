//! Where settings come from and how a bad one is named: the keys the settings
//! accept, the `LYCEUM_*` variables that name them, the file and environment
//! providers layered over the defaults, and errors that say which source and
//! key were wrong.

use std::{collections::HashSet, path::Path};

use figment::{
    Figment,
    providers::{Format, Toml},
};

use super::*;

/// Every dotted key the settings accept (the platform's and the modules'
/// `sections`), derived from the defaults so that an unrelated `LYCEUM_*`
/// variable (say `LYCEUM_TEST_POSTGRES_URL`) is ignored.
pub(super) fn known_keys(sections: &[SectionSpec]) -> HashSet<String> {
    fn walk(prefix: &str, value: &serde_json::Value, out: &mut HashSet<String>) {
        if let serde_json::Value::Object(map) = value {
            for (k, v) in map {
                let key = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
                walk(&key, v, out);
                out.insert(key);
            }
        }
    }
    let mut out = HashSet::new();
    let defaults = serde_json::to_value(Settings::default()).expect("settings serialize");
    walk("", &defaults, &mut out);
    for section in sections {
        walk(section.name, &(section.defaults)(), &mut out);
        out.insert(section.name.to_string());
    }
    out
}

/// The `LYCEUM_*` variables that name a known key, as (dotted key, value).
pub(super) fn selected_env(
    env: impl IntoIterator<Item = (String, String)>,
    known: &HashSet<String>,
) -> Vec<(String, String)> {
    let mut env: Vec<(String, String, bool)> = env
        .into_iter()
        .filter_map(|(k, v)| {
            let key = k.strip_prefix("LYCEUM_")?.to_ascii_lowercase();
            let (key, alias) = match ENV_ALIASES.iter().find(|(alias, _)| *alias == key) {
                Some((_, canonical)) => ((*canonical).to_string(), true),
                None => (key.replace("__", "."), false),
            };
            known.contains(&key).then_some((key, v, alias))
        })
        .collect();
    // Aliases first, so the canonical variable, inserted later, overrides.
    env.sort_by_key(|(_, _, alias)| !alias);
    env.into_iter().map(|(k, v, _)| (k, v)).collect()
}

/// `base`, then the file, then the environment, each without the top-level keys in `without`.
pub(super) fn sources(base: Figment, file: Option<&Path>, env: &EnvProvider, without: &[&'static str]) -> Figment {
    let figment = match file {
        Some(path) => base.merge(Without(Toml::file_exact(path), without)),
        None => base,
    };
    figment.merge(Without(env.clone(), without))
}

/// A provider with some top-level keys taken out (the modules' tables, when
/// the platform's settings are read); its name and origin stay the inner one's.
pub(super) struct Without<'a, P>(P, &'a [&'static str]);

impl<P: figment::Provider> figment::Provider for Without<'_, P> {
    fn metadata(&self) -> figment::Metadata {
        self.0.metadata()
    }

    fn data(&self) -> Result<figment::value::Map<figment::Profile, figment::value::Dict>, figment::Error> {
        let mut data = self.0.data()?;
        for dict in data.values_mut() {
            dict.retain(|key, _| !self.1.contains(&key.as_str()));
        }
        Ok(data)
    }
}

/// The `LYCEUM_*` variables as a figment provider with a name `describe` knows.
#[derive(Clone)]
pub(super) struct EnvProvider(figment::value::Dict);

const ENV_SOURCE: &str = "environment";

impl figment::Provider for EnvProvider {
    fn metadata(&self) -> figment::Metadata {
        figment::Metadata::named(ENV_SOURCE)
    }

    fn data(&self) -> Result<figment::value::Map<figment::Profile, figment::value::Dict>, figment::Error> {
        Serialized::globals(&self.0).data()
    }
}

pub(super) fn env_provider(vars: Vec<(String, String)>) -> EnvProvider {
    let mut dict = figment::value::Dict::new();
    for (key, raw) in vars {
        let value: figment::value::Value = raw.parse().expect("figment parses any string");
        insert_dotted(&mut dict, &key, value);
    }
    EnvProvider(dict)
}

pub(super) fn insert_dotted(dict: &mut figment::value::Dict, key: &str, value: figment::value::Value) {
    match key.split_once('.') {
        None => {
            dict.insert(key.to_string(), value);
        }
        Some((head, rest)) => {
            let entry = dict
                .entry(head.to_string())
                .or_insert_with(|| figment::value::Value::from(figment::value::Dict::new()));
            if let figment::value::Value::Dict(_, inner) = entry {
                insert_dotted(inner, rest, value);
            }
        }
    }
}

/// One line per problem, naming the key and where its value came from;
/// `table` is the module table the error's path is inside, if any.
pub(super) fn describe(error: figment::Error, table: &str) -> String {
    error
        .into_iter()
        .map(|e| {
            let key = std::iter::once(table).filter(|t| !t.is_empty()).chain(e.path.iter().map(String::as_str));
            let key = key.collect::<Vec<_>>().join(".");
            let origin = origin_of(e.metadata.as_ref(), &key);
            match &e.kind {
                figment::error::Kind::UnknownField(field, _) => {
                    // figment's path may or may not already end with the field.
                    let full = match e.path.last() {
                        Some(last) if last == field => key.clone(),
                        _ if key.is_empty() => field.clone(),
                        _ => format!("{key}.{field}"),
                    };
                    format!("unknown setting `{full}`{origin}")
                }
                kind if key.is_empty() => format!("{kind}{origin}"),
                kind => format!("setting `{key}`{origin}: {kind}"),
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// Where the value of dotted `key` in `figment` came from (" in <file>", " from environment variable …").
pub(super) fn origin(figment: &Figment, key: &str) -> String {
    origin_of(figment.find_metadata(key), key)
}

pub(super) fn origin_of(metadata: Option<&figment::Metadata>, key: &str) -> String {
    metadata
        .map(|m| match &m.source {
            Some(figment::Source::File(path)) => format!(" in {}", path.display()),
            _ if m.name == ENV_SOURCE => {
                format!(" from environment variable LYCEUM_{}", key.to_uppercase().replace('.', "__"))
            }
            _ => format!(" in {}", m.name),
        })
        .unwrap_or_default()
}
