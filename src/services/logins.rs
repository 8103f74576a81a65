//! Live logins of either mode, side by side: a session record or a
//! refresh-token family. Listing, revoking, forced logout and the
//! concurrent-login limit all go through here.
//!
//! What each mode can take back differs, and the answers say so: deleting a
//! session record ends it at once; revoking a refresh family only stops the
//! next refresh, while its access token, stored nowhere on the server, works
//! until it expires, unless strict revocation checks every token.

use crate::{
    auth::{guard::Admin, jwt, now, refresh, refresh::ClientInfo, Principal},
    db,
    error::AppError,
    model::{AuditDetail, AuditEvent, AuthMode, LoginView, RevokedCounts},
    on_db,
    services::audit::{self, Entry, Outcome},
    state::AppState,
};

crate::sql_row! {
    struct LoginRow {
        mode: String,
        id: String,
        username: String,
        created_at: i64,
        last_seen_at: i64,
        expires_at: i64,
        ip: Option<String>,
        user_agent: Option<String>,
        /// The session id or family id, to recognise the caller's own login.
        credential: String,
    }
}

/// Every live login of `user_id` (of everyone when `None`), oldest first:
/// one query over the session index and the refresh families.
pub async fn list(
    state: &AppState,
    user_id: Option<i64>,
    viewer: Option<&Principal>,
) -> Result<Vec<LoginView>, AppError> {
    let rows: Vec<LoginRow> = on_db!(&state.db, |pool| sqlx::query_as(
        "SELECT 'session' AS mode, s.public_id AS id, u.username, s.created_at, s.last_seen_at,
                s.expires_at, s.ip, s.user_agent, s.session_id AS credential, s.login_order
         FROM session_logins s JOIN users u ON u.id = s.user_id
         WHERE s.expires_at > $1 AND ($2 IS NULL OR s.user_id = $2)
         UNION ALL
         SELECT 'jwt', f.id, u.username, f.created_at, f.last_refreshed_at,
                f.expires_at, f.ip, f.user_agent, f.id, f.login_order
         FROM refresh_families f JOIN users u ON u.id = f.user_id
         WHERE f.revoked_at IS NULL AND f.expires_at > $1 AND ($2 IS NULL OR f.user_id = $2)
         ORDER BY login_order",
    )
    .bind(now())
    .bind(user_id)
    .fetch_all(pool)
    .await)?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let mode = AuthMode::parse(&row.mode).unwrap_or(AuthMode::Session);
            let current = viewer.is_some_and(|viewer| viewer.mode == mode && viewer.credential_id == row.credential);
            LoginView {
                id: row.id,
                mode,
                username: row.username,
                created_at: row.created_at,
                last_seen_at: row.last_seen_at,
                expires_at: row.expires_at,
                ip: row.ip,
                user_agent: row.user_agent,
                current,
            }
        })
        .collect())
}

/// For a JWT whose login was revoked while the token lives on: the seconds
/// it keeps working. A display-only lookup; the auth layer did not make it.
pub async fn revoked_token_valid_for(state: &AppState, principal: &Principal) -> Result<Option<i64>, AppError> {
    if principal.mode != AuthMode::Jwt {
        return Ok(None);
    }
    let now = now();
    if refresh::family_is_live(&state.db, &principal.credential_id, now).await? {
        return Ok(None);
    }
    Ok(Some((jwt::refused_from(principal.expires_at) - now).max(0)))
}

/// Which of a user's logins to revoke.
#[derive(Debug, Clone, Copy)]
enum Which<'a> {
    All,
    AllBut(&'a Principal),
    One(&'a str),
}

async fn revoke(
    state: &AppState,
    (user_id, username): (i64, &str),
    which: Which<'_>,
    reason: &str,
) -> Result<RevokedCounts, AppError> {
    let (one, except_session, except_family) = match which {
        Which::All => (None, None, None),
        Which::One(id) => (Some(id), None, None),
        Which::AllBut(principal) => match principal.mode {
            AuthMode::Session => (None, Some(principal.credential_id.as_str()), None),
            AuthMode::Jwt => (None, None, Some(principal.credential_id.as_str())),
        },
    };
    let sessions = state.sessions.revoke(user_id, one, except_session).await?;
    let now = now();
    let last_refreshes = refresh::revoke_user_families(&state.db, user_id, one, except_family, now, reason).await?;
    let access_tokens_valid_for = if state.settings.strict_revocation() {
        0
    } else {
        let access_ttl = state.config.access_ttl_for(username) as i64;
        last_refreshes
            .iter()
            .map(|last_refresh| (jwt::refused_from(last_refresh + access_ttl) - now).max(0))
            .max()
            .unwrap_or(0)
    };
    let refresh_families = last_refreshes.len() as u64;
    Ok(RevokedCounts {
        revoked: sessions + refresh_families,
        sessions,
        refresh_families,
        access_tokens_valid_for,
    })
}

/// "My devices": revokes one of my logins (possibly this one).
pub async fn revoke_mine(
    state: &AppState,
    principal: &Principal,
    client: &ClientInfo,
    id: &str,
) -> Result<RevokedCounts, AppError> {
    if id.is_empty() || id.len() > 64 {
        return Err(AppError::NotFound);
    }
    let counts = revoke(
        state,
        (principal.user_id, &principal.username),
        Which::One(id),
        "revoked by its owner",
    )
    .await?;
    if counts.revoked == 0 {
        return Err(AppError::NotFound);
    }
    let entry = Entry::new(AuditEvent::LoginRevoked, Outcome::Ok)
        .principal(principal)
        .detail(AuditDetail::Revoked { counts });
    audit::record(&state.db, client, entry).await;
    Ok(counts)
}

/// "Log out everywhere else": every login of mine but this one.
pub async fn logout_others(
    state: &AppState,
    principal: &Principal,
    client: &ClientInfo,
) -> Result<RevokedCounts, AppError> {
    let counts = revoke(
        state,
        (principal.user_id, &principal.username),
        Which::AllBut(principal),
        "logged out from another login",
    )
    .await?;
    let entry = Entry::new(AuditEvent::LogoutOthers, Outcome::Ok)
        .principal(principal)
        .detail(AuditDetail::Revoked { counts });
    audit::record(&state.db, client, entry).await;
    Ok(counts)
}

/// Every login of the user but `principal`'s own; the caller records the
/// password change that caused it.
pub async fn revoke_others_after_password_change(
    state: &AppState,
    principal: &Principal,
) -> Result<RevokedCounts, AppError> {
    revoke(
        state,
        (principal.user_id, &principal.username),
        Which::AllBut(principal),
        "password changed",
    )
    .await
}

/// Ends every login of a user that no person owns (the race's and the
/// Lab's demo users): not a user's action, not audited.
pub async fn end_demo_logins(
    state: &AppState,
    user_id: i64,
    username: &str,
    reason: &str,
) -> Result<RevokedCounts, AppError> {
    revoke(state, (user_id, username), Which::All, reason).await
}

/// An admin logs `username` out of every login.
pub async fn force_logout(
    state: &AppState,
    admin: Admin<'_>,
    client: &ClientInfo,
    username: &str,
) -> Result<RevokedCounts, AppError> {
    let user = db::find_user_by_name(&state.db, username)
        .await?
        .ok_or(AppError::NotFound)?;
    let reason = format!("forced logout by {}", admin.principal().username);
    let counts = revoke(state, (user.id, &user.username), Which::All, &reason).await?;
    let entry = Entry::new(AuditEvent::ForcedLogout, Outcome::Ok)
        .user(user.id, &user.username)
        .detail(AuditDetail::ForcedLogout {
            by: admin.principal().username.clone(),
            counts,
        });
    audit::record(&state.db, client, entry).await;
    Ok(counts)
}

/// Before a new login of `user_id`: if the limit is on and reached, the
/// oldest logins are revoked to make room. Counting needs the server's
/// state in both modes; in JWT mode it is the refresh families, and an
/// evicted family's access token still works until it expires.
pub async fn make_room_for_login(
    state: &AppState,
    user_id: i64,
    username: &str,
    client: &ClientInfo,
) -> Result<(), AppError> {
    let limit = state.settings.max_logins_per_user() as usize;
    if limit == 0 {
        return Ok(());
    }
    let logins = list(state, Some(user_id), None).await?;
    let excess = (logins.len() + 1).saturating_sub(limit);
    for oldest in logins.iter().take(excess) {
        let counts = revoke(state, (user_id, username), Which::One(&oldest.id), "login limit").await?;
        let detail = AuditDetail::LoginLimit {
            limit: limit as u32,
            mode: oldest.mode,
            ip: oldest.ip.clone(),
            created_at: oldest.created_at,
            tokens_valid_for: counts.access_tokens_valid_for,
        };
        let entry = Entry::new(AuditEvent::LoginLimit, Outcome::Ok)
            .user(user_id, username)
            .mode(oldest.mode)
            .detail(detail);
        audit::record(&state.db, client, entry).await;
    }
    Ok(())
}

/// What one housekeeping run deleted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Expired {
    pub sessions: u64,
    pub refresh_families: u64,
    pub refresh_tokens: u64,
    pub audit_events: u64,
}

/// Deletes expired session records, refresh families (and their tokens),
/// single expired refresh tokens, families revoked over a day ago, and
/// audit events older than the retention.
pub async fn delete_expired(state: &AppState, now: i64) -> Result<Expired, AppError> {
    let sessions = state.sessions.delete_expired(now).await?;
    let refresh_families = on_db!(&state.db, |pool| sqlx::query(
        "DELETE FROM refresh_families WHERE expires_at <= $1 OR revoked_at <= $2"
    )
    .bind(now)
    .bind(now - 24 * 3600)
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))?;
    let refresh_tokens = on_db!(&state.db, |pool| sqlx::query(
        "DELETE FROM refresh_tokens WHERE expires_at <= $1"
    )
    .bind(now)
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))?;
    let audit_events = match state.config.audit_retention_days {
        0 => 0,
        days => audit::delete_before(&state.db, now - i64::from(days) * 24 * 3600).await?,
    };
    Ok(Expired {
        sessions,
        refresh_families,
        refresh_tokens,
        audit_events,
    })
}
