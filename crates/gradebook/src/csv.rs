//! The gradebook as CSV, for a spreadsheet: UTF-8 with a byte-order mark
//! (so Excel reads names in any script), one row per learner, one column per
//! item (hidden ones marked), the total and its letter. Cells that a
//! spreadsheet would run as a formula are quoted with a leading apostrophe.

use lyceum_platform::csv::{BOM, cell};

use crate::{
    model::{Entry, Item},
    service::Row,
};

fn number(value: Option<f64>) -> String {
    value.map(|v| format!("{v}")).unwrap_or_default()
}

pub fn gradebook(items: &[Item], rows: &[Row]) -> String {
    let mut out = String::from(BOM);
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
        line.extend([number(row.total), row.letter.clone()]);
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_starts_with_a_byte_order_mark() {
        assert!(gradebook(&[], &[]).starts_with(BOM), "for spreadsheets");
    }
}
