//! The database (SQLite or PostgreSQL), its migrations, and the queries on
//! `users`.
//!
//! Every query is one SQL text that both dialects run: binds are numbered
//! (`$1`, `$2`, ...: sqlx's SQLite driver binds those by number too), new
//! rows answer their id with `RETURNING`, integers are 64-bit on both
//! sides, and usernames compare without regard to case on both (SQLite's
//! `COLLATE NOCASE`, PostgreSQL's collation `nocase`). [`on_db!`] runs such
//! a text on whichever pool this is; the few things the dialects do not
//! share sit behind [`WritePool`] and the migrations of each dialect
//! (`migrations/sqlite`, `migrations/postgres`, with the same versions).

use crate::{auth::password::PasswordPool, error::AppError, model::Role};
use sqlx::{
    postgres::PgPoolOptions,
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
    PgPool, SqlitePool,
};
use std::{str::FromStr, time::Duration};

/// A database that does not answer by then stops the start with a message,
/// instead of a server that hangs before it listens.
pub const CONNECT_DEADLINE: Duration = Duration::from_secs(10);

/// The app's database: every table (users, posts, refresh families and
/// tokens, the session index, the audit trail) lives in one of these.
#[derive(Debug, Clone)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Runs `$body` with `$pool` bound to the concrete pool of a [`Db`]: the
/// body is written once and compiled for each driver, so one SQL text
/// serves both and a bind that one driver cannot encode fails the build.
#[macro_export]
macro_rules! on_db {
    // Written like a closure so that rustfmt formats the body; it is not one.
    ($db:expr, |$pool:ident| $body:expr) => {
        match $db {
            $crate::db::Db::Sqlite($pool) => $body,
            $crate::db::Db::Postgres($pool) => $body,
        }
    };
}

/// A transaction that reads and then writes, as each dialect needs it.
pub trait WritePool {
    type Database: sqlx::Database;
    fn begin_write(
        &self,
    ) -> impl std::future::Future<Output = Result<sqlx::Transaction<'static, Self::Database>, sqlx::Error>> + Send;
}

impl WritePool for SqlitePool {
    type Database = sqlx::Sqlite;
    /// SQLite's default (deferred) transaction takes the write lock only at
    /// its first write; if another connection wrote in between, the upgrade
    /// fails at once with "database is locked", whatever the busy timeout.
    /// `IMMEDIATE` takes the write lock first, so concurrent writers wait
    /// their turn instead (seen: a role change while the race's clients
    /// refreshed, under schemathesis).
    fn begin_write(
        &self,
    ) -> impl std::future::Future<Output = Result<sqlx::Transaction<'static, sqlx::Sqlite>, sqlx::Error>> + Send {
        self.begin_with("BEGIN IMMEDIATE")
    }
}

/// The key of the lock that [`WritePool::begin_write`] takes in PostgreSQL.
const WRITE_LOCK: i64 = 0x4155_5448_4c41_4201;

impl WritePool for PgPool {
    type Database = sqlx::Postgres;
    /// PostgreSQL locks rows, not the database, so two transactions could
    /// both read "two admins left" and both demote one. A lock held until
    /// the transaction ends serialises the read-then-write transactions as
    /// SQLite's `IMMEDIATE` does; other statements are not held up.
    fn begin_write(
        &self,
    ) -> impl std::future::Future<Output = Result<sqlx::Transaction<'static, sqlx::Postgres>, sqlx::Error>> + Send {
        let pool = self.clone();
        async move {
            let mut tx = pool.begin().await?;
            sqlx::query("SELECT pg_advisory_xact_lock($1)")
                .bind(WRITE_LOCK)
                .execute(&mut *tx)
                .await?;
            Ok(tx)
        }
    }
}

/// A pool on the PostgreSQL server `url` names; `what` names it in the
/// message when it does not answer within [`CONNECT_DEADLINE`].
pub async fn postgres_pool(url: &str, connections: u32, what: &str) -> anyhow::Result<PgPool> {
    PgPoolOptions::new()
        .max_connections(connections)
        .acquire_timeout(CONNECT_DEADLINE)
        .connect(url)
        .await
        .map_err(|err| anyhow::anyhow!("{what}: {err}"))
}

pub fn is_postgres_url(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

/// The database file a URL names; `None` for an in-memory SQLite database
/// and for PostgreSQL.
pub fn file_of(url: &str) -> anyhow::Result<Option<std::path::PathBuf>> {
    if is_postgres_url(url) {
        return Ok(None);
    }
    let options = SqliteConnectOptions::from_str(url)?;
    let file = options.get_filename();
    Ok((!file.as_os_str().is_empty() && file.as_os_str() != ":memory:").then(|| file.to_path_buf()))
}

impl Db {
    /// Opens the database the URL names (`sqlite://file` is created if
    /// missing; `postgres://host/database` must exist) and brings its
    /// schema up to date.
    pub async fn connect(url: &str) -> anyhow::Result<Db> {
        if is_postgres_url(url) {
            let pool = postgres_pool(url, 16, "PostgreSQL database").await?;
            // The migrator locks the database, so instances may start together.
            sqlx::migrate!("migrations/postgres").run(&pool).await?;
            return Ok(Db::Postgres(pool));
        }
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5));
        if let Some(dir) = options.get_filename().parent() {
            if !dir.as_os_str().is_empty() {
                std::fs::create_dir_all(dir)?;
            }
        }
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await?;
        sqlx::migrate!("migrations/sqlite").run(&pool).await?;
        Ok(Db::Sqlite(pool))
    }

    pub fn postgres(&self) -> Option<&PgPool> {
        match self {
            Db::Postgres(pool) => Some(pool),
            Db::Sqlite(_) => None,
        }
    }

    /// Closes every connection: later queries fail (what `/readyz` reports).
    pub async fn close(&self) {
        on_db!(self, |pool| pool.close().await)
    }

    /// "SQLite" or "PostgreSQL", as pages name it.
    pub fn engine(&self) -> &'static str {
        match self {
            Db::Sqlite(_) => "SQLite",
            Db::Postgres(_) => "PostgreSQL",
        }
    }
}

#[derive(Clone, sqlx::FromRow)]
pub struct UserRow {
    pub id: i64,
    pub username: String,
    pub password_hash: String,
    pub role: String,
}

impl std::fmt::Debug for UserRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserRow")
            .field("id", &self.id)
            .field("username", &self.username)
            .field("password_hash", &crate::auth::REDACTED)
            .field("role", &self.role)
            .finish()
    }
}

impl UserRow {
    pub fn role(&self) -> Role {
        // The table's CHECK constraint admits only these two.
        Role::parse(&self.role).unwrap_or(Role::User)
    }
}

pub async fn find_user_by_name(db: &Db, username: &str) -> Result<Option<UserRow>, AppError> {
    let query = "SELECT id, username, password_hash, role FROM users WHERE username = $1";
    Ok(on_db!(db, |pool| sqlx::query_as(query)
        .bind(username)
        .fetch_optional(pool)
        .await)?)
}

pub async fn find_user_by_id(db: &Db, id: i64) -> Result<Option<UserRow>, AppError> {
    let query = "SELECT id, username, password_hash, role FROM users WHERE id = $1";
    Ok(on_db!(db, |pool| sqlx::query_as(query)
        .bind(id)
        .fetch_optional(pool)
        .await)?)
}

/// Answers the new user's id, or `None` when the name is taken (in any case).
pub async fn insert_user(
    db: &Db,
    username: &str,
    password_hash: &str,
    role: Role,
    now: i64,
) -> Result<Option<i64>, AppError> {
    let query = "INSERT INTO users (username, password_hash, role, created_at) VALUES ($1, $2, $3, $4) RETURNING id";
    let result: Result<i64, sqlx::Error> = on_db!(db, |pool| sqlx::query_scalar(query)
        .bind(username)
        .bind(password_hash)
        .bind(role.as_str())
        .bind(now)
        .fetch_one(pool)
        .await);
    match result {
        Ok(id) => Ok(Some(id)),
        // The UNIQUE NOCASE constraint decides, so two racing sign-ups cannot both win.
        Err(err) if err.as_database_error().is_some_and(|db| db.is_unique_violation()) => Ok(None),
        Err(err) => Err(err.into()),
    }
}

pub async fn record_login(db: &Db, user_id: i64, now: i64) -> Result<(), AppError> {
    let query = "UPDATE users SET last_login_at = $1 WHERE id = $2";
    on_db!(db, |pool| sqlx::query(query)
        .bind(now)
        .bind(user_id)
        .execute(pool)
        .await
        .map(|done| done.rows_affected()))?;
    Ok(())
}

pub const DEMO_USERS: [(&str, &str, Role); 3] = [
    ("alice", "alice-password", Role::User),
    ("bob", "bob-password", Role::User),
    ("admin", "admin-password", Role::Admin),
];

/// Seeds the demo accounts, but only into a database without users.
pub async fn seed_demo_users(db: &Db, passwords: &PasswordPool, now: i64) -> Result<bool, AppError> {
    let count: i64 = on_db!(db, |pool| sqlx::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(pool)
        .await)?;
    if count > 0 {
        return Ok(false);
    }
    for (username, password, role) in DEMO_USERS {
        let hash = passwords.hash(password.to_string()).await?;
        insert_user(db, username, &hash, role, now).await?;
    }
    Ok(true)
}
