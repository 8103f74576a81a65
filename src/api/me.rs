//! `/api/me/*`: the caller's own logins, password and audit trail.

use super::{ApiJson, ApiPath, ApiQuery, Client};
use crate::{
    auth::AuthContext,
    error::AppError,
    model::{AuditEntry, AuditFilter, LoginView, RevokedCounts},
    services::{
        accounts::{self, PasswordChange},
        audit, logins,
    },
    state::AppState,
};
use axum::{extract::State, Json};
use serde::Deserialize;
use tower_sessions::Session;

pub async fn list_logins(State(state): State<AppState>, auth: AuthContext) -> Result<Json<Vec<LoginView>>, AppError> {
    let principal = auth.require_user()?;
    Ok(Json(
        logins::list(&state, Some(principal.user_id), Some(principal)).await?,
    ))
}

pub async fn revoke_login(
    State(state): State<AppState>,
    auth: AuthContext,
    Client(client): Client,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<RevokedCounts>, AppError> {
    let principal = auth.require_user()?;
    Ok(Json(logins::revoke_mine(&state, principal, &client, &id).await?))
}

pub async fn logout_others(
    State(state): State<AppState>,
    auth: AuthContext,
    Client(client): Client,
) -> Result<Json<RevokedCounts>, AppError> {
    let principal = auth.require_user()?;
    Ok(Json(logins::logout_others(&state, principal, &client).await?))
}

pub async fn change_password(
    State(state): State<AppState>,
    auth: AuthContext,
    session: Session,
    Client(client): Client,
    ApiJson(change): ApiJson<PasswordChange>,
) -> Result<Json<RevokedCounts>, AppError> {
    let principal = auth.require_user()?;
    Ok(Json(
        accounts::change_password(&state, principal, Some(&session), &client, change).await?,
    ))
}

#[derive(Deserialize)]
pub struct OwnAuditQuery {
    limit: Option<u32>,
}

pub async fn audit_trail(
    State(state): State<AppState>,
    auth: AuthContext,
    ApiQuery(query): ApiQuery<OwnAuditQuery>,
) -> Result<Json<Vec<AuditEntry>>, AppError> {
    let principal = auth.require_user()?;
    let filter = AuditFilter {
        limit: query.limit,
        ..AuditFilter::default()
    };
    Ok(Json(audit::list(&state.pool, &filter, Some(principal.user_id)).await?))
}
