//! `billing_coupons`, `billing_coupon_courses` and `billing_coupon_redemptions`.

use lyceum_platform::db;
use sqlx::AnyConnection;

use crate::model::Coupon;

const COLUMNS: &str = "id, code, kind, percent, amount_minor, currency, all_courses, valid_from, valid_until, \
     max_redemptions, redeemed_count, max_per_learner, active, created_at, updated_at";

/// A coupon as created (its course list is written apart, [`set_courses`]).
pub struct NewCoupon<'a> {
    pub id: &'a str,
    pub code: &'a str,
    pub kind: &'a str,
    pub percent: Option<i32>,
    pub amount_minor: Option<i64>,
    pub currency: Option<&'a str>,
    pub all_courses: bool,
    pub valid_from: Option<i64>,
    pub valid_until: Option<i64>,
    pub max_redemptions: Option<i32>,
    pub max_per_learner: Option<i32>,
    pub active: bool,
}

pub async fn insert(conn: &mut AnyConnection, c: &NewCoupon<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO billing_coupons (id, code, kind, percent, amount_minor, currency, all_courses, valid_from, \
           valid_until, max_redemptions, max_per_learner, active, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)",
    )
    .bind(c.id)
    .bind(c.code)
    .bind(c.kind)
    .bind(c.percent)
    .bind(c.amount_minor)
    .bind(c.currency)
    .bind(i32::from(c.all_courses))
    .bind(c.valid_from)
    .bind(c.valid_until)
    .bind(c.max_redemptions)
    .bind(c.max_per_learner)
    .bind(i32::from(c.active))
    .bind(db::now_ms())
    .execute(conn)
    .await?;
    Ok(())
}

/// What an administrator may change on a coupon (its code and value stay:
/// orders were priced with them; a different offer is a new coupon).
pub struct Terms {
    pub all_courses: bool,
    pub valid_from: Option<i64>,
    pub valid_until: Option<i64>,
    pub max_redemptions: Option<i32>,
    pub max_per_learner: Option<i32>,
    pub active: bool,
}

/// Writes `terms`, unless the new maximum is below what is already redeemed
/// (checked in the statement, so a redemption racing it cannot slip under):
/// false then.
pub async fn update_terms(conn: &mut AnyConnection, id: &str, t: &Terms) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE billing_coupons SET all_courses = $2, valid_from = $3, valid_until = $4, max_redemptions = $5, \
           max_per_learner = $6, active = $7, updated_at = $8 \
         WHERE id = $1 AND ($5 IS NULL OR redeemed_count <= $5)",
    )
    .bind(id)
    .bind(i32::from(t.all_courses))
    .bind(t.valid_from)
    .bind(t.valid_until)
    .bind(t.max_redemptions)
    .bind(t.max_per_learner)
    .bind(i32::from(t.active))
    .bind(db::now_ms())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Replaces the coupon's course list.
pub async fn set_courses(conn: &mut AnyConnection, coupon_id: &str, course_ids: &[String]) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM billing_coupon_courses WHERE coupon_id = $1").bind(coupon_id).execute(&mut *conn).await?;
    for course_id in course_ids {
        sqlx::query("INSERT INTO billing_coupon_courses (coupon_id, course_id) VALUES ($1, $2)")
            .bind(coupon_id)
            .bind(course_id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

pub async fn by_id(conn: &mut AnyConnection, id: &str) -> Result<Option<Coupon>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM billing_coupons WHERE id = $1")))
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// The coupon with `code` (already upper case).
pub async fn by_code(conn: &mut AnyConnection, code: &str) -> Result<Option<Coupon>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM billing_coupons WHERE code = $1")))
        .bind(code)
        .fetch_optional(conn)
        .await
}

/// The courses a coupon is limited to (empty for an all-courses coupon), in a stable order.
pub async fn courses(conn: &mut AnyConnection, coupon_id: &str) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT course_id FROM billing_coupon_courses WHERE coupon_id = $1 ORDER BY course_id")
        .bind(coupon_id)
        .fetch_all(conn)
        .await
}

/// Coupons newest first, before `(created_at, id)`.
pub async fn page(
    conn: &mut AnyConnection,
    before: Option<(i64, &str)>,
    limit: i64,
) -> Result<Vec<Coupon>, sqlx::Error> {
    let (before_at, before_id) = before.map(|(at, id)| (Some(at), Some(id))).unwrap_or((None, None));
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM billing_coupons \
         WHERE ($1 IS NULL OR created_at < $1 OR (created_at = $1 AND id < $2)) \
         ORDER BY created_at DESC, id DESC LIMIT $3"
    )))
    .bind(before_at)
    .bind(before_id)
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// Counts one redemption if the coupon is active, within its dates at `now`
/// and below its maximum — one statement, so concurrent checkouts can never
/// pass the maximum between them (PostgreSQL re-checks the condition on the
/// row a concurrent transaction just updated; SQLite runs one writer at a
/// time). On PostgreSQL it also locks the coupon's row until the
/// transaction ends, which makes the per-learner count that follows exact.
/// False when nothing was counted.
pub async fn count_redemption(conn: &mut AnyConnection, id: &str, now: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE billing_coupons SET redeemed_count = redeemed_count + 1, updated_at = $2 \
         WHERE id = $1 AND active = 1 \
           AND (valid_from IS NULL OR valid_from <= $2) AND (valid_until IS NULL OR valid_until > $2) \
           AND (max_redemptions IS NULL OR redeemed_count < max_redemptions)",
    )
    .bind(id)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// How many of `user_id`'s orders hold a redemption of the coupon.
pub async fn learner_redemptions(conn: &mut AnyConnection, coupon_id: &str, user_id: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM billing_coupon_redemptions WHERE coupon_id = $1 AND user_id = $2")
        .bind(coupon_id)
        .bind(user_id)
        .fetch_one(conn)
        .await
}

/// How many of `user_id`'s redemptions of the coupon sit on open (pending or
/// failed) orders for `course_id`: those a new checkout of that course gives
/// back before it takes its own.
pub async fn held_for_course(
    conn: &mut AnyConnection,
    coupon_id: &str,
    user_id: &str,
    course_id: &str,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM billing_coupon_redemptions r \
         JOIN billing_orders o ON o.id = r.order_id \
         WHERE r.coupon_id = $1 AND r.user_id = $2 AND o.status IN ('pending', 'failed') \
           AND EXISTS (SELECT 1 FROM billing_order_lines l WHERE l.order_id = o.id AND l.course_id = $3)",
    )
    .bind(coupon_id)
    .bind(user_id)
    .bind(course_id)
    .fetch_one(conn)
    .await
}

/// The coupon of the order's redemption, if it holds one.
pub async fn redeemed_by(conn: &mut AnyConnection, order_id: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT coupon_id FROM billing_coupon_redemptions WHERE order_id = $1")
        .bind(order_id)
        .fetch_optional(conn)
        .await
}

/// Takes the coupon's row lock until the transaction ends (PostgreSQL; on
/// SQLite the transaction holds the database's write lock already).
pub async fn lock(conn: &mut AnyConnection, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE billing_coupons SET redeemed_count = redeemed_count WHERE id = $1")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Records the order's redemption; false when it was recorded already.
pub async fn insert_redemption(
    conn: &mut AnyConnection,
    coupon_id: &str,
    order_id: &str,
    user_id: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO billing_coupon_redemptions (order_id, coupon_id, user_id, at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (order_id) DO NOTHING",
    )
    .bind(order_id)
    .bind(coupon_id)
    .bind(user_id)
    .bind(db::now_ms())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Adds one to the count without the limits: a redemption that happened
/// anyway (a payment arriving for an order cancelled meanwhile).
pub async fn count_redemption_anyway(conn: &mut AnyConnection, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE billing_coupons SET redeemed_count = redeemed_count + 1, updated_at = $2 WHERE id = $1")
        .bind(id)
        .bind(db::now_ms())
        .execute(conn)
        .await?;
    Ok(())
}

/// Deletes the order's redemption and gives its count back; the coupon's id
/// when there was one to give back.
pub async fn release(conn: &mut AnyConnection, order_id: &str) -> Result<Option<String>, sqlx::Error> {
    let coupon_id: Option<String> =
        sqlx::query_scalar("DELETE FROM billing_coupon_redemptions WHERE order_id = $1 RETURNING coupon_id")
            .bind(order_id)
            .fetch_optional(&mut *conn)
            .await?;
    if let Some(id) = &coupon_id {
        sqlx::query(
            "UPDATE billing_coupons SET redeemed_count = redeemed_count - 1, updated_at = $2 \
             WHERE id = $1 AND redeemed_count > 0",
        )
        .bind(id)
        .bind(db::now_ms())
        .execute(&mut *conn)
        .await?;
    }
    Ok(coupon_id)
}
