//! `/api/admin/*`: admin only (401 anonymous, 403 users).

use super::{ApiJson, ApiPath, ApiQuery, Client, ErrorBody};
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

#[utoipa::path(get, path = "/api/admin/users", tag = "admin", responses((status = 200, body = Vec<UserSummary>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)), security(("session" = []), ("bearer" = [])))]
pub async fn list_users(State(state): State<AppState>, auth: AuthContext) -> Result<Json<Vec<UserSummary>>, AppError> {
    Ok(Json(admin::list_users(&state, auth.require_admin()?).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct RoleChange {
    role: Role,
}

#[utoipa::path(put, path = "/api/admin/users/{username}/role", tag = "admin", request_body = RoleChange,
    params(("username" = String, Path)),
    responses((status = 200, body = UserSummary), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "`last_admin`")), security(("session" = []), ("bearer" = [])))]
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

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LoginsQuery {
    user: Option<String>,
}

/// Every live login, or one user's (`?user=alice`).
#[utoipa::path(get, path = "/api/admin/sessions", tag = "admin", params(LoginsQuery),
    responses((status = 200, body = Vec<LoginView>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "no such user")), security(("session" = []), ("bearer" = [])))]
pub async fn sessions(
    State(state): State<AppState>,
    auth: AuthContext,
    ApiQuery(query): ApiQuery<LoginsQuery>,
) -> Result<Json<Vec<LoginView>>, AppError> {
    let admin = auth.require_admin()?;
    Ok(Json(admin::list_logins(&state, admin, query.user.as_deref()).await?))
}

#[utoipa::path(post, path = "/api/admin/users/{username}/logout", tag = "admin", params(("username" = String, Path)),
    responses((status = 200, body = RevokedCounts), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)), security(("session" = []), ("bearer" = [])))]
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

#[utoipa::path(get, path = "/api/admin/settings", tag = "admin", responses((status = 200, body = Settings), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)), security(("session" = []), ("bearer" = [])))]
pub async fn get_settings(State(state): State<AppState>, auth: AuthContext) -> Result<Json<Settings>, AppError> {
    auth.require_admin()?;
    Ok(Json(state.settings.get()))
}

#[utoipa::path(put, path = "/api/admin/settings", tag = "admin", request_body = SettingsChange,
    responses((status = 200, body = Settings), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)), security(("session" = []), ("bearer" = [])))]
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
#[utoipa::path(get, path = "/api/admin/audit", tag = "admin", params(AuditFilter),
    responses((status = 200, body = Vec<AuditEntry>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)), security(("session" = []), ("bearer" = [])))]
pub async fn audit_trail(
    State(state): State<AppState>,
    auth: AuthContext,
    ApiQuery(filter): ApiQuery<AuditFilter>,
) -> Result<Json<Vec<AuditEntry>>, AppError> {
    auth.require_admin()?;
    Ok(Json(audit::list(&state.db, &filter, None).await?))
}
