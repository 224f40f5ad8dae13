//! Who people are, for other modules' lists: a roster's learner names, a
//! course page's instructors, a certificate's signatures. One batched read
//! per list (never a query per person), on the caller's connection so it can
//! run inside the caller's transaction.

use lyceum_platform::{AppError, AppState, ids::UserId, secrets};
use std::{collections::HashMap, sync::Arc, time::Duration};

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

/// The cache of display names, by the set of ids asked: a forum page asks
/// for the same authors again and again. Any rename drops all of it
/// ([`super::identity::apply`]): renames are rare, and a namespace bump
/// holds across processes where dropping each set naming the person could not.
pub(crate) const NAMES_CACHE: &str = "people";
/// How long a set of names stays cached when nobody is renamed.
const NAMES_TTL: Duration = Duration::from_secs(300);

/// The display names of `user_ids`, by id (ids with no account are
/// absent), for a list that shows them often; from the cache, a miss read
/// on `conn` (the caller's connection, never a second one).
pub async fn display_names(
    state: &AppState,
    conn: &mut AnyConnection,
    user_ids: &[UserId],
) -> Result<Arc<HashMap<String, String>>, AppError> {
    let mut unique: Vec<String> = user_ids.iter().map(|id| id.as_str().to_string()).collect();
    unique.sort();
    unique.dedup();
    if unique.is_empty() {
        return Ok(Arc::default());
    }
    let key = format!("names:{}", secrets::token_hash(&unique.join(",")));
    let load = async {
        let users = repo::users::by_ids(conn, &unique).await?;
        Ok::<_, sqlx::Error>(users.into_iter().map(|u| (u.id, u.display_name)).collect::<HashMap<_, _>>())
    };
    Ok(state.cache.get_or_load_shared(NAMES_CACHE, &key, NAMES_TTL, load).await?)
}
