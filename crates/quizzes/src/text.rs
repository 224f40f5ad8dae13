//! A question's formatted texts as safe HTML: markdown through the
//! platform's renderer (sanitised), HTML (Moodle's usual format) sanitised,
//! plain text escaped. Nothing a teacher or an imported file wrote reaches a
//! page unsanitised.

use lyceum_assessment::{Text, TextFormat};

pub fn to_html(text: &Text) -> String {
    match text.format {
        TextFormat::Markdown => lyceum_platform::markdown::render(&text.body),
        TextFormat::Html => ammonia::clean(&text.body),
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
}
