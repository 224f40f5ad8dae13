//! Reading a GIFT file: blocks separated by blank lines, each a category
//! line or a question (`// comments` and `// [tag:x]` tags before it).

use super::answers::{self, Parsed};
use super::syntax::{find, unescape};
use crate::format::{ImportReport, Imported};
use crate::question::{Question, QuestionKind};
use crate::text::{Text, TextFormat};

/// Reads every question of a GIFT file; bad ones become problems with their line.
pub fn parse(input: &str) -> ImportReport {
    let mut report = ImportReport::default();
    let mut category = None;
    for block in blocks(input) {
        let mut lines = block.lines.as_slice();
        if let Some(rest) = lines.first().and_then(|(_, l)| l.trim().strip_prefix("$CATEGORY:")) {
            category = Some(rest.trim().to_owned()).filter(|c| !c.is_empty());
            lines = &lines[1..];
        }
        let Some(&(line, _)) = lines.first() else { continue };
        let text = lines.iter().map(|(_, l)| *l).collect::<Vec<_>>().join("\n");
        match question(&text) {
            Ok(question) => report.push(Imported {
                category: category.clone(),
                question,
                line,
                tags: block.tags,
                attachments: Vec::new(),
            }),
            Err(e) => report.problem(line + e.offset_line, e.message),
        }
    }
    report
}

/// A question's lines (with their numbers from 1) and the tags named in its comments.
struct Block<'a> {
    lines: Vec<(usize, &'a str)>,
    tags: Vec<String>,
}

fn blocks(input: &str) -> Vec<Block<'_>> {
    let mut blocks = Vec::new();
    let mut current = Block { lines: Vec::new(), tags: Vec::new() };
    // A byte-order mark is not text (editors on Windows add one).
    let input = input.strip_prefix('\u{feff}').unwrap_or(input);
    for (i, line) in input.lines().enumerate() {
        let trimmed = line.trim();
        if let Some(comment) = trimmed.strip_prefix("//") {
            current.tags.extend(tags(comment));
        } else if trimmed.is_empty() {
            if !current.lines.is_empty() {
                blocks.push(std::mem::replace(&mut current, Block { lines: Vec::new(), tags: Vec::new() }));
            }
        } else {
            current.lines.push((i + 1, line));
        }
    }
    if !current.lines.is_empty() {
        blocks.push(current);
    }
    blocks
}

/// `[tag:name]` markers in a comment, as Moodle writes them.
fn tags(comment: &str) -> Vec<String> {
    comment
        .split("[tag:")
        .skip(1)
        .filter_map(|t| t.split_once(']').map(|(name, _)| name.trim().to_owned()))
        .filter(|t| !t.is_empty())
        .collect()
}

/// Why a block is not a question, and on which of its lines.
pub(super) struct Error {
    pub offset_line: usize,
    pub message: String,
}

impl Error {
    pub(super) fn at(text: &str, offset: usize, message: impl Into<String>) -> Self {
        Self { offset_line: text[..offset.min(text.len())].matches('\n').count(), message: message.into() }
    }
}

fn question(block: &str) -> Result<Question, Error> {
    let (name, rest) = title(block)?;
    let (format, rest) = format(rest.trim_start());
    let body_start = block.len() - rest.len();
    let Some(open) = find(rest, "{") else {
        return Ok(finish(name, Text::new(unescape(rest.trim()), format), Parsed::plain(QuestionKind::Description)));
    };
    let inside = &rest[open + 1..];
    let close = find(inside, "}")
        .ok_or_else(|| Error::at(block, body_start + open, "the answers' { is never closed with }"))?;
    let after = &inside[close + 1..];
    if find(after, "{").is_some() {
        return Err(Error::at(block, body_start + open, "a question may have only one { } answer block"));
    }
    let before = rest[..open].trim_end();
    let after = after.trim();
    // Text on both sides of the braces: Moodle's "missing word" question.
    let text = match after.is_empty() {
        true => unescape(before),
        false => format!("{} _____ {}", unescape(before), unescape(after)),
    };
    let parsed =
        answers::parse(&inside[..close], format).map_err(|message| Error::at(block, body_start + open, message))?;
    Ok(finish(name, Text::new(text, format), parsed))
}

fn finish(name: Option<String>, text: Text, parsed: Parsed) -> Question {
    let name = name.unwrap_or_else(|| text.body.chars().take(40).collect::<String>().trim().to_owned());
    Question {
        general_feedback: Text::new(parsed.general_feedback, text.format),
        ..Question::new(name, text, parsed.kind)
    }
}

/// `::title::` at the start of a block.
fn title(block: &str) -> Result<(Option<String>, &str), Error> {
    let trimmed = block.trim_start();
    let Some(rest) = trimmed.strip_prefix("::") else {
        return Ok((None, block));
    };
    let end = find(rest, "::").ok_or_else(|| Error::at(block, 0, "the title's :: is never closed with ::"))?;
    Ok((Some(unescape(rest[..end].trim())), &rest[end + 2..]))
}

/// `[markdown]`, `[html]`, `[plain]` or `[moodle]` before the text.
fn format(text: &str) -> (TextFormat, &str) {
    for (marker, format) in [
        ("[markdown]", TextFormat::Markdown),
        ("[html]", TextFormat::Html),
        ("[plain]", TextFormat::Plain),
        ("[moodle]", TextFormat::Plain),
    ] {
        if let Some(rest) = text.strip_prefix(marker) {
            return (format, rest);
        }
    }
    (TextFormat::Plain, text)
}
