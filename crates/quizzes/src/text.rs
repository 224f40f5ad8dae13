//! A question's formatted texts as safe HTML: markdown through the
//! platform's renderer (sanitised), HTML (Moodle's usual format) sanitised,
//! plain text escaped. Nothing a teacher or an imported file wrote reaches a
//! page unsanitised. Maths is TeX turned into MathML on the server: `$…$` in
//! markdown, `\(…\)` / `\[…\]` / `$$…$$` in HTML (Moodle's notation).

use lyceum_assessment::{Text, TextFormat};

pub fn to_html(text: &Text) -> String {
    match text.format {
        TextFormat::Markdown => lyceum_platform::markdown::render(&text.body),
        TextFormat::Html => lyceum_platform::markdown::clean_html(&text.body),
        TextFormat::Plain => format!("<p>{}</p>", ammonia::clean_text(&text.body)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_format_lets_a_script_or_handler_through() {
        let evil = "<img src=x onerror=alert(1)><script>alert(2)</script>";
        for text in [Text::markdown(evil), Text::html(evil), Text::plain(evil)] {
            let html = to_html(&text);
            assert!(!html.contains("onerror=") && !html.contains("<script"), "{html}");
        }
    }

    #[test]
    fn tex_in_html_and_markdown_texts_becomes_mathml() {
        let html = to_html(&Text::html("<p>Solve \\(x^2 = 9\\) for \\(x &gt; 0\\):</p>\\[x = 3\\]"));
        assert_eq!(html.matches("<math").count(), 3, "{html}");
        assert!(html.contains("<math display=\"block\">"), "{html}");
        assert!(html.contains("<msup><mi>x</mi><mn>2</mn></msup>"), "{html}");
        let html = to_html(&Text::markdown("What is $x^2$ when $x = 3$?"));
        assert_eq!(html.matches("<math").count(), 2, "{html}");
        // Plain text is text: no maths, no markup.
        assert!(!to_html(&Text::plain("\\(x^2\\) costs $5")).contains("<math"));
    }

    #[test]
    fn tex_in_html_texts_cannot_smuggle_markup() {
        let html = to_html(&Text::html(
            "<p>\\(\\text{&lt;script&gt;alert(1)&lt;/script&gt;}\\) \\(\\text{<script>alert(2)</script>}\\) \\(\\href{javascript:alert(3)}{x}\\)</p>",
        ));
        assert!(!html.contains("<script") && !html.contains("href="), "{html}");
        assert!(html.contains("<mtext>&lt;script&gt;alert(1)&lt;/script&gt;</mtext>"), "text in maths is text: {html}");
        assert!(html.contains("<code class=\"tex-source\">\\(\\href{javascript:alert(3)}{x}\\)</code>"), "{html}");
    }
}
