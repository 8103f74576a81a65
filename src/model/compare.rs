//! What `/compare` shows: both modes side by side, every figure measured by
//! this server (the auth layer's traces and the store's own rows).

use super::{AuthMode, AuthTrace, CurrentUser, DecodedJwt, HeldCookie, Refusal, Step};
use serde::{Deserialize, Serialize};

/// Median and 95th percentile of what the auth layer spent, over the most
/// recent requests of one mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Percentiles {
    pub samples: usize,
    pub median_micros: u64,
    pub p95_micros: u64,
}

/// Rows the server keeps for logins, and their bytes: the sum of the
/// stored values (integers as 8 bytes), without the engine's page and
/// index overhead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StoredRows {
    pub kind: StoredKind,
    pub rows: i64,
    pub bytes: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum StoredKind {
    /// tower-sessions records (the session store).
    SessionRecords,
    /// `session_logins`: which user each session belongs to.
    SessionIndex,
    /// `refresh_families`: one per JWT login, kept until expiry once revoked.
    RefreshFamilies,
    /// `refresh_tokens`: every refresh token ever issued, as a hash, kept
    /// until expiry so that a replay is recognised.
    RefreshTokens,
}

/// The latest `make bench` run (`bench/results.json`, written by
/// `bench/report.py`): the same paths under load, beside the live figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BenchResults {
    pub date: String,
    pub commit: String,
    pub cores: u32,
    /// The processor's model name, as the machine reports it.
    pub cpu: String,
    pub connections: u32,
    pub duration: String,
    pub rounds: u32,
    pub paths: Vec<BenchPath>,
    pub session_header_bytes: u64,
    pub jwt_header_bytes: u64,
    pub first_visit_bytes: u64,
    pub rss_idle_kb: u64,
    #[serde(default)]
    pub logins: Vec<BenchLogins>,
}

/// One path under load: wrk's median round.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BenchPath {
    /// `livez`, `jwt_me`, `session_me`, ...: the catalogs name each.
    pub key: String,
    pub path: String,
    pub rps: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
}

/// What many logins of one mode left behind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BenchLogins {
    pub mode: AuthMode,
    pub logins: u64,
    /// The logins that `logins_per_second` was measured on, at the real
    /// argon2id cost (absent in results older than that measure).
    #[serde(default)]
    pub rate_logins: u64,
    pub logins_per_second: f64,
    pub rss_growth_kb: i64,
    pub live_logins: i64,
    pub bytes_per_login: i64,
}

impl BenchResults {
    /// The ceiling's req/s (`/livez`), against which each path is a share.
    pub fn ceiling(&self) -> Option<f64> {
        self.paths
            .iter()
            .find(|path| path.key == "livez")
            .map(|path| path.rps)
            .filter(|rps| *rps > 0.0)
    }
}

/// One mode's column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ModeFigures {
    pub mode: AuthMode,
    /// Live logins of this mode on the server.
    pub live_logins: i64,
    pub stored: Vec<StoredRows>,
    /// The most recent request that presented this mode's credential: the
    /// viewer's own when `latest_is_viewers`.
    #[cfg_attr(feature = "ssr", schema(value_type = Option<Object>))]
    pub latest: Option<AuthTrace>,
    pub latest_is_viewers: bool,
    /// What the auth layer spent on the recent requests of this mode.
    pub check: Option<Percentiles>,
    /// Strict revocation's lookup alone (JWT, while it is on).
    pub strict_lookup: Option<Percentiles>,
}

impl ModeFigures {
    pub fn stored_bytes(&self) -> i64 {
        self.stored.iter().map(|rows| rows.bytes).sum()
    }

    /// Bytes the server keeps per login it keeps rows for (one index row
    /// per session; one family row per JWT login, revoked ones included
    /// until they expire); `None` without any.
    pub fn bytes_per_login(&self) -> Option<i64> {
        let logins = self
            .stored
            .iter()
            .find(|rows| matches!(rows.kind, StoredKind::SessionIndex | StoredKind::RefreshFamilies))
            .map_or(0, |rows| rows.rows);
        (logins > 0).then(|| self.stored_bytes() / logins)
    }
}

/// Settings that decide the answers of the trade-off table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CompareFacts {
    pub strict_revocation: bool,
    pub access_ttl: u64,
    /// Clock skew forgiven on `exp`: a token is accepted this much longer.
    pub leeway: u64,
    pub refresh_ttl: u64,
    pub session_idle_ttl: u64,
    pub session_store: String,
    pub max_logins_per_user: u32,
}

/// The latest request of each mode to one same method and path, so that
/// their header sizes compare like with like.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SameRequest {
    /// e.g. `GET /api/me`
    pub request: String,
    pub session_credential_bytes: usize,
    pub session_header_bytes: usize,
    pub jwt_credential_bytes: usize,
    pub jwt_header_bytes: usize,
}

impl SameRequest {
    /// `(all headers, credential headers)`: JWT bytes over session bytes.
    pub fn ratios(&self) -> (f64, f64) {
        let ratio = |jwt: usize, session: usize| {
            if session == 0 {
                0.0
            } else {
                jwt as f64 / session as f64
            }
        };
        (
            ratio(self.jwt_header_bytes, self.session_header_bytes),
            ratio(self.jwt_credential_bytes, self.session_credential_bytes),
        )
    }
}

/// Everything `/compare` shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CompareView {
    #[cfg_attr(feature = "ssr", schema(value_type = Option<Object>))]
    pub viewer: Option<CurrentUser>,
    #[cfg_attr(feature = "ssr", schema(value_type = Vec<Object>))]
    pub browser_cookies: Vec<HeldCookie>,
    #[cfg_attr(feature = "ssr", schema(value_type = Option<Object>))]
    pub jwt: Option<DecodedJwt>,
    pub session: ModeFigures,
    pub token: ModeFigures,
    /// Both modes on one same request, when both made one.
    pub same_request: Option<SameRequest>,
    /// Unix time since which the recent-request figures were collected.
    pub samples_since: i64,
    /// How many recent requests per mode the percentiles cover at most.
    pub samples_kept: usize,
    pub facts: CompareFacts,
    pub now: i64,
}

/// A box of the flow diagrams.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FlowNode {
    Login,
    Issue,
    Store,
    Carry,
    Check,
    StrictLookup,
    Refresh,
    Revoke,
}

impl FlowNode {
    pub const SESSION: [FlowNode; 6] = [
        FlowNode::Login,
        FlowNode::Issue,
        FlowNode::Store,
        FlowNode::Carry,
        FlowNode::Check,
        FlowNode::Revoke,
    ];
    pub const JWT: [FlowNode; 8] = [
        FlowNode::Login,
        FlowNode::Issue,
        FlowNode::Store,
        FlowNode::Carry,
        FlowNode::Check,
        FlowNode::StrictLookup,
        FlowNode::Refresh,
        FlowNode::Revoke,
    ];

    pub fn of(mode: AuthMode) -> &'static [FlowNode] {
        match mode {
            AuthMode::Session => &FlowNode::SESSION,
            AuthMode::Jwt => &FlowNode::JWT,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            FlowNode::Login => "login",
            FlowNode::Issue => "issue",
            FlowNode::Store => "store",
            FlowNode::Carry => "carry",
            FlowNode::Check => "check",
            FlowNode::StrictLookup => "strict_lookup",
            FlowNode::Refresh => "refresh",
            FlowNode::Revoke => "revoke",
        }
    }
}

/// How a request went through one box of the diagram.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Passage {
    Passed,
    Refused,
}

/// The boxes a traced request went through, in the order it met them.
pub fn flow_path(trace: &AuthTrace) -> Vec<(FlowNode, Passage)> {
    let mut path: Vec<(FlowNode, Passage)> = Vec::new();
    let mut visit = |node: FlowNode, passage: Passage| match path.iter_mut().find(|(seen, _)| *seen == node) {
        Some(entry) => entry.1 = passage,
        None => path.push((node, passage)),
    };
    let mut current = FlowNode::Check;
    for step in &trace.steps {
        match &step.step {
            Step::Anonymous => {}
            Step::ReadAuthorization { .. } | Step::ReadCookie { .. } => visit(FlowNode::Carry, Passage::Passed),
            Step::VerifiedSignature { .. }
            | Step::SessionFound { .. }
            | Step::UserLoaded { .. }
            | Step::IdleExtended => {
                current = FlowNode::Check;
                visit(FlowNode::Check, Passage::Passed);
            }
            Step::StrictLookupLive => visit(FlowNode::StrictLookup, Passage::Passed),
            Step::RefreshNeeded { .. } | Step::Rotated => {
                current = FlowNode::Refresh;
                visit(FlowNode::Refresh, Passage::Passed);
            }
            Step::Refused { refusal } => {
                let node = match refusal {
                    Refusal::StrictRevoked | Refusal::StrictLookupFailed => FlowNode::StrictLookup,
                    Refusal::RefreshFailed(_) => FlowNode::Refresh,
                    _ if current == FlowNode::Refresh => FlowNode::Refresh,
                    _ => FlowNode::Check,
                };
                visit(node, Passage::Refused);
            }
        }
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{TokenRejection, TraceStep};

    fn trace(steps: Vec<Step>) -> AuthTrace {
        AuthTrace {
            steps: steps.into_iter().map(|step| TraceStep { step, micros: 1 }).collect(),
            ..AuthTrace::default()
        }
    }

    #[test]
    fn a_session_request_carries_the_cookie_and_is_looked_up() {
        let path = flow_path(&trace(vec![
            Step::ReadCookie {
                name: "authlab_sid".into(),
                bytes: 48,
            },
            Step::SessionFound {
                store: "x".into(),
                cached: false,
            },
            Step::UserLoaded { cached: false },
        ]));
        assert_eq!(
            path,
            [(FlowNode::Carry, Passage::Passed), (FlowNode::Check, Passage::Passed)]
        );
    }

    #[test]
    fn an_expired_token_then_a_transparent_refresh_passes_through_refresh() {
        let path = flow_path(&trace(vec![
            Step::ReadCookie {
                name: "authlab_at".into(),
                bytes: 300,
            },
            Step::Refused {
                refusal: Refusal::Token(TokenRejection::Expired),
            },
            Step::RefreshNeeded {
                cookie: "authlab_rt".into(),
            },
            Step::Rotated,
            Step::VerifiedSignature {
                lookup_follows: false,
                cached: false,
            },
        ]));
        assert_eq!(
            path,
            [
                (FlowNode::Carry, Passage::Passed),
                (FlowNode::Check, Passage::Passed),
                (FlowNode::Refresh, Passage::Passed)
            ]
        );
    }

    #[test]
    fn bytes_per_login_counts_every_login_the_server_keeps_rows_for() {
        let figures = ModeFigures {
            mode: AuthMode::Jwt,
            // One live family; a revoked one is kept until it expires.
            live_logins: 1,
            stored: vec![
                StoredRows {
                    kind: StoredKind::RefreshFamilies,
                    rows: 2,
                    bytes: 400,
                },
                StoredRows {
                    kind: StoredKind::RefreshTokens,
                    rows: 3,
                    bytes: 360,
                },
            ],
            latest: None,
            latest_is_viewers: false,
            check: None,
            strict_lookup: None,
        };
        assert_eq!(figures.stored_bytes(), 760);
        assert_eq!(figures.bytes_per_login(), Some(380));
        let none = ModeFigures {
            stored: Vec::new(),
            ..figures
        };
        assert_eq!(none.bytes_per_login(), None);
    }

    #[test]
    fn strict_revocation_refuses_at_the_lookup() {
        let path = flow_path(&trace(vec![
            Step::ReadAuthorization { bytes: 300 },
            Step::VerifiedSignature {
                lookup_follows: true,
                cached: false,
            },
            Step::Refused {
                refusal: Refusal::StrictRevoked,
            },
        ]));
        assert_eq!(path.last(), Some(&(FlowNode::StrictLookup, Passage::Refused)));
        assert_eq!(path[1], (FlowNode::Check, Passage::Passed));
    }
}
