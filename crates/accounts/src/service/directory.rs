//! Who people are, for other modules' lists: a roster's learner names, a
//! course page's instructors, a certificate's signatures. One batched read
//! per list (never a query per person), on the caller's connection so it can
//! run inside the caller's transaction.

use lyceum_platform::ids::UserId;
use std::collections::HashMap;

use sqlx::AnyConnection;

use crate::repo;

/// What another module may show of an account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub user_id: String,
    pub display_name: String,
    pub email: String,
}

/// The people behind `user_ids`, by id; ids with no account are absent.
pub async fn people(conn: &mut AnyConnection, user_ids: &[UserId]) -> Result<HashMap<String, Person>, sqlx::Error> {
    let mut unique: Vec<String> = user_ids.iter().map(|id| id.as_str().to_string()).collect();
    unique.sort();
    unique.dedup();
    let users = repo::users::by_ids(conn, &unique).await?;
    Ok(users
        .into_iter()
        .map(|u| (u.id.clone(), Person { user_id: u.id, display_name: u.display_name, email: u.email }))
        .collect())
}
