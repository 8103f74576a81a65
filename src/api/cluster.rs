//! `/api/instance`: this instance of a cluster, for its neighbours and for
//! curl behind the balancer.

use super::{ApiJson, ErrorBody};
use crate::{
    error::AppError,
    model::{cluster::InstanceReport, Denial, Settings},
    services::{cluster, loopback::CLUSTER_SECRET_HEADER},
    state::AppState,
};
use axum::{
    extract::State,
    http::{HeaderMap, StatusCode},
    Json,
};

/// This instance: its name, start, session store, and what its auth layer
/// met (session lookups, of which unknown here; tokens accepted and refused).
#[utoipa::path(get, path = "/api/instance", tag = "cluster",
    responses((status = 200, body = InstanceReport),
        (status = 431, body = ErrorBody, description = "headers (cookies, tokens) beyond any real client's")),
    security(()))]
pub async fn instance(State(state): State<AppState>) -> Json<InstanceReport> {
    Json(cluster::report(&state))
}

/// Stops this instance after answering; the cluster runner (`make
/// cluster`) starts it again. Only with the cluster's secret in
/// `X-AuthLab-Cluster-Secret`: 403 for anyone else, and outside a cluster.
#[utoipa::path(post, path = "/api/instance/restart", tag = "cluster",
    params(("X-AuthLab-Cluster-Secret" = String, Header, description = "AUTHLAB_CLUSTER_SECRET")),
    responses((status = 202, description = "stopping; the runner starts it again"),
        (status = 403, body = ErrorBody, description = "`forbidden`: no or another secret, or no cluster")),
    security(()))]
pub async fn restart(State(state): State<AppState>, headers: HeaderMap) -> Result<StatusCode, AppError> {
    let presented = headers.get(CLUSTER_SECRET_HEADER).and_then(|value| value.to_str().ok());
    if !cluster::is_cluster_secret(&state, presented) {
        return Err(AppError::Forbidden(Denial::NotInCluster));
    }
    cluster::stop_after_answering(&state);
    Ok(StatusCode::ACCEPTED)
}

/// Takes the settings an admin changed through another instance (that one
/// audited the change). Only with the cluster's secret.
#[utoipa::path(put, path = "/api/instance/settings", tag = "cluster",
    params(("X-AuthLab-Cluster-Secret" = String, Header, description = "AUTHLAB_CLUSTER_SECRET")),
    request_body = Settings,
    responses((status = 200, body = Settings),
        (status = 400, body = ErrorBody, description = "not the settings' JSON"),
        (status = 403, body = ErrorBody, description = "`forbidden`: no or another secret, or no cluster")),
    security(()))]
pub async fn take_settings(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiJson(settings): ApiJson<Settings>,
) -> Result<Json<Settings>, AppError> {
    let presented = headers.get(CLUSTER_SECRET_HEADER).and_then(|value| value.to_str().ok());
    if !cluster::is_cluster_secret(&state, presented) {
        return Err(AppError::Forbidden(Denial::NotInCluster));
    }
    state.settings.apply(settings);
    Ok(Json(state.settings.get()))
}
