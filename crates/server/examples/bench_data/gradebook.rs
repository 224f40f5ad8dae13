//! The gradebook benchmark's items and grades (`BENCH_GRADEBOOK`).

use std::fmt::Write as _;

use lyceum_platform::{AppState, auth::Viewer, db, ids::CourseId};

/// `items` manual items in the course, and a grade in each for every
/// learner enrolled in it (points drawn from the learner and item numbers).
pub async fn fill(state: &AppState, viewer: &Viewer, course_id: &str, items: usize) -> anyhow::Result<()> {
    let course = CourseId::from(course_id);
    let mut ids = Vec::with_capacity(items);
    for n in 0..items {
        let item = lyceum_gradebook::service::add_item(state, viewer, &course, &format!("Item {n}"), 20.0)
            .await
            .map_err(|e| anyhow::anyhow!("{:?}", lyceum_platform::AppError::from(e)))?;
        ids.push(item.id);
    }
    let learners: Vec<String> =
        sqlx::query_scalar("SELECT user_id FROM enrollments WHERE course_id = $1 AND status = 'active'")
            .bind(course_id)
            .fetch_all(state.db.pool())
            .await?;
    let now = db::now_ms();
    let mut tx = state.db.begin().await?;
    let pairs: Vec<(usize, &String)> = learners.iter().enumerate().collect();
    for batch in pairs.chunks(100) {
        let mut sql = String::from("INSERT INTO grade_entries (item_id, user_id, points, updated_at) VALUES ");
        let mut first = true;
        for (l, user) in batch {
            for (i, item) in ids.iter().enumerate() {
                let points = ((l * 7 + i * 13) % 21) as f64;
                write!(sql, "{}('{item}', '{user}', {points}, {now})", if first { "" } else { "," })?;
                first = false;
            }
        }
        sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(())
}
