//! User-written markdown (and HTML) → sanitised HTML. Every markdown field goes through here.
//!
//! Fenced code blocks are highlighted on the server (syntect, with CSS classes
//! `hl-*` that the stylesheet colours for light and dark themes), and maths
//! written as TeX (`$…$`, `$$…$$`) becomes MathML ([`math`]), so lessons need
//! no script to show code or formulas; the HTML is made when the text is
//! saved and kept, not per view.

mod math;

use std::{borrow::Cow, sync::LazyLock};

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Tag, TagEnd};
use syntect::{
    html::{ClassStyle, ClassedHTMLGenerator},
    parsing::SyntaxSet,
    util::LinesWithEndings,
};

/// The prefix of every highlighting class; with [`math::SOURCE_CLASS`] on
/// `code`, the only classes user HTML may carry.
const CLASS_PREFIX: &str = "hl-";

/// Blocks longer than this are shown plain: highlighting is linear but not
/// cheap, and a pasted log file needs no colours.
const HIGHLIGHT_MAX_BYTES: usize = 64 * 1024;

static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(SyntaxSet::load_defaults_newlines);

/// Built once: every render and every HTML text shares it.
static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(sanitizer);

/// Renders markdown and removes anything unsafe (scripts, event handlers,
/// `javascript:` links); links get `rel="noopener noreferrer nofollow"`.
///
/// Maths follows pulldown-cmark's rules: `$x^2$` inline, `$$…$$` as a block;
/// a `$` followed by a space never opens a formula and one preceded by a
/// space never closes it, so "costs $5 and $10" stays text; `\$` is a dollar.
pub fn render(source: &str) -> String {
    let mut options = pulldown_cmark::Options::empty();
    options.insert(pulldown_cmark::Options::ENABLE_TABLES);
    options.insert(pulldown_cmark::Options::ENABLE_STRIKETHROUGH);
    options.insert(pulldown_cmark::Options::ENABLE_MATH);
    let parser = pulldown_cmark::Parser::new_ext(source, options);
    let mut html = String::with_capacity(source.len() * 2);
    pulldown_cmark::html::push_html(&mut html, highlight_code_blocks(parser).map(maths_as_mathml));
    SANITIZER.clean(&html).to_string()
}

/// Sanitises user-written HTML (a question imported from Moodle), its TeX
/// formulas (`\(…\)`, `\[…\]`, `$$…$$`) turned into MathML first.
pub fn clean_html(html: &str) -> String {
    SANITIZER.clean(&math::in_html(html)).to_string()
}

fn maths_as_mathml(event: Event<'_>) -> Event<'_> {
    let html = match &event {
        Event::InlineMath(tex) => math::to_html(tex, math::Display::Inline, math::Notation::Dollars),
        Event::DisplayMath(tex) => math::to_html(tex, math::Display::Block, math::Notation::Dollars),
        _ => return event,
    };
    Event::InlineHtml(CowStr::from(html))
}

fn sanitizer() -> ammonia::Builder<'static> {
    let mut builder = ammonia::Builder::default();
    builder
        .link_rel(Some("noopener noreferrer nofollow"))
        .add_tag_attributes("span", ["class"])
        .add_tag_attributes("pre", ["class"])
        .add_tag_attributes("code", ["class"])
        .attribute_filter(|element, attribute, value| match attribute {
            "class" => allowed_classes(element, value),
            _ => Some(Cow::Borrowed(value)),
        });
    for (element, attributes) in math::ELEMENTS {
        builder.add_tags([*element]).add_tag_attributes(*element, attributes.iter().copied());
    }
    builder
}

/// Keeps the `hl-` classes of a `class` attribute (and a formula's source
/// class on `code`) and drops the rest, so user HTML cannot borrow the
/// site's own classes (a fake "button", a fake flash).
fn allowed_classes<'a>(element: &str, value: &'a str) -> Option<Cow<'a, str>> {
    let kept: Vec<&str> = value
        .split_whitespace()
        .filter(|c| c.starts_with(CLASS_PREFIX) || (element == "code" && *c == math::SOURCE_CLASS))
        .collect();
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
    use super::{clean_html, render};

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

    #[test]
    fn tex_between_dollars_becomes_mathml() {
        let html = render("The area is $\\pi r^2$.\n\n$$\\frac{a}{b}$$\n");
        assert!(html.contains("<p>The area is <math>"), "inline, in its paragraph: {html}");
        assert!(html.contains("<mi>π</mi>") && html.contains("<msup><mi>r</mi><mn>2</mn></msup>"), "{html}");
        assert!(html.contains("<math display=\"block\">"), "{html}");
        assert!(html.contains("<mfrac><mi>a</mi><mi>b</mi></mfrac>"), "{html}");
        assert!(html.contains("<annotation encoding=\"application/x-tex\">\\pi r^2</annotation>"), "{html}");
    }

    #[test]
    fn dollars_as_currency_stay_text() {
        for source in ["It costs $5 and $10.", "From $ 5 to $ 10", "Save \\$5 now and \\$6 later", "`$x$` is code"] {
            let html = render(source);
            assert!(!html.contains("<math"), "{source:?} became maths: {html}");
        }
        assert!(render("It costs $5 and $10.").contains("$5 and $10"));
        assert!(render("`$x$` is code").contains("<code>$x$</code>"));
    }

    #[test]
    fn tex_that_does_not_convert_is_shown_as_written() {
        let html = render("Broken: $\\frac{a}$ and $\\nosuch{x}$.");
        assert!(html.contains("<code class=\"tex-source\">$\\frac{a}$</code>"), "{html}");
        assert!(html.contains("<code class=\"tex-source\">$\\nosuch{x}$</code>"), "{html}");
        assert!(!html.contains("<math"), "{html}");
    }

    #[test]
    fn mathml_keeps_no_script_link_handler_or_html_island() {
        let payloads = [
            "<math><mtext><script>alert(1)</script></mtext></math>",
            "<math href=\"javascript:alert(1)\"><mi href=\"javascript:alert(2)\">x</mi></math>",
            "<math><mi onclick=\"alert(1)\" style=\"color:red\">x</mi></math>",
            "<math><annotation-xml encoding=\"text/html\"><img src=x onerror=alert(1)></annotation-xml></math>",
            "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
            "<math><maction actiontype=\"statusline\"><mi>x</mi><mtext>javascript:alert(1)</mtext></maction></math>",
        ];
        for payload in payloads {
            for html in [render(payload), clean_html(payload)] {
                assert!(!html.contains("<script") && !html.contains("alert(1)</script"), "{payload}: {html}");
                assert!(!html.contains("href") && !html.contains("onclick") && !html.contains("onerror"), "{html}");
                assert!(!html.contains("style=") && !html.contains("annotation-xml"), "{html}");
                assert!(!html.contains("<img") && !html.contains("maction"), "{html}");
            }
        }
        // What is allowed stays.
        let html = render("<math><mi mathvariant=\"normal\">x</mi></math>");
        assert!(html.contains("<math><mi mathvariant=\"normal\">x</mi></math>"), "{html}");
    }

    #[test]
    fn tex_links_and_styles_come_out_harmless() {
        for source in
            ["$\\href{javascript:alert(1)}{x}$", "$\\style{color:red}{x}$", "$\\color{red}{x}$", "$\\class{button}{x}$"]
        {
            let html = render(source);
            assert!(!html.contains("href=") && !html.contains("style=") && !html.contains("class=\"button"), "{html}");
        }
    }

    #[test]
    fn html_texts_get_their_bracketed_tex_as_mathml() {
        let html = clean_html("<p onclick=\"x()\">Solve \\(x^2 = 4\\) for \\(x &gt; 0\\).</p>");
        assert_eq!(html.matches("<math>").count(), 2, "{html}");
        assert!(html.contains("<mo>&gt;</mo>"), "{html}");
        assert!(!html.contains("onclick"), "{html}");
        assert_eq!(clean_html("<p>costs $5 and $10</p>"), "<p>costs $5 and $10</p>");
    }
}
