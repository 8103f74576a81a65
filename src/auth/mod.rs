//! Server-side authentication: one layer resolves each request's credential
//! into an optional [`Principal`]; everything else asks the [`AuthContext`].

pub mod cookies;
pub mod guard;
pub mod jwt;
pub mod layer;
pub mod password;
pub mod refresh;
pub mod session;

use crate::model::{AuthMode, AuthTrace, CurrentUser, Role};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};

/// Who made a request, as resolved by the auth layer.
#[derive(Debug, Clone, PartialEq, Eq)]
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
#[derive(Debug, Clone)]
pub struct AccessToken {
    pub token: String,
    pub claims: jwt::Claims,
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
