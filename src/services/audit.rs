//! The audit trail: who did what, when, from where, and how it ended.

use crate::db::Db;
use crate::{
    auth::{now, refresh::ClientInfo, Principal},
    error::AppError,
    model::{AuditDetail, AuditEntry, AuditEvent, AuditFilter, AuthMode, BadInput},
    on_db,
};
use std::sync::{
    atomic::{AtomicBool, Ordering},
    Arc,
};

/// Rows a listing answers unless asked for fewer; never more than `MAX_LIMIT`.
pub const DEFAULT_LIMIT: u32 = 100;
pub const MAX_LIMIT: u32 = 500;

/// Set once a request has been audited, so that the auth layer does not
/// record the same failure again as a generic denied request.
#[derive(Debug, Clone, Default)]
pub struct AuditMark(Arc<AtomicBool>);

impl AuditMark {
    pub fn is_set(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Ok,
    Failed,
    Denied,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::Failed => "failed",
            Outcome::Denied => "denied",
        }
    }
}

/// One event about to be recorded.
#[derive(Debug, Clone)]
pub struct Entry {
    event: AuditEvent,
    outcome: Outcome,
    user: Option<(i64, String)>,
    /// A name typed at a failed login, which may belong to nobody.
    attempted_username: Option<String>,
    mode: Option<AuthMode>,
    detail: Option<AuditDetail>,
}

impl Entry {
    pub fn new(event: AuditEvent, outcome: Outcome) -> Self {
        Entry {
            event,
            outcome,
            user: None,
            attempted_username: None,
            mode: None,
            detail: None,
        }
    }

    pub fn user(mut self, user_id: i64, username: &str) -> Self {
        self.user = Some((user_id, username.to_owned()));
        self
    }

    pub fn attempted_username(mut self, username: &str) -> Self {
        self.attempted_username = Some(username.chars().take(64).collect());
        self
    }

    pub fn principal(self, principal: &Principal) -> Self {
        self.user(principal.user_id, &principal.username).mode(principal.mode)
    }

    pub fn mode(mut self, mode: AuthMode) -> Self {
        self.mode = Some(mode);
        self
    }

    pub fn detail(mut self, detail: AuditDetail) -> Self {
        self.detail = Some(detail);
        self
    }
}

/// A denied request identical to the newest row, within this many seconds
/// of it, counts as a repeat of that row instead of a row of its own.
pub const REPEAT_WINDOW_SECS: i64 = 60;

/// Records `entry`. A failure to write is logged, not raised: the action it
/// describes has already happened and must not be reported as failed.
///
/// Denied requests that repeat the newest row (same user, mode, address
/// and detail, within [`REPEAT_WINDOW_SECS`]) only count up its `repeats`,
/// so that a client hammering a protected URL adds one row, not thousands.
pub async fn record(db: &Db, client: &ClientInfo, entry: Entry) {
    client.audit_mark.0.store(true, Ordering::Relaxed);
    let (user_id, username) = match entry.user {
        Some((id, name)) => (Some(id), Some(name)),
        None => (None, entry.attempted_username),
    };
    let at = now();
    let mode = entry.mode.map(AuthMode::as_str);
    // English for the API and the repeat check; the structure for each language.
    let detail = entry.detail.as_ref().map(AuditDetail::english).unwrap_or_default();
    let detail_data = entry
        .detail
        .as_ref()
        .and_then(|detail| serde_json::to_string(detail).ok());
    let result = async {
        if entry.event == AuditEvent::Denied {
            let repeated = on_db!(db, |pool| sqlx::query(
                "UPDATE audit_events SET repeats = repeats + 1, at = $1
                 WHERE id = (SELECT MAX(id) FROM audit_events)
                   AND event = $2 AND at >= $1 - $3
                   AND user_id IS NOT DISTINCT FROM $4 AND username IS NOT DISTINCT FROM $5
                   AND mode IS NOT DISTINCT FROM $6 AND ip IS NOT DISTINCT FROM $7 AND detail = $8",
            )
            .bind(at)
            .bind(entry.event.as_str())
            .bind(REPEAT_WINDOW_SECS)
            .bind(user_id)
            .bind(&username)
            .bind(mode)
            .bind(&client.ip)
            .bind(&detail)
            .execute(pool)
            .await
            .map(|done| done.rows_affected()))?;
            if repeated == 1 {
                return Ok(());
            }
        }
        on_db!(db, |pool| sqlx::query(
            "INSERT INTO audit_events (at, user_id, username, mode, ip, event, outcome, detail, detail_data)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(at)
        .bind(user_id)
        .bind(&username)
        .bind(mode)
        .bind(&client.ip)
        .bind(entry.event.as_str())
        .bind(entry.outcome.as_str())
        .bind(&detail)
        .bind(&detail_data)
        .execute(pool)
        .await
        .map(|done| done.rows_affected()))
        .map(drop)
    }
    .await;
    if let Err(err) = result {
        tracing::error!(%err, event = entry.event.as_str(), "could not write the audit trail");
    }
}

/// Deletes the events recorded before `cutoff`; answers how many.
pub async fn delete_before(db: &Db, cutoff: i64) -> Result<u64, AppError> {
    let deleted = on_db!(db, |pool| sqlx::query("DELETE FROM audit_events WHERE at < $1")
        .bind(cutoff)
        .execute(pool)
        .await
        .map(|done| done.rows_affected()))?;
    Ok(deleted)
}

crate::sql_row! {
    struct AuditRow {
        id: i64,
        at: i64,
        username: Option<String>,
        mode: Option<String>,
        ip: Option<String>,
        event: String,
        outcome: String,
        detail: String,
        detail_data: Option<String>,
        repeats: i64,
    }
}

/// The newest events first, narrowed by `filter`, and to one user's own
/// events when `user_id` is given.
pub async fn list(db: &Db, filter: &AuditFilter, user_id: Option<i64>) -> Result<Vec<AuditEntry>, AppError> {
    if let Some(event) = filter.event.as_deref().filter(|event| !event.is_empty()) {
        if AuditEvent::parse(event).is_none() {
            return Err(AppError::BadRequest(BadInput::UnknownAuditEvent(event.to_owned())));
        }
    }
    let limit = i64::from(filter.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT));
    let rows: Vec<AuditRow> = on_db!(db, |pool| sqlx::query_as(
        "SELECT id, at, username, mode, ip, event, outcome, detail, detail_data, repeats FROM audit_events
         WHERE ($1 IS NULL OR user_id = $1)
           AND ($2 IS NULL OR lower(username) = lower($2))
           AND ($3 IS NULL OR event = $3)
           AND ($4 IS NULL OR outcome = $4)
         ORDER BY id DESC LIMIT $5",
    )
    .bind(user_id)
    .bind(filter.username.as_deref().filter(|name| !name.is_empty()))
    .bind(filter.event.as_deref().filter(|event| !event.is_empty()))
    .bind(filter.outcome.as_deref().filter(|outcome| !outcome.is_empty()))
    .bind(limit)
    .fetch_all(pool)
    .await)?;
    Ok(rows
        .into_iter()
        .map(|row| AuditEntry {
            id: row.id,
            at: row.at,
            username: row.username,
            mode: row.mode.as_deref().and_then(AuthMode::parse),
            ip: row.ip,
            event: row.event,
            outcome: row.outcome,
            detail: row.detail,
            detail_data: row.detail_data.and_then(|json| serde_json::from_str(&json).ok()),
            repeats: row.repeats,
        })
        .collect())
}
