//! `/api/admin/*`: admin only (401 anonymous, 403 users).

use super::{ApiJson, ApiPath};
use crate::{
    auth::AuthContext,
    error::AppError,
    model::{Role, UserSummary},
    services::admin,
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
    ApiPath(username): ApiPath<String>,
    ApiJson(change): ApiJson<RoleChange>,
) -> Result<Json<UserSummary>, AppError> {
    Ok(Json(
        admin::set_role(&state, auth.require_admin()?, &username, change.role).await?,
    ))
}
