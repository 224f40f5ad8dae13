//! CSV for spreadsheets: one cell, quoted when it must be, and defused when a
//! spreadsheet would run it as a formula (`=`, `+`, `-`, `@`, tab or CR
//! first: OWASP's CSV injection advice; names and feedback are user-written).

/// A CSV cell: `'` before a formula-like value, quotes when it holds a comma,
/// a quote or a line break.
pub fn cell(raw: &str) -> String {
    let guarded = if raw.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{raw}") } else { raw.to_string() };
    if guarded.contains([',', '"', '\n', '\r']) { format!("\"{}\"", guarded.replace('"', "\"\"")) } else { guarded }
}

/// The byte-order mark that makes spreadsheets read a CSV as UTF-8 (names in any script).
pub const BOM: char = '\u{feff}';

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_quoted_and_formulas_defused() {
        assert_eq!(cell("Zoë, Ñandú"), "\"Zoë, Ñandú\"");
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("-2"), "'-2");
        assert_eq!(cell("李小龍"), "李小龍");
    }
}
