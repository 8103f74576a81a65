//! `/api/compare` (anyone) and the race, `/api/admin/race` (admins only).

use super::{ApiJson, Client, ErrorBody};
use crate::{
    auth::AuthContext,
    error::AppError,
    model::{
        compare::CompareView,
        race::{RaceAction, RaceView},
    },
    services::{compare, race},
    state::AppState,
};
use axum::{extract::State, http::HeaderMap, Json};
use serde::Deserialize;

/// Both modes side by side: this server's stored rows per mode, the recent
/// requests' costs and sizes, and what this request carried.
#[utoipa::path(get, path = "/api/compare", tag = "both modes",
    responses((status = 200, body = CompareView),
        (status = 431, body = ErrorBody, description = "headers (cookies, tokens) beyond any real client's")),
    security((), ("session" = []), ("bearer" = [])))]
pub async fn compare(
    State(state): State<AppState>,
    auth: AuthContext,
    headers: HeaderMap,
) -> Result<Json<CompareView>, AppError> {
    Ok(Json(compare::compare_view(&state, &auth, &headers).await?))
}

/// The race now. Asking for it keeps it running (a race nobody watches stops).
#[utoipa::path(get, path = "/api/admin/race", tag = "race",
    responses((status = 200, body = RaceView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub async fn watch(State(state): State<AppState>, auth: AuthContext) -> Result<Json<RaceView>, AppError> {
    Ok(Json(race::watch(&state, auth.require_admin()?).await?))
}

/// Starts a race (or restarts the running one) with fresh demo logins.
#[utoipa::path(post, path = "/api/admin/race", tag = "race",
    responses((status = 200, body = RaceView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 503, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub async fn start(State(state): State<AppState>, auth: AuthContext) -> Result<Json<RaceView>, AppError> {
    Ok(Json(race::start(&state, auth.require_admin()?).await?))
}

/// Stops the race and ends its demo logins.
#[utoipa::path(delete, path = "/api/admin/race", tag = "race",
    responses((status = 200, body = RaceView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "`no_race`")),
    security(("session" = []), ("bearer" = [])))]
pub async fn stop(State(state): State<AppState>, auth: AuthContext) -> Result<Json<RaceView>, AppError> {
    Ok(Json(race::stop(&state, auth.require_admin()?).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RaceCommand {
    action: RaceAction,
}

/// Acts on the race's demo user: force logout, promote or demote, or
/// switch strict revocation (for the whole server, as on `/admin`).
#[utoipa::path(post, path = "/api/admin/race/actions", tag = "race", request_body = RaceCommand,
    responses((status = 200, body = RaceView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 409, body = ErrorBody, description = "`no_race`")),
    security(("session" = []), ("bearer" = [])))]
pub async fn act(
    State(state): State<AppState>,
    auth: AuthContext,
    Client(client): Client,
    ApiJson(command): ApiJson<RaceCommand>,
) -> Result<Json<RaceView>, AppError> {
    Ok(Json(
        race::act(&state, auth.require_admin()?, &client, command.action).await?,
    ))
}
