//! A user-facing message written in Rust: a translation key and its named
//! arguments, e.g. `Text::new("catalog.errors.search_too_long").arg("max", 200)`.
//!
//! The words live only in the owning module's `locales/<lang>.toml`
//! (`<module>.errors.*`; the platform's under `errors.*` in `core.toml`), with
//! `{name}` placeholders. [`FieldError`](crate::FieldError) and
//! [`AppError`](crate::AppError) take a `Text` wherever they take a message
//! ([`Message`]): the API answers with the English text, exactly as a plain
//! string would read, and keeps the key so that a re-rendered form shows the
//! message in the viewer's language
//! ([`Refused::from_error`](crate::web::Refused::from_error)).
//! `tests/it/i18n_keys.rs` checks every `Text::new("…")` key in the sources
//! has an English string.

use std::fmt;

use crate::web::i18n;

/// A translation key and its named arguments (see the module docs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    key: &'static str,
    args: Vec<(&'static str, Arg)>,
}

/// A placeholder's value: as given, or a key translated with the message.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Arg {
    Plain(String),
    Key(&'static str),
}

impl Text {
    pub fn new(key: &'static str) -> Self {
        Self { key, args: Vec::new() }
    }

    /// Fills the `{name}` placeholder with `value`.
    pub fn arg(mut self, name: &'static str, value: impl fmt::Display) -> Self {
        self.args.push((name, Arg::Plain(value.to_string())));
        self
    }

    /// Fills the `{name}` placeholder with the string of `key`, in the
    /// message's language (a word such as a file type's name).
    pub fn arg_key(mut self, name: &'static str, key: &'static str) -> Self {
        self.args.push((name, Arg::Key(key)));
        self
    }

    pub fn key(&self) -> &'static str {
        self.key
    }

    /// The message in `locale` (falling back to English, then to the key).
    pub fn in_lang(&self, locale: &str) -> String {
        let args: Vec<(&str, String)> = self
            .args
            .iter()
            .map(|(name, arg)| match arg {
                Arg::Plain(value) => (*name, value.clone()),
                Arg::Key(key) => (*name, i18n::t(locale, key)),
            })
            .collect();
        fill(&i18n::t(locale, self.key), &args)
    }

    /// The message in English, as the API shows it.
    pub fn english(&self) -> String {
        self.in_lang("en")
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.english())
    }
}

/// Replaces each `{name}` of `template` that `args` names, in one pass (an
/// argument's value is never read for placeholders); other braces stay.
fn fill(template: &str, args: &[(&str, String)]) -> String {
    if args.is_empty() {
        return template.to_string();
    }
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let value =
            after.find('}').and_then(|end| args.iter().find(|(name, _)| *name == &after[..end]).map(|(_, v)| (end, v)));
        match value {
            Some((end, v)) => {
                out.push_str(v);
                rest = &after[end + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// What error constructors take as a message: a [`Text`] (translated on
/// pages) or plain text (the same in every language: internal, rare).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// The English text, as the API shows it.
    pub english: String,
    pub text: Option<Text>,
}

impl Message {
    /// The message in `locale`; plain text as it is.
    pub fn in_lang(&self, locale: &str) -> String {
        match &self.text {
            Some(text) => text.in_lang(locale),
            None => self.english.clone(),
        }
    }
}

impl From<Text> for Message {
    fn from(text: Text) -> Self {
        Self { english: text.english(), text: Some(text) }
    }
}

impl From<String> for Message {
    fn from(english: String) -> Self {
        Self { english, text: None }
    }
}

impl From<&str> for Message {
    fn from(english: &str) -> Self {
        english.to_string().into()
    }
}

impl From<&String> for Message {
    fn from(english: &String) -> Self {
        english.clone().into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_named_placeholders_once() {
        let args = [("max", "200".to_string()), ("name", "{max}".to_string())];
        assert_eq!(fill("Under {max} ({name}), {other} {", &args), "Under 200 ({max}), {other} {");
        assert_eq!(fill("No {args}", &[]), "No {args}");
    }

    #[test]
    fn a_text_reads_in_english_and_french() {
        let text = Text::new("errors.rate_limited").arg("seconds", 5);
        assert_eq!(text.english(), "Too many attempts. Try again in 5 seconds.");
        assert_eq!(text.in_lang("fr"), "Trop de tentatives. Réessayez dans 5 secondes.");
        assert_eq!(text.in_lang("de"), text.english(), "English when the language has no string");
        let message = Message::from(text.clone());
        assert_eq!((message.english.as_str(), message.text), (text.english().as_str(), Some(text)));
        assert_eq!(Message::from("plain").in_lang("fr"), "plain");
        let nested = Text::new("errors.money.no_decimals").arg_key("currency", "nav.home");
        assert_eq!(
            nested.in_lang("fr"),
            "Les montants en Accueil sont des nombres entiers, par exemple 1500 (sans séparateur de milliers)."
        );
    }
}
