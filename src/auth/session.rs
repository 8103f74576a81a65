//! Server-side sessions (tower-sessions): the browser holds only an opaque
//! id; the record with the user's id lives in the store.

use super::{
    bus::{Bus, Forget},
    cache::Cache,
    records::{backend_error, SqlRecords},
};
use crate::{
    config::SessionStoreKind,
    db::{Db, CONNECT_DEADLINE},
    on_db,
};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use sqlx::{PgPool, SqlitePool};
use std::sync::Arc;
use tower_sessions::{
    session::{Id, Record},
    session_store, MemoryStore, SessionStore,
};
use tower_sessions_redis_store::{
    fred::{
        clients::Pool as RedisPool,
        prelude::{ClientLike, Config as RedisConfig},
    },
    RedisStore,
};

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
    /// Microseconds since the epoch at login: orders logins within a second.
    #[serde(default)]
    pub login_order: i64,
    pub last_seen_at: i64,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

/// The configured store, chosen at start-up, plus the index that names each
/// logged-in session's user (table `session_logins`).
///
/// The index is written here, in the store, so that every way a record is
/// created, cycled, saved or deleted keeps it in step. It is also what keeps
/// a revoked session dead: a request that loaded the record before an admin
/// deleted it would otherwise write it back when it saves its activity.
///
/// The SQLite store has a [`Cache`] of records in front of it: a session
/// request then costs no query. Every write and delete of a record goes
/// through here and updates or forgets its entry before answering, so a
/// forced logout is as immediate as without it.
#[derive(Debug, Clone)]
pub struct AppSessionStore {
    backend: Backend,
    index: Db,
    absolute_ttl: i64,
    cache: Arc<Cache<Id, Record>>,
    bus: Arc<Bus>,
    /// The memory store's index rows carry the instance whose memory holds
    /// the records; the shared stores' rows carry none.
    instance: Option<String>,
}

#[derive(Debug, Clone)]
enum Backend {
    /// The store, and the pool of its table (for what the store cannot tell).
    Sqlite(SqlRecords, SqlitePool),
    Memory(MemoryStore),
    Postgres(SqlRecords),
    Redis(RedisStore<RedisPool>),
}

/// Where a shared store lives, for the store and the invalidation bus.
#[derive(Debug, Clone)]
pub enum SharedLink {
    Postgres(PgPool),
    Redis(RedisConfig),
}

/// The login data in a record, if the session is logged in.
fn auth_of(record: &Record) -> Option<SessionAuth> {
    record
        .data
        .get(AUTH_KEY)
        .and_then(|value| SessionAuth::deserialize(value).ok())
}

impl AppSessionStore {
    /// Connects to the configured session store, if it is a shared one.
    /// The PostgreSQL store lives in `AUTHLAB_SESSION_DATABASE_URL`, else
    /// in the app's database when that is PostgreSQL.
    pub async fn link(config: &crate::config::Config, db: &Db) -> anyhow::Result<Option<SharedLink>> {
        Ok(match config.session_store() {
            SessionStoreKind::Sqlite | SessionStoreKind::Memory => None,
            SessionStoreKind::Postgres => {
                let Some(url) = config.session_database_url.as_deref() else {
                    let pool = db.postgres().ok_or_else(|| {
                        anyhow::anyhow!(
                            "AUTHLAB_SESSION_STORE=postgres needs AUTHLAB_SESSION_DATABASE_URL=postgres://host:port/database \
                             (or a PostgreSQL AUTHLAB_DATABASE_URL)"
                        )
                    })?;
                    return Ok(Some(SharedLink::Postgres(pool.clone())));
                };
                let pool = crate::db::postgres_pool(url, 8, "PostgreSQL session store").await?;
                Some(SharedLink::Postgres(pool))
            }
            SessionStoreKind::Redis => {
                let redis = RedisConfig::from_url(&config.redis_url)
                    .map_err(|err| anyhow::anyhow!("AUTHLAB_REDIS_URL: {err}"))?;
                Some(SharedLink::Redis(redis))
            }
        })
    }

    /// `cache` holds records between loads (capacity 0: none; the memory
    /// store is never cached), and `bus` tells the other instances of a
    /// shared store what to forget.
    pub async fn new(
        kind: SessionStoreKind,
        db: &Db,
        link: Option<&SharedLink>,
        absolute_ttl_secs: u64,
        cache: Arc<Cache<Id, Record>>,
        bus: Arc<Bus>,
        instance: &str,
    ) -> anyhow::Result<Self> {
        let backend = match (kind, link) {
            (SessionStoreKind::Sqlite, _) => {
                let Db::Sqlite(pool) = db else {
                    anyhow::bail!(
                        "AUTHLAB_SESSION_STORE=sqlite keeps sessions in the SQLite database; \
                         with a PostgreSQL AUTHLAB_DATABASE_URL choose postgres, redis or memory"
                    );
                };
                Backend::Sqlite(SqlRecords::open(db).await?, pool.clone())
            }
            (SessionStoreKind::Memory, _) => {
                // This instance's records died with its last process; so do their index rows.
                on_db!(db, |pool| sqlx::query("DELETE FROM session_logins WHERE instance = $1")
                    .bind(instance)
                    .execute(pool)
                    .await
                    .map(|done| done.rows_affected()))?;
                Backend::Memory(MemoryStore::default())
            }
            (SessionStoreKind::Postgres, Some(SharedLink::Postgres(pg))) => {
                // Instances starting together would race to create the table.
                let mut lock = pg.acquire().await?;
                sqlx::query("SELECT pg_advisory_lock(4242)").execute(&mut *lock).await?;
                let opened = SqlRecords::open(&Db::Postgres(pg.clone())).await;
                sqlx::query("SELECT pg_advisory_unlock(4242)")
                    .execute(&mut *lock)
                    .await?;
                Backend::Postgres(opened?)
            }
            (SessionStoreKind::Redis, Some(SharedLink::Redis(redis))) => {
                let client =
                    tower_sessions_redis_store::fred::prelude::Builder::from_config(redis.clone()).build_pool(4)?;
                tokio::time::timeout(CONNECT_DEADLINE, client.init())
                    .await
                    .map_err(|_| anyhow::anyhow!("Redis session store: no answer within {CONNECT_DEADLINE:?}"))?
                    .map_err(|err| anyhow::anyhow!("Redis session store: {err}"))?;
                Backend::Redis(RedisStore::new(client))
            }
            (kind, _) => anyhow::bail!("the {kind:?} session store needs its connection"),
        };
        let memory = matches!(backend, Backend::Memory(_));
        let store = AppSessionStore {
            backend,
            index: db.clone(),
            absolute_ttl: absolute_ttl_secs as i64,
            cache: if memory { Arc::new(Cache::new(0)) } else { cache },
            bus,
            instance: memory.then(|| instance.to_owned()),
        };
        store.index_unindexed().await?;
        Ok(store)
    }

    /// A store of this process alone (SQLite or memory), as the tests and
    /// benches build one.
    pub async fn standalone(
        kind: SessionStoreKind,
        db: &Db,
        absolute_ttl_secs: u64,
        cache_entries: usize,
    ) -> anyhow::Result<Self> {
        let cache = Arc::new(Cache::new(cache_entries));
        Self::new(kind, db, None, absolute_ttl_secs, cache, Arc::default(), "standalone").await
    }

    /// The cache in front of the records (the bus's listener forgets in it).
    pub fn cache(&self) -> &Arc<Cache<Id, Record>> {
        &self.cache
    }

    /// Indexes the logged-in records that have no index row: sessions made
    /// before the index existed. Without this they could be neither listed
    /// nor revoked, and would stay logged in through a forced logout.
    async fn index_unindexed(&self) -> anyhow::Result<()> {
        let Backend::Sqlite(_, pool) = &self.backend else {
            return Ok(());
        };
        let ids: Vec<String> =
            sqlx::query_scalar("SELECT id FROM tower_sessions WHERE id NOT IN (SELECT session_id FROM session_logins)")
                .fetch_all(pool)
                .await?;
        for id in ids.iter().filter_map(|id| id.parse::<Id>().ok()) {
            if let Some(record) = self.backend().load(&id).await? {
                if let Some(auth) = auth_of(&record) {
                    self.index_insert(&record, &auth).await?;
                }
            }
        }
        Ok(())
    }

    /// Whether the store answers: one lookup of an id no record has, and
    /// one read of the login index (readiness, `/readyz`).
    pub async fn check_ready(&self) -> session_store::Result<()> {
        self.backend().load(&Id::default()).await?;
        on_db!(&self.index, |pool| sqlx::query("SELECT 1 FROM session_logins LIMIT 1")
            .execute(pool)
            .await
            .map(|done| done.rows_affected()))
        .map_err(backend_error)?;
        Ok(())
    }

    pub fn describe(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite(..) => "SQLite table tower_sessions",
            Backend::Memory(_) => "process memory",
            Backend::Postgres(_) => "PostgreSQL table tower_sessions.session",
            Backend::Redis(_) => "Redis",
        }
    }

    /// Whether every instance sees the same records.
    pub fn is_shared(&self) -> bool {
        matches!(self.backend, Backend::Postgres(_) | Backend::Redis(_))
    }

    /// Whether the store itself holds the record (the cache not asked).
    pub async fn holds(&self, id: &Id) -> session_store::Result<bool> {
        Ok(self.backend().load(id).await?.is_some())
    }

    /// Whether the record is in the cache now: its next load costs no query.
    pub fn is_cached(&self, id: &Id) -> bool {
        self.cache.contains(id)
    }

    /// The login in a cached, unexpired record, read where it is cached:
    /// what [`Self::load`] and `Session::get` would give, without copying
    /// the record for the session and its value again for the caller.
    /// `None` otherwise: then the session loads it as before.
    pub fn cached_auth(&self, id: &Id) -> Option<SessionAuth> {
        let now = time::OffsetDateTime::now_utc();
        self.cache
            .read_with(id, |record| (record.expiry_date > now).then(|| auth_of(record))?)
            .flatten()
    }

    /// How many records the cache holds.
    pub fn cached_records(&self) -> usize {
        self.cache.len()
    }

    /// The live records' rows and bytes (logged-in or not). SQLite: the
    /// stored id, data and expiry; the other stores: the logged-in records
    /// of this index, each encoded as the stores encode it (MessagePack):
    /// the memory map cannot be listed, and a shared store holds other
    /// databases' records too.
    pub async fn footprint(&self, now: i64) -> session_store::Result<(i64, i64)> {
        match &self.backend {
            // The store writes its expiry as RFC 3339 text; it compares it so too.
            Backend::Sqlite(_, pool) => sqlx::query_as(
                "SELECT COUNT(*),
                        COALESCE(SUM(LENGTH(CAST(id AS BLOB)) + LENGTH(data) + LENGTH(CAST(expiry_date AS BLOB))), 0)
                 FROM tower_sessions WHERE datetime(expiry_date) > datetime('now')",
            )
            .fetch_one(pool)
            .await
            .map_err(backend_error),
            _ => {
                let store = self.backend();
                let ids: Vec<String> = on_db!(&self.index, |pool| sqlx::query_scalar(
                    "SELECT session_id FROM session_logins WHERE expires_at > $1"
                )
                .bind(now)
                .fetch_all(pool)
                .await)
                .map_err(backend_error)?;
                let (mut rows, mut bytes) = (0, 0);
                for id in ids.iter().filter_map(|id| id.parse::<Id>().ok()) {
                    if let Some(record) = store.load(&id).await? {
                        rows += 1;
                        bytes += rmp_serde::to_vec(&record)
                            .map_err(|err| session_store::Error::Encode(err.to_string()))?
                            .len() as i64;
                    }
                }
                Ok((rows, bytes))
            }
        }
    }

    /// Deletes expired records and their index rows now and then; expired
    /// ones are never loaded in between, since every store checks the
    /// expiry on load and every listing checks `expires_at`.
    pub async fn delete_expired(&self, now: i64) -> session_store::Result<u64> {
        match &self.backend {
            Backend::Sqlite(store, _) => store.delete_expired().await?,
            Backend::Postgres(store) => store.delete_expired().await?,
            // Memory drops expired records when they are loaded; Redis
            // expires them itself.
            Backend::Memory(_) | Backend::Redis(_) => {}
        }
        let deleted = on_db!(&self.index, |pool| sqlx::query(
            "DELETE FROM session_logins WHERE expires_at <= $1"
        )
        .bind(now)
        .execute(pool)
        .await
        .map(|done| done.rows_affected()))
        .map_err(backend_error)?;
        Ok(deleted)
    }

    /// Deletes the given sessions of `user_id` (all of them but `except`
    /// when `public_id` is `None`). Answers how many were live.
    pub async fn revoke(
        &self,
        user_id: i64,
        public_id: Option<&str>,
        except_session_id: Option<&str>,
    ) -> session_store::Result<u64> {
        // The index row goes first: from then on no save can bring the record back.
        let session_ids: Vec<String> = on_db!(&self.index, |pool| sqlx::query_scalar(
            "DELETE FROM session_logins
             WHERE user_id = $1 AND ($2 IS NULL OR public_id = $3) AND ($4 IS NULL OR session_id <> $5)
             RETURNING session_id",
        )
        .bind(user_id)
        .bind(public_id)
        .bind(public_id)
        .bind(except_session_id)
        .bind(except_session_id)
        .fetch_all(pool)
        .await)
        .map_err(backend_error)?;
        for session_id in &session_ids {
            if let Ok(id) = session_id.parse::<Id>() {
                self.delete_record(&id).await?;
            }
        }
        Ok(session_ids.len() as u64)
    }

    /// Deletes a record from the store and from every instance's cache,
    /// without the index.
    async fn delete_record(&self, id: &Id) -> session_store::Result<()> {
        let deleted = self.backend().delete(id).await;
        self.cache.forget(id);
        self.bus.announce(Forget::Session(*id)).await;
        deleted
    }

    /// The store that holds the records, without the index and the cache.
    fn backend(&self) -> &dyn SessionStore {
        match &self.backend {
            Backend::Sqlite(store, _) => store,
            Backend::Memory(store) => store,
            Backend::Postgres(store) => store,
            Backend::Redis(store) => store,
        }
    }

    fn index_expiry(&self, record: &Record, auth: &SessionAuth) -> i64 {
        record
            .expiry_date
            .unix_timestamp()
            .min(auth.login_at + self.absolute_ttl)
    }

    async fn index_insert(&self, record: &Record, auth: &SessionAuth) -> session_store::Result<()> {
        on_db!(&self.index, |pool| sqlx::query(
            "INSERT INTO session_logins
                 (session_id, public_id, user_id, created_at, login_order, last_seen_at, expires_at, ip, user_agent, instance)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
             ON CONFLICT (session_id) DO UPDATE SET
                 last_seen_at = excluded.last_seen_at, expires_at = excluded.expires_at",
        )
        .bind(record.id.to_string())
        .bind(uuid::Uuid::new_v4().to_string())
        .bind(auth.user_id)
        .bind(auth.login_at)
        .bind(auth.login_order)
        .bind(auth.last_seen_at)
        .bind(self.index_expiry(record, auth))
        .bind(&auth.ip)
        .bind(&auth.user_agent)
        .bind(&self.instance)
        .execute(pool)
        .await
        .map(|done| done.rows_affected()))
        .map_err(backend_error)?;
        Ok(())
    }

    async fn is_indexed(&self, id: &Id) -> session_store::Result<bool> {
        let found: Option<i32> = on_db!(&self.index, |pool| sqlx::query_scalar(
            "SELECT 1 FROM session_logins WHERE session_id = $1"
        )
        .bind(id.to_string())
        .fetch_optional(pool)
        .await)
        .map_err(backend_error)?;
        Ok(found.is_some())
    }
}

#[async_trait]
impl SessionStore for AppSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        self.backend().create(record).await?;
        if let Some(auth) = auth_of(record) {
            self.index_insert(record, &auth).await?;
        }
        self.cache.put(record.id, record.clone());
        Ok(())
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let Some(auth) = auth_of(record) else {
            self.backend().save(record).await?;
            self.cache.put(record.id, record.clone());
            return Ok(());
        };
        // A logged-in record is saved only while its index row lives: a
        // login always creates a new record (`cycle_id`), so a missing row
        // means the session was revoked while this request ran.
        let still_live = on_db!(&self.index, |pool| sqlx::query(
            "UPDATE session_logins SET last_seen_at = $1, expires_at = $2 WHERE session_id = $3"
        )
        .bind(auth.last_seen_at)
        .bind(self.index_expiry(record, &auth))
        .bind(record.id.to_string())
        .execute(pool)
        .await
        .map(|done| done.rows_affected()))
        .map_err(backend_error)?
            == 1;
        if !still_live {
            return Ok(());
        }
        self.backend().save(record).await?;
        self.cache.put(record.id, record.clone());
        // A revocation between the check and the write: undo the write.
        if !self.is_indexed(&record.id).await? {
            self.delete_record(&record.id).await?;
        }
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        if let Some(record) = self.cache.get(id) {
            if record.expiry_date > time::OffsetDateTime::now_utc() {
                return Ok(Some(record));
            }
            self.cache.forget(id);
            return Ok(None);
        }
        let since = self.cache.generation();
        let record = self.backend().load(id).await?;
        // Another instance cannot delete this process's memory: a forced
        // logout through it deletes the index row, which counts here.
        if let (Backend::Memory(_), Some(record)) = (&self.backend, &record) {
            if auth_of(record).is_some() && !self.is_indexed(id).await? {
                self.backend().delete(id).await?;
                return Ok(None);
            }
        }
        if let Some(record) = &record {
            self.cache.fill(since, *id, record.clone());
        }
        Ok(record)
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        on_db!(&self.index, |pool| sqlx::query(
            "DELETE FROM session_logins WHERE session_id = $1"
        )
        .bind(id.to_string())
        .execute(pool)
        .await
        .map(|done| done.rows_affected()))
        .map_err(backend_error)?;
        self.delete_record(id).await
    }
}
