//! Short-answer matching as Moodle does it: surrounding whitespace ignored,
//! runs of whitespace inside count as one space, `*` matches any text
//! (`\*` is a literal star), case ignored unless the question says otherwise.

/// Whether `answer` matches `pattern`.
pub fn matches(pattern: &str, answer: &str, case_sensitive: bool) -> bool {
    let fold = |s: &str| {
        let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
        if case_sensitive { s } else { s.to_lowercase() }
    };
    let tokens = tokens(&fold(pattern));
    let answer: Vec<char> = fold(answer).chars().collect();
    glob(&tokens, &answer)
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Token {
    Any,
    Char(char),
}

fn tokens(pattern: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        tokens.push(match c {
            '\\' if chars.peek() == Some(&'*') => Token::Char(chars.next().unwrap_or('*')),
            '*' => Token::Any,
            c => Token::Char(c),
        });
    }
    tokens
}

/// Classic glob matching with one row of dynamic programming: `row[j]` is
/// whether the tokens so far match the first `j` characters.
fn glob(tokens: &[Token], text: &[char]) -> bool {
    let mut row = vec![false; text.len() + 1];
    row[0] = true;
    for token in tokens {
        let mut next = vec![false; text.len() + 1];
        for j in 0..=text.len() {
            next[j] = match token {
                Token::Any => row[j] || (j > 0 && next[j - 1]),
                Token::Char(c) => j > 0 && row[j - 1] && text[j - 1] == *c,
            };
        }
        row = next;
    }
    row[text.len()]
}

#[cfg(test)]
mod tests {
    use super::matches;

    #[test]
    fn wildcards_match_any_text_including_none() {
        assert!(matches("*shakespeare", "William Shakespeare", false));
        assert!(matches("*shakespeare", "Shakespeare", false));
        assert!(matches("s*r", "Spear", false));
        assert!(!matches("s*r", "Spears", false));
        assert!(matches("*", "anything at all", false));
    }

    #[test]
    fn whitespace_is_trimmed_and_collapsed_and_case_optional() {
        assert!(matches("New York", "  new   york ", false));
        assert!(!matches("New York", "new york", true));
        assert!(matches("New York", "New  York", true));
    }

    #[test]
    fn an_escaped_star_is_a_literal_star() {
        assert!(matches(r"a\*b", "a*b", true));
        assert!(!matches(r"a\*b", "axb", true));
    }
}
