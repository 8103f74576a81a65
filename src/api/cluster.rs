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
    extract::{FromRequestParts, State},
    http::{request::Parts, StatusCode},
    Json,
};

/// A request from another instance of the cluster: it carries the
/// cluster's secret in `X-AuthLab-Cluster-Secret`. Anyone else, and
/// everyone outside a cluster, is refused 403.
pub struct ClusterMember;

impl FromRequestParts<AppState> for ClusterMember {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let presented = parts
            .headers
            .get(CLUSTER_SECRET_HEADER)
            .and_then(|value| value.to_str().ok());
        if cluster::is_cluster_secret(state, presented) {
            Ok(ClusterMember)
        } else {
            Err(AppError::Forbidden(Denial::NotInCluster))
        }
    }
}

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
pub async fn restart(State(state): State<AppState>, _member: ClusterMember) -> StatusCode {
    cluster::stop_after_answering(&state);
    StatusCode::ACCEPTED
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
    _member: ClusterMember,
    ApiJson(settings): ApiJson<Settings>,
) -> Json<Settings> {
    state.settings.apply(settings);
    Json(state.settings.get())
}
