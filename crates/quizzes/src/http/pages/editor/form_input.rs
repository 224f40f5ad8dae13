//! Reading the question editor's posted form: fields looked up by name,
//! and typed numbers read with a message kept for each one that is not a
//! number (so the form comes back naming every mistake at once).

use lyceum_assessment::TextFormat;
use lyceum_platform::FieldError;

use super::draft::TextField;

/// Reads the typed numbers, keeping a message for each one that is not.
#[derive(Default)]
pub(super) struct Reader {
    pub(super) bad: Vec<FieldError>,
}

impl Reader {
    /// A typed number (a decimal comma is read as a point); `blank` when
    /// the field is empty, and a mistake when that is None.
    pub(super) fn number(&mut self, field: String, value: &str, blank: Option<f64>) -> f64 {
        let value = value.trim();
        let n = if value.is_empty() {
            blank
        } else {
            value.replace(',', ".").parse::<f64>().ok().filter(|n| n.is_finite())
        };
        n.unwrap_or_else(|| {
            self.bad.push(FieldError::new(field, lyceum_platform::Text::new("quizzes.editor.not_a_number")));
            0.0
        })
    }

    /// A share of the mark typed in percent (blank is 0 %), as a fraction.
    pub(super) fn percent(&mut self, field: String, value: &str) -> f64 {
        self.number(field, value, Some(0.0)) / 100.0
    }

    /// A small whole number (0–255; the question's own rule caps it lower, with its message).
    pub(super) fn count(&mut self, field: &str, value: &str) -> u8 {
        let value = value.trim();
        match value.parse::<u8>() {
            Ok(n) => n,
            Err(_) if value.is_empty() => 0,
            Err(_) => {
                self.bad.push(FieldError::new(field, lyceum_platform::Text::new("quizzes.editor.not_a_count")));
                0
            }
        }
    }
}

/// The posted fields, looked up by name.
pub(super) struct Fields<'a>(pub(super) &'a [(String, String)]);

impl Fields<'_> {
    pub(super) fn get(&self, name: &str) -> &str {
        self.0.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
    }

    pub(super) fn flag(&self, name: &str) -> bool {
        !self.get(name).is_empty()
    }

    /// A text and its hidden `{name}_format` (markdown when absent).
    pub(super) fn text(&self, name: &str) -> TextField {
        let format = match self.get(&format!("{name}_format")) {
            "html" => TextFormat::Html,
            "plain" => TextFormat::Plain,
            _ => TextFormat::Markdown,
        };
        TextField { body: self.get(name).to_string(), format }
    }

    /// Rows named `{prefix}_{i}_…`, in order up to the highest index sent
    /// (bounded, so a forged form cannot ask for a million rows).
    pub(super) fn rows<T>(&self, prefix: &str, row: impl Fn(&str) -> T) -> Vec<T> {
        const MAX_ROWS: usize = 200;
        let start = format!("{prefix}_");
        let count = self
            .0
            .iter()
            .filter_map(|(k, _)| k.strip_prefix(&start)?.split('_').next()?.parse::<usize>().ok())
            .filter(|i| *i < MAX_ROWS)
            .max()
            .map_or(0, |i| i + 1);
        (0..count).map(|i| row(&format!("{prefix}_{i}"))).collect()
    }
}
