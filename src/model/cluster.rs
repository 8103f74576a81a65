//! Several instances behind one balancer (`make cluster`): what each one
//! says of itself, and what one request through the balancer met.

use super::{AuthMode, Refusal};
use serde::{Deserialize, Serialize};

/// One instance's own account, from `GET /api/instance`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct InstanceReport {
    pub name: String,
    /// Unix time this process started.
    pub started_at: i64,
    /// This process's id: a restart is a new one, within the same second too.
    pub pid: u32,
    /// `sqlite`, `memory`, `postgres` or `redis`.
    pub session_store: String,
    /// The app's database: `SQLite` or `PostgreSQL`.
    #[serde(default)]
    pub database: String,
    /// Whether every instance sees the same session records.
    pub shared_store: bool,
    /// Requests that came with a session cookie.
    pub session_lookups: u64,
    /// ... whose record this instance's store did not have.
    pub session_unknown: u64,
    /// Requests whose access token verified.
    pub jwt_accepted: u64,
    /// Requests whose token was refused (expired, revoked, forged).
    pub jwt_refused: u64,
}

/// An instance of the cluster as another one sees it: its report, or
/// `None` when it did not answer (restarting, stopped).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeerView {
    pub name: String,
    pub report: Option<InstanceReport>,
}

/// The cluster as the instance that served the page sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClusterView {
    /// The instance that answered this request.
    pub here: String,
    pub peers: Vec<PeerView>,
    /// Whether the instances can be restarted from the page.
    pub restartable: bool,
}

/// What one request through the balancer met: the instance that served
/// it, and who it took the caller for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hop {
    pub instance: String,
    pub mode: Option<AuthMode>,
    pub username: Option<String>,
    pub refusal: Option<Refusal>,
}
