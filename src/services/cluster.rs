//! Several instances behind one balancer: what each one reports, which
//! one served a request, and restarting one for the lesson.

use super::loopback::{self, Credential};
use crate::{
    auth::AuthContext,
    error::AppError,
    model::{
        cluster::{ClusterView, Hop, InstanceReport, PeerView},
        Denial, Settings,
    },
    state::AppState,
};
use axum::http::{Method, StatusCode};
use sha2::{Digest, Sha256};

pub fn report(state: &AppState) -> InstanceReport {
    let kind = format!("{:?}", state.config.session_store()).to_lowercase();
    state
        .instance
        .report(&kind, state.db.engine(), state.sessions.is_shared())
}

/// Who this instance took the caller for.
pub fn hop(state: &AppState, auth: &AuthContext) -> Hop {
    Hop {
        instance: state.instance.name.clone(),
        mode: auth.trace.mode,
        username: auth.principal.as_ref().map(|principal| principal.username.clone()),
        refusal: auth.refusal.clone(),
    }
}

/// Every instance of `AUTHLAB_PEERS`, asked at once; this one answers
/// for itself. Empty outside a cluster.
pub async fn view(state: &AppState) -> ClusterView {
    let mut asked = tokio::task::JoinSet::new();
    for (position, peer) in state.config.peers.iter().enumerate() {
        let peer = peer.clone();
        let here = (peer.name == state.instance.name).then(|| report(state));
        asked.spawn(async move {
            let report = match here {
                Some(report) => Some(report),
                None => {
                    let answer =
                        loopback::send(peer.address, Method::GET, "/api/instance", Credential::None, None).await;
                    (answer.status == StatusCode::OK)
                        .then(|| serde_json::from_value(answer.body).ok())
                        .flatten()
                }
            };
            (
                position,
                PeerView {
                    name: peer.name,
                    report,
                },
            )
        });
    }
    let mut peers: Vec<(usize, PeerView)> = asked.join_all().await;
    peers.sort_by_key(|(position, _)| *position);
    ClusterView {
        here: state.instance.name.clone(),
        peers: peers.into_iter().map(|(_, peer)| peer).collect(),
        restartable: state.config.cluster_secret.is_some(),
    }
}

/// Whether `presented` is the cluster's secret (compared as digests, so the
/// time taken says nothing about how much of it matched).
pub fn is_cluster_secret(state: &AppState, presented: Option<&str>) -> bool {
    match (&state.config.cluster_secret, presented) {
        (Some(secret), Some(presented)) => Sha256::digest(secret) == Sha256::digest(presented),
        _ => false,
    }
}

/// Restarts the instance `name` of the cluster: this one stops after its
/// answer and the cluster runner starts it again; another one is told so.
/// Only in a cluster that was given a secret (`make cluster`).
pub async fn restart(state: &AppState, name: &str) -> Result<(), AppError> {
    let Some(secret) = &state.config.cluster_secret else {
        return Err(AppError::Forbidden(Denial::NotInCluster));
    };
    if name == state.instance.name {
        stop_after_answering(state);
        return Ok(());
    }
    let peer = state
        .config
        .peers
        .iter()
        .find(|peer| peer.name == name)
        .ok_or(AppError::NotFound)?;
    let answer = loopback::send(
        peer.address,
        Method::POST,
        "/api/instance/restart",
        Credential::ClusterSecret(secret),
        None,
    )
    .await;
    match answer.status {
        StatusCode::ACCEPTED => Ok(()),
        // Down already (restarting): nothing to do.
        StatusCode::SERVICE_UNAVAILABLE => Ok(()),
        status => {
            tracing::warn!(%status, peer = name, "a peer refused to restart");
            Err(AppError::Internal)
        }
    }
}

/// Gives a settings change to every other instance of the cluster, so
/// that strict revocation or the login limit is the same whichever
/// instance the balancer picks. Outside a cluster: nothing to do.
pub async fn share_settings(state: &AppState, settings: Settings) {
    let Some(secret) = state.config.cluster_secret.clone() else {
        return;
    };
    let mut told = tokio::task::JoinSet::new();
    for peer in state
        .config
        .peers
        .iter()
        .filter(|peer| peer.name != state.instance.name)
    {
        let (peer, secret) = (peer.clone(), secret.clone());
        told.spawn(async move {
            let body = serde_json::to_value(settings).ok();
            let answer = loopback::send(
                peer.address,
                Method::PUT,
                "/api/instance/settings",
                Credential::ClusterSecret(&secret),
                body,
            )
            .await;
            if answer.status != StatusCode::OK {
                tracing::warn!(peer = peer.name, status = %answer.status, "a peer did not take the new settings");
            }
        });
    }
    told.join_all().await;
}

/// Ends this process gracefully: requests in flight, this one's answer
/// included, finish first.
pub fn stop_after_answering(state: &AppState) {
    tracing::info!(instance = %state.instance.name, "restart asked: stopping");
    state.shutdown.notify_one();
}
