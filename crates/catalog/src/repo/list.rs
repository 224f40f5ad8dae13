//! The catalog's result list: published courses filtered, searched and sorted,
//! one keyset page at a time.
//!
//! The statement is assembled from constant fragments chosen by the parsed
//! [`Search`] (which filters are set, which sort, which search engine); every
//! value is a bound parameter. Each row carries its sort key as `sort_num`
//! (a BIGINT: publication time, enrollments, price or the relevance score) or
//! `sort_text` (the lower-cased title), which is what the cursor holds.

use lyceum_courses::service::read::Engine;
use lyceum_platform::db::Args;
use sqlx::AnyConnection;

use crate::model::{PriceFilter, Search, Sort};

#[derive(Debug, sqlx::FromRow)]
pub struct CardRow {
    pub id: String,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub cover_key: Option<String>,
    pub level: String,
    pub language: String,
    pub price_minor: i64,
    pub currency: Option<String>,
    pub enrolled_count: i64,
    pub published_at: Option<i64>,
    pub category_slug: Option<String>,
    pub category_name: Option<String>,
    pub sort_num: i64,
    pub sort_text: String,
}

impl CardRow {
    /// This row's cursor key under `sort`.
    pub fn sort_key(&self, sort: Sort) -> String {
        if sort.text_key() { self.sort_text.clone() } else { self.sort_num.to_string() }
    }
}

/// The sort key columns of each order.
fn sort_keys(sort: Sort, score: &str) -> (&str, &'static str) {
    match sort {
        Sort::Relevance => (score, "''"),
        Sort::Newest => ("c.published_at", "''"),
        Sort::Enrolled => ("c.enrolled_count", "''"),
        Sort::Price => ("c.price_minor", "''"),
        Sort::Title => ("CAST(0 AS BIGINT)", "lower(c.title)"),
    }
}

/// The rows `s` matches, whatever the page: the search join, its score and the filters.
struct Matching {
    /// The search engine's matches (`course_id`, `score`), when there are words.
    matches: Option<String>,
    score: String,
    conditions: Vec<String>,
}

impl Matching {
    fn of(args: &mut Args, engine: Engine, s: &Search) -> Self {
        let mut matches = None;
        let mut score = "CAST(0 AS BIGINT)".to_string();
        if !s.terms.is_empty() {
            let query = args.text(engine.query_text(&s.terms));
            matches = Some(engine.matches(&query));
            score = "m.score".into();
        }
        let mut conditions = vec!["c.state = 'published'".to_string()];
        if let Some(v) = &s.category {
            conditions.push(format!("cat.slug = {}", args.text(v)));
        }
        if let Some(v) = s.level {
            conditions.push(format!("c.level = {}", args.text(v)));
        }
        if let Some(v) = &s.language {
            conditions.push(format!("c.language = {}", args.text(v)));
        }
        match s.price {
            Some(PriceFilter::Free) => conditions.push("c.price_minor = 0".into()),
            Some(PriceFilter::Paid) => conditions.push("c.price_minor > 0".into()),
            None => {}
        }
        if let Some(v) = s.min_price {
            conditions.push(format!("c.price_minor >= {}", args.int(v)));
        }
        if let Some(v) = s.max_price {
            conditions.push(format!("c.price_minor <= {}", args.int(v)));
        }
        if let Some(v) = &s.currency {
            conditions.push(format!("c.currency = {}", args.text(v)));
        }
        if let Some(v) = &s.tag {
            let tag = args.text(v);
            conditions.push(format!("EXISTS (SELECT 1 FROM course_tags t WHERE t.course_id = c.id AND t.tag = {tag})"));
        }
        if let Some(v) = &s.instructor {
            let user = args.text(v);
            conditions.push(format!(
                "EXISTS (SELECT 1 FROM course_instructors i WHERE i.course_id = c.id AND i.user_id = {user})"
            ));
        }
        Self { matches, score, conditions }
    }

    /// `FROM … WHERE …` of the matching courses, with the search's score (`m.score`).
    fn from(&self) -> String {
        let join = self.matches.as_ref().map(|m| format!("JOIN ({m}) m ON m.course_id = c.id")).unwrap_or_default();
        format!(
            "FROM courses c LEFT JOIN categories cat ON cat.id = c.category_id {join} WHERE {}",
            self.conditions.join(" AND ")
        )
    }

    /// `FROM … WHERE …` without the score, for counting: the matches as an
    /// `IN` list, which both engines run once (as a join, SQLite re-ran the
    /// full-text query per course: a search page's first render took ~1 s).
    fn unscored_from(&self) -> String {
        let mut conditions = self.conditions.clone();
        if let Some(m) = &self.matches {
            conditions.push(format!("c.id IN (SELECT course_id FROM ({m}) m)"));
        }
        format!("FROM courses c LEFT JOIN categories cat ON cat.id = c.category_id WHERE {}", conditions.join(" AND "))
    }
}

/// `limit` rows of the list `s` describes, after `s.after`.
pub async fn page(
    conn: &mut AnyConnection,
    engine: Engine,
    s: &Search,
    limit: i64,
) -> Result<Vec<CardRow>, sqlx::Error> {
    let mut args = Args::default();
    let matching = Matching::of(&mut args, engine, s);
    let sort = s.sort();
    let (num, text) = sort_keys(sort, &matching.score);
    let inner = format!(
        "SELECT c.id, c.slug, c.title, c.summary, c.cover_key, c.level, c.language, c.price_minor, c.currency, \
         c.enrolled_count, c.published_at, cat.slug AS category_slug, cat.name AS category_name, \
         {num} AS sort_num, {text} AS sort_text {}",
        matching.from()
    );
    let (column, dir, cmp) = match (sort.text_key(), sort.ascending()) {
        (true, _) => ("sort_text", "ASC", ">"),
        (false, true) => ("sort_num", "ASC", ">"),
        (false, false) => ("sort_num", "DESC", "<"),
    };
    let after = match &s.after {
        None => "1 = 1".to_string(),
        Some((key, id)) => {
            let key = if sort.text_key() { args.text(key) } else { args.int(key.parse().unwrap_or_default()) };
            let id = args.text(id);
            format!("({column} {cmp} {key} OR ({column} = {key} AND id {cmp} {id}))")
        }
    };
    let limit = args.int(limit);
    let sql = format!("SELECT * FROM ({inner}) x WHERE {after} ORDER BY {column} {dir}, id {dir} LIMIT {limit}");
    args.query_as(sql).fetch_all(conn).await
}

/// How many courses `s` matches in all (every page).
pub async fn count(conn: &mut AnyConnection, engine: Engine, s: &Search) -> Result<i64, sqlx::Error> {
    let mut args = Args::default();
    let matching = Matching::of(&mut args, engine, s);
    let sql = format!("SELECT COUNT(*) {}", matching.unscored_from());
    args.query_scalar(sql).fetch_one(conn).await
}

/// The tags of `ids`, as (course id, tag), in tag order.
pub async fn tags_of(conn: &mut AnyConnection, ids: &[String]) -> Result<Vec<(String, String)>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut args = Args::default();
    let sql = format!("SELECT course_id, tag FROM course_tags WHERE course_id IN ({}) ORDER BY tag", args.list(ids));
    args.query_as(sql).fetch_all(conn).await
}
