//! GIFT's escaping: `~ = # { } :` are special, a backslash makes them text.

/// The characters a GIFT text must escape.
const SPECIAL: &[char] = &['~', '=', '#', '{', '}', ':', '\\'];

pub(super) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if SPECIAL.contains(&c) {
            out.push('\\');
        }
        match c {
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

/// Undoes `escape` (`\n` is a line break, as Moodle reads it).
pub(super) fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match (c, chars.clone().next()) {
            ('\\', Some('n')) => {
                out.push('\n');
                chars.next();
            }
            ('\\', Some(next)) if SPECIAL.contains(&next) => {
                out.push(next);
                chars.next();
            }
            _ => out.push(c),
        }
    }
    out
}

/// The byte offset of the first `needle` not preceded by a backslash.
pub(super) fn find(text: &str, needle: &str) -> Option<usize> {
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if text[i..].starts_with(needle) {
            return Some(i);
        }
    }
    None
}

/// Splits at every unescaped `separator`.
pub(super) fn split<'a>(text: &'a str, separator: &str) -> Vec<&'a str> {
    let mut parts = Vec::new();
    let mut rest = text;
    while let Some(i) = find(rest, separator) {
        parts.push(&rest[..i]);
        rest = &rest[i + separator.len()..];
    }
    parts.push(rest);
    parts
}

/// The starts of the answers in a brace block: each unescaped `=` or `~`
/// (GIFT requires an `=` inside an answer to be escaped).
pub(super) fn answer_starts(text: &str) -> Vec<usize> {
    let mut starts = Vec::new();
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '=' | '~' => starts.push(i),
            _ => {}
        }
    }
    starts
}

/// A percentage written as `%50%` at the start of `text` → (0.5, the rest).
pub(super) fn weight(text: &str) -> Result<(Option<f64>, &str), String> {
    let Some(rest) = text.strip_prefix('%') else {
        return Ok((None, text));
    };
    let (percent, rest) = rest.split_once('%').ok_or_else(|| format!("the worth \"%{rest}\" is not closed with %"))?;
    let value: f64 = percent.trim().parse().map_err(|_| format!("the worth \"%{percent}%\" is not a percentage"))?;
    Ok((Some(value / 100.0), rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_and_unescape_are_inverse() {
        let text = "a~b=c#d{e}f:g\\h\ni";
        assert_eq!(escape(text), r"a\~b\=c\#d\{e\}f\:g\\h\ni");
        assert_eq!(unescape(&escape(text)), text);
    }

    #[test]
    fn finds_and_splits_only_unescaped_separators() {
        assert_eq!(find(r"a\#b#c", "#"), Some(4));
        assert_eq!(split(r"x\#y#z#w", "#"), vec![r"x\#y", "z", "w"]);
        assert_eq!(answer_starts(r"=a\=b ~c"), vec![0, 6]);
    }
}
