//! The `[catalog]` settings table, read with `state.settings.section::<CatalogSettings>()`.

use lyceum_platform::{config::Section, money::Currency};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct CatalogSettings {
    /// The site's currency: the one a catalog price range is in when the
    /// visitor chooses none.
    pub currency: Currency,
}

impl Default for CatalogSettings {
    fn default() -> Self {
        Self { currency: Currency::USD }
    }
}

impl Section for CatalogSettings {
    const NAME: &'static str = "catalog";
}
