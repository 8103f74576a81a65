//! Sign-up: the username and password policy, and account creation.

use crate::{
    auth::{now, password},
    db::{self, UserRow},
    error::AppError,
    model::Role,
    state::AppState,
};

pub const USERNAME_CHARS: std::ops::RangeInclusive<usize> = 3..=32;
pub const PASSWORD_CHARS: std::ops::RangeInclusive<usize> = 8..=128;

pub fn validate_username(username: &str) -> Result<(), AppError> {
    let length = username.chars().count();
    if !USERNAME_CHARS.contains(&length) {
        return Err(AppError::BadRequest(format!(
            "A username has {} to {} characters.",
            USERNAME_CHARS.start(),
            USERNAME_CHARS.end()
        )));
    }
    if !username
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        return Err(AppError::BadRequest(
            "A username may contain only letters a–z, digits, `_` and `-`.".into(),
        ));
    }
    Ok(())
}

/// Counted in characters, not bytes: 8 Korean syllables are 8 characters.
pub fn validate_password(password: &str) -> Result<(), AppError> {
    let length = password.chars().count();
    if !PASSWORD_CHARS.contains(&length) {
        return Err(AppError::BadRequest(format!(
            "A password has {} to {} characters.",
            PASSWORD_CHARS.start(),
            PASSWORD_CHARS.end()
        )));
    }
    Ok(())
}

/// Creates a `user`. The password is hashed exactly as typed (no trimming,
/// no normalisation); the username is unique regardless of case.
pub async fn sign_up(state: &AppState, username: &str, password: String) -> Result<UserRow, AppError> {
    validate_username(username)?;
    validate_password(&password)?;
    let hash = password::hash_password(password).await?;
    let id = db::insert_user(&state.pool, username, &hash, Role::User, now())
        .await?
        .ok_or_else(|| AppError::UsernameTaken(username.to_owned()))?;
    db::find_user_by_id(&state.pool, id).await?.ok_or(AppError::Internal)
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
