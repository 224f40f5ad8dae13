//! Navigation entries: each module contributes its links to the site menu,
//! the settings tabs and the admin tabs ([`crate::Module::nav`]), and the
//! layouts list what the viewer may see, so the platform's templates name no
//! module's pages. Installed once per process, like the strings.

use std::sync::{Arc, LazyLock, RwLock};

use crate::auth::Role;

/// Where a link is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Menu {
    /// The site header.
    Main,
    /// The tabs above a signed-in user's settings pages.
    Settings,
    /// The tabs above the administration pages.
    Admin,
}

/// Who sees a link.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Audience {
    Everyone,
    SignedIn,
    /// Instructors and administrators.
    Staff,
    Admin,
}

impl Audience {
    /// Whether a viewer with `role` (`None`: signed out) sees the link.
    fn admits(self, role: Option<Role>) -> bool {
        match self {
            Audience::Everyone => true,
            Audience::SignedIn => role.is_some(),
            Audience::Staff => role.is_some_and(|r| r != Role::Learner),
            Audience::Admin => role == Some(Role::Admin),
        }
    }
}

/// One link: where it goes, its label (a translation key), and the path
/// prefix under which it is the current page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Link {
    pub menu: Menu,
    /// Position in its menu: lower first.
    pub order: u16,
    pub href: &'static str,
    pub label: &'static str,
    pub current: &'static str,
    pub audience: Audience,
    /// A navigation badge's name ([`super::badge`]) shown beside the label,
    /// and the translation key read out after its count ("2 unread").
    pub badge: Option<(&'static str, &'static str)>,
}

impl Link {
    /// A link shown to everyone, current on `href` and below.
    pub const fn new(menu: Menu, order: u16, href: &'static str, label: &'static str) -> Self {
        Self { menu, order, href, label, current: href, audience: Audience::Everyone, badge: None }
    }

    /// Current on pages under `prefix` instead of under `href`.
    pub const fn current(mut self, prefix: &'static str) -> Self {
        self.current = prefix;
        self
    }

    pub const fn audience(mut self, audience: Audience) -> Self {
        self.audience = audience;
        self
    }

    /// Shows the count of badge `name`, read out with the string `spoken`.
    pub const fn badge(mut self, name: &'static str, spoken: &'static str) -> Self {
        self.badge = Some((name, spoken));
        self
    }
}

static LINKS: LazyLock<RwLock<Arc<Vec<Link>>>> = LazyLock::new(Default::default);

/// Adds links to the process's menus (once each), keeping each menu in order.
pub fn install(links: &[Link]) {
    let mut table = LINKS.write().unwrap_or_else(|poisoned| poisoned.into_inner());
    if links.iter().all(|l| table.contains(l)) {
        return;
    }
    let mut next = (**table).clone();
    next.extend(links.iter().filter(|l| !table.contains(l)));
    next.sort_by_key(|l| l.order);
    *table = Arc::new(next);
}

/// The links of `menu` a viewer with `role` (`None`: signed out) may see, in order.
pub fn visible(menu: Menu, role: Option<Role>) -> Vec<Link> {
    let table = LINKS.read().unwrap_or_else(|poisoned| poisoned.into_inner()).clone();
    table.iter().filter(|l| l.menu == menu && l.audience.admits(role)).copied().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_viewer_sees_the_links_of_their_role_in_order() {
        const MENU: Menu = Menu::Admin;
        let links = [
            Link::new(MENU, 902, "/nav-test/b", "b").audience(Audience::Staff),
            Link::new(MENU, 901, "/nav-test/a", "a"),
            Link::new(MENU, 903, "/nav-test/c", "c").audience(Audience::Admin),
        ];
        install(&links);
        install(&links);
        let hrefs = |role| {
            visible(MENU, role).iter().filter(|l| l.href.starts_with("/nav-test")).map(|l| l.href).collect::<Vec<_>>()
        };
        assert_eq!(hrefs(None), ["/nav-test/a"]);
        assert_eq!(hrefs(Some(Role::Learner)), ["/nav-test/a"]);
        assert_eq!(hrefs(Some(Role::Instructor)), ["/nav-test/a", "/nav-test/b"]);
        assert_eq!(hrefs(Some(Role::Admin)), ["/nav-test/a", "/nav-test/b", "/nav-test/c"], "installed once, in order");
    }
}
