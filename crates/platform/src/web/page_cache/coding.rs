//! A kept page's content codings. The page is compressed once, when it is
//! stored, in each coding a browser asks for; a hit is then answered with the
//! stored bytes. Without this the stack's compression layer compressed the
//! same page again on every hit from a browser (every browser sends
//! `Accept-Encoding: gzip, deflate, br`).

use std::io::Write;

use axum::http::HeaderValue;

/// How a kept page can be sent, least preferred first (on equal weights the
/// later one wins, as in tower-http's compression layer).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Coding {
    Identity,
    Gzip,
    Brotli,
}

/// Bodies this small are sent as they are (tower-http's default threshold).
const MIN_COMPRESSED: usize = 32;
/// Brotli's quality for a kept page: compressed once per page and cache
/// lifetime, on the request that renders it; 11 (the best) takes tens of
/// milliseconds on a 20 KB page, 5 about a millisecond and most of the gain.
const BROTLI_QUALITY: u32 = 5;
const BROTLI_WINDOW: u32 = 22;

impl Coding {
    /// The coding to answer with given the request's `Accept-Encoding`, or
    /// `None` when it accepts none we keep (then the stack answers, 406).
    /// Weights (`q=`) are honoured; `*` stands for any coding not named;
    /// without the header, or when it does not name it, the page may be sent
    /// as it is.
    pub(super) fn negotiate(accept: Option<&HeaderValue>) -> Option<Coding> {
        let Some(accept) = accept else { return Some(Coding::Identity) };
        let accept = accept.to_str().ok()?;
        let mut named: [Option<u16>; 3] = [None; 3];
        let mut any = None;
        for item in accept.split(',') {
            let mut parts = item.split(';');
            let name = parts.next().unwrap_or_default().trim();
            let Some(weight) = parts.find_map(q_value).unwrap_or(Some(1000)) else { continue };
            match name.to_ascii_lowercase().as_str() {
                "identity" => named[0] = Some(weight),
                "gzip" | "x-gzip" => named[1] = Some(weight),
                "br" => named[2] = Some(weight),
                "*" => any = Some(weight),
                _ => {}
            }
        }
        // Unnamed identity stays acceptable, behind any coding asked for.
        let weight = |i: usize| named[i].or(any).unwrap_or(if i == 0 { 1 } else { 0 });
        [Coding::Identity, Coding::Gzip, Coding::Brotli]
            .into_iter()
            .enumerate()
            .filter(|(i, _)| weight(*i) > 0)
            .max_by_key(|(i, _)| weight(*i))
            .map(|(_, coding)| coding)
    }

    /// The `Content-Encoding` to send with it.
    pub(super) fn header(self) -> Option<HeaderValue> {
        match self {
            Coding::Identity => None,
            Coding::Gzip => Some(HeaderValue::from_static("gzip")),
            Coding::Brotli => Some(HeaderValue::from_static("br")),
        }
    }
}

/// `q=0.5` → `Some(Some(500))`; a malformed weight → `Some(None)` (the item is
/// ignored); another parameter → `None`.
fn q_value(param: &str) -> Option<Option<u16>> {
    let param = param.trim();
    let value = param.strip_prefix("q=").or_else(|| param.strip_prefix("Q="))?;
    let weight = value.parse::<f32>().ok().filter(|q| (0.0..=1.0).contains(q));
    Some(weight.map(|q| (q * 1000.0).round() as u16))
}

/// The body in gzip and in brotli; both empty for a body too small to gain.
pub(super) fn compress(body: &[u8]) -> (Vec<u8>, Vec<u8>) {
    if body.len() < MIN_COMPRESSED {
        return (Vec::new(), Vec::new());
    }
    let mut gzip = flate2::write::GzEncoder::new(Vec::with_capacity(body.len() / 3), flate2::Compression::default());
    let mut brotli =
        brotli::CompressorWriter::new(Vec::with_capacity(body.len() / 3), 4096, BROTLI_QUALITY, BROTLI_WINDOW);
    // Writing to a Vec cannot fail; `into_inner` ends the brotli stream.
    let gzip = gzip.write_all(body).and_then(|()| gzip.finish()).unwrap_or_default();
    let brotli = brotli.write_all(body).map(|()| brotli.into_inner()).unwrap_or_default();
    (gzip, brotli)
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    fn negotiate(accept: &str) -> Option<Coding> {
        Coding::negotiate(Some(&HeaderValue::from_str(accept).unwrap()))
    }

    #[test]
    fn a_browser_gets_brotli_and_a_client_without_the_header_the_page_as_it_is() {
        assert_eq!(negotiate("gzip, deflate, br, zstd"), Some(Coding::Brotli));
        assert_eq!(negotiate("gzip"), Some(Coding::Gzip));
        assert_eq!(Coding::negotiate(None), Some(Coding::Identity));
        assert_eq!(negotiate("deflate"), Some(Coding::Identity));
    }

    #[test]
    fn weights_and_the_wildcard_are_honoured() {
        assert_eq!(negotiate("br;q=0.5, gzip"), Some(Coding::Gzip));
        assert_eq!(negotiate("br;q=0, gzip;q=0.1"), Some(Coding::Gzip));
        assert_eq!(negotiate("*"), Some(Coding::Brotli));
        assert_eq!(negotiate("identity, *;q=0"), Some(Coding::Identity));
        assert_eq!(negotiate("identity;q=0"), None);
        assert_eq!(negotiate("gzip;q=0, identity;q=0"), None);
        assert_eq!(negotiate("gzip;q=2"), Some(Coding::Identity), "a malformed weight is ignored");
    }

    #[test]
    fn both_codings_give_the_body_back() {
        let body = "<p>A lesson about compression.</p>".repeat(100);
        let (gzip, brotli) = compress(body.as_bytes());
        assert!(gzip.len() < body.len() / 4 && brotli.len() < body.len() / 4);
        let mut unzipped = String::new();
        flate2::read::GzDecoder::new(&gzip[..]).read_to_string(&mut unzipped).unwrap();
        let mut unbrotlied = String::new();
        brotli::Decompressor::new(&brotli[..], 4096).read_to_string(&mut unbrotlied).unwrap();
        assert_eq!((unzipped.as_str(), unbrotlied.as_str()), (body.as_str(), body.as_str()));
        assert_eq!(compress(b"{}"), (Vec::new(), Vec::new()), "too small to gain");
    }
}
