//! TeX → MathML Core on the server (the `math-core` crate), so a page shows
//! maths with no script and no font download: Chromium, Firefox and Safari
//! draw `<math>` themselves. Markdown writes maths as `$…$` / `$$…$$`
//! (pulldown-cmark's math extension finds them); HTML texts, as Moodle
//! exports them, as `\(…\)`, `\[…\]` or `$$…$$` ([`in_html`]). TeX that does
//! not convert is shown as what was written, in `<code class="tex-source">`.
//!
//! The converter recurses once per group or command, so deep nesting could
//! overflow a thread's stack (it aborts the process: no error to catch). A
//! formula's nesting is at most its count of `{` and `\`: a small one is
//! converted where it is, a larger one on a thread whose stack is sized for
//! that count, and one above [`MAX_NESTING`] is shown as source.

use std::{borrow::Cow, panic::AssertUnwindSafe, sync::LazyLock};

use math_core::{LatexToMathML, MathCoreConfig, MathDisplay};

/// A formula longer than this is shown as its source.
const MAX_TEX_BYTES: usize = 16 * 1024;

/// A formula with more `{` and `\` than this is shown as its source.
pub(super) const MAX_NESTING: usize = 2_000;

/// Up to this many `{` and `\`, the formula is converted on the caller's
/// thread (an unoptimised build uses ~25 KB of stack per level).
const NESTING_ON_THIS_THREAD: usize = 16;

/// Stack per `{` or `\` for the conversion thread of a larger formula:
/// above what an unoptimised build needs, so the tests hold it to account too.
const STACK_PER_LEVEL: usize = 48 * 1024;

/// The class of a formula shown as its source (the stylesheet styles it).
pub(super) const SOURCE_CLASS: &str = "tex-source";

static CONVERTER: LazyLock<Option<LatexToMathML>> = LazyLock::new(|| {
    // The source in `<annotation encoding="application/x-tex">`: what a
    // reader copies, and what a teacher sees of another teacher's formula.
    let config = MathCoreConfig { annotation: true, ..MathCoreConfig::default() };
    LatexToMathML::new(config).ok()
});

/// How a formula sits in its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Display {
    Inline,
    Block,
}

/// The delimiters a formula was written with, to show it as written when
/// it does not convert.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notation {
    /// `$…$`, `$$…$$`.
    Dollars,
    /// `\(…\)`, `\[…\]`.
    Brackets,
}

/// `tex` as a `<math>` element, or as its source in a `<code>` when it does
/// not convert (unknown command, unbalanced braces, too large).
pub fn to_html(tex: &str, display: Display, notation: Notation) -> String {
    convert(tex, display).unwrap_or_else(|| source_html(tex, display, notation))
}

fn convert(tex: &str, display: Display) -> Option<String> {
    let converter = CONVERTER.as_ref()?;
    let nesting = tex.bytes().filter(|b| matches!(b, b'{' | b'\\')).count();
    if tex.len() > MAX_TEX_BYTES || nesting > MAX_NESTING {
        return None;
    }
    let display = match display {
        Display::Inline => MathDisplay::Inline,
        Display::Block => MathDisplay::Block,
    };
    // A converter's panic is a formula shown as its source, never an error page.
    let run = || {
        let convert = AssertUnwindSafe(|| converter.convert_with_local_state(tex, display));
        std::panic::catch_unwind(convert).ok()?.ok().map(|r| r.mathml)
    };
    if nesting <= NESTING_ON_THIS_THREAD {
        return run();
    }
    let stack = (1 << 20) + nesting * STACK_PER_LEVEL;
    std::thread::scope(|scope| {
        let worker = std::thread::Builder::new().name("tex".into()).stack_size(stack).spawn_scoped(scope, run);
        worker.ok()?.join().ok().flatten()
    })
}

fn source_html(tex: &str, display: Display, notation: Notation) -> String {
    let (open, close) = match (notation, display) {
        (Notation::Dollars, Display::Inline) => ("$", "$"),
        (Notation::Dollars, Display::Block) => ("$$", "$$"),
        (Notation::Brackets, Display::Inline) => ("\\(", "\\)"),
        (Notation::Brackets, Display::Block) => ("\\[", "\\]"),
    };
    format!("<code class=\"{SOURCE_CLASS}\">{open}{}{close}</code>", super::escape(tex))
}

/// Replaces the formulas of an HTML text (`\(…\)` inline, `\[…\]` and
/// `$$…$$` as a block, each within one run of text) by MathML. Text inside
/// tags, comments, `code`, `pre`, `script`, `style`, `textarea` and `math`
/// is left alone. The result still has to be sanitised: this only adds
/// markup the converter wrote.
pub fn in_html(html: &str) -> Cow<'_, str> {
    if !(html.contains("\\(") || html.contains("\\[") || html.contains("$$")) {
        return Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len() * 2);
    let mut skipping: Vec<String> = Vec::new();
    let mut rest = html;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("<!--") {
            let end = after.find("-->").map_or(after.len(), |i| i + 3);
            out.push_str(&rest[..4 + end]);
            rest = &after[end..];
        } else if rest.starts_with('<') {
            let end = tag_end(rest);
            track_skipped(&rest[..end], &mut skipping);
            out.push_str(&rest[..end]);
            rest = &rest[end..];
        } else {
            let end = rest.find('<').unwrap_or(rest.len());
            let text = &rest[..end];
            if skipping.is_empty() {
                replace_in_text(text, &mut out);
            } else {
                out.push_str(text);
            }
            rest = &rest[end..];
        }
    }
    Cow::Owned(out)
}

/// Elements whose text is never maths.
const NOT_MATHS: [&str; 7] = ["code", "pre", "script", "style", "textarea", "math", "kbd"];

/// The length of the tag `s` starts with, quoted attribute values included.
fn tag_end(s: &str) -> usize {
    let mut quote = None;
    for (i, c) in s.char_indices().skip(1) {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return i + 1,
            (None, _) => {}
        }
    }
    s.len()
}

/// Keeps the stack of open elements whose text is left alone.
fn track_skipped(tag: &str, skipping: &mut Vec<String>) {
    let inner = tag.trim_start_matches('<');
    let (closing, inner) = match inner.strip_prefix('/') {
        Some(inner) => (true, inner),
        None => (false, inner),
    };
    let name: String =
        inner.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-').collect::<String>().to_ascii_lowercase();
    if !NOT_MATHS.contains(&name.as_str()) {
        return;
    }
    if closing {
        if let Some(at) = skipping.iter().rposition(|open| *open == name) {
            skipping.truncate(at);
        }
    } else if !tag.trim_end_matches('>').ends_with('/') {
        skipping.push(name);
    }
}

/// Copies one run of HTML text to `out`, its formulas as MathML.
fn replace_in_text(mut text: &str, out: &mut String) {
    const DELIMITERS: [(&str, &str, Display); 3] =
        [("\\(", "\\)", Display::Inline), ("\\[", "\\]", Display::Block), ("$$", "$$", Display::Block)];
    loop {
        let next = DELIMITERS
            .iter()
            .filter_map(|&(open, close, display)| {
                let start = text.find(open)?;
                let body = start + open.len();
                let end = body + text[body..].find(close)?;
                Some((start, body, end, end + close.len(), display))
            })
            .min_by_key(|&(start, ..)| start);
        let Some((start, body, end, after, display)) = next else { break };
        out.push_str(&text[..start]);
        out.push_str(&to_html(&decode_entities(&text[body..end]), display, Notation::Brackets));
        text = &text[after..];
    }
    out.push_str(text);
}

/// The character references an HTML editor writes in a formula (`&lt;`,
/// `&amp;`, `&nbsp;`, numeric ones); others are left as written.
fn decode_entities(text: &str) -> Cow<'_, str> {
    if !text.contains('&') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let decoded = rest.find(';').filter(|&end| end <= 10).and_then(|end| Some((entity(&rest[1..end])?, end)));
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

fn entity(name: &str) -> Option<char> {
    let number = |digits: &str, radix| u32::from_str_radix(digits, radix).ok().and_then(char::from_u32);
    match name {
        "lt" => Some('<'),
        "gt" => Some('>'),
        "amp" => Some('&'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some(' '),
        _ => match name.strip_prefix('#') {
            Some(hex) if hex.starts_with(['x', 'X']) => number(&hex[1..], 16),
            Some(decimal) => number(decimal, 10),
            None => None,
        },
    }
}

/// The MathML Core elements a sanitised text may hold, with the attributes
/// each may carry: presentation only — no `href`, no event handler, no
/// `style` (the Content-Security-Policy forbids inline styles anyway), no
/// `annotation-xml` (the one MathML element that may hold HTML).
pub(super) const ELEMENTS: &[(&str, &[&str])] = &[
    ("math", &["display", "displaystyle", "scriptlevel", "dir", "alttext"]),
    ("semantics", &[]),
    ("annotation", &["encoding"]),
    ("merror", &[]),
    ("mfrac", &["linethickness", "displaystyle", "scriptlevel"]),
    ("mi", &["mathvariant", "displaystyle", "scriptlevel", "dir"]),
    ("mmultiscripts", &[]),
    ("mprescripts", &[]),
    ("mn", &["displaystyle", "scriptlevel", "dir"]),
    (
        "mo",
        &[
            "form",
            "fence",
            "separator",
            "lspace",
            "rspace",
            "stretchy",
            "symmetric",
            "maxsize",
            "minsize",
            "largeop",
            "movablelimits",
            "displaystyle",
            "scriptlevel",
            "dir",
        ],
    ),
    ("mover", &["accent", "displaystyle", "scriptlevel"]),
    ("munder", &["accentunder", "displaystyle", "scriptlevel"]),
    ("munderover", &["accent", "accentunder", "displaystyle", "scriptlevel"]),
    ("mpadded", &["width", "height", "depth", "lspace", "voffset"]),
    ("mphantom", &[]),
    ("mroot", &[]),
    ("mrow", &["displaystyle", "scriptlevel", "dir"]),
    ("ms", &["dir"]),
    ("mspace", &["width", "height", "depth"]),
    ("msqrt", &[]),
    ("mstyle", &["displaystyle", "scriptlevel"]),
    ("msub", &[]),
    ("msubsup", &[]),
    ("msup", &[]),
    ("mtable", &["displaystyle", "scriptlevel"]),
    ("mtr", &[]),
    ("mtd", &["columnspan", "rowspan"]),
    ("mtext", &["mathvariant", "dir"]),
    ("menclose", &["notation"]),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tex_becomes_mathml() {
        let html = to_html("x^2", Display::Inline, Notation::Dollars);
        assert!(html.starts_with("<math"), "{html}");
        assert!(html.contains("<msup><mi>x</mi><mn>2</mn></msup>"), "{html}");
        assert!(html.contains("<annotation encoding=\"application/x-tex\">x^2</annotation>"), "{html}");
        assert!(to_html("x", Display::Block, Notation::Dollars).contains("display=\"block\""));
    }

    #[test]
    fn broken_tex_is_shown_as_written() {
        assert_eq!(
            to_html("\\frac{a", Display::Inline, Notation::Dollars),
            "<code class=\"tex-source\">$\\frac{a$</code>"
        );
        assert_eq!(
            to_html("\\nosuchcommand <b>", Display::Block, Notation::Brackets),
            "<code class=\"tex-source\">\\[\\nosuchcommand &lt;b&gt;\\]</code>"
        );
    }

    #[test]
    fn deep_nesting_converts_or_falls_back_without_overflowing_the_stack() {
        // Hundreds of levels take more than a test thread's 2 MiB unoptimised.
        let deep = format!("{}x{}", "\\sqrt{".repeat(400), "}".repeat(400));
        assert!(to_html(&deep, Display::Inline, Notation::Dollars).starts_with("<math"));
        let too_deep = format!("{}x{}", "{".repeat(MAX_NESTING + 1), "}".repeat(MAX_NESTING + 1));
        assert!(to_html(&too_deep, Display::Inline, Notation::Dollars).starts_with("<code class=\"tex-source\">"));
    }

    #[test]
    fn html_formulas_in_text_are_converted() {
        let html = in_html("<p>Area \\(\\pi r^2\\), and \\[a &lt; b\\] or $$x$$.</p>");
        assert_eq!(html.matches("<math").count(), 3, "{html}");
        assert!(html.contains("<math display=\"block\">"), "{html}");
        assert!(html.contains("<mo>&lt;</mo>"), "the entity is read as `<`: {html}");
        assert!(!html.contains("\\("), "{html}");
    }

    #[test]
    fn html_formulas_in_tags_code_and_comments_stay_as_written() {
        for html in [
            "<p title=\"\\(x\\)\">y</p>",
            "<code>\\(x\\)</code>",
            "<pre><b>\\(x\\)</b></pre>",
            "<!-- \\(x\\) -->",
            "<p>\\(x</p><p>\\)</p>",
            "<p>costs $5 and $10</p>",
        ] {
            assert_eq!(in_html(html), html);
        }
        assert!(in_html("<code>a</code> \\(x\\)").contains("<math"), "after the code closes, maths again");
    }
}
