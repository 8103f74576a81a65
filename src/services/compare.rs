//! What `/compare` shows: both modes side by side, from this server's own
//! rows and the auth layer's recent traces. Nothing here is typed in.

use crate::{
    auth::{jwt, now, AuthContext},
    error::AppError,
    model::{
        compare::{BenchResults, CompareFacts, CompareView, ModeFigures, SameRequest, StoredKind, StoredRows},
        AuthMode,
    },
    on_db,
    services::me,
    state::AppState,
};
use axum::http::HeaderMap;

/// The bytes of a row: each stored value's (text as UTF-8, integers as 8).
const SESSION_INDEX_ROWS: &str = "SELECT COUNT(*), CAST(COALESCE(SUM(
        octet_length(session_id) + octet_length(public_id) + 5 * 8
        + COALESCE(octet_length(ip), 0) + COALESCE(octet_length(user_agent), 0)), 0) AS BIGINT)
    FROM session_logins WHERE expires_at > $1";
/// Revoked families stay until they expire, so that a replay of one of
/// their tokens is still recognised: they are state too.
const REFRESH_FAMILY_ROWS: &str = "SELECT COUNT(*), CAST(COALESCE(SUM(
        octet_length(id) + 7 * 8
        + COALESCE(octet_length(ip), 0) + COALESCE(octet_length(user_agent), 0)
        + COALESCE(octet_length(revoked_reason), 0)), 0) AS BIGINT)
    FROM refresh_families WHERE expires_at > $1";
const REFRESH_TOKEN_ROWS: &str = "SELECT COUNT(*), CAST(COALESCE(SUM(
        octet_length(token_hash) + octet_length(family_id) + 3 * 8), 0) AS BIGINT)
    FROM refresh_tokens WHERE expires_at > $1";

async fn rows(state: &AppState, kind: StoredKind, sql: &str, now: i64) -> Result<StoredRows, AppError> {
    let (rows, bytes): (i64, i64) = on_db!(&state.db, |pool| sqlx::query_as(sql).bind(now).fetch_one(pool).await)?;
    Ok(StoredRows { kind, rows, bytes })
}

pub async fn compare_view(
    state: &AppState,
    auth: &AuthContext,
    request_headers: &HeaderMap,
) -> Result<CompareView, AppError> {
    let now = now();
    let (records, record_bytes) = state.sessions.footprint(now).await?;
    let session_index = rows(state, StoredKind::SessionIndex, SESSION_INDEX_ROWS, now).await?;
    let families = rows(state, StoredKind::RefreshFamilies, REFRESH_FAMILY_ROWS, now).await?;
    let tokens = rows(state, StoredKind::RefreshTokens, REFRESH_TOKEN_ROWS, now).await?;
    let live_families: i64 = on_db!(&state.db, |pool| sqlx::query_scalar(
        "SELECT COUNT(*) FROM refresh_families WHERE revoked_at IS NULL AND expires_at > $1"
    )
    .bind(now)
    .fetch_one(pool)
    .await)?;

    let viewer_mode = auth.trace.mode;
    let figures = |mode: AuthMode, live_logins: i64, stored: Vec<StoredRows>| {
        let viewers = viewer_mode == Some(mode);
        ModeFigures {
            mode,
            live_logins,
            stored,
            latest: if viewers {
                Some(auth.trace.clone())
            } else {
                state.recent.latest(mode)
            },
            latest_is_viewers: viewers,
            check: state.recent.check_cost(mode),
            strict_lookup: state.recent.strict_lookup_cost(mode),
        }
    };
    let session = figures(
        AuthMode::Session,
        session_index.rows,
        vec![
            StoredRows {
                kind: StoredKind::SessionRecords,
                rows: records,
                bytes: record_bytes,
            },
            session_index,
        ],
    );
    let token = figures(AuthMode::Jwt, live_families, vec![families, tokens]);
    let same_request = state
        .recent
        .same_request(Some(&auth.trace.request))
        .map(|(session, jwt)| SameRequest {
            request: session.request,
            session_credential_bytes: session.credential_header_bytes,
            session_header_bytes: session.request_header_bytes,
            jwt_credential_bytes: jwt.credential_header_bytes,
            jwt_header_bytes: jwt.request_header_bytes,
        });

    let jwt = auth
        .access_token
        .as_ref()
        .map(|access| me::decode_for_display(access, now))
        .transpose()?;
    let settings = state.settings.get();
    let config = &state.config;
    Ok(CompareView {
        viewer: auth.principal.as_ref().map(|principal| principal.current_user()),
        browser_cookies: me::held_cookies(request_headers),
        jwt,
        session,
        token,
        same_request,
        samples_since: state.recent.since(),
        samples_kept: state.recent.capacity(),
        facts: CompareFacts {
            strict_revocation: settings.strict_revocation,
            access_ttl: config.access_ttl,
            leeway: jwt::LEEWAY_SECS,
            refresh_ttl: config.refresh_ttl,
            session_idle_ttl: config.session_idle_ttl,
            session_store: state.sessions.describe().to_owned(),
            max_logins_per_user: settings.max_logins_per_user,
        },
        now,
    })
}

/// The latest `make bench` results, read at each ask (a new run shows
/// without a restart). `None` when there are none, or they cannot be read.
pub async fn bench_results(state: &AppState) -> Option<BenchResults> {
    let path = &state.config.bench_results;
    let text = tokio::fs::read_to_string(path).await.ok()?;
    serde_json::from_str(&text)
        .inspect_err(|err| tracing::warn!(%err, path = %path.display(), "unreadable bench results"))
        .ok()
}
