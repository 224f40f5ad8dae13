//! The gradebook as CSV, for a spreadsheet: UTF-8 with a byte-order mark
//! (so Excel reads names in any script), one row per learner, one column per
//! item (hidden ones marked), the total and its letter. Cells that a
//! spreadsheet would run as a formula are quoted with a leading apostrophe.

use crate::{
    model::{Entry, Item},
    service::Row,
};

fn cell(value: &str) -> String {
    let guarded = match value.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{value}"),
        _ => value.to_string(),
    };
    if guarded.contains([',', '"', '\n', '\r']) { format!("\"{}\"", guarded.replace('"', "\"\"")) } else { guarded }
}

fn number(value: Option<f64>) -> String {
    value.map(|v| format!("{v}")).unwrap_or_default()
}

pub fn gradebook(items: &[Item], rows: &[Row]) -> String {
    let mut out = String::from("\u{feff}");
    let mut header = vec!["Name".to_string(), "E-mail".to_string()];
    for item in items {
        let hidden = if item.is_hidden() { " (hidden)" } else { "" };
        header.push(cell(&format!("{} / {}{hidden}", item.title, item.max_points)));
    }
    header.extend(["Total %".to_string(), "Letter".to_string()]);
    out.push_str(&header.join(","));
    out.push_str("\r\n");
    for row in rows {
        let mut line = vec![cell(&row.name), cell(&row.email)];
        line.extend(row.cells.iter().map(|c| number(c.as_ref().and_then(Entry::effective))));
        line.extend([number(row.total), row.letter().to_string()]);
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_quoted_and_formulas_defused() {
        assert_eq!(cell("Zoë, Ñandú"), "\"Zoë, Ñandú\"");
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("李小龍"), "李小龍");
        let text = gradebook(&[], &[]);
        assert!(text.starts_with('\u{feff}'), "a byte-order mark for spreadsheets");
    }
}
