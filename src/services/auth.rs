//! Logging in and out in either mode, and refreshing tokens.

use crate::client_address::ClientAddress;
use crate::{
    auth::{
        cookies::{self, ACCESS_COOKIE, REFRESH_COOKIE},
        jwt::{Claims, AUDIENCE, ISSUER},
        now,
        refresh::{self, ClientInfo},
        session::{SessionAuth, AUTH_KEY},
        AuthContext,
    },
    db::{self, UserRow},
    error::AppError,
    model::{AuditDetail, AuditEvent, AuthMode, BadInput, RefreshProblem},
    services::{
        audit::{self, AuditMark, Entry, Outcome},
        login_limit::LoginLimiter,
        logins,
    },
    state::AppState,
};
use axum::http::{header, Extensions, HeaderMap};
use cookie::Cookie;
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use tower_sessions::Session;

/// Usernames and passwords longer than this are refused before any work.
pub const MAX_USERNAME_BYTES: usize = 64;
pub const MAX_PASSWORD_BYTES: usize = 1024;

#[derive(Clone, Deserialize, utoipa::ToSchema)]
pub struct Credentials {
    pub username: String,
    pub password: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("username", &self.username)
            .field("password", &crate::auth::REDACTED)
            .finish()
    }
}

/// What `/api/jwt/login` and `/api/jwt/refresh` answer.
#[derive(Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TokenPair {
    pub access_token: String,
    pub refresh_token: String,
    pub token_type: String,
    pub expires_in: u64,
}

impl std::fmt::Debug for TokenPair {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenPair")
            .field("access_token", &crate::auth::REDACTED)
            .field("refresh_token", &crate::auth::REDACTED)
            .field("expires_in", &self.expires_in)
            .finish()
    }
}

pub fn client_info(headers: &HeaderMap, extensions: &Extensions) -> ClientInfo {
    let ip = extensions
        .get::<ClientAddress>()
        .map(|address| address.0)
        .or_else(|| {
            extensions
                .get::<axum::extract::ConnectInfo<SocketAddr>>()
                .map(|info| info.0.ip())
        })
        .map(|ip| ip.to_string());
    let user_agent = headers
        .get(header::USER_AGENT)
        .and_then(|value| value.to_str().ok())
        .map(|value| value.chars().take(256).collect());
    let audit_mark = extensions.get::<AuditMark>().cloned().unwrap_or_default();
    ClientInfo {
        ip,
        user_agent,
        audit_mark,
    }
}

/// Checks a username and password. Unknown user and wrong password cost the
/// same and answer the same.
pub async fn authenticate(
    state: &AppState,
    credentials: Credentials,
    mode: AuthMode,
    client: &ClientInfo,
) -> Result<UserRow, AppError> {
    let Credentials { username, password } = credentials;
    let username = username.trim().to_owned();
    if username.is_empty() || password.is_empty() {
        return Err(AppError::BadRequest(BadInput::MissingCredentials));
    }
    if username.len() > MAX_USERNAME_BYTES || password.len() > MAX_PASSWORD_BYTES {
        return Err(AppError::InvalidCredentials);
    }
    let failed = |why: AuditDetail| {
        Entry::new(AuditEvent::Login, Outcome::Failed)
            .attempted_username(&username)
            .mode(mode)
            .detail(why)
    };
    let attempt = LoginLimiter::attempt(client.ip.as_deref(), &username);
    if let Err(err) = state.login_limiter.check(&attempt) {
        audit::record(&state.db, client, failed(AuditDetail::TooManyFailures)).await;
        return Err(err);
    }
    let user = db::find_user_by_name(&state.db, &username).await?;
    let stored_hash = user.as_ref().map(|user| user.password_hash.clone());
    if state.passwords.verify(password, stored_hash).await? {
        state.login_limiter.clear(&attempt);
        let user = user.expect("a verified password belongs to a user");
        db::record_login(&state.db, user.id, now()).await?;
        Ok(user)
    } else {
        state.login_limiter.record_failure(&attempt);
        tracing::info!(username = %username, "failed login");
        audit::record(&state.db, client, failed(AuditDetail::WrongCredentials)).await;
        Err(AppError::InvalidCredentials)
    }
}

/// Session-mode login: a fresh session id (no fixation), the user's id in
/// the record. Answers the cookies to set: the other mode's, removed.
pub async fn login_session(
    state: &AppState,
    session: &Session,
    request_headers: &HeaderMap,
    user: &UserRow,
    client: &ClientInfo,
) -> Result<Vec<Cookie<'static>>, AppError> {
    let cleared = drop_jwt_credentials(state, request_headers).await?;
    session.cycle_id().await?;
    logins::make_room_for_login(state, user.id, &user.username, client).await?;
    let now = now();
    let auth = SessionAuth {
        user_id: user.id,
        login_at: now,
        login_order: crate::auth::login_order(),
        last_seen_at: now,
        ip: client.ip.clone(),
        user_agent: client.user_agent.clone(),
    };
    session.insert(AUTH_KEY, &auth).await?;
    audit_login(state, client, user, AuthMode::Session, AuditDetail::NewSession).await;
    Ok(cleared)
}

async fn audit_login(state: &AppState, client: &ClientInfo, user: &UserRow, mode: AuthMode, detail: AuditDetail) {
    let entry = Entry::new(AuditEvent::Login, Outcome::Ok)
        .user(user.id, &user.username)
        .mode(mode)
        .detail(detail);
    audit::record(&state.db, client, entry).await;
}

/// Logs a verified user in with `mode`; answers the cookies to set.
pub async fn start_login(
    state: &AppState,
    mode: AuthMode,
    session: Option<&Session>,
    request_headers: &HeaderMap,
    user: &UserRow,
    client: &ClientInfo,
) -> Result<Vec<Cookie<'static>>, AppError> {
    match mode {
        AuthMode::Session => {
            let session = session.ok_or_else(|| AppError::internal("the session layer is missing"))?;
            login_session(state, session, request_headers, user, client).await
        }
        AuthMode::Jwt => {
            let pair = login_jwt(state, session, user, client).await?;
            Ok(jwt_cookies(state, &pair))
        }
    }
}

/// JWT-mode login: a new refresh family and an access token. Any session of
/// this browser is deleted first.
pub async fn login_jwt(
    state: &AppState,
    session: Option<&Session>,
    user: &UserRow,
    client: &ClientInfo,
) -> Result<TokenPair, AppError> {
    if let Some(session) = session {
        session.flush().await?;
    }
    logins::make_room_for_login(state, user.id, &user.username, client).await?;
    let issued = refresh::start_family(&state.db, user.id, client, state.config.refresh_ttl, now()).await?;
    audit_login(state, client, user, AuthMode::Jwt, AuditDetail::NewRefreshFamily).await;
    token_pair(state, user, issued)
}

/// Rotates a refresh token and issues an access token with the user's
/// current name and role.
pub async fn refresh_tokens(state: &AppState, refresh_token: &str, client: &ClientInfo) -> Result<TokenPair, AppError> {
    let now = now();
    let issued = match refresh::rotate(&state.db, refresh_token, state.config.refresh_ttl, now).await {
        Ok(issued) => issued,
        Err(err) => {
            audit_failed_refresh(state, refresh_token, client, &err).await;
            return Err(err);
        }
    };
    let Some(user) = db::find_user_by_id(&state.db, issued.user_id).await? else {
        refresh::revoke_family(&state.db, &issued.family_id, now, "user deleted").await?;
        return Err(AppError::InvalidRefreshToken(RefreshProblem::AccountGone));
    };
    let entry = Entry::new(AuditEvent::Refresh, Outcome::Ok)
        .user(user.id, &user.username)
        .mode(AuthMode::Jwt)
        .detail(AuditDetail::Rotated);
    audit::record(&state.db, client, entry).await;
    token_pair(state, &user, issued)
}

/// A refused refresh, under the user it belongs to when the token is known.
async fn audit_failed_refresh(state: &AppState, refresh_token: &str, client: &ClientInfo, err: &AppError) {
    let event = match err {
        AppError::RefreshReused => AuditEvent::RefreshReuse,
        _ => AuditEvent::Refresh,
    };
    let mut entry = Entry::new(event, Outcome::Failed)
        .mode(AuthMode::Jwt)
        .detail(AuditDetail::RefreshRefused { failure: err.into() });
    if let Ok(Some(owner)) = refresh::owner_of_token(&state.db, refresh_token).await {
        entry = entry.user(owner.0, &owner.1);
    }
    audit::record(&state.db, client, entry).await;
}

fn token_pair(state: &AppState, user: &UserRow, issued: refresh::IssuedRefresh) -> Result<TokenPair, AppError> {
    let now = now() as u64;
    let access_ttl = state.config.access_ttl_for(&user.username);
    let claims = Claims {
        sub: user.id.to_string(),
        name: user.username.clone(),
        role: user.role(),
        iat: now,
        exp: now + access_ttl,
        nbf: None,
        jti: uuid::Uuid::new_v4().to_string(),
        iss: ISSUER.into(),
        aud: AUDIENCE.into(),
        sid: issued.family_id,
    };
    Ok(TokenPair {
        access_token: state.jwt.issue(&claims)?,
        refresh_token: issued.token,
        token_type: "Bearer".into(),
        expires_in: access_ttl,
    })
}

/// The browser keeps the pair in HttpOnly cookies; the access cookie lives
/// exactly as long as the token, the refresh cookie as long as its token.
pub fn jwt_cookies(state: &AppState, pair: &TokenPair) -> Vec<Cookie<'static>> {
    let secure = state.config.secure_cookies;
    vec![
        cookies::credential_cookie(ACCESS_COOKIE, pair.access_token.clone(), pair.expires_in, secure),
        cookies::credential_cookie(
            REFRESH_COOKIE,
            pair.refresh_token.clone(),
            state.config.refresh_ttl,
            secure,
        ),
    ]
}

/// Revokes the refresh family behind this browser's JWT cookies, if any, and
/// answers the cookies that remove them.
async fn drop_jwt_credentials(state: &AppState, request_headers: &HeaderMap) -> Result<Vec<Cookie<'static>>, AppError> {
    let jar = cookies::request_cookies(request_headers);
    let secure = state.config.secure_cookies;
    let (access, refresh) = (
        cookies::named(ACCESS_COOKIE, secure),
        cookies::named(REFRESH_COOKIE, secure),
    );
    let holds_jwt = cookies::find(&jar, access).is_some() || cookies::find(&jar, refresh).is_some();
    if let Some(refresh_token) = cookies::find(&jar, refresh) {
        if let Some(family) = refresh::family_of_token(&state.db, refresh_token).await? {
            refresh::revoke_family(&state.db, &family, now(), "logout").await?;
        }
    }
    Ok(if holds_jwt {
        cookies::jwt_removal_cookies(state.config.secure_cookies)
    } else {
        Vec::new()
    })
}

/// Logs out whatever this request is logged in with: the session record is
/// deleted, the refresh family revoked. Answers the cookies to set.
pub async fn logout(
    state: &AppState,
    auth: &AuthContext,
    session: Option<&Session>,
    request_headers: &HeaderMap,
    client: &ClientInfo,
) -> Result<Vec<Cookie<'static>>, AppError> {
    if let Some(principal) = &auth.principal {
        let entry = Entry::new(AuditEvent::Logout, Outcome::Ok)
            .principal(principal)
            .detail(AuditDetail::LoggedOut { mode: principal.mode });
        audit::record(&state.db, client, entry).await;
    }
    if let Some(session) = session {
        session.flush().await?;
    }
    if let Some(principal) = auth
        .principal
        .as_ref()
        .filter(|principal| principal.mode == AuthMode::Jwt)
    {
        refresh::revoke_family(&state.db, &principal.credential_id, now(), "logout").await?;
    }
    drop_jwt_credentials(state, request_headers).await
}

/// `next` must be a local path: `/me`, never `//evil.example` or a URL.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.contains('\\')
                && !path.chars().any(char::is_control) =>
        {
            path.to_owned()
        }
        _ => "/me".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_accepts_only_local_paths() {
        assert_eq!(safe_next(Some("/me")), "/me");
        assert_eq!(safe_next(Some("/me?tab=trace")), "/me?tab=trace");
        for bad in [
            "//evil.example",
            "https://evil.example",
            "/\\evil.example",
            "me",
            "",
            "/\n",
        ] {
            assert_eq!(safe_next(Some(bad)), "/me", "{bad:?}");
        }
        assert_eq!(safe_next(None), "/me");
    }
}
