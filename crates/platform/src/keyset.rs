//! Keyset pagination over `(created_at, id)`, newest first — the one way lists
//! page here. A cursor is the last row's `created_at:id`; the next page holds
//! the rows strictly before it. Fetch `limit + 1` rows to learn whether there
//! is a next page.
//!
//! Lists with several sorts (the catalog) use [`encode_sorted`] /
//! [`decode_sorted`]: the same idea over `(sort key, id)`, where the key may be
//! a number or text and the cursor names the sort it belongs to.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use serde::Deserialize;

use crate::{AppError, Text};

/// A page's size when `limit` is not given.
pub const DEFAULT_LIMIT: i64 = 25;
/// The largest `limit` a list accepts.
pub const MAX_LIMIT: i64 = 100;

/// `?limit=&cursor=` of a list that has no other filter — the paging every
/// list documents the same way, as query parameters.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// Page size, 1–100 (default 25); outside that range is a 422.
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

impl PageParams {
    /// The checked request (see [`PageRequest::new`]).
    pub fn request(&self) -> Result<PageRequest, AppError> {
        PageRequest::new(self.limit, self.cursor.as_deref())
    }
}

/// One page asked of a list: a size already checked against the one
/// maximum ([`MAX_LIMIT`]) and where the page starts. Every service that
/// lists takes one; none clamps or re-checks a size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRequest {
    limit: i64,
    cursor: Option<String>,
}

impl PageRequest {
    /// From `?limit=&cursor=`: the size by [`limit`] (absent is the default,
    /// outside 1–[`MAX_LIMIT`] a 422); the cursor is decoded by the list that
    /// knows its key ([`PageRequest::before`], or the catalog's sorted cursors).
    pub fn new(limit: Option<i64>, cursor: Option<&str>) -> Result<Self, AppError> {
        let cursor = cursor.filter(|c| !c.is_empty()).map(str::to_string);
        Ok(PageRequest { limit: self::limit(limit)?, cursor })
    }

    /// A page of `size` rows from `cursor`, for pages whose size the server
    /// picks; a size outside 1–[`MAX_LIMIT`] is a programming error, capped.
    pub fn sized(size: i64, cursor: Option<&str>) -> Self {
        let cursor = cursor.filter(|c| !c.is_empty()).map(str::to_string);
        PageRequest { limit: size.clamp(1, MAX_LIMIT), cursor }
    }

    pub fn limit(&self) -> i64 {
        self.limit
    }

    pub fn cursor(&self) -> Option<&str> {
        self.cursor.as_deref()
    }

    /// How many rows to read: one more than the page, to learn whether another follows.
    pub fn fetch(&self) -> i64 {
        self.limit + 1
    }

    /// The `(created_at, id)` the page starts before (see [`before`]).
    pub fn before(&self) -> Result<Option<(i64, String)>, AppError> {
        before(self.cursor())
    }
}

/// One page of a list and the cursor of the next, if any — the one page
/// shape every list returns (and the API serialises as `items`, `next_cursor`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paged<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

impl<T> Paged<T> {
    /// `rows` read with [`PageRequest::fetch`] over `(created_at, id)`: cut
    /// to the page, with the next page's cursor when a row was left over.
    pub fn from_rows(mut rows: Vec<T>, page: &PageRequest, key: impl Fn(&T) -> (i64, &str)) -> Self {
        let next_cursor = next_cursor(&mut rows, page.limit(), key);
        Paged { items: rows, next_cursor }
    }

    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Paged<U> {
        Paged { items: self.items.into_iter().map(f).collect(), next_cursor: self.next_cursor }
    }
}

/// The one rule for `?limit=` on every list: absent is [`DEFAULT_LIMIT`];
/// 1 to [`MAX_LIMIT`] is taken as given; anything else is a 422 on `limit`
/// (never silently clamped, so a client learns its page is not what it asked).
pub fn limit(given: Option<i64>) -> Result<i64, AppError> {
    match given {
        None => Ok(DEFAULT_LIMIT),
        Some(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
        Some(_) => Err(AppError::field("limit", Text::new("errors.limit").arg("max", MAX_LIMIT))),
    }
}

/// The `(created_at, id)` a page starts before; `None` for the first page (no
/// or an empty cursor). A malformed cursor is a 422 on the field `cursor`.
pub fn before(cursor: Option<&str>) -> Result<Option<(i64, String)>, AppError> {
    let Some(cursor) = cursor.filter(|c| !c.is_empty()) else { return Ok(None) };
    let parsed = cursor.split_once(':').and_then(|(at, id)| Some((at.parse().ok()?, id.to_string())));
    parsed.map(Some).ok_or_else(|| AppError::field("cursor", Text::new("errors.cursor")))
}

/// Cuts `rows` (fetched with `limit + 1`) to `limit`; returns the cursor of the
/// next page when there is one.
pub fn next_cursor<T>(rows: &mut Vec<T>, limit: i64, key: impl Fn(&T) -> (i64, &str)) -> Option<String> {
    let limit = usize::try_from(limit).unwrap_or(0);
    if rows.len() <= limit {
        return None;
    }
    rows.truncate(limit);
    rows.last().map(|row| {
        let (at, id) = key(row);
        format!("{at}:{id}")
    })
}

/// An opaque cursor (base64url) for a list in order `sort`: the last row's
/// sort `key` (any text, e.g. a title or a number) and `id`.
pub fn encode_sorted(sort: &str, key: &str, id: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("{sort}\n{id}\n{key}"))
}

/// The `(key, id)` of a cursor made by [`encode_sorted`] for the same `sort`;
/// `None` without a cursor. One that does not decode, or was made for another
/// sort, is a 422 on the field `cursor`.
pub fn decode_sorted(cursor: Option<&str>, sort: &str) -> Result<Option<(String, String)>, AppError> {
    let Some(cursor) = cursor.filter(|c| !c.is_empty()) else { return Ok(None) };
    let text = URL_SAFE_NO_PAD.decode(cursor).ok().and_then(|b| String::from_utf8(b).ok());
    let parts = text.as_deref().and_then(|t| {
        let mut it = t.splitn(3, '\n');
        let (s, id, key) = (it.next()?, it.next()?, it.next()?);
        (s == sort && !id.is_empty()).then(|| (key.to_string(), id.to_string()))
    });
    parts.map(Some).ok_or_else(|| AppError::field("cursor", Text::new("errors.cursor_sort")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_request_checks_its_size_once_and_a_page_cuts_rows_with_the_next_cursor() {
        assert_eq!(PageRequest::new(None, None).unwrap().limit(), DEFAULT_LIMIT);
        assert_eq!(PageRequest::new(Some(MAX_LIMIT), Some("")).unwrap().cursor(), None);
        for bad in [0, -1, MAX_LIMIT + 1] {
            let err = PageRequest::new(Some(bad), None).unwrap_err();
            assert_eq!(err.fields[0].field, "limit", "{bad} is refused on the field");
        }
        assert_eq!(
            PageRequest::sized(10_000, None).limit(),
            MAX_LIMIT,
            "a server-chosen size stays under the one maximum"
        );
        let page = PageRequest::new(Some(2), Some("5:e")).unwrap();
        assert_eq!(page.fetch(), 3);
        assert_eq!(page.before().unwrap(), Some((5, "e".to_string())));
        assert!(PageRequest::new(None, Some("junk")).unwrap().before().is_err());

        let rows = vec![(4, "d"), (3, "c"), (2, "b")];
        let paged = Paged::from_rows(rows, &page, |r| (r.0, r.1));
        assert_eq!(paged.items, vec![(4, "d"), (3, "c")]);
        assert_eq!(paged.next_cursor.as_deref(), Some("3:c"));
        let last = Paged::from_rows(vec![(1, "a")], &page, |r| (r.0, r.1)).map(|r| r.1);
        assert_eq!((last.items, last.next_cursor), (vec!["a"], None));
    }

    #[test]
    fn sorted_cursors_round_trip_and_belong_to_their_sort() {
        let c = encode_sorted("title", "a:b\nc", "id-1");
        assert_eq!(decode_sorted(Some(&c), "title").unwrap(), Some(("a:b\nc".to_string(), "id-1".to_string())));
        assert!(decode_sorted(Some(&c), "price").is_err());
        assert!(decode_sorted(Some("%%%"), "title").is_err());
        assert_eq!(decode_sorted(Some(""), "title").unwrap(), None);
    }

    #[test]
    fn limits_outside_1_to_100_are_refused_not_clamped() {
        assert_eq!(limit(None).unwrap(), DEFAULT_LIMIT);
        assert_eq!(limit(Some(1)).unwrap(), 1);
        assert_eq!(limit(Some(100)).unwrap(), 100);
        for bad in [0, -1, 101, i64::MAX] {
            assert_eq!(limit(Some(bad)).unwrap_err().status, http::StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        }
    }

    #[test]
    fn cursors_round_trip_and_bad_ones_are_refused() {
        assert_eq!(before(None).unwrap(), None);
        assert_eq!(before(Some("")).unwrap(), None);
        assert_eq!(before(Some("17:abc")).unwrap(), Some((17, "abc".to_string())));
        assert!(before(Some("x:abc")).is_err());
        assert!(before(Some("17")).is_err());

        let mut rows = vec![(3, "c"), (2, "b"), (1, "a")];
        assert_eq!(next_cursor(&mut rows, 2, |r| (r.0, r.1)), Some("2:b".to_string()));
        assert_eq!(rows.len(), 2);
        assert_eq!(next_cursor(&mut rows, 2, |r| (r.0, r.1)), None, "no more rows");
    }
}
