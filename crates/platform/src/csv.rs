//! CSV for spreadsheets: one cell, quoted when it must be, and defused when a
//! spreadsheet would run it as a formula (`=`, `+`, `-`, `@`, tab or CR
//! first: OWASP's CSV injection advice; names and feedback are user-written);
//! and a spreadsheet's CSV read back (`read`), whichever separator its locale
//! saved it with.

/// A CSV cell: `'` before a formula-like value, quotes when it holds a comma,
/// a quote or a line break.
pub fn cell(raw: &str) -> String {
    let guarded = if raw.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{raw}") } else { raw.to_string() };
    if guarded.contains([',', '"', '\n', '\r']) { format!("\"{}\"", guarded.replace('"', "\"\"")) } else { guarded }
}

/// The byte-order mark that makes spreadsheets read a CSV as UTF-8 (names in any script).
pub const BOM: char = '\u{feff}';

/// A cell as `cell` wrote it: the apostrophe that defused a formula-like
/// value is taken off again.
pub fn uncell(raw: &str) -> &str {
    match raw.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => raw,
    }
}

/// A CSV as read: its header and its rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// The header's cells, trimmed.
    pub header: Vec<String>,
    pub rows: Vec<Row>,
}

/// One row and the line it starts on (the header is line 1), so an error
/// can say where to look.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub line: u64,
    pub cells: Vec<String>,
}

impl Table {
    /// The index of the column whose header is `name` (case and spaces aside).
    pub fn column(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h.trim().eq_ignore_ascii_case(name.trim()))
    }
}

impl Row {
    /// The cell of column `i`, trimmed; empty when the row is shorter.
    pub fn get(&self, i: usize) -> &str {
        self.cells.get(i).map_or("", |c| c.trim())
    }
}

/// Reads a spreadsheet's CSV: a byte-order mark is skipped, the separator is
/// the header line's comma, semicolon (spreadsheets in locales with a decimal
/// comma) or tab, rows may be shorter or longer than the header, blank rows
/// are left out, and defused cells are restored (`uncell`). None: no header.
pub fn read(text: &str) -> Option<Table> {
    let text = text.strip_prefix(BOM).unwrap_or(text);
    // Line breaks as `\n` (inside cells too): the reader counts lines by them.
    let text = text.replace("\r\n", "\n");
    let mut reader = ::csv::ReaderBuilder::new()
        .delimiter(separator(&text))
        .flexible(true)
        .has_headers(true)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().ok()?.iter().map(|h| h.trim().to_string()).collect();
    if header.iter().all(String::is_empty) {
        return None;
    }
    // The reader's only errors are invalid UTF-8 (a `&str` is valid), rows of
    // another length (it is flexible) and I/O (it reads memory): none occur.
    let rows = reader
        .records()
        .map_while(Result::ok)
        .filter(|record| !record.iter().all(|c| c.trim().is_empty()))
        .map(|record| Row {
            line: record.position().map_or(0, |p| p.line()),
            cells: record.iter().map(|c| uncell(c).to_string()).collect(),
        })
        .collect();
    Some(Table { header, rows })
}

/// The separator the header line uses most, outside quotes.
fn separator(text: &str) -> u8 {
    let mut quoted = false;
    let mut counts = [0_usize; 3];
    for c in text.chars() {
        match c {
            '\n' if !quoted => break,
            '"' => quoted = !quoted,
            ',' if !quoted => counts[0] += 1,
            ';' if !quoted => counts[1] += 1,
            '\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3).max_by_key(|i| (counts[*i], usize::from(*i == 0))).unwrap_or(0);
    [b',', b';', b'\t'][best]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_cell_writes_read_reads_back() {
        let values = ["Zoë, Ñandú", "=HYPERLINK(\"x\")", "-2", "李小龍", "two\nlines", "it's"];
        let line: Vec<String> = values.iter().map(|v| cell(v)).collect();
        let text = format!("{BOM}A,B,C,D,E,F\r\n{}\r\n", line.join(","));
        let table = read(&text).unwrap();
        assert_eq!(table.header, ["A", "B", "C", "D", "E", "F"]);
        assert_eq!(table.rows, [Row { line: 2, cells: values.iter().map(|v| v.to_string()).collect() }]);
    }

    #[test]
    fn the_separator_is_the_header_lines_and_rows_keep_their_line() {
        let table = read("Name;Points\n\"Doe; Jane\";7,5\n\n;;\nLi;8\n").unwrap();
        assert_eq!(table.column("points"), Some(1));
        assert_eq!(table.rows.len(), 2, "blank rows are left out");
        assert_eq!((table.rows[0].get(0), table.rows[0].get(1)), ("Doe; Jane", "7,5"));
        assert_eq!((table.rows[1].line, table.rows[1].get(5)), (5, ""));
        assert_eq!(read("a\tb\n1\t2\n").unwrap().rows[0].cells, ["1", "2"]);
        assert_eq!(read(""), None);
        assert_eq!(read("\u{feff} , \n1,2"), None, "no header");
    }

    #[test]
    fn cells_are_quoted_and_formulas_defused() {
        assert_eq!(cell("Zoë, Ñandú"), "\"Zoë, Ñandú\"");
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("-2"), "'-2");
        assert_eq!(cell("李小龍"), "李小龍");
    }
}
