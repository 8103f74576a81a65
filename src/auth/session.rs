//! Server-side sessions (tower-sessions): the browser holds only an opaque
//! id; the record with the user's id lives in the store.

use crate::config::SessionStoreKind;
use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use sqlx::SqlitePool;
use tower_sessions::{
    session::{Id, Record},
    session_store::{self, ExpiredDeletion},
    MemoryStore, SessionStore,
};
use tower_sessions_sqlx_store::SqliteStore;

/// The key under which a logged-in session keeps its [`SessionAuth`].
pub const AUTH_KEY: &str = "auth";
/// Activity extends the idle timeout, but at most once a minute, so that
/// reading pages does not write the store on every request.
pub const TOUCH_INTERVAL_SECS: i64 = 60;

/// What the store keeps for a logged-in session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionAuth {
    pub user_id: i64,
    /// Unix time of login: the absolute lifetime counts from here.
    pub login_at: i64,
    pub last_seen_at: i64,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

/// The configured store, chosen at start-up.
#[derive(Debug, Clone)]
pub enum AppSessionStore {
    Sqlite(SqliteStore),
    Memory(MemoryStore),
}

impl AppSessionStore {
    pub async fn new(kind: SessionStoreKind, pool: &SqlitePool) -> anyhow::Result<Self> {
        Ok(match kind {
            SessionStoreKind::Sqlite => {
                let store = SqliteStore::new(pool.clone());
                store.migrate().await?;
                AppSessionStore::Sqlite(store)
            }
            SessionStoreKind::Memory => AppSessionStore::Memory(MemoryStore::default()),
        })
    }

    pub fn describe(&self) -> &'static str {
        match self {
            AppSessionStore::Sqlite(_) => "SQLite table tower_sessions",
            AppSessionStore::Memory(_) => "process memory",
        }
    }

    /// Deletes expired records now and then; expired ones are never loaded
    /// in between, since every store checks the expiry on load.
    pub async fn delete_expired(&self) -> session_store::Result<()> {
        match self {
            AppSessionStore::Sqlite(store) => store.delete_expired().await,
            // The memory store drops expired records when they are loaded.
            AppSessionStore::Memory(_) => Ok(()),
        }
    }
}

#[async_trait]
impl SessionStore for AppSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        match self {
            AppSessionStore::Sqlite(store) => store.create(record).await,
            AppSessionStore::Memory(store) => store.create(record).await,
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        match self {
            AppSessionStore::Sqlite(store) => store.save(record).await,
            AppSessionStore::Memory(store) => store.save(record).await,
        }
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        match self {
            AppSessionStore::Sqlite(store) => store.load(id).await,
            AppSessionStore::Memory(store) => store.load(id).await,
        }
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        match self {
            AppSessionStore::Sqlite(store) => store.delete(id).await,
            AppSessionStore::Memory(store) => store.delete(id).await,
        }
    }
}
