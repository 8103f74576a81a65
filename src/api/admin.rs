//! `/api/admin/*`: admin only (401 anonymous, 403 users).

use super::{ApiJson, ApiPath, ApiQuery, Client};
use crate::{
    auth::AuthContext,
    error::AppError,
    model::{AuditEntry, AuditFilter, LoginView, RevokedCounts, Role, Settings, UserSummary},
    services::{
        admin, audit, logins,
        settings::{self, SettingsChange},
    },
    state::AppState,
};
use axum::{extract::State, Json};
use serde::Deserialize;

pub async fn list_users(State(state): State<AppState>, auth: AuthContext) -> Result<Json<Vec<UserSummary>>, AppError> {
    Ok(Json(admin::list_users(&state, auth.require_admin()?).await?))
}

#[derive(Deserialize)]
pub struct RoleChange {
    role: Role,
}

pub async fn set_role(
    State(state): State<AppState>,
    auth: AuthContext,
    Client(client): Client,
    ApiPath(username): ApiPath<String>,
    ApiJson(change): ApiJson<RoleChange>,
) -> Result<Json<UserSummary>, AppError> {
    Ok(Json(
        admin::set_role(&state, auth.require_admin()?, &client, &username, change.role).await?,
    ))
}

#[derive(Deserialize)]
pub struct LoginsQuery {
    user: Option<String>,
}

/// Every live login, or one user's (`?user=alice`).
pub async fn sessions(
    State(state): State<AppState>,
    auth: AuthContext,
    ApiQuery(query): ApiQuery<LoginsQuery>,
) -> Result<Json<Vec<LoginView>>, AppError> {
    let admin = auth.require_admin()?;
    Ok(Json(admin::list_logins(&state, admin, query.user.as_deref()).await?))
}

pub async fn force_logout(
    State(state): State<AppState>,
    auth: AuthContext,
    Client(client): Client,
    ApiPath(username): ApiPath<String>,
) -> Result<Json<RevokedCounts>, AppError> {
    Ok(Json(
        logins::force_logout(&state, auth.require_admin()?, &client, &username).await?,
    ))
}

pub async fn get_settings(State(state): State<AppState>, auth: AuthContext) -> Result<Json<Settings>, AppError> {
    auth.require_admin()?;
    Ok(Json(state.settings.get()))
}

pub async fn put_settings(
    State(state): State<AppState>,
    auth: AuthContext,
    Client(client): Client,
    ApiJson(change): ApiJson<SettingsChange>,
) -> Result<Json<Settings>, AppError> {
    Ok(Json(
        settings::update(&state, auth.require_admin()?, &client, change).await?,
    ))
}

/// `?user=&event=&outcome=&limit=`, each optional.
pub async fn audit_trail(
    State(state): State<AppState>,
    auth: AuthContext,
    ApiQuery(filter): ApiQuery<AuditFilter>,
) -> Result<Json<Vec<AuditEntry>>, AppError> {
    auth.require_admin()?;
    Ok(Json(audit::list(&state.pool, &filter, None).await?))
}
