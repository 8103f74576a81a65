//! This server among several: its name, and what its auth layer met. The
//! counts are the lesson of a cluster: with a store of its own, an
//! instance does not know the sessions its neighbours made.

use super::AuthContext;
use crate::model::{cluster::InstanceReport, AuthMode, Refusal};
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

#[derive(Debug)]
pub struct Instance {
    pub name: String,
    pub started_at: i64,
    session_lookups: AtomicU64,
    session_unknown: AtomicU64,
    jwt_accepted: AtomicU64,
    jwt_refused: AtomicU64,
}

impl Instance {
    pub fn new(name: String, started_at: i64) -> Self {
        Instance {
            name,
            started_at,
            session_lookups: AtomicU64::new(0),
            session_unknown: AtomicU64::new(0),
            jwt_accepted: AtomicU64::new(0),
            jwt_refused: AtomicU64::new(0),
        }
    }

    /// Counts what the auth layer resolved for one request.
    pub fn count(&self, context: &AuthContext) {
        match (context.trace.mode, context.principal.is_some()) {
            (Some(AuthMode::Session), _) => {
                self.session_lookups.fetch_add(1, Relaxed);
                if matches!(context.refusal, Some(Refusal::NoSessionRecord { .. })) {
                    self.session_unknown.fetch_add(1, Relaxed);
                }
            }
            (Some(AuthMode::Jwt), true) => {
                self.jwt_accepted.fetch_add(1, Relaxed);
            }
            (Some(AuthMode::Jwt), false) => {
                self.jwt_refused.fetch_add(1, Relaxed);
            }
            (None, _) => {}
        }
    }

    pub fn report(&self, session_store: &str, database: &str, shared_store: bool) -> InstanceReport {
        InstanceReport {
            name: self.name.clone(),
            started_at: self.started_at,
            pid: std::process::id(),
            session_store: session_store.to_owned(),
            database: database.to_owned(),
            shared_store,
            session_lookups: self.session_lookups.load(Relaxed),
            session_unknown: self.session_unknown.load(Relaxed),
            jwt_accepted: self.jwt_accepted.load(Relaxed),
            jwt_refused: self.jwt_refused.load(Relaxed),
        }
    }
}
