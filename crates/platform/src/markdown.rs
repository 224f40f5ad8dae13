//! User-written markdown → sanitised HTML. Every markdown field goes through here.

/// Renders markdown and removes anything unsafe (scripts, event handlers,
/// `javascript:` links); links get `rel="noopener noreferrer nofollow"`.
pub fn render(source: &str) -> String {
    let mut options = pulldown_cmark::Options::empty();
    options.insert(pulldown_cmark::Options::ENABLE_TABLES);
    options.insert(pulldown_cmark::Options::ENABLE_STRIKETHROUGH);
    let parser = pulldown_cmark::Parser::new_ext(source, options);
    let mut html = String::with_capacity(source.len() * 2);
    pulldown_cmark::html::push_html(&mut html, parser);
    ammonia::Builder::default().link_rel(Some("noopener noreferrer nofollow")).clean(&html).to_string()
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
}
