//! argon2id password hashing. Hashing is deliberately slow, so it always runs
//! on tokio's blocking pool, never on the async worker threads.

use crate::error::AppError;
use argon2::{
    password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString},
    Algorithm, Argon2, Params, Version,
};
use std::sync::LazyLock;

/// OWASP's minimum for argon2id: 19 MiB, 2 passes, 1 lane.
const MEMORY_KIB: u32 = 19_456;
const ITERATIONS: u32 = 2;
const PARALLELISM: u32 = 1;

fn argon2() -> Argon2<'static> {
    let params = Params::new(MEMORY_KIB, ITERATIONS, PARALLELISM, None).expect("constant argon2 parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// A real hash of a password nobody knows: verifying against it costs the
/// same as verifying a real user's, so an unknown username is not faster.
static DUMMY_HASH: LazyLock<String> =
    LazyLock::new(|| hash_blocking("no user has this password").expect("hashing a constant works"));

fn hash_blocking(password: &str) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut OsRng);
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(AppError::internal)
}

fn verify_blocking(password: &str, stored_hash: Option<&str>) -> bool {
    let matches = |hash: &str| {
        PasswordHash::new(hash)
            .map(|parsed| argon2().verify_password(password.as_bytes(), &parsed).is_ok())
            .unwrap_or(false)
    };
    match stored_hash {
        Some(hash) => matches(hash),
        None => {
            // Spend the same time, then fail.
            let _ = matches(&DUMMY_HASH);
            false
        }
    }
}

pub async fn hash_password(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || hash_blocking(&password))
        .await
        .map_err(AppError::internal)?
}

/// `stored_hash` is `None` for an unknown user; the answer is then `false`
/// after the cost of one real verification.
pub async fn verify_password(password: String, stored_hash: Option<String>) -> Result<bool, AppError> {
    tokio::task::spawn_blocking(move || verify_blocking(&password, stored_hash.as_deref()))
        .await
        .map_err(AppError::internal)
}

/// Builds the dummy hash ahead of the first login, so that first unknown-user
/// login is not slower than the rest.
pub async fn warm_up() -> Result<(), AppError> {
    tokio::task::spawn_blocking(|| LazyLock::force(&DUMMY_HASH).len())
        .await
        .map(|_| ())
        .map_err(AppError::internal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hash_verifies_only_the_same_password() {
        let hash = hash_password("correct horse".into()).await.unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{hash}");
        assert!(verify_password("correct horse".into(), Some(hash.clone()))
            .await
            .unwrap());
        assert!(!verify_password("correct horsE".into(), Some(hash)).await.unwrap());
    }

    #[tokio::test]
    async fn same_password_gets_a_new_salt_each_time() {
        let first = hash_password("pw".into()).await.unwrap();
        let second = hash_password("pw".into()).await.unwrap();
        assert_ne!(first, second);
    }

    #[tokio::test]
    async fn unknown_user_and_garbage_hash_never_verify() {
        assert!(!verify_password("anything".into(), None).await.unwrap());
        assert!(!verify_password("anything".into(), Some("not a phc string".into()))
            .await
            .unwrap());
    }
}
