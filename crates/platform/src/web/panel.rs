//! Panels: a part of one module's page that another module fills in. The
//! public profile page lists the courses a person teaches although the
//! profiles module sits above the courses (it may not call them): the catalog
//! registers a [`Panel`] for [`Slot::Profile`], and the profile page renders
//! whatever panels that slot has, in the order the modules are listed.
//!
//! Like navigation links, panels are compile-time data (function pointers),
//! kept in one process-wide table that [`crate::module::Module::install`]
//! fills; installing the same panel twice changes nothing.

use std::sync::{Arc, LazyLock, RwLock};

use futures::future::BoxFuture;

use super::Page;
use crate::{AppResult, AppState};

/// Where on a page panels go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Slot {
    /// Below a person's public profile (`/u/{id}`); the subject is their user id.
    Profile,
}

/// Renders a panel's HTML for `subject` (what the page is about), or `None`
/// when there is nothing to show. The HTML is the module's own template,
/// escaped as every template is.
pub type RenderFn = for<'a> fn(&'a AppState, &'a Page, &'a str) -> BoxFuture<'a, AppResult<Option<String>>>;

/// One module's panel: its slot, a name (what makes it one), and its renderer.
#[derive(Clone, Copy)]
pub struct Panel {
    pub slot: Slot,
    pub name: &'static str,
    pub render: RenderFn,
}

impl std::fmt::Debug for Panel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Panel").field("slot", &self.slot).field("name", &self.name).finish_non_exhaustive()
    }
}

static PANELS: LazyLock<RwLock<Arc<Vec<Panel>>>> = LazyLock::new(Default::default);

fn same(a: &Panel, b: &Panel) -> bool {
    a.slot == b.slot && a.name == b.name
}

/// Adds panels to the process's table (once each, by slot and name).
pub fn install(panels: &[Panel]) {
    let mut table = PANELS.write().unwrap_or_else(|poisoned| poisoned.into_inner());
    if panels.iter().all(|p| table.iter().any(|t| same(t, p))) {
        return;
    }
    let mut next = (**table).clone();
    for panel in panels {
        if !next.iter().any(|t| same(t, panel)) {
            next.push(*panel);
        }
    }
    *table = Arc::new(next);
}

/// The HTML of every panel of `slot` that has something to show for `subject`.
/// A panel that fails fails the page: it is content, not decoration.
pub async fn render(state: &AppState, page: &Page, slot: Slot, subject: &str) -> AppResult<Vec<String>> {
    let table = PANELS.read().unwrap_or_else(|poisoned| poisoned.into_inner()).clone();
    let mut out = Vec::new();
    for panel in table.iter().filter(|p| p.slot == slot) {
        if let Some(html) = (panel.render)(state, page, subject).await? {
            out.push(html);
        }
    }
    Ok(out)
}
