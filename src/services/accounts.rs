//! Sign-up: the username and password policy, and account creation.

use crate::{
    auth::{now, refresh::ClientInfo, Principal},
    db::{self, UserRow},
    error::AppError,
    model::{AuditDetail, AuditEvent, AuthMode, BadInput, RevokedCounts, Role},
    on_db,
    services::{
        audit::{self, Entry, Outcome},
        auth::MAX_PASSWORD_BYTES,
        login_limit::LoginLimiter,
        logins,
    },
    state::AppState,
};
use serde::Deserialize;
use tower_sessions::Session;

pub const USERNAME_CHARS: std::ops::RangeInclusive<usize> = 3..=32;
pub const PASSWORD_CHARS: std::ops::RangeInclusive<usize> = 8..=128;

pub fn validate_username(username: &str) -> Result<(), AppError> {
    let length = username.chars().count();
    if !USERNAME_CHARS.contains(&length) {
        return Err(AppError::BadRequest(BadInput::UsernameLength(
            *USERNAME_CHARS.start(),
            *USERNAME_CHARS.end(),
        )));
    }
    if !username
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        return Err(AppError::BadRequest(BadInput::UsernameCharacters));
    }
    Ok(())
}

/// A demo user of the race or the Lab (a name with a dot, which sign-up
/// refuses, so no person's account): it exists, is a plain user again, has
/// a fresh password that only the caller knows, and no logins left.
pub async fn reset_demo_user(state: &AppState, username: &str) -> Result<String, AppError> {
    let password = format!("{}{}", uuid::Uuid::new_v4().simple(), uuid::Uuid::new_v4().simple());
    let hash = state.passwords.hash(password.clone()).await?;
    let user_id: i64 = on_db!(&state.db, |pool| sqlx::query_scalar(
        "INSERT INTO users (username, password_hash, role, created_at) VALUES ($1, $2, 'user', $3)
         ON CONFLICT (username) DO UPDATE SET password_hash = excluded.password_hash, role = 'user'
         RETURNING id",
    )
    .bind(username)
    .bind(&hash)
    .bind(now())
    .fetch_one(pool)
    .await)?;
    state.users.forget(user_id).await;
    crate::services::logins::end_demo_logins(state, user_id, username, "demo user reset").await?;
    Ok(password)
}

/// Sets a demo user's role. Not an admin's action on a person (that is
/// `admin::set_role`, audited): the Lab changes its own demo user.
pub async fn set_demo_role(state: &AppState, username: &str, role: crate::model::Role) -> Result<(), AppError> {
    debug_assert!(username.contains('.'), "only demo users: {username}");
    let user_id: Option<i64> = on_db!(&state.db, |pool| sqlx::query_scalar(
        "UPDATE users SET role = $1 WHERE username = $2 RETURNING id"
    )
    .bind(role.as_str())
    .bind(username)
    .fetch_optional(pool)
    .await)?;
    if let Some(user_id) = user_id {
        state.users.forget(user_id).await;
    }
    Ok(())
}

/// Counted in characters, not bytes: 8 Korean syllables are 8 characters.
pub fn validate_password(password: &str) -> Result<(), AppError> {
    let length = password.chars().count();
    if !PASSWORD_CHARS.contains(&length) {
        return Err(AppError::BadRequest(BadInput::PasswordLength(
            *PASSWORD_CHARS.start(),
            *PASSWORD_CHARS.end(),
        )));
    }
    Ok(())
}

/// Creates a `user`. The password is hashed exactly as typed (no trimming,
/// no normalisation); the username is unique regardless of case.
pub async fn sign_up(state: &AppState, username: &str, password: String) -> Result<UserRow, AppError> {
    validate_username(username)?;
    validate_password(&password)?;
    let hash = state.passwords.hash(password).await?;
    let id = db::insert_user(&state.db, username, &hash, Role::User, now())
        .await?
        .ok_or_else(|| AppError::UsernameTaken(username.to_owned()))?;
    db::find_user_by_id(&state.db, id).await?.ok_or(AppError::Internal)
}

#[derive(Clone, Deserialize, utoipa::ToSchema)]
pub struct PasswordChange {
    pub old_password: String,
    pub new_password: String,
}

impl std::fmt::Debug for PasswordChange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PasswordChange")
            .field("old_password", &crate::auth::REDACTED)
            .field("new_password", &crate::auth::REDACTED)
            .finish()
    }
}

/// Changes the caller's password. Every other login of the user is revoked,
/// since one of them may be the reason for the change; this one stays, with
/// a new session id in session mode. Wrong current passwords count towards
/// the failed-login limit.
pub async fn change_password(
    state: &AppState,
    principal: &Principal,
    session: Option<&Session>,
    client: &ClientInfo,
    change: PasswordChange,
) -> Result<RevokedCounts, AppError> {
    let PasswordChange {
        old_password,
        new_password,
    } = change;
    validate_password(&new_password)?;
    if new_password == old_password {
        return Err(AppError::BadRequest(BadInput::SamePassword));
    }
    let failed = |why: AuditDetail| {
        Entry::new(AuditEvent::PasswordChange, Outcome::Failed)
            .principal(principal)
            .detail(why)
    };
    let attempt = LoginLimiter::attempt(client.ip.as_deref(), &principal.username);
    if let Err(err) = state.login_limiter.check(&attempt) {
        audit::record(&state.db, client, failed(AuditDetail::TooManyWrongPasswords)).await;
        return Err(err);
    }
    let user = db::find_user_by_id(&state.db, principal.user_id)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let old_is_right = old_password.len() <= MAX_PASSWORD_BYTES
        && state.passwords.verify(old_password, Some(user.password_hash)).await?;
    if !old_is_right {
        state.login_limiter.record_failure(&attempt);
        audit::record(&state.db, client, failed(AuditDetail::WrongCurrentPassword)).await;
        return Err(AppError::WrongPassword);
    }
    let hash = state.passwords.hash(new_password).await?;
    on_db!(&state.db, |pool| sqlx::query(
        "UPDATE users SET password_hash = $1 WHERE id = $2"
    )
    .bind(hash)
    .bind(user.id)
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))?;
    let counts = logins::revoke_others_after_password_change(state, principal).await?;
    if principal.mode == AuthMode::Session {
        let session = session.ok_or_else(|| AppError::internal("the session layer is missing"))?;
        session.cycle_id().await?;
    }
    let entry = Entry::new(AuditEvent::PasswordChange, Outcome::Ok)
        .principal(principal)
        .detail(AuditDetail::PasswordChanged { counts });
    audit::record(&state.db, client, entry).await;
    Ok(counts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_follow_the_policy() {
        for ok in ["bob", "alice_2", "a-b", &"x".repeat(32)] {
            assert!(validate_username(ok).is_ok(), "{ok}");
        }
        for bad in ["ab", &"x".repeat(33), "has space", "émile", "a.b", "", "한국어이름"] {
            assert!(validate_username(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn passwords_count_characters_not_bytes() {
        assert!(
            validate_password("비밀번호열여덟자").is_ok(),
            "8 Hangul syllables are 8 characters"
        );
        assert!(validate_password("1234567").is_err());
        assert!(validate_password(&"p".repeat(128)).is_ok());
        assert!(validate_password(&"p".repeat(129)).is_err());
        assert!(validate_password("  spaces  ").is_ok());
    }
}
