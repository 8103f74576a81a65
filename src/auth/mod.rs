//! Server-side authentication: one layer resolves each request's credential
//! into an optional [`Principal`]; everything else asks the [`AuthContext`].

pub mod bus;
pub mod cache;
pub mod cookies;
pub mod guard;
pub mod instance;
pub mod jwt;
pub mod layer;
pub mod password;
pub mod recent;
pub mod records;
pub mod refresh;
pub mod session;

use crate::model::{AuthMode, AuthTrace, CurrentUser, Role};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};

/// What `Debug` prints instead of a secret (a password, a hash, a token,
/// a session id), so that no log line or panic message carries one.
pub const REDACTED: &str = "[redacted]";

/// Who made a request, as resolved by the auth layer.
#[derive(Clone, PartialEq, Eq)]
pub struct Principal {
    pub user_id: i64,
    pub username: String,
    pub role: Role,
    pub mode: AuthMode,
    /// Session id, or refresh-family id for a JWT.
    pub credential_id: String,
    /// Unix time at which the credential stops working without renewal.
    pub expires_at: i64,
}

impl std::fmt::Debug for Principal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Principal")
            .field("user_id", &self.user_id)
            .field("username", &self.username)
            .field("role", &self.role)
            .field("mode", &self.mode)
            // A session id is the credential itself.
            .field("credential_id", &REDACTED)
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

impl Principal {
    pub fn current_user(&self) -> CurrentUser {
        CurrentUser {
            username: self.username.clone(),
            role: self.role,
            mode: self.mode,
        }
    }
}

/// The outcome of credential resolution, stored in the request extensions.
#[derive(Debug, Clone, Default)]
pub struct AuthContext {
    pub principal: Option<Principal>,
    /// Why a presented credential was refused, if one was.
    pub refusal: Option<crate::model::Refusal>,
    /// The access token that authenticated this request (possibly just
    /// issued by a transparent refresh), so `/me` can show it.
    pub access_token: Option<AccessToken>,
    pub trace: AuthTrace,
}

/// A verified access token and its claims.
#[derive(Clone)]
pub struct AccessToken {
    pub token: String,
    pub claims: jwt::Claims,
}

impl std::fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccessToken")
            .field("token", &REDACTED)
            .field("claims", &self.claims)
            .finish()
    }
}

/// `bytes` random bytes from the OS, base64url without padding.
pub fn random_token(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).expect("the OS random source is available");
    URL_SAFE_NO_PAD.encode(buf)
}

pub fn now() -> i64 {
    jsonwebtoken::get_current_timestamp() as i64
}

/// Microseconds since the epoch, to order logins made within one second.
pub fn login_order() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_micros() as i64)
}

#[cfg(test)]
mod redaction_tests {
    use super::*;
    use crate::{
        db::UserRow,
        services::{accounts::PasswordChange, auth::Credentials, auth::TokenPair},
    };

    #[test]
    fn debug_output_never_carries_a_secret() {
        let secret = "s3cr3t-value";
        let printed = [
            format!(
                "{:?}",
                Principal {
                    user_id: 1,
                    username: "alice".into(),
                    role: Role::User,
                    mode: AuthMode::Session,
                    credential_id: secret.into(),
                    expires_at: 0,
                }
            ),
            format!(
                "{:?}",
                Credentials {
                    username: "alice".into(),
                    password: secret.into()
                }
            ),
            format!(
                "{:?}",
                TokenPair {
                    access_token: secret.into(),
                    refresh_token: secret.into(),
                    token_type: "Bearer".into(),
                    expires_in: 1
                }
            ),
            format!(
                "{:?}",
                PasswordChange {
                    old_password: secret.into(),
                    new_password: secret.into()
                }
            ),
            format!(
                "{:?}",
                UserRow {
                    id: 1,
                    username: "alice".into(),
                    password_hash: secret.into(),
                    role: "user".into()
                }
            ),
            format!(
                "{:?}",
                refresh::IssuedRefresh {
                    token: secret.into(),
                    family_id: "f".into(),
                    user_id: 1
                }
            ),
        ];
        for line in printed {
            assert!(!line.contains(secret), "{line}");
            assert!(line.contains(REDACTED), "{line}");
        }
    }
}
