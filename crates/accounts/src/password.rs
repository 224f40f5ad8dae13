//! Argon2id hashing, run on the blocking pool so it never stalls the runtime.

use argon2::{
    Argon2, PasswordHash, PasswordHasher, PasswordVerifier,
    password_hash::{SaltString, rand_core::OsRng},
};
use lyceum_platform::AppError;

pub async fn hash(password: &str) -> Result<String, AppError> {
    let password = password.to_string();
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default().hash_password(password.as_bytes(), &salt).map(|h| h.to_string())
    })
    .await
    .map_err(AppError::internal)?
    .map_err(AppError::internal)
}

/// Verifies `password` against a stored PHC hash. With no stored hash (unknown
/// account) it still does the same work, so timing does not reveal the account.
pub async fn verify(password: &str, stored: Option<String>) -> Result<bool, AppError> {
    let password = password.to_string();
    tokio::task::spawn_blocking(move || {
        let stored = stored.unwrap_or_else(|| DUMMY_HASH.to_string());
        let parsed = PasswordHash::new(&stored).map_err(AppError::internal)?;
        let ok = Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok();
        Ok(ok && stored != DUMMY_HASH)
    })
    .await
    .map_err(AppError::internal)?
}

/// A valid Argon2id hash of a random string, used to equalise timing.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$fV0Qz0f8wO9bdx1xkFvLQ0b6m0Hq4B8QhQq5o8sJk2A";

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn hashes_verify_and_unknown_accounts_fail() {
        let h = super::hash("correct horse").await.unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(super::verify("correct horse", Some(h.clone())).await.unwrap());
        assert!(!super::verify("wrong horse", Some(h)).await.unwrap());
        assert!(!super::verify("anything", None).await.unwrap());
    }
}
