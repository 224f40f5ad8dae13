//! `billing_tax_rates`: the tax rate per buyer country.

use lyceum_platform::db;
use sqlx::AnyConnection;

use crate::model::TaxRate;

pub async fn all(conn: &mut AnyConnection) -> Result<Vec<TaxRate>, sqlx::Error> {
    sqlx::query_as("SELECT country, rate_bp, label, updated_at FROM billing_tax_rates ORDER BY country")
        .fetch_all(conn)
        .await
}

pub async fn of(conn: &mut AnyConnection, country: &str) -> Result<Option<TaxRate>, sqlx::Error> {
    sqlx::query_as("SELECT country, rate_bp, label, updated_at FROM billing_tax_rates WHERE country = $1")
        .bind(country)
        .fetch_optional(conn)
        .await
}

/// Whether any country has a rate (then a buyer must say where they are).
pub async fn any(conn: &mut AnyConnection) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM billing_tax_rates").fetch_one(conn).await?;
    Ok(n > 0)
}

/// Sets the country's rate (adding or replacing it).
pub async fn put(conn: &mut AnyConnection, country: &str, rate_bp: i32, label: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO billing_tax_rates (country, rate_bp, label, updated_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (country) DO UPDATE SET rate_bp = excluded.rate_bp, label = excluded.label, \
           updated_at = excluded.updated_at",
    )
    .bind(country)
    .bind(rate_bp)
    .bind(label)
    .bind(db::now_ms())
    .execute(conn)
    .await?;
    Ok(())
}

/// Removes the country's rate; false when it had none.
pub async fn delete(conn: &mut AnyConnection, country: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM billing_tax_rates WHERE country = $1").bind(country).execute(conn).await?;
    Ok(done.rows_affected() > 0)
}
