//! What `/me` shows: who you are, what your browser holds, what the server
//! keeps for you, and how this very request was authenticated.

use crate::{
    auth::{
        cookies, now, refresh,
        session::{SessionAuth, AUTH_KEY},
        AccessToken, AuthContext,
    },
    error::AppError,
    model::{AuthMode, DecodedJwt, HeldCookie, MeView, ServerRecord},
    state::AppState,
};
use axum::http::HeaderMap;
use tower_sessions::Session;

pub async fn me_view(
    state: &AppState,
    auth: &AuthContext,
    request_headers: &HeaderMap,
    session: Option<&Session>,
) -> Result<MeView, AppError> {
    let principal = auth.require_user()?;
    let now = now();
    let browser_cookies = held_cookies(request_headers);
    let (jwt, server_record) = match principal.mode {
        AuthMode::Jwt => {
            let jwt = auth
                .access_token
                .as_ref()
                .map(|access| decode_for_display(access, now))
                .transpose()?;
            let refresh_family = refresh::describe_family(&state.db, &principal.credential_id, now).await?;
            (jwt, ServerRecord::Jwt { refresh_family })
        }
        AuthMode::Session => {
            let session = session.ok_or(AppError::Unauthenticated)?;
            let data: Option<SessionAuth> = session.get(AUTH_KEY).await?;
            let data = data.ok_or(AppError::Unauthenticated)?;
            let record = ServerRecord::Session {
                id_prefix: principal.credential_id.chars().take(6).collect(),
                store: state.sessions.describe().to_owned(),
                data_json: serde_json::to_string_pretty(&data).map_err(AppError::internal)?,
                idle_expires_in: session.expiry_date().unix_timestamp() - now,
                absolute_expires_in: data.login_at + state.config.session_absolute_ttl as i64 - now,
            };
            (None, record)
        }
    };
    let database_role = match principal.mode {
        // The auth layer just read it from the users table.
        AuthMode::Session => Some(principal.role),
        AuthMode::Jwt => crate::db::find_user_by_id(&state.db, principal.user_id)
            .await?
            .map(|user| user.role()),
    };
    Ok(MeView {
        user: principal.current_user(),
        database_role,
        browser_cookies,
        jwt,
        server_record,
        trace: auth.trace.clone(),
    })
}

/// The cookies this request carried: names and value sizes only.
pub fn held_cookies(request_headers: &HeaderMap) -> Vec<HeldCookie> {
    cookies::request_cookies(request_headers)
        .iter()
        .map(|cookie| HeldCookie {
            name: cookie.name().to_owned(),
            bytes: cookie.value().len(),
        })
        .collect()
}

/// The token's two readable parts, as anyone holding it could read them.
pub fn decode_for_display(access: &AccessToken, now: i64) -> Result<DecodedJwt, AppError> {
    let header = jsonwebtoken::decode_header(&access.token).map_err(AppError::internal)?;
    Ok(DecodedJwt {
        header_json: serde_json::to_string_pretty(&header).map_err(AppError::internal)?,
        payload_json: serde_json::to_string_pretty(&access.claims).map_err(AppError::internal)?,
        token_bytes: access.token.len(),
        part_bytes: {
            let mut parts = access.token.split('.').map(str::len);
            [(); 3].map(|_| parts.next().unwrap_or(0))
        },
        seconds_until_exp: access.claims.exp as i64 - now,
    })
}
