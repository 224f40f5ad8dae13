//! Formatted text: every text a teacher writes keeps the format it was
//! written in, so importing and exporting never guesses.

use serde::{Deserialize, Serialize};

/// How a text's body is to be read when it is shown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TextFormat {
    Markdown,
    Html,
    /// Plain text (also Moodle's "auto format", which is plain text with
    /// links made clickable).
    #[default]
    Plain,
}

/// A body of text and its format.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Text {
    pub body: String,
    pub format: TextFormat,
}

impl Text {
    pub fn new(body: impl Into<String>, format: TextFormat) -> Self {
        Self { body: body.into(), format }
    }

    pub fn plain(body: impl Into<String>) -> Self {
        Self::new(body, TextFormat::Plain)
    }

    pub fn markdown(body: impl Into<String>) -> Self {
        Self::new(body, TextFormat::Markdown)
    }

    pub fn html(body: impl Into<String>) -> Self {
        Self::new(body, TextFormat::Html)
    }

    /// Nothing but whitespace: a text a learner could not read anything in.
    pub fn is_blank(&self) -> bool {
        self.body.trim().is_empty()
    }
}
