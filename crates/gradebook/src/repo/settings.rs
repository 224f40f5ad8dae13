//! The `gradebook_settings` table: one row per course that changed a default.

use lyceum_platform::db;
use sqlx::AnyConnection;

use crate::settings::{Aggregation, CertificateRule, LetterStep, Settings};

#[derive(sqlx::FromRow)]
struct Row {
    letters: String,
    pass_percent: f64,
    aggregation: String,
    certificate_rule: String,
}

/// A course's settings (the defaults when it has no row). A stored scale
/// that no longer reads falls back to the default one rather than failing
/// every page of the course.
pub async fn of_course(conn: &mut AnyConnection, course_id: &str) -> Result<Settings, sqlx::Error> {
    let row: Option<Row> = sqlx::query_as(
        "SELECT letters, pass_percent, aggregation, certificate_rule FROM gradebook_settings WHERE course_id = $1",
    )
    .bind(course_id)
    .fetch_optional(conn)
    .await?;
    let defaults = Settings::default();
    Ok(match row {
        None => defaults,
        Some(r) => Settings {
            letters: serde_json::from_str::<Vec<LetterStep>>(&r.letters).unwrap_or(defaults.letters),
            pass_percent: r.pass_percent,
            aggregation: Aggregation::parse(&r.aggregation).unwrap_or_default(),
            certificate_rule: CertificateRule::parse(&r.certificate_rule).unwrap_or_default(),
        },
    })
}

pub async fn save(conn: &mut AnyConnection, course_id: &str, s: &Settings) -> Result<(), sqlx::Error> {
    let letters = serde_json::to_string(&s.letters).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    sqlx::query(
        "INSERT INTO gradebook_settings (course_id, letters, pass_percent, aggregation, certificate_rule, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (course_id) DO UPDATE SET letters = $2, pass_percent = $3, \
         aggregation = $4, certificate_rule = $5, updated_at = $6",
    )
    .bind(course_id)
    .bind(letters)
    .bind(s.pass_percent)
    .bind(s.aggregation.as_str())
    .bind(s.certificate_rule.as_str())
    .bind(db::now_ms())
    .execute(conn)
    .await
    .map(|_| ())
}
