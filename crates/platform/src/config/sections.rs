//! Settings tables owned by modules. The platform does not know what a
//! module configures: a module declares its table as a [`Section`] type
//! (through its `Module`), the loader reads it from the same file and
//! `LYCEUM_<TABLE>__<KEY>` variables as the platform's own settings, with the
//! same error messages, and the module reads it back typed with
//! [`super::Settings::section`]. Several modules may share one table (each
//! reads its own keys); a key no module declares is an unknown setting.

use std::{
    any::{Any, TypeId},
    collections::HashMap,
    fmt,
};

use figment::Figment;
use serde::{Serialize, de::DeserializeOwned};

use super::ConfigError;

/// A module's settings: a struct whose fields are the keys of table `NAME`.
/// It should carry `#[serde(default)]` so every key is optional.
pub trait Section: Serialize + DeserializeOwned + Default + Clone + fmt::Debug + Send + Sync + 'static {
    /// The TOML table (and environment prefix) it is read from.
    const NAME: &'static str;
}

/// Reads a section from its table (figment's error is boxed: it is large).
type LoadFn = fn(&Figment) -> Result<Box<dyn Value>, Box<figment::Error>>;

/// A [`Section`] type as a value: what the loader needs to read and check it.
#[derive(Clone, Copy)]
pub struct SectionSpec {
    pub(super) name: &'static str,
    type_id: TypeId,
    /// The keys with their defaults, as JSON (known keys, for checks and variables).
    pub(super) defaults: fn() -> serde_json::Value,
    load: LoadFn,
}

impl SectionSpec {
    pub fn of<T: Section>() -> Self {
        Self {
            name: T::NAME,
            type_id: TypeId::of::<T>(),
            defaults: || serde_json::to_value(T::default()).expect("a settings section serializes"),
            load: |figment| Ok(Box::new(figment.extract::<T>().map_err(Box::new)?)),
        }
    }

    /// Every dotted key of this section (`uploads.avatar_max_bytes`).
    pub(super) fn keys(&self) -> Vec<String> {
        match (self.defaults)() {
            serde_json::Value::Object(map) => map.keys().map(|k| format!("{}.{k}", self.name)).collect(),
            _ => Vec::new(),
        }
    }
}

impl fmt::Debug for SectionSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SectionSpec").field("name", &self.name).finish_non_exhaustive()
    }
}

/// A loaded section, kept by type.
trait Value: Any + fmt::Debug + Send + Sync {
    fn clone_box(&self) -> Box<dyn Value>;
}

impl<T: Section> Value for T {
    fn clone_box(&self) -> Box<dyn Value> {
        Box::new(self.clone())
    }
}

/// The modules' loaded sections, one value per [`Section`] type.
#[derive(Debug, Default)]
pub struct Sections(HashMap<TypeId, Box<dyn Value>>);

impl Clone for Sections {
    fn clone(&self) -> Self {
        Self(self.0.iter().map(|(id, value)| (*id, value.clone_box())).collect())
    }
}

impl Sections {
    pub(super) fn get<T: Section>(&self) -> Option<&T> {
        let value: &dyn Any = &**self.0.get(&TypeId::of::<T>())?;
        value.downcast_ref()
    }

    pub(super) fn get_mut<T: Section>(&mut self) -> &mut T {
        let value = self.0.entry(TypeId::of::<T>()).or_insert_with(|| Box::new(T::default()));
        let value: &mut dyn Any = &mut **value;
        value.downcast_mut().expect("a section is stored under its own type")
    }

    /// Reads every declared section from `figment` (file and environment),
    /// refusing keys that no section declares; `describe` words figment's errors.
    pub(super) fn load(
        figment: &Figment,
        specs: &[SectionSpec],
        describe: impl Fn(figment::Error, &str) -> String,
    ) -> Result<Self, ConfigError> {
        check_unknown(figment, specs)?;
        let mut sections = Self::default();
        for spec in specs {
            let value = (spec.load)(&figment.focus(spec.name)).map_err(|e| ConfigError(describe(*e, spec.name)))?;
            sections.0.insert(spec.type_id, value);
        }
        Ok(sections)
    }
}

/// A key under a module's table that none of the table's sections declares,
/// or a table given as a plain value, is refused by name.
fn check_unknown(figment: &Figment, specs: &[SectionSpec]) -> Result<(), ConfigError> {
    let known: Vec<String> = specs.iter().flat_map(SectionSpec::keys).collect();
    let mut names: Vec<&str> = specs.iter().map(|s| s.name).collect();
    names.dedup();
    for name in names {
        let Ok(value) = figment.find_value(name) else { continue };
        let Some(table) = value.as_dict() else {
            return Err(ConfigError(format!(
                "setting `{name}`{} must be a table of keys",
                super::sources::origin(figment, name)
            )));
        };
        for key in table.keys().map(|k| format!("{name}.{k}")) {
            if !known.contains(&key) {
                return Err(ConfigError(format!("unknown setting `{key}`{}", super::sources::origin(figment, &key))));
            }
        }
    }
    Ok(())
}
