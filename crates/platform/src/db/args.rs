//! Statements whose shape depends on their input (optional filters, `IN`
//! lists): the SQL text is built from constant fragments, every value is a
//! bound argument, and the placeholders are numbered in the order the values
//! are added — so the numbers cannot drift from the binds.

use sqlx::{
    Any, FromRow,
    any::{AnyArguments, AnyRow},
    query::{Query, QueryAs, QueryScalar},
};

/// Binds each value to `query` in order (`Query`, `QueryAs` and `QueryScalar`
/// share no trait for `bind`).
macro_rules! bind_all {
    ($query:expr, $values:expr) => {{
        let mut query = $query;
        for value in $values {
            query = match value {
                Value::Text(v) => query.bind(v),
                Value::Int(v) => query.bind(v),
            };
        }
        query
    }};
}

enum Value {
    Text(String),
    Int(i64),
}

/// The arguments of one statement, numbered `$1…` as they are added.
///
/// ```
/// use lyceum_platform::db::Args;
/// let mut args = Args::default();
/// let user = args.text("u1");
/// let courses = args.list(&["c1", "c2"]);
/// assert_eq!(format!("user_id = {user} AND course_id IN ({courses})"), "user_id = $1 AND course_id IN ($2, $3)");
/// ```
#[derive(Default)]
pub struct Args {
    values: Vec<Value>,
}

impl Args {
    fn push(&mut self, value: Value) -> String {
        self.values.push(value);
        format!("${}", self.values.len())
    }

    /// Binds a text value; returns its placeholder.
    pub fn text(&mut self, value: impl Into<String>) -> String {
        self.push(Value::Text(value.into()))
    }

    /// Binds an integer; returns its placeholder.
    pub fn int(&mut self, value: i64) -> String {
        self.push(Value::Int(value))
    }

    /// Binds each value of an `IN (…)` list; returns their placeholders,
    /// comma-separated. An empty list is `NULL`, which `IN` never matches
    /// (rather than `IN ()`, which neither engine parses).
    pub fn list<S: AsRef<str>>(&mut self, values: &[S]) -> String {
        if values.is_empty() {
            return "NULL".into();
        }
        values.iter().map(|v| self.text(v.as_ref())).collect::<Vec<_>>().join(", ")
    }

    /// `sql` with these arguments bound, as a statement returning no rows.
    pub fn query<'q>(self, sql: String) -> Query<'q, Any, AnyArguments> {
        let query = sqlx::query(sqlx::AssertSqlSafe(sql));
        bind_all!(query, self.values)
    }

    /// `sql` with these arguments bound, reading rows as `T`.
    pub fn query_as<'q, T>(self, sql: String) -> QueryAs<'q, Any, T, AnyArguments>
    where
        T: for<'r> FromRow<'r, AnyRow>,
    {
        let query = sqlx::query_as(sqlx::AssertSqlSafe(sql));
        bind_all!(query, self.values)
    }

    /// `sql` with these arguments bound, reading the first column as `T`.
    pub fn query_scalar<'q, T>(self, sql: String) -> QueryScalar<'q, Any, T, AnyArguments>
    where
        (T,): for<'r> FromRow<'r, AnyRow>,
    {
        let query = sqlx::query_scalar(sqlx::AssertSqlSafe(sql));
        bind_all!(query, self.values)
    }
}

#[cfg(test)]
mod tests {
    use sqlx::{AnyConnection, Connection};

    use super::*;

    async fn memory() -> AnyConnection {
        sqlx::any::install_default_drivers();
        AnyConnection::connect("sqlite::memory:").await.unwrap()
    }

    #[tokio::test]
    async fn values_bind_to_the_placeholders_they_were_given() {
        let mut conn = memory().await;
        let mut args = Args::default();
        let sql = format!("SELECT {} || '-' || CAST({} AS TEXT)", args.text("a"), args.int(7));
        let got: String = args.query_scalar(sql).fetch_one(&mut conn).await.unwrap();
        assert_eq!(got, "a-7");
    }

    #[tokio::test]
    async fn an_empty_list_matches_nothing_and_a_list_matches_its_members() {
        let mut conn = memory().await;
        let ids = |list: &[&str]| {
            let mut args = Args::default();
            let sql = format!(
                "WITH t(id) AS (VALUES ('x'), ('y'), ('z')) SELECT id FROM t WHERE id IN ({}) ORDER BY id",
                args.list(list)
            );
            args.query_scalar::<String>(sql)
        };
        assert_eq!(ids(&["z", "x", "w"]).fetch_all(&mut conn).await.unwrap(), ["x", "z"]);
        assert!(ids(&[]).fetch_all(&mut conn).await.unwrap().is_empty());
    }
}
