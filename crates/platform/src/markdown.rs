//! User-written markdown → sanitised HTML. Every markdown field goes through here.
//!
//! Fenced code blocks are highlighted on the server (syntect, with CSS classes
//! `hl-*` that the stylesheet colours for light and dark themes), so lessons
//! need no script to show code; the HTML is made when the text is saved and
//! kept, not per view.

use std::{borrow::Cow, sync::LazyLock};

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Tag, TagEnd};
use syntect::{
    html::{ClassStyle, ClassedHTMLGenerator},
    parsing::SyntaxSet,
    util::LinesWithEndings,
};

/// The prefix of every highlighting class; the only classes user HTML may carry.
const CLASS_PREFIX: &str = "hl-";

/// Blocks longer than this are shown plain: highlighting is linear but not
/// cheap, and a pasted log file needs no colours.
const HIGHLIGHT_MAX_BYTES: usize = 64 * 1024;

static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(SyntaxSet::load_defaults_newlines);

/// Renders markdown and removes anything unsafe (scripts, event handlers,
/// `javascript:` links); links get `rel="noopener noreferrer nofollow"`.
pub fn render(source: &str) -> String {
    let mut options = pulldown_cmark::Options::empty();
    options.insert(pulldown_cmark::Options::ENABLE_TABLES);
    options.insert(pulldown_cmark::Options::ENABLE_STRIKETHROUGH);
    let parser = pulldown_cmark::Parser::new_ext(source, options);
    let mut html = String::with_capacity(source.len() * 2);
    pulldown_cmark::html::push_html(&mut html, highlight_code_blocks(parser));
    sanitizer().clean(&html).to_string()
}

fn sanitizer() -> ammonia::Builder<'static> {
    let mut builder = ammonia::Builder::default();
    builder
        .link_rel(Some("noopener noreferrer nofollow"))
        .add_tag_attributes("span", ["class"])
        .add_tag_attributes("pre", ["class"])
        .attribute_filter(|_, attribute, value| match attribute {
            "class" => only_highlight_classes(value),
            _ => Some(Cow::Borrowed(value)),
        });
    builder
}

/// Keeps the `hl-` classes of a `class` attribute and drops the rest, so user
/// HTML cannot borrow the site's own classes (a fake "button", a fake flash).
fn only_highlight_classes(value: &str) -> Option<Cow<'_, str>> {
    let kept: Vec<&str> = value.split_whitespace().filter(|c| c.starts_with(CLASS_PREFIX)).collect();
    (!kept.is_empty()).then(|| Cow::Owned(kept.join(" ")))
}

/// Replaces each fenced or indented code block by its highlighted HTML.
fn highlight_code_blocks<'a>(events: impl Iterator<Item = Event<'a>>) -> impl Iterator<Item = Event<'a>> {
    let mut block: Option<(String, String)> = None;
    events.filter_map(move |event| match (&mut block, event) {
        (None, Event::Start(Tag::CodeBlock(kind))) => {
            let language = match kind {
                CodeBlockKind::Fenced(info) => info.split_whitespace().next().unwrap_or("").to_string(),
                CodeBlockKind::Indented => String::new(),
            };
            block = Some((language, String::new()));
            None
        }
        (Some((_, code)), Event::Text(text)) => {
            code.push_str(&text);
            None
        }
        (Some(_), Event::End(TagEnd::CodeBlock)) => {
            let (language, code) = block.take().unwrap_or_default();
            Some(Event::Html(CowStr::from(code_block_html(&language, &code))))
        }
        (_, event) => Some(event),
    })
}

/// `<pre class="hl-code"><code>…</code></pre>`, coloured when the language is known.
fn code_block_html(language: &str, code: &str) -> String {
    let syntax = (!language.is_empty() && code.len() <= HIGHLIGHT_MAX_BYTES)
        .then(|| SYNTAXES.find_syntax_by_token(language))
        .flatten();
    let body = syntax.and_then(|syntax| {
        let style = ClassStyle::SpacedPrefixed { prefix: CLASS_PREFIX };
        let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, &SYNTAXES, style);
        for line in LinesWithEndings::from(code) {
            generator.parse_html_for_line_which_includes_newline(line).ok()?;
        }
        Some(generator.finalize())
    });
    let body = body.unwrap_or_else(|| escape(code));
    format!("<pre class=\"hl-code\"><code>{body}</code></pre>\n")
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::render;

    #[test]
    fn renders_markdown() {
        assert_eq!(render("**hi**").trim(), "<p><strong>hi</strong></p>");
    }

    #[test]
    fn strips_scripts_handlers_and_javascript_links() {
        let html = render(
            "<script>alert(1)</script><img src=x onerror=alert(1)>\n\n[a](javascript:alert(1)) [b](https://ok.example)",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("href=\"javascript:"), "{html}");
        assert!(html.contains("href=\"https://ok.example\""), "{html}");
    }

    #[test]
    fn fenced_code_is_highlighted_by_language() {
        let html = render("```rust\nfn main() { let x = \"<b>\"; }\n```\n");
        assert!(html.starts_with("<pre class=\"hl-code\"><code>"), "{html}");
        assert!(html.contains("class=\"hl-"), "spans carry highlight classes: {html}");
        assert!(html.contains("hl-keyword") || html.contains("hl-storage"), "`fn` is coloured: {html}");
        assert!(html.contains("&lt;b&gt;") && !html.contains("<b>"), "code is text, never markup: {html}");
    }

    #[test]
    fn unknown_languages_and_indented_code_stay_plain_and_escaped() {
        for source in ["```nosuchlanguage\n<script>x</script>\n```\n", "    <script>x</script>\n"] {
            let html = render(source);
            assert!(html.contains("<pre class=\"hl-code\"><code>&lt;script&gt;"), "{html}");
            assert!(!html.contains("<script"), "{html}");
        }
    }

    #[test]
    fn user_html_keeps_only_highlight_classes() {
        let html = render("<span class=\"button flash hl-string\">x</span> <p class=\"button\">y</p>");
        assert!(html.contains("<span class=\"hl-string\">x</span>"), "{html}");
        assert!(!html.contains("button") && !html.contains("flash"), "{html}");
    }
}
