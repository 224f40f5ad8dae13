//! What members write: checked, rendered to sanitised HTML once when saved
//! (never per view), and cut into search snippets.

use lyceum_platform::markdown;

use crate::{
    ForumError,
    model::{BODY_MAX, TITLE_MAX},
};

/// A thread title: trimmed, not empty, at most [`TITLE_MAX`] characters.
pub fn title(raw: &str) -> Result<String, ForumError> {
    let title = raw.trim();
    if title.is_empty() {
        return Err(ForumError::invalid("title", "forums.errors.title_required"));
    }
    if title.chars().count() > TITLE_MAX || title.chars().any(char::is_control) {
        return Err(ForumError::invalid("title", "forums.errors.title_too_long"));
    }
    Ok(title.to_string())
}

/// A post's markdown: not blank, at most [`BODY_MAX`] characters.
pub fn body(raw: &str) -> Result<String, ForumError> {
    if raw.trim().is_empty() {
        return Err(ForumError::invalid("body", "forums.errors.body_required"));
    }
    if raw.chars().count() > BODY_MAX || raw.contains('\0') {
        return Err(ForumError::invalid("body", "forums.errors.body_too_long"));
    }
    Ok(raw.replace("\r\n", "\n"))
}

/// The post's HTML, made once when it is saved.
pub fn render(body_md: &str) -> String {
    markdown::render(body_md)
}

/// Whether the text holds a link (an address someone could follow).
pub fn has_link(body_md: &str) -> bool {
    let lower = body_md.to_lowercase();
    ["http://", "https://", "www.", "](", "<a "].iter().any(|m| lower.contains(m))
}

/// `@name` mentions: the words after an `@` that starts a word, lower-cased.
pub fn mentions(body_md: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut previous = ' ';
    for (at, c) in body_md.char_indices() {
        if c == '@' && !previous.is_alphanumeric() {
            let name: String = body_md[at + 1..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '.' || *c == '_' || *c == '-')
                .collect();
            let name = name.trim_end_matches(['.', '-']).to_lowercase();
            if !name.is_empty() && !found.contains(&name) {
                found.push(name);
            }
        }
        previous = c;
    }
    found
}

/// Escapes text for HTML.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// About this many characters of a search snippet.
const SNIPPET_CHARS: usize = 200;

/// A search result's snippet as HTML: the text around the first matching
/// word, escaped, with each word starting with a term wrapped in `<mark>`.
/// Built here from the stored text (not by the engine), so what a member
/// wrote can never become markup.
pub fn snippet(text: &str, terms: &[String]) -> String {
    let chars: Vec<char> = text.chars().collect();
    let lower: Vec<char> = text.to_lowercase().chars().collect();
    let starts_term = |i: usize| {
        (i == 0 || !chars[i - 1].is_alphanumeric())
            && terms.iter().any(|t| {
                let t: Vec<char> = t.chars().collect();
                lower.len() == chars.len() && lower[i..].starts_with(&t)
            })
    };
    let first = (0..chars.len()).find(|&i| starts_term(i)).unwrap_or(0);
    let start = first.saturating_sub(SNIPPET_CHARS / 4);
    let end = (start + SNIPPET_CHARS).min(chars.len());
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    let mut i = start;
    while i < end {
        if starts_term(i) {
            let word_end = (i..end).find(|&j| !chars[j].is_alphanumeric()).unwrap_or(end);
            let word: String = chars[i..word_end].iter().collect();
            out.push_str(&format!("<mark>{}</mark>", escape(&word)));
            i = word_end.max(i + 1);
        } else {
            out.push_str(&escape(&chars[i].to_string()));
            i += 1;
        }
    }
    if end < chars.len() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_are_words_after_an_at_sign() {
        assert_eq!(mentions("Thanks @Ada.L and @bob, see me@example.com"), ["ada.l", "bob"]);
        assert!(mentions("no one").is_empty());
    }

    #[test]
    fn snippets_escape_the_text_and_mark_the_terms() {
        let s = snippet("<script>alert(1)</script> Borrowing rules", &["borrow".to_string()]);
        assert!(s.contains("&lt;script&gt;"), "{s}");
        assert!(s.contains("<mark>Borrowing</mark>"), "{s}");
        assert!(!s.contains("<script>"), "{s}");
    }

    #[test]
    fn links_are_found() {
        assert!(has_link("see https://spam.example"));
        assert!(has_link("[x](y)"));
        assert!(!has_link("no address here"));
    }

    #[test]
    fn blank_bodies_and_long_titles_are_refused() {
        assert!(body("   \n").is_err());
        assert!(title(&"x".repeat(TITLE_MAX + 1)).is_err());
        assert_eq!(title("  Why?  ").unwrap(), "Why?");
    }
}
