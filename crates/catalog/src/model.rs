//! What the catalog reads and shows: the search parameters (parsed at the
//! edge, every bad value a field error) and the view-models that are cached
//! and served as the API's bodies and the pages' data.

use lyceum_courses::{
    model::{Level, TAG_LEN_MAX},
    service::read::{QUERY_MAX, search_terms as terms},
};
use lyceum_platform::{
    AppError, FieldError, Text, keyset,
    money::{self, Currency, Money},
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub const DEFAULT_PAGE: i64 = keyset::DEFAULT_LIMIT;
pub const MAX_PAGE: i64 = keyset::MAX_LIMIT;

/// Orders of the catalog. `relevance` needs a query; without `sort`, a
/// search is by relevance and browsing by newest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    Relevance,
    /// Latest publication first.
    Newest,
    /// Most active enrollments first.
    Enrolled,
    /// A–Z, case-insensitive.
    Title,
    /// Cheapest first (free first), by amount in minor units.
    Price,
}

impl Sort {
    pub const ALL: [Sort; 5] = [Sort::Relevance, Sort::Newest, Sort::Enrolled, Sort::Title, Sort::Price];

    pub fn as_str(self) -> &'static str {
        match self {
            Sort::Relevance => "relevance",
            Sort::Newest => "newest",
            Sort::Enrolled => "enrolled",
            Sort::Title => "title",
            Sort::Price => "price",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }

    /// Keyed by text (the title) rather than a number.
    pub fn text_key(self) -> bool {
        self == Sort::Title
    }

    pub fn ascending(self) -> bool {
        matches!(self, Sort::Title | Sort::Price)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum PriceFilter {
    Free,
    Paid,
}

/// The query string of the catalog (API and pages), as given: every value is
/// text, so a bad one becomes a 422 naming its field rather than a 400. The
/// document still says what is accepted (`value_type`, enums, ranges), so a
/// generated client sends typed values.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct CatalogParams {
    /// Words to find in title, summary, description and tags (each word must match, as a prefix).
    pub q: Option<String>,
    /// A category slug (see `/api/v1/catalog/categories`).
    pub category: Option<String>,
    /// `beginner`, `intermediate` or `advanced`.
    #[param(inline, value_type = Option<Level>)]
    pub level: Option<String>,
    /// A language tag, e.g. `en` or `pt-BR`.
    pub language: Option<String>,
    /// `free` or `paid`.
    #[param(inline, value_type = Option<PriceFilter>)]
    pub price: Option<String>,
    /// Lowest price in minor units (cents); needs `currency`.
    #[param(value_type = Option<i64>, minimum = 0)]
    pub min_price: Option<String>,
    /// Highest price in minor units (cents); needs `currency`.
    #[param(value_type = Option<i64>, minimum = 0)]
    pub max_price: Option<String>,
    /// ISO 4217 code (any case): only courses priced in this currency.
    #[param(pattern = "^[A-Za-z]{3}$")]
    pub currency: Option<String>,
    pub tag: Option<String>,
    /// A person's user id: only the courses they teach (their profile page links here).
    #[param(pattern = "^[0-9A-Fa-f-]{1,36}$")]
    pub instructor: Option<String>,
    /// `relevance` (needs `q`; the default with `q`), `newest` (the default without), `enrolled`, `title`, `price`.
    #[param(inline, value_type = Option<Sort>)]
    pub sort: Option<String>,
    /// Page size, 1–100 (default 25); outside that range is a 422.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 100)]
    pub limit: Option<String>,
    /// `next_cursor` of the previous page (same filters and sort).
    pub cursor: Option<String>,
}

/// A checked catalog query. Its JSON form is the cache key of its result page.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Search {
    pub terms: Vec<String>,
    pub category: Option<String>,
    pub level: Option<&'static str>,
    pub language: Option<String>,
    pub price: Option<PriceFilter>,
    pub min_price: Option<i64>,
    pub max_price: Option<i64>,
    pub currency: Option<String>,
    pub tag: Option<String>,
    pub instructor: Option<String>,
    pub sort: Option<Sort>,
    pub limit: i64,
    /// The (sort key, id) the page starts after.
    pub after: Option<(String, String)>,
}

impl Search {
    pub fn sort(&self) -> Sort {
        self.sort.unwrap_or(Sort::Newest)
    }
}

/// A non-empty, trimmed value.
/// A parameter that was given: present and not blank, trimmed.
pub(crate) fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// Checks every parameter and reports all problems at once (422).
/// `categories` are the known category slugs.
pub fn parse(p: &CatalogParams, categories: &[String]) -> Result<Search, AppError> {
    let mut errors = Vec::new();
    let mut s = Search { limit: DEFAULT_PAGE, ..Default::default() };
    if let Some(q) = given(&p.q) {
        s.terms = terms(q);
        if q.chars().count() > QUERY_MAX {
            errors.push(FieldError::new("q", Text::new("catalog.errors.search_too_long").arg("max", QUERY_MAX)));
        } else if s.terms.is_empty() {
            errors.push(FieldError::new("q", Text::new("catalog.errors.search_no_word")));
        }
    }
    if let Some(c) = given(&p.category) {
        match categories.iter().find(|known| known.as_str() == c) {
            Some(known) => s.category = Some(known.clone()),
            None => errors.push(FieldError::new("category", Text::new("catalog.errors.category"))),
        }
    }
    if let Some(l) = given(&p.level) {
        match Level::parse(l) {
            Some(level) => s.level = Some(level.as_str()),
            None => errors.push(FieldError::new("level", Text::new("catalog.errors.level"))),
        }
    }
    if let Some(l) = given(&p.language) {
        match lyceum_courses::model::parse_language(l) {
            Ok(language) => s.language = Some(language),
            Err(e) => errors.push(e),
        }
    }
    match given(&p.price) {
        None => {}
        Some("free") => s.price = Some(PriceFilter::Free),
        Some("paid") => s.price = Some(PriceFilter::Paid),
        Some(_) => errors.push(FieldError::new("price", Text::new("catalog.errors.price"))),
    }
    s.min_price = amount("min_price", &p.min_price, &mut errors);
    s.max_price = amount("max_price", &p.max_price, &mut errors);
    if let (Some(min), Some(max)) = (s.min_price, s.max_price)
        && min > max
    {
        errors.push(FieldError::new("max_price", Text::new("catalog.errors.price_range")));
    }
    if let Some(c) = given(&p.currency) {
        match Currency::parse(c) {
            Ok(currency) => s.currency = Some(currency.as_str().to_string()),
            Err(e) => errors.push(FieldError::new("currency", e)),
        }
    } else if s.min_price.is_some() || s.max_price.is_some() {
        // Amounts in different currencies do not compare; a range is within one currency.
        errors.push(FieldError::new("currency", Text::new("catalog.errors.range_currency")));
    }
    if let Some(t) = given(&p.tag) {
        let t = t.to_lowercase();
        if t.chars().count() > TAG_LEN_MAX {
            errors.push(FieldError::new("tag", Text::new("catalog.errors.tag_too_long").arg("max", TAG_LEN_MAX)));
        } else if t.chars().any(char::is_control) {
            // No tag holds one, and PostgreSQL refuses a NUL in any text.
            errors.push(FieldError::new("tag", Text::new("catalog.errors.tag_control")));
        }
        s.tag = Some(t);
    }
    if let Some(id) = given(&p.instructor) {
        match is_id(id) {
            true => s.instructor = Some(id.to_ascii_lowercase()),
            false => errors.push(FieldError::new("instructor", Text::new("catalog.errors.instructor"))),
        }
    }
    match given(&p.sort).map(|v| (v, Sort::parse(v))) {
        None => s.sort = (!s.terms.is_empty()).then_some(Sort::Relevance),
        Some((_, Some(Sort::Relevance))) if s.terms.is_empty() => {
            errors.push(FieldError::new("sort", Text::new("catalog.errors.relevance_needs_query")))
        }
        Some((_, Some(sort))) => s.sort = Some(sort),
        Some(_) => errors.push(FieldError::new("sort", Text::new("catalog.errors.sort"))),
    }
    if let Some(l) = given(&p.limit) {
        match l.parse::<i64>().map(|n| keyset::limit(Some(n))) {
            Ok(Ok(n)) => s.limit = n,
            _ => errors.push(FieldError::new("limit", Text::new("catalog.errors.limit").arg("max", MAX_PAGE))),
        }
    }
    match keyset::decode_sorted(given(&p.cursor), s.sort().as_str()) {
        Ok(after) => s.after = after.filter(|(key, _)| s.sort().text_key() || key.parse::<i64>().is_ok()),
        Err(e) => errors.extend(e.fields),
    }
    if given(&p.cursor).is_some() && s.after.is_none() && !errors.iter().any(|e| e.field == "cursor") {
        errors.push(FieldError::new("cursor", Text::new("errors.cursor")));
    }
    if errors.is_empty() { Ok(s) } else { Err(AppError::validation(errors)) }
}

/// The shape of our ids (UUIDs): anything else cannot match, and a NUL or a
/// long string never reaches the database.
fn is_id(v: &str) -> bool {
    (1..=36).contains(&v.len()) && v.chars().all(|c| c.is_ascii_hexdigit() || c == '-')
}

fn amount(field: &str, raw: &Option<String>, errors: &mut Vec<FieldError>) -> Option<i64> {
    match money::parse_minor(given(raw)?) {
        Ok(n) => Some(n),
        Err(_) => {
            errors.push(FieldError::new(field, Text::new("catalog.errors.minor_units")));
            None
        }
    }
}

// ---- View-models: cached as JSON, served by the API, rendered by the pages ----

/// A price in minor units of an ISO 4217 currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Price {
    /// In the currency's smallest unit (cents; yen for JPY).
    pub amount_minor: i64,
    #[schema(value_type = String)]
    pub currency: Currency,
}

impl Price {
    /// `None` for a free course. Codes were checked against the list when the
    /// course was saved, and the list only grows.
    pub fn of(amount_minor: i64, currency: Option<String>) -> Option<Self> {
        let money = Money::stored_price(amount_minor, currency.as_deref())?;
        Some(Price { amount_minor: money.minor, currency: money.currency })
    }

    /// For the one formatter (`page.money`).
    pub fn money(&self) -> Money {
        Money { minor: self.amount_minor, currency: self.currency }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CategoryRef {
    pub slug: String,
    pub name: String,
}

/// A course in a result list.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CourseCard {
    pub id: String,
    pub slug: String,
    pub title: String,
    pub summary: String,
    /// Cover image URL; absent when the course has none.
    pub cover_url: Option<String>,
    pub category: Option<CategoryRef>,
    pub level: String,
    pub language: String,
    pub tags: Vec<String>,
    /// Absent when the course is free.
    pub price: Option<Price>,
    /// Active enrollments (may lag by up to 30 seconds).
    pub enrolled_count: i64,
    /// RFC 3339.
    pub published_at: String,
}

impl CourseCard {
    /// Its language's name ("English"), for the card.
    pub fn language_name(&self) -> String {
        lyceum_courses::model::language_name(&self.language)
    }
}

/// One page of catalog results.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct CatalogPage {
    pub items: Vec<CourseCard>,
    /// How many courses match the query in all, over every page.
    pub total: i64,
    /// Pass as `cursor` (with the same filters and sort) for the next page; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// What the published courses offer to filter by: the catalog's menus list
/// these, not every language and currency there is.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Facets {
    /// Language tags in use, in order.
    pub languages: Vec<String>,
    /// Currencies of paid courses, in order.
    pub currencies: Vec<Currency>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct InstructorRef {
    pub user_id: String,
    pub display_name: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SyllabusLesson {
    pub id: String,
    pub title: String,
    /// `text`, `video` or `file`.
    pub kind: String,
    pub duration_minutes: i64,
    /// Anyone may open a preview lesson without enrolling.
    pub preview: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SyllabusModule {
    pub id: String,
    pub title: String,
    pub duration_minutes: i64,
    pub lessons: Vec<SyllabusLesson>,
}

/// A course page: details, instructors, price, enrollment and syllabus.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CourseDetail {
    pub id: String,
    pub slug: String,
    pub title: String,
    pub summary: String,
    /// The description's markdown, rendered and sanitised.
    pub description_html: String,
    pub cover_url: Option<String>,
    pub category: Option<CategoryRef>,
    pub level: String,
    pub language: String,
    pub tags: Vec<String>,
    pub instructors: Vec<InstructorRef>,
    /// Absent when the course is free.
    pub price: Option<Price>,
    /// Active enrollments (may lag by up to 30 seconds).
    pub enrolled_count: i64,
    /// Absent when seats are unlimited.
    pub seat_limit: Option<i64>,
    /// Absent when seats are unlimited.
    pub seats_left: Option<i64>,
    /// `published` for everyone; staff also see `draft` and `archived` courses.
    pub state: String,
    pub published_at: Option<String>,
    pub modules: Vec<SyllabusModule>,
    pub lesson_count: i64,
    pub duration_minutes: i64,
}

impl CourseDetail {
    pub fn is_published(&self) -> bool {
        self.state == "published"
    }
    pub fn is_full(&self) -> bool {
        self.seats_left == Some(0)
    }
}

/// A category with how many published courses it has.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, sqlx::FromRow)]
pub struct CategoryCount {
    pub slug: String,
    pub name: String,
    pub course_count: i64,
}

/// Named apart from the authoring list of categories (`CategoryList`, with
/// ids): two schemas with one name would leave one described by the other.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(as = CatalogCategoryList)]
pub struct CategoryList {
    pub items: Vec<CategoryCount>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> CatalogParams {
        let q: String = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish();
        serde_json::from_value(serde_json::Value::Object(
            url::form_urlencoded::parse(q.as_bytes()).map(|(k, v)| (k.to_string(), v.to_string().into())).collect(),
        ))
        .unwrap()
    }

    fn fields(e: AppError) -> Vec<String> {
        e.fields.into_iter().map(|f| f.field).collect()
    }

    #[test]
    fn prices_are_money_in_an_accepted_currency() {
        let price = Price::of(1999, Some("EUR".into())).unwrap();
        assert_eq!(price.money(), Money { minor: 1999, currency: Currency::EUR });
        assert_eq!(serde_json::to_value(&price).unwrap(), serde_json::json!({"amount_minor": 1999, "currency": "EUR"}));
        assert_eq!(Price::of(0, None), None);
        assert_eq!(Price::of(0, Some("EUR".into())), None);
    }

    #[test]
    fn every_bad_parameter_is_named() {
        let cats = vec!["programming".to_string()];
        let bad = params(&[
            ("category", "nope"),
            ("level", "expert"),
            ("language", "english!"),
            ("price", "cheap"),
            ("min_price", "-1"),
            ("max_price", "x"),
            ("currency", "XXX"),
            ("sort", "best"),
            ("limit", "many"),
            ("cursor", "???"),
            ("instructor", "1 OR 1=1"),
        ]);
        let got = fields(parse(&bad, &cats).unwrap_err());
        for f in [
            "category",
            "level",
            "language",
            "price",
            "min_price",
            "max_price",
            "currency",
            "sort",
            "limit",
            "cursor",
            "instructor",
        ] {
            assert!(got.contains(&f.to_string()), "{f} in {got:?}");
        }
        assert_eq!(fields(parse(&params(&[("sort", "relevance")]), &cats).unwrap_err()), ["sort"]);
        assert_eq!(fields(parse(&params(&[("max_price", "100")]), &cats).unwrap_err()), ["currency"]);
        assert_eq!(fields(parse(&params(&[("q", "?!")]), &cats).unwrap_err()), ["q"]);
        assert_eq!(
            fields(parse(&params(&[("tag", "a\0b")]), &cats).unwrap_err()),
            ["tag"],
            "a NUL never reaches the database"
        );
        let cursor = keyset::encode_sorted("newest", "not-a-number", "id");
        assert_eq!(fields(parse(&params(&[("cursor", &cursor)]), &cats).unwrap_err()), ["cursor"]);
    }

    #[test]
    fn defaults_and_normal_forms() {
        let cats = vec!["programming".to_string()];
        let s =
            parse(&params(&[("q", "Rust "), ("limit", "100"), ("currency", "eur"), ("tag", "Web")]), &cats).unwrap();
        assert_eq!(
            (s.sort(), s.limit, s.currency.as_deref(), s.tag.as_deref()),
            (Sort::Relevance, 100, Some("EUR"), Some("web"))
        );
        for outside in ["0", "101"] {
            assert_eq!(fields(parse(&params(&[("limit", outside)]), &cats).unwrap_err()), ["limit"], "{outside}");
        }
        let id = "0193A5B2-7C3D-7E4F-8A9B-0C1D2E3F4A5B";
        let s = parse(&params(&[("instructor", id)]), &cats).unwrap();
        assert_eq!(s.instructor.as_deref(), Some(id.to_ascii_lowercase().as_str()), "ids are lowercase");
        let s = parse(&params(&[("q", ""), ("level", "")]), &cats).unwrap();
        assert_eq!((s.sort(), s.limit, s.level), (Sort::Newest, DEFAULT_PAGE, None));
    }
}
