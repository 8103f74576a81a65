//! `/api/me/*`: the caller's own logins, password and audit trail.

use super::{ApiJson, ApiPath, ApiQuery, Client, ErrorBody};
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

#[utoipa::path(get, path = "/api/me/logins", tag = "me", responses((status = 200, body = Vec<LoginView>), (status = 401, body = ErrorBody)), security(("session" = []), ("bearer" = [])))]
pub async fn list_logins(State(state): State<AppState>, auth: AuthContext) -> Result<Json<Vec<LoginView>>, AppError> {
    let principal = auth.require_user()?;
    Ok(Json(
        logins::list(&state, Some(principal.user_id), Some(principal)).await?,
    ))
}

#[utoipa::path(delete, path = "/api/me/logins/{id}", tag = "me", params(("id" = String, Path)),
    responses((status = 200, body = RevokedCounts), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)), security(("session" = []), ("bearer" = [])))]
pub async fn revoke_login(
    State(state): State<AppState>,
    auth: AuthContext,
    Client(client): Client,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<RevokedCounts>, AppError> {
    let principal = auth.require_user()?;
    Ok(Json(logins::revoke_mine(&state, principal, &client, &id).await?))
}

#[utoipa::path(post, path = "/api/me/logout-others", tag = "me", responses((status = 200, body = RevokedCounts), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)), security(("session" = []), ("bearer" = [])))]
pub async fn logout_others(
    State(state): State<AppState>,
    auth: AuthContext,
    Client(client): Client,
) -> Result<Json<RevokedCounts>, AppError> {
    let principal = auth.require_user()?;
    Ok(Json(logins::logout_others(&state, principal, &client).await?))
}

#[utoipa::path(post, path = "/api/me/password", tag = "me", request_body = PasswordChange,
    responses((status = 200, body = RevokedCounts), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 429, body = ErrorBody),
        (status = 503, body = ErrorBody)), security(("session" = []), ("bearer" = [])))]
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

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OwnAuditQuery {
    limit: Option<u32>,
}

#[utoipa::path(get, path = "/api/me/audit", tag = "me", params(OwnAuditQuery),
    responses((status = 200, body = Vec<AuditEntry>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)), security(("session" = []), ("bearer" = [])))]
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
    Ok(Json(audit::list(&state.db, &filter, Some(principal.user_id)).await?))
}
