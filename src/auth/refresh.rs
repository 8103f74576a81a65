//! Refresh tokens: opaque, 256 random bits, stored only as a SHA-256 hash,
//! rotated on every use. All tokens descending from one login form a
//! *family*; presenting a token that was already used revokes the family,
//! because either the owner or a thief is replaying it.

use crate::{
    auth::random_token,
    db::{Db, WritePool},
    error::AppError,
    model::{RefreshFamilyView, RefreshProblem},
    on_db,
};
use sha2::{Digest, Sha256};

/// Where a request came from, kept with a login for "my devices" and with
/// each audit event.
#[derive(Debug, Clone, Default)]
pub struct ClientInfo {
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    /// Marks the request as audited once an event about it is recorded.
    pub audit_mark: crate::services::audit::AuditMark,
}

/// A refresh token handed out, and what it belongs to.
#[derive(Clone)]
pub struct IssuedRefresh {
    pub token: String,
    pub family_id: String,
    pub user_id: i64,
}

impl std::fmt::Debug for IssuedRefresh {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IssuedRefresh")
            .field("token", &super::REDACTED)
            .field("family_id", &self.family_id)
            .field("user_id", &self.user_id)
            .finish()
    }
}

pub fn hash_token(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|byte| format!("{byte:02x}")).collect()
}

const INSERT_TOKEN: &str =
    "INSERT INTO refresh_tokens (token_hash, family_id, issued_at, expires_at) VALUES ($1, $2, $3, $4)";
const REVOKE_FAMILY: &str =
    "UPDATE refresh_families SET revoked_at = $1, revoked_reason = $2 WHERE id = $3 AND revoked_at IS NULL";

/// Starts a new family for a fresh login.
pub async fn start_family(
    db: &Db,
    user_id: i64,
    client: &ClientInfo,
    ttl_secs: u64,
    now: i64,
) -> Result<IssuedRefresh, AppError> {
    let family_id = uuid::Uuid::new_v4().to_string();
    let token = random_token(32);
    let expires_at = now + ttl_secs as i64;
    on_db!(db, |pool| {
        let mut tx = pool.begin().await?;
        sqlx::query(
            "INSERT INTO refresh_families (id, user_id, created_at, login_order, last_refreshed_at, expires_at, ip, user_agent)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&family_id)
        .bind(user_id)
        .bind(now)
        .bind(super::login_order())
        .bind(now)
        .bind(expires_at)
        .bind(&client.ip)
        .bind(&client.user_agent)
        .execute(&mut *tx)
        .await?;
        sqlx::query(INSERT_TOKEN)
            .bind(hash_token(&token))
            .bind(&family_id)
            .bind(now)
            .bind(expires_at)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
    });
    Ok(IssuedRefresh {
        token,
        family_id,
        user_id,
    })
}

crate::sql_row! {
    struct PresentedToken {
        family_id: String,
        user_id: i64,
        expires_at: i64,
        used_at: Option<i64>,
        revoked_at: Option<i64>,
    }
}

/// Exchanges a refresh token for a new one in the same family.
pub async fn rotate(db: &Db, presented: &str, ttl_secs: u64, now: i64) -> Result<IssuedRefresh, AppError> {
    let invalid = || AppError::InvalidRefreshToken(RefreshProblem::NotValid);
    // A real token is 43 characters; do not hash megabytes of garbage.
    if presented.is_empty() || presented.len() > 256 {
        return Err(invalid());
    }
    let presented_hash = hash_token(presented);
    let token = random_token(32);
    let expires_at = now + ttl_secs as i64;
    let row = on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        let row: Option<PresentedToken> = sqlx::query_as(
            "SELECT t.family_id, f.user_id, t.expires_at, t.used_at, f.revoked_at
             FROM refresh_tokens t JOIN refresh_families f ON f.id = t.family_id
             WHERE t.token_hash = $1",
        )
        .bind(&presented_hash)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            return Err(invalid());
        };
        if row.revoked_at.is_some() {
            return Err(AppError::InvalidRefreshToken(RefreshProblem::Revoked));
        }
        if row.expires_at <= now {
            return Err(AppError::InvalidRefreshToken(RefreshProblem::Expired));
        }
        // Claim the token atomically: of two concurrent uses, only one wins.
        let claimed = sqlx::query("UPDATE refresh_tokens SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL")
            .bind(now)
            .bind(&presented_hash)
            .execute(&mut *tx)
            .await?
            .rows_affected()
            == 1;
        if row.used_at.is_some() || !claimed {
            sqlx::query(REVOKE_FAMILY)
                .bind(now)
                .bind("refresh token reused")
                .bind(&row.family_id)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            tracing::warn!(family = %row.family_id, "refresh token reuse detected; family revoked");
            return Err(AppError::RefreshReused);
        }
        sqlx::query(INSERT_TOKEN)
            .bind(hash_token(&token))
            .bind(&row.family_id)
            .bind(now)
            .bind(expires_at)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE refresh_families SET last_refreshed_at = $1, expires_at = $2 WHERE id = $3")
            .bind(now)
            .bind(expires_at)
            .bind(&row.family_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        row
    });
    Ok(IssuedRefresh {
        token,
        family_id: row.family_id,
        user_id: row.user_id,
    })
}

/// Revokes every token of one login. Answers whether it was still live.
pub async fn revoke_family(db: &Db, family_id: &str, now: i64, reason: &str) -> Result<bool, AppError> {
    let revoked = on_db!(db, |pool| sqlx::query(REVOKE_FAMILY)
        .bind(now)
        .bind(reason)
        .bind(family_id)
        .execute(pool)
        .await
        .map(|done| done.rows_affected()))?;
    Ok(revoked == 1)
}

/// Revokes the live families of `user_id`: only `family_id` if given, and
/// never `except_family_id`. Answers each revoked family's last refresh,
/// the latest time an access token of it can have been issued.
pub async fn revoke_user_families(
    db: &Db,
    user_id: i64,
    family_id: Option<&str>,
    except_family_id: Option<&str>,
    now: i64,
    reason: &str,
) -> Result<Vec<i64>, AppError> {
    Ok(on_db!(db, |pool| sqlx::query_scalar(
        "UPDATE refresh_families SET revoked_at = $1, revoked_reason = $2
         WHERE user_id = $3 AND revoked_at IS NULL AND expires_at > $1
           AND ($4 IS NULL OR id = $4) AND ($5 IS NULL OR id <> $5)
         RETURNING last_refreshed_at",
    )
    .bind(now)
    .bind(reason)
    .bind(user_id)
    .bind(family_id)
    .bind(except_family_id)
    .fetch_all(pool)
    .await)?)
}

/// Whether a family can still be refreshed: neither revoked nor expired.
/// Strict revocation asks this for every access token.
pub async fn family_is_live(db: &Db, family_id: &str, now: i64) -> Result<bool, AppError> {
    let live: Option<i32> = on_db!(db, |pool| sqlx::query_scalar(
        "SELECT 1 FROM refresh_families WHERE id = $1 AND revoked_at IS NULL AND expires_at > $2"
    )
    .bind(family_id)
    .bind(now)
    .fetch_optional(pool)
    .await)?;
    Ok(live.is_some())
}

/// The user id and name a refresh token was issued to, if the token is known.
pub async fn owner_of_token(db: &Db, token: &str) -> Result<Option<(i64, String)>, AppError> {
    if token.is_empty() || token.len() > 256 {
        return Ok(None);
    }
    Ok(on_db!(db, |pool| sqlx::query_as(
        "SELECT u.id, u.username FROM refresh_tokens t
         JOIN refresh_families f ON f.id = t.family_id JOIN users u ON u.id = f.user_id
         WHERE t.token_hash = $1",
    )
    .bind(hash_token(token))
    .fetch_optional(pool)
    .await)?)
}

/// The family a refresh token belongs to, if the token is known.
pub async fn family_of_token(db: &Db, token: &str) -> Result<Option<String>, AppError> {
    if token.len() > 256 {
        return Ok(None);
    }
    Ok(on_db!(db, |pool| sqlx::query_scalar(
        "SELECT family_id FROM refresh_tokens WHERE token_hash = $1"
    )
    .bind(hash_token(token))
    .fetch_optional(pool)
    .await)?)
}

crate::sql_row! {
    struct FamilyRow {
        id: String,
        created_at: i64,
        last_refreshed_at: i64,
        expires_at: i64,
        ip: Option<String>,
        user_agent: Option<String>,
        tokens_issued: i64,
    }
}

/// The live family's row, as `/me` shows it.
pub async fn describe_family(db: &Db, family_id: &str, now: i64) -> Result<Option<RefreshFamilyView>, AppError> {
    let row: Option<FamilyRow> = on_db!(db, |pool| sqlx::query_as(
        "SELECT f.id, f.created_at, f.last_refreshed_at, f.expires_at, f.ip, f.user_agent,
                (SELECT COUNT(*) FROM refresh_tokens t WHERE t.family_id = f.id) AS tokens_issued
         FROM refresh_families f WHERE f.id = $1 AND f.revoked_at IS NULL",
    )
    .bind(family_id)
    .fetch_optional(pool)
    .await)?;
    Ok(row.map(|row| RefreshFamilyView {
        family_id: row.id,
        created_at: row.created_at,
        last_refreshed_at: row.last_refreshed_at,
        expires_in: row.expires_at - now,
        tokens_issued: row.tokens_issued,
        ip: row.ip,
        user_agent: row.user_agent,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db;

    async fn pool_with_user() -> (tempfile::TempDir, Db, i64) {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("t.db").display());
        let pool = Db::connect(&url).await.unwrap();
        let id = db::insert_user(&pool, "carol", "not-a-real-hash", crate::model::Role::User, 0)
            .await
            .unwrap()
            .unwrap();
        (dir, pool, id)
    }

    #[tokio::test]
    async fn token_is_256_bits_and_stored_only_as_hash() {
        let (_dir, pool, user) = pool_with_user().await;
        let issued = start_family(&pool, user, &ClientInfo::default(), 60, 1000)
            .await
            .unwrap();
        assert_eq!(issued.token.len(), 43, "32 bytes in unpadded base64url");
        let stored: Vec<String> = on_db!(&pool, |pool| sqlx::query_scalar(
            "SELECT token_hash FROM refresh_tokens"
        )
        .fetch_all(pool)
        .await)
        .unwrap();
        assert_eq!(stored, vec![hash_token(&issued.token)]);
        assert!(!stored[0].contains(&issued.token));
    }

    #[tokio::test]
    async fn rotation_gives_a_new_token_in_the_same_family() {
        let (_dir, pool, user) = pool_with_user().await;
        let first = start_family(&pool, user, &ClientInfo::default(), 60, 1000)
            .await
            .unwrap();
        let second = rotate(&pool, &first.token, 60, 1010).await.unwrap();
        assert_ne!(second.token, first.token);
        assert_eq!(second.family_id, first.family_id);
        assert_eq!(second.user_id, user);
        let third = rotate(&pool, &second.token, 60, 1020).await.unwrap();
        assert_eq!(third.family_id, first.family_id);
    }

    #[tokio::test]
    async fn reuse_revokes_the_whole_family() {
        let (_dir, pool, user) = pool_with_user().await;
        let first = start_family(&pool, user, &ClientInfo::default(), 60, 1000)
            .await
            .unwrap();
        let second = rotate(&pool, &first.token, 60, 1010).await.unwrap();
        assert_eq!(
            rotate(&pool, &first.token, 60, 1020).await.unwrap_err(),
            AppError::RefreshReused
        );
        // The legitimate newest token dies with its family.
        assert!(matches!(
            rotate(&pool, &second.token, 60, 1030).await,
            Err(AppError::InvalidRefreshToken(_))
        ));
    }

    #[tokio::test]
    async fn expired_unknown_and_revoked_tokens_are_refused() {
        let (_dir, pool, user) = pool_with_user().await;
        let issued = start_family(&pool, user, &ClientInfo::default(), 60, 1000)
            .await
            .unwrap();
        assert!(matches!(
            rotate(&pool, &issued.token, 60, 1060).await,
            Err(AppError::InvalidRefreshToken(_))
        ));
        assert!(matches!(
            rotate(&pool, "unknown", 60, 1000).await,
            Err(AppError::InvalidRefreshToken(_))
        ));
        assert!(matches!(
            rotate(&pool, &"x".repeat(10_000), 60, 1000).await,
            Err(AppError::InvalidRefreshToken(_))
        ));

        let other = start_family(&pool, user, &ClientInfo::default(), 60, 1000)
            .await
            .unwrap();
        assert!(revoke_family(&pool, &other.family_id, 1001, "logout").await.unwrap());
        assert!(!revoke_family(&pool, &other.family_id, 1002, "logout").await.unwrap());
        assert!(matches!(
            rotate(&pool, &other.token, 60, 1003).await,
            Err(AppError::InvalidRefreshToken(_))
        ));
    }
}
