//! What `/compare` shows: both modes side by side, from this server's own
//! rows and the auth layer's recent traces. Nothing here is typed in.

use crate::{
    auth::{jwt, now, AuthContext},
    db::Db,
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

/// A table of login state, and what its rows hold: their bytes are each
/// stored value's (text as UTF-8, integers as 8).
struct StateTable {
    kind: StoredKind,
    table: &'static str,
    texts: &'static [&'static str],
    nullable_texts: &'static [&'static str],
    integers: usize,
}

const SESSION_INDEX: StateTable = StateTable {
    kind: StoredKind::SessionIndex,
    table: "session_logins",
    texts: &["session_id", "public_id"],
    nullable_texts: &["ip", "user_agent"],
    integers: 5,
};
/// Revoked families stay until they expire, so that a replay of one of
/// their tokens is still recognised: they are state too.
const REFRESH_FAMILIES: StateTable = StateTable {
    kind: StoredKind::RefreshFamilies,
    table: "refresh_families",
    texts: &["id"],
    nullable_texts: &["ip", "user_agent", "revoked_reason"],
    integers: 7,
};
const REFRESH_TOKENS: StateTable = StateTable {
    kind: StoredKind::RefreshTokens,
    table: "refresh_tokens",
    texts: &["token_hash", "family_id"],
    nullable_texts: &[],
    integers: 3,
};

impl StateTable {
    /// Its live rows and their bytes, in the database's dialect: SQLite has
    /// `octet_length` only from 3.43 (Debian 12's is 3.40).
    fn sql(&self, db: &Db) -> String {
        let octets = |column: &str| match db {
            Db::Sqlite(_) => format!("LENGTH(CAST({column} AS BLOB))"),
            Db::Postgres(_) => format!("octet_length({column})"),
        };
        let mut terms: Vec<String> = self.texts.iter().map(|column| octets(column)).collect();
        terms.extend(
            self.nullable_texts
                .iter()
                .map(|column| format!("COALESCE({}, 0)", octets(column))),
        );
        terms.push(format!("{} * 8", self.integers));
        format!(
            "SELECT COUNT(*), CAST(COALESCE(SUM({}), 0) AS BIGINT) FROM {} WHERE expires_at > $1",
            terms.join(" + "),
            self.table
        )
    }

    async fn rows(&self, state: &AppState, now: i64) -> Result<StoredRows, AppError> {
        let sql = self.sql(&state.db);
        let (rows, bytes): (i64, i64) = on_db!(&state.db, |pool| sqlx::query_as(&sql).bind(now).fetch_one(pool).await)?;
        Ok(StoredRows {
            kind: self.kind,
            rows,
            bytes,
        })
    }
}

pub async fn compare_view(
    state: &AppState,
    auth: &AuthContext,
    request_headers: &HeaderMap,
) -> Result<CompareView, AppError> {
    let now = now();
    let (records, record_bytes) = state.sessions.footprint(now).await?;
    let session_index = SESSION_INDEX.rows(state, now).await?;
    let families = REFRESH_FAMILIES.rows(state, now).await?;
    let tokens = REFRESH_TOKENS.rows(state, now).await?;
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
