//! Standard security headers on every response.
//!
//! Every page has one Content-Security-Policy, [`CSP`]. A page that needs a
//! third party's script (the card form of a payment provider) says which
//! origins in its response's extensions ([`ExtraSources`]); this middleware
//! adds exactly those to that one answer, so no other page allows them.

use axum::{
    extract::{Request, State},
    http::{HeaderMap, HeaderValue, header},
    middleware::Next,
    response::Response,
};

use crate::AppState;

/// `frame-src` allows exactly the lesson video players (`lyceum_courses::model::EMBED_HOSTS`;
/// a test keeps the two lists equal).
const CSP: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
                   frame-src https://www.youtube-nocookie.com https://player.vimeo.com; \
                   object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
/// The API docs page (Swagger UI) needs inline styles and its own bootstrap script.
const DOCS_CSP: &str = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; \
                        script-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'";

pub async fn headers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let docs = is_docs(req.uri().path());
    let mut response = next.run(req).await;
    apply(response.headers_mut(), docs, state.settings.is_https());
    if let Some(extra) = response.extensions().get::<ExtraSources>().filter(|_| !docs) {
        let policy = extra.policy();
        match HeaderValue::from_str(&policy) {
            Ok(value) => {
                response.headers_mut().insert(header::CONTENT_SECURITY_POLICY, value);
            }
            Err(_) => {
                tracing::warn!(policy, "a page's extra CSP sources do not make a header; kept the standard policy")
            }
        }
    }
    response
}

/// Origins one page adds to [`CSP`]: a payment provider's script and frames
/// (`script-src`, `frame-src`) and the API its script calls (`connect-src`).
/// A handler inserts it in its response's extensions. Only the origin of each
/// URL is kept (`https://js.stripe.com/v3/` allows `https://js.stripe.com`),
/// so a configured URL cannot smuggle another directive into the policy.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExtraSources {
    script: Vec<String>,
    frame: Vec<String>,
    connect: Vec<String>,
}

impl ExtraSources {
    /// Allows scripts from `url`'s origin.
    pub fn script(mut self, url: &str) -> Self {
        self.script.extend(origin(url));
        self
    }

    /// Allows frames from `url`'s origin.
    pub fn frame(mut self, url: &str) -> Self {
        self.frame.extend(origin(url));
        self
    }

    /// Allows `fetch` and XHR to `url`'s origin.
    pub fn connect(mut self, url: &str) -> Self {
        self.connect.extend(origin(url));
        self
    }

    /// [`CSP`] with these origins added. A directive [`CSP`] lacks starts
    /// from `default-src` (what the browser would have applied).
    pub fn policy(&self) -> String {
        let mut directives: Vec<(&str, String)> = CSP
            .split(';')
            .filter_map(|d| d.trim().split_once(' '))
            .map(|(name, sources)| (name, sources.to_string()))
            .collect();
        let default = directives.iter().find(|(n, _)| *n == "default-src").map(|(_, s)| s.clone()).unwrap_or_default();
        for (name, origins) in
            [("script-src", &self.script), ("frame-src", &self.frame), ("connect-src", &self.connect)]
        {
            if origins.is_empty() {
                continue;
            }
            let at = match directives.iter().position(|(n, _)| *n == name) {
                Some(at) => at,
                None => {
                    directives.push((name, default.clone()));
                    directives.len() - 1
                }
            };
            for o in origins {
                directives[at].1.push(' ');
                directives[at].1.push_str(o);
            }
        }
        directives.iter().map(|(n, s)| format!("{n} {s}")).collect::<Vec<_>>().join("; ")
    }
}

/// `url`'s origin (`scheme://host[:port]`) when it is an http(s) URL; a
/// misconfigured one is logged and allows nothing.
fn origin(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url).ok().filter(|u| matches!(u.scheme(), "https" | "http") && u.host().is_some());
    match parsed {
        Some(u) => Some(u.origin().ascii_serialization()),
        None => {
            tracing::warn!(url, "not an http(s) URL: no origin added to the page's CSP");
            None
        }
    }
}

/// The API docs page, which gets [`DOCS_CSP`].
pub(crate) fn is_docs(path: &str) -> bool {
    path.starts_with("/api/docs")
}

/// The headers [`headers`] sets: also used for answers given before the
/// stack ([`crate::web::page_cache::EarlyPages`]). `docs`: the API docs page.
pub(crate) fn apply(h: &mut HeaderMap, docs: bool, https: bool) {
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(if docs { DOCS_CSP } else { CSP }));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    h.insert("cross-origin-opener-policy", HeaderValue::from_static("same-origin"));
    h.insert("permissions-policy", HeaderValue::from_static("camera=(), microphone=(), geolocation=()"));
    if https {
        h.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000; includeSubDomains"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn directive<'a>(policy: &'a str, name: &str) -> &'a str {
        policy.split(';').map(str::trim).find(|d| d.starts_with(&format!("{name} "))).unwrap_or("")
    }

    #[test]
    fn no_extra_sources_is_the_standard_policy() {
        assert_eq!(ExtraSources::default().policy(), CSP);
    }

    #[test]
    fn extra_sources_are_added_to_their_directives_only() {
        let extra = ExtraSources::default()
            .script("https://js.stripe.com/v3/")
            .frame("https://js.stripe.com/v3/")
            .connect("http://127.0.0.1:8420");
        let policy = extra.policy();
        assert_eq!(directive(&policy, "script-src"), "script-src 'self' https://js.stripe.com");
        assert_eq!(
            directive(&policy, "frame-src"),
            "frame-src https://www.youtube-nocookie.com https://player.vimeo.com https://js.stripe.com"
        );
        // Absent from the standard policy: starts from default-src.
        assert_eq!(directive(&policy, "connect-src"), "connect-src 'self' http://127.0.0.1:8420");
        for same in ["default-src", "img-src", "style-src", "object-src", "base-uri", "form-action", "frame-ancestors"]
        {
            assert_eq!(directive(&policy, same), directive(CSP, same), "{same} is unchanged");
        }
    }

    #[test]
    fn only_the_origin_of_a_url_is_allowed() {
        let policy = ExtraSources::default().script("https://js.example/v3/?x=1; script-src *").policy();
        assert_eq!(directive(&policy, "script-src"), "script-src 'self' https://js.example");
        let ignored = ExtraSources::default().script("javascript:alert(1)").connect("not a url").policy();
        assert_eq!(directive(&ignored, "script-src"), "script-src 'self'");
        assert_eq!(directive(&ignored, "connect-src"), "");
    }
}
