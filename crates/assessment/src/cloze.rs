//! Moodle's cloze ("embedded answers") syntax: a text with blanks written as
//! `{weight:TYPE:answer~answer}`, e.g. `{1:SHORTANSWER:=cat#good~%50%dog}`.
//! The question keeps the text as written (so it exports unchanged); this
//! module reads the blanks out of it whenever they are needed.

use serde::{Deserialize, Serialize};

/// A part of a cloze text: words to show, or a blank to fill in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Segment {
    Text(String),
    Blank(Blank),
}

/// One embedded sub-question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Blank {
    /// How much this blank counts beside the others (Moodle's default is 1).
    pub weight: u32,
    pub kind: BlankKind,
    pub answers: Vec<BlankAnswer>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum BlankKind {
    ShortAnswer {
        case_sensitive: bool,
    },
    Numerical,
    /// A drop-down (or list of buttons) of the answers.
    MultiChoice {
        shuffle: bool,
    },
}

/// One answer of a blank; `tolerance` is used by numerical blanks only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BlankAnswer {
    pub text: String,
    pub tolerance: f64,
    pub fraction: f64,
    pub feedback: String,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ClozeError {
    #[error("an embedded-answers question needs at least one blank such as {{1:SHORTANSWER:=answer}}")]
    NoBlanks,
    #[error("blank {blank}: \"{kind}\" is not a blank type (use SHORTANSWER, NUMERICAL or MULTICHOICE)")]
    UnknownType { blank: usize, kind: String },
    #[error("blank {blank} is never closed with }}")]
    Unclosed { blank: usize },
    #[error("blank {blank} has no answers")]
    NoAnswers { blank: usize },
    #[error("blank {blank}: \"{answer}\" is not a number")]
    NotANumber { blank: usize, answer: String },
    #[error("blank {blank}: the worth {percent} is not a percentage between -100 and 100")]
    BadFraction { blank: usize, percent: String },
    #[error("blank {blank} needs an answer worth 100 % (start it with =)")]
    NoFullMark { blank: usize },
}

/// Splits a cloze text into text and blanks. A `{` that does not start a
/// blank (`{n:TYPE:`) is ordinary text, as in Moodle.
pub fn parse(body: &str) -> Result<Vec<Segment>, ClozeError> {
    let mut segments = Vec::new();
    let mut text = String::new();
    let mut rest = body;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some((weight, kind_name, inner)) = blank_header(after) else {
            text.push_str(&rest[..=open]);
            rest = after;
            continue;
        };
        text.push_str(&rest[..open]);
        let number = segments.iter().filter(|s| matches!(s, Segment::Blank(_))).count() + 1;
        let close = find_unescaped(inner, '}').ok_or(ClozeError::Unclosed { blank: number })?;
        let blank = parse_blank(number, weight, kind_name, &inner[..close])?;
        if !text.is_empty() {
            segments.push(Segment::Text(std::mem::take(&mut text)));
        }
        segments.push(Segment::Blank(blank));
        rest = &inner[close + 1..];
    }
    text.push_str(rest);
    if !text.is_empty() {
        segments.push(Segment::Text(text));
    }
    Ok(segments)
}

/// The blanks of a cloze text, in order; at least one.
pub fn blanks(body: &str) -> Result<Vec<Blank>, ClozeError> {
    let blanks: Vec<Blank> = parse(body)?
        .into_iter()
        .filter_map(|s| match s {
            Segment::Blank(b) => Some(b),
            Segment::Text(_) => None,
        })
        .collect();
    if blanks.is_empty() {
        return Err(ClozeError::NoBlanks);
    }
    Ok(blanks)
}

/// `weight:TYPE:` at the start of `s` → (weight, type, what follows).
fn blank_header(s: &str) -> Option<(&str, &str, &str)> {
    let (weight, rest) = s.split_once(':')?;
    if !weight.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let (kind, rest) = rest.split_once(':')?;
    let is_name = !kind.is_empty() && kind.chars().all(|c| c.is_ascii_uppercase() || c == '_');
    is_name.then_some((weight, kind, rest))
}

fn parse_blank(number: usize, weight: &str, kind: &str, inner: &str) -> Result<Blank, ClozeError> {
    let kind = blank_kind(kind).ok_or_else(|| ClozeError::UnknownType { blank: number, kind: kind.to_owned() })?;
    let weight = weight.parse().unwrap_or(1);
    let answers = split_unescaped(inner, '~')
        .into_iter()
        .filter(|a| !a.trim().is_empty())
        .map(|a| parse_answer(number, kind, a))
        .collect::<Result<Vec<_>, _>>()?;
    if answers.is_empty() {
        return Err(ClozeError::NoAnswers { blank: number });
    }
    if !answers.iter().any(|a| a.fraction >= 1.0 - 1e-9) {
        return Err(ClozeError::NoFullMark { blank: number });
    }
    Ok(Blank { weight, kind, answers })
}

fn blank_kind(name: &str) -> Option<BlankKind> {
    Some(match name {
        "SHORTANSWER" | "SA" | "MW" => BlankKind::ShortAnswer { case_sensitive: false },
        "SHORTANSWER_C" | "SAC" | "MWC" => BlankKind::ShortAnswer { case_sensitive: true },
        "NUMERICAL" | "NM" => BlankKind::Numerical,
        "MULTICHOICE" | "MC" | "MULTICHOICE_V" | "MCV" | "MULTICHOICE_H" | "MCH" => {
            BlankKind::MultiChoice { shuffle: false }
        }
        "MULTICHOICE_S" | "MCS" | "MULTICHOICE_VS" | "MCVS" | "MULTICHOICE_HS" | "MCHS" => {
            BlankKind::MultiChoice { shuffle: true }
        }
        _ => return None,
    })
}

fn parse_answer(blank: usize, kind: BlankKind, raw: &str) -> Result<BlankAnswer, ClozeError> {
    let raw = raw.trim();
    let (fraction, rest) = if let Some(rest) = raw.strip_prefix('=') {
        (1.0, rest)
    } else if let Some(rest) = raw.strip_prefix('%') {
        let (percent, rest) = rest.split_once('%').unwrap_or((rest, ""));
        let bad = || ClozeError::BadFraction { blank, percent: percent.to_owned() };
        let value: f64 = percent.trim().parse().map_err(|_| bad())?;
        if !(-100.0..=100.0).contains(&value) {
            return Err(bad());
        }
        (value / 100.0, rest)
    } else {
        (0.0, raw)
    };
    let mut parts = split_unescaped(rest, '#').into_iter();
    let answer = unescape(parts.next().unwrap_or_default().trim());
    let feedback = unescape(parts.collect::<Vec<_>>().join("#").trim());
    let (text, tolerance) = match kind {
        BlankKind::Numerical => numeric_answer(blank, &answer)?,
        _ => (answer, 0.0),
    };
    Ok(BlankAnswer { text, tolerance, fraction, feedback })
}

/// `3.14:0.01` → ("3.14", 0.01); `*` (any other number) is kept as is.
fn numeric_answer(blank: usize, answer: &str) -> Result<(String, f64), ClozeError> {
    if answer == "*" {
        return Ok((answer.to_owned(), 0.0));
    }
    let (value, tolerance) = answer.split_once(':').unwrap_or((answer, "0"));
    let not_a_number = || ClozeError::NotANumber { blank, answer: answer.to_owned() };
    value.trim().parse::<f64>().map_err(|_| not_a_number())?;
    let tolerance = tolerance.trim().parse::<f64>().map_err(|_| not_a_number())?;
    Ok((value.trim().to_owned(), tolerance.abs()))
}

fn find_unescaped(s: &str, target: char) -> Option<usize> {
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            c if c == target => return Some(i),
            _ => {}
        }
    }
    None
}

fn split_unescaped(s: &str, separator: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut rest = s;
    while let Some(i) = find_unescaped(rest, separator) {
        parts.push(&rest[..i]);
        rest = &rest[i + separator.len_utf8()..];
    }
    parts.push(rest);
    parts
}

fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match (c, chars.clone().next()) {
            ('\\', Some(next @ ('}' | '#' | '~' | '/' | '"' | '\\'))) => {
                out.push(next);
                chars.next();
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_blanks_weights_fractions_and_feedback() {
        let body = "The {2:SHORTANSWER:=cat#good~%50%dog#close} sat; pi is {1:NM:=3.14:0.01}.";
        let blanks = blanks(body).unwrap();
        assert_eq!(blanks.len(), 2);
        assert_eq!(blanks[0].weight, 2);
        assert_eq!(blanks[0].answers[0].text, "cat");
        assert_eq!(blanks[0].answers[0].feedback, "good");
        assert_eq!(blanks[0].answers[1].fraction, 0.5);
        assert_eq!(blanks[1].kind, BlankKind::Numerical);
        assert_eq!(blanks[1].answers[0].text, "3.14");
        assert_eq!(blanks[1].answers[0].tolerance, 0.01);
    }

    #[test]
    fn keeps_text_around_blanks_and_ordinary_braces() {
        let segments = parse("a {b} c {:MC:=x~y} d").unwrap();
        assert_eq!(segments[0], Segment::Text("a {b} c ".into()));
        let Segment::Blank(blank) = &segments[1] else { panic!("expected a blank") };
        assert_eq!(blank.weight, 1);
        assert_eq!(blank.kind, BlankKind::MultiChoice { shuffle: false });
        assert_eq!(segments[2], Segment::Text(" d".into()));
    }

    #[test]
    fn unescapes_special_characters_in_answers() {
        let blanks = blanks(r"{1:SAC:=a\}b\~c\#d#fine}").unwrap();
        assert_eq!(blanks[0].answers[0].text, "a}b~c#d");
        assert_eq!(blanks[0].kind, BlankKind::ShortAnswer { case_sensitive: true });
    }

    #[test]
    fn refuses_unknown_types_unclosed_blanks_and_missing_full_marks() {
        assert_eq!(blanks("{1:ESSAY:=x}"), Err(ClozeError::UnknownType { blank: 1, kind: "ESSAY".into() }));
        assert_eq!(blanks("{1:SA:=x} {1:SA:=y"), Err(ClozeError::Unclosed { blank: 2 }));
        assert_eq!(blanks("{1:SA:%50%x}"), Err(ClozeError::NoFullMark { blank: 1 }));
        assert_eq!(blanks("no blanks here"), Err(ClozeError::NoBlanks));
        assert!(matches!(blanks("{1:NM:=abc}"), Err(ClozeError::NotANumber { .. })));
    }
}
