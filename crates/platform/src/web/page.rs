//! What every page template receives as `page`: the viewer, the CSRF token,
//! the flash message, the language and the time zone, and the modules'
//! navigation badges.

use axum::{extract::FromRequestParts, http::request::Parts};
use axum_extra::extract::CookieJar;

use std::sync::Arc;

use super::{
    assets,
    badge::Badges,
    csrf::CsrfToken,
    flash, i18n,
    nav::{self, Menu},
};
use crate::{
    AppError,
    auth::{Caller, Role, Viewer},
    money::Money,
};

#[derive(Debug, Clone)]
pub struct Page {
    pub viewer: Option<Viewer>,
    /// This request's CSRF token; see [`Page::csrf`].
    csrf_token: Option<CsrfToken>,
    /// The token from the cookie, when the request passed no [`CsrfToken`]
    /// (error pages rendered outside the CSRF layer).
    csrf_cookie: String,
    pub flash: Option<flash::Flash>,
    pub locale: &'static str,
    /// The language numbers and prices are written in; see [`Page::money`].
    number_locale: String,
    pub time_zone: jiff::tz::TimeZone,
    /// The path of this request, for `aria-current` and `?next=` links.
    pub path: String,
    /// The modules' counts for this request (see [`Page::badge`]).
    badges: Badges,
    /// The strings, taken once per page.
    strings: Arc<i18n::Translations>,
}

impl Page {
    pub fn from_parts(parts: &Parts) -> Self {
        let viewer = match parts.extensions.get::<Caller>() {
            Some(Caller::User(v)) => Some((**v).clone()),
            _ => None,
        };
        let jar = CookieJar::from_headers(&parts.headers);
        let accept = parts.headers.get(http::header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or("");
        let locale = viewer.as_ref().map(|v| i18n::supported(&v.locale)).unwrap_or_else(|| i18n::negotiate(accept));
        // A signed-in viewer's own language, even one without translations yet
        // (`de` reads `19,99 €` on English pages); an anonymous visitor's is the
        // page's, so numbers and words agree on a page negotiated from
        // `Accept-Language` (which is part of the page cache's key).
        let number_locale = viewer.as_ref().map(|v| v.locale.clone()).unwrap_or_else(|| locale.to_string());
        let time_zone =
            viewer.as_ref().and_then(|v| jiff::tz::TimeZone::get(&v.time_zone).ok()).unwrap_or(jiff::tz::TimeZone::UTC);
        Self {
            csrf_token: parts.extensions.get::<CsrfToken>().cloned(),
            csrf_cookie: jar.get(super::csrf::COOKIE).map(|c| c.value().to_string()).unwrap_or_default(),
            flash: jar.get(flash::COOKIE).and_then(|c| flash::Flash::parse(c.value())),
            locale,
            number_locale,
            time_zone,
            path: parts.uri.path().to_string(),
            badges: parts.extensions.get::<Badges>().cloned().unwrap_or_default(),
            strings: i18n::current(),
            viewer,
        }
    }

    /// The token for a form's hidden `csrf` field. Asking for it is what makes
    /// a first-time visitor's token (and its cookie), so pages without forms
    /// set no cookie.
    pub fn csrf(&self) -> &str {
        match &self.csrf_token {
            Some(token) => token.value(),
            None => &self.csrf_cookie,
        }
    }

    /// Translates `key` into the viewer's language.
    pub fn t(&self, key: &str) -> String {
        self.strings.t(self.locale, key)
    }

    /// Translates `group.key`, for keys chosen at run time (roles, languages).
    pub fn t_in(&self, group: &str, key: &str) -> String {
        self.strings.t(self.locale, &format!("{group}.{key}"))
    }

    /// The count a module shows beside its navigation entry (0 when it has
    /// none for this request); `name` is the one the module registered.
    pub fn badge(&self, name: &str) -> i64 {
        self.badges.get(name)
    }

    /// An amount for this viewer, through the one formatter (`$19.99`, `19,99 €`).
    pub fn money(&self, money: Money) -> String {
        money.format(&self.number_locale)
    }

    pub fn asset(&self, name: &str) -> String {
        assets::url(name)
    }

    pub fn signed_in(&self) -> bool {
        self.viewer.is_some()
    }

    pub fn is_admin(&self) -> bool {
        self.viewer.as_ref().is_some_and(|v| v.role == Role::Admin)
    }

    pub fn display_name(&self) -> &str {
        self.viewer.as_ref().map(|v| v.display_name.as_str()).unwrap_or("")
    }

    /// The site header's links this viewer may see.
    pub fn main_nav(&self) -> Vec<NavItem> {
        self.nav(Menu::Main)
    }

    /// The tabs above the settings pages.
    pub fn settings_tabs(&self) -> Vec<NavItem> {
        self.nav(Menu::Settings)
    }

    /// The tabs above the administration pages.
    pub fn admin_tabs(&self) -> Vec<NavItem> {
        self.nav(Menu::Admin)
    }

    fn nav(&self, menu: Menu) -> Vec<NavItem> {
        let role = self.viewer.as_ref().map(|v| v.role);
        nav::visible(menu, role)
            .into_iter()
            .map(|link| NavItem {
                href: link.href,
                label: self.t(link.label),
                current: self.current(link.current),
                count: link.badge.map_or(0, |(name, _)| self.badge(name)),
                spoken: link.badge.map(|(_, spoken)| self.t(spoken)).unwrap_or_default(),
            })
            .collect()
    }

    /// `aria-current="page"` for the nav link that matches this page.
    pub fn current(&self, prefix: &str) -> &'static str {
        let here = if prefix == "/" { self.path == "/" } else { self.path.starts_with(prefix) };
        if here { "page" } else { "false" }
    }

    /// A stored epoch-millisecond timestamp, in the viewer's time zone.
    pub fn datetime(&self, epoch_ms: &i64) -> String {
        self.zoned(*epoch_ms, "%Y-%m-%d %H:%M %Z")
    }

    /// A file size as people read it ("512 MB", "147 KB"); see [`super::human_size`].
    pub fn size(&self, bytes: impl super::ByteCount) -> String {
        super::human_size_in(bytes.byte_count(), self.locale)
    }

    /// The day of a timestamp, without its time, in the page's language
    /// ("5 December 2026", "5 décembre 2026"), for dates where the hour means
    /// nothing ("member since", "issued").
    pub fn date(&self, epoch_ms: &i64) -> String {
        jiff::Timestamp::from_millisecond(*epoch_ms)
            .map(|ts| day_in(self.locale, &ts.to_zoned(self.time_zone.clone())))
            .unwrap_or_default()
    }

    fn zoned(&self, epoch_ms: i64, format: &str) -> String {
        jiff::Timestamp::from_millisecond(epoch_ms)
            .map(|ts| ts.to_zoned(self.time_zone.clone()).strftime(format).to_string())
            .unwrap_or_default()
    }

    pub fn flash_text(&self) -> String {
        self.flash.as_ref().map(|f| self.t(&f.key)).unwrap_or_default()
    }

    pub fn flash_kind(&self) -> &'static str {
        self.flash.as_ref().map(|f| f.kind.as_str()).unwrap_or("")
    }
}

/// How a language writes a day, where it is not as jiff writes English.
struct DayWords {
    lang: &'static str,
    /// The first of the month ("1er" in French).
    first: &'static str,
    /// January first.
    months: [&'static str; 12],
}

const DAY_WORDS: &[DayWords] = &[DayWords {
    lang: "fr",
    first: "1er",
    months: [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ],
}];

/// `day` as [`Page::date`] writes it in `locale`: "5 December 2026",
/// "5 décembre 2026", "1er décembre 2026".
fn day_in(locale: &str, day: &jiff::Zoned) -> String {
    let Some(words) = DAY_WORDS.iter().find(|w| w.lang == locale) else {
        return day.strftime("%-d %B %Y").to_string();
    };
    let month = words.months[usize::try_from(day.month() - 1).unwrap_or_default()];
    let number = if day.day() == 1 { words.first.to_string() } else { day.day().to_string() };
    format!("{number} {month} {}", day.year())
}

impl<S: Send + Sync> FromRequestParts<S> for Page {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        Ok(Page::from_parts(parts))
    }
}

/// A navigation link as a layout shows it to this viewer.
#[derive(Debug, Clone)]
pub struct NavItem {
    pub href: &'static str,
    pub label: String,
    /// `page` when this is the current page, `false` otherwise (for `aria-current`).
    pub current: &'static str,
    /// The link's badge count (0: none shown), and the words read out after it ("unread").
    pub count: i64,
    pub spoken: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A page for an anonymous visitor whose browser asks for `accept_language`.
    fn page(accept_language: &str) -> Page {
        let request = http::Request::builder().uri("/").header(http::header::ACCEPT_LANGUAGE, accept_language);
        let (parts, ()) = request.body(()).expect("request").into_parts();
        Page::from_parts(&parts)
    }

    /// Midnight UTC of `date` ("2026-12-05"), in epoch milliseconds.
    fn ms(date: &str) -> i64 {
        format!("{date}T00:00:00Z").parse::<jiff::Timestamp>().expect("timestamp").as_millisecond()
    }

    #[test]
    fn dates_are_written_in_the_page_language() {
        let (english, french) = (page("en"), page("fr-FR, fr;q=0.9"));
        assert_eq!((english.locale, french.locale), ("en", "fr"));
        assert_eq!(english.date(&ms("2026-12-05")), "5 December 2026");
        assert_eq!(french.date(&ms("2026-12-05")), "5 décembre 2026");
        assert_eq!(french.date(&ms("2026-02-01")), "1er février 2026");
        assert_eq!(french.date(&ms("2026-08-31")), "31 août 2026");
        assert_eq!(english.date(&ms("2026-02-01")), "1 February 2026");
        assert_eq!(page("de").date(&ms("2026-12-05")), "5 December 2026", "English for a language we lack");
        assert_eq!(
            french.datetime(&ms("2026-12-05")),
            english.datetime(&ms("2026-12-05")),
            "date and time stay numeric"
        );
    }
}
