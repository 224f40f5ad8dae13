//! Reading a CSV of manual grades and planning what it changes. Pure: the
//! file in the export's shape (an e-mail column, one column per item; UTF-8
//! with or without a byte-order mark, comma or semicolon), the course's
//! items, its learners and their entries in → the changes (learner, item,
//! old → new), the rows refused and why, the columns left alone.

use std::collections::HashMap;

use crate::{
    error::ImportFileProblem,
    model::{Entry, Item, round2},
};

/// The export's columns that are not items (read, never written).
const EXPORT_COLUMNS: [&str; 3] = ["name", "total %", "letter"];
const EMAIL_COLUMNS: [&str; 3] = ["e-mail", "email", "courriel"];

/// A learner of the course's roster, active or not.
#[derive(Debug, Clone)]
pub struct Learner {
    pub user_id: String,
    pub name: String,
    pub email: String,
    pub active: bool,
}

/// Why a cell or row is refused.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    /// No learner of this course has this e-mail.
    UnknownEmail,
    /// The learner's enrollment is not active.
    NotEnrolled,
    /// The cell is not a number.
    NotANumber { value: String },
    /// Below 0 or over the item's maximum.
    OutOfRange { max: f64 },
    /// A header naming no item of the course.
    UnknownColumn,
    /// The same learner on an earlier row.
    DuplicateRow,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RowError {
    /// The line in the file (1 is the header).
    pub line: usize,
    pub column: Option<String>,
    pub email: Option<String>,
    pub problem: Problem,
}

/// A column read and left alone: the export's own, or a quiz's or assignment's item.
#[derive(Debug, Clone, PartialEq)]
pub struct Ignored {
    pub column: String,
    /// `export` (name, total, letter) or the item's source (`quiz`, `assignment`).
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub user_id: String,
    pub name: String,
    pub email: String,
    pub item_id: String,
    pub item_title: String,
    pub old: Option<f64>,
    pub new: f64,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Plan {
    pub changes: Vec<Change>,
    pub errors: Vec<RowError>,
    pub ignored: Vec<Ignored>,
    /// Cells that hold the grade already there.
    pub unchanged: usize,
}

impl Plan {
    /// A fingerprint of the changes with their old values: applying checks
    /// that a fresh plan still has it, so grades changed since the preview
    /// are noticed (FNV-1a: stable across processes and versions).
    pub fn digest(&self) -> String {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for c in &self.changes {
            let line = format!("{}\u{1f}{}\u{1f}{:?}\u{1f}{}\u{1e}", c.user_id, c.item_id, c.old, c.new);
            for byte in line.bytes() {
                hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
            }
        }
        format!("{hash:016x}")
    }
}

/// The file's rows: (line, cells); the first is the header (the platform's
/// spreadsheet reader: BOM, comma, semicolon or tab, quoted cells).
pub fn read_csv(text: &str) -> Result<Vec<(usize, Vec<String>)>, ImportFileProblem> {
    let table = lyceum_platform::csv::read(text).ok_or(ImportFileProblem::Empty)?;
    let rows = table.rows.into_iter().map(|row| (row.line as usize, row.cells));
    Ok(std::iter::once((1, table.header)).chain(rows).collect())
}

/// A header cell as the export wrote it: `title / max`, maybe ` (hidden)`,
/// maybe behind the apostrophe that defuses a formula.
fn header_matches(header: &str, item: &Item) -> bool {
    let h = header.trim();
    let h = h.strip_prefix('\'').filter(|r| r.starts_with(['=', '+', '-', '@'])).unwrap_or(h);
    let h = h.strip_suffix(" (hidden)").unwrap_or(h);
    h == item.title || h == format!("{} / {}", item.title, item.max_points)
}

fn number(raw: &str) -> Option<f64> {
    raw.trim().replace(',', ".").parse::<f64>().ok().filter(|v| v.is_finite())
}

/// What the file would change: only manual items are written.
pub fn plan(
    rows: &[(usize, Vec<String>)],
    items: &[Item],
    learners: &[Learner],
    entries: &[Entry],
) -> Result<Plan, ImportFileProblem> {
    let (header, body) = rows.split_first().ok_or(ImportFileProblem::Empty)?;
    let email_at = header.1.iter().position(|h| EMAIL_COLUMNS.contains(&h.trim().to_lowercase().as_str()));
    let email_at = email_at.ok_or(ImportFileProblem::NoEmailColumn)?;
    let mut plan = Plan::default();
    let mut columns: Vec<(usize, &Item)> = Vec::new();
    for (at, h) in header.1.iter().enumerate().filter(|(at, h)| *at != email_at && !h.trim().is_empty()) {
        match items.iter().find(|i| header_matches(h, i)) {
            Some(item) if item.is_manual() => columns.push((at, item)),
            Some(item) => plan.ignored.push(Ignored { column: h.trim().to_string(), reason: item.source.clone() }),
            None if EXPORT_COLUMNS.contains(&h.trim().to_lowercase().as_str()) => {
                plan.ignored.push(Ignored { column: h.trim().to_string(), reason: "export".into() });
            }
            None => plan.errors.push(RowError {
                line: header.0,
                column: Some(h.trim().to_string()),
                email: None,
                problem: Problem::UnknownColumn,
            }),
        }
    }
    let by_email: HashMap<String, &Learner> = learners.iter().map(|l| (l.email.to_lowercase(), l)).collect();
    let by_cell: HashMap<(&str, &str), &Entry> =
        entries.iter().map(|e| ((e.item_id.as_str(), e.user_id.as_str()), e)).collect();
    let mut seen: Vec<&str> = Vec::new();
    for (line, cells) in body {
        let email = cells.get(email_at).map(|e| e.trim()).unwrap_or("");
        let refuse =
            |problem, column: Option<String>| RowError { line: *line, column, email: Some(email.to_string()), problem };
        let learner = match by_email.get(&email.to_lowercase()) {
            None => {
                plan.errors.push(refuse(Problem::UnknownEmail, None));
                continue;
            }
            Some(l) if !l.active => {
                plan.errors.push(refuse(Problem::NotEnrolled, None));
                continue;
            }
            Some(l) if seen.contains(&l.user_id.as_str()) => {
                plan.errors.push(refuse(Problem::DuplicateRow, None));
                continue;
            }
            Some(l) => l,
        };
        seen.push(&learner.user_id);
        for (at, item) in &columns {
            let raw = cells.get(*at).map(|c| c.trim()).unwrap_or("");
            if raw.is_empty() {
                continue;
            }
            let column = Some(header.1[*at].trim().to_string());
            let Some(new) = number(raw) else {
                plan.errors.push(refuse(Problem::NotANumber { value: raw.to_string() }, column));
                continue;
            };
            if !(0.0..=item.max_points).contains(&new) {
                plan.errors.push(refuse(Problem::OutOfRange { max: item.max_points }, column));
                continue;
            }
            let new = round2(new);
            let old = by_cell.get(&(item.id.as_str(), learner.user_id.as_str())).and_then(|e| e.points);
            if old == Some(new) {
                plan.unchanged += 1;
                continue;
            }
            plan.changes.push(Change {
                user_id: learner.user_id.clone(),
                name: learner.name.clone(),
                email: learner.email.clone(),
                item_id: item.id.clone(),
                item_title: item.title.clone(),
                old,
                new,
            });
        }
    }
    Ok(plan)
}

#[cfg(test)]
#[path = "import_tests.rs"]
mod tests;
