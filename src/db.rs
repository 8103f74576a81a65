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
    error::BoxDynError,
    migrate::{MigrateError, Migration, MigrationSource, MigrationType, Migrator},
    postgres::PgPoolOptions,
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
    PgPool, SqlitePool,
};
use std::{borrow::Cow, future::Future, pin::Pin, str::FromStr, time::Duration};

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

/// A struct of query results, read by column name from a row of either
/// driver: what `#[derive(sqlx::FromRow)]` gives, without sqlx's proc
/// macros (a clean build then skips them and the copy of the drivers they
/// link at build time).
#[macro_export]
macro_rules! sql_row {
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident {
            $($(#[$field_meta:meta])* $field_vis:vis $field:ident: $ty:ty),* $(,)?
        }
    ) => {
        $(#[$meta])*
        $vis struct $name {
            $($(#[$field_meta])* $field_vis $field: $ty),*
        }

        impl<'r, R: ::sqlx::Row> ::sqlx::FromRow<'r, R> for $name
        where
            &'r str: ::sqlx::ColumnIndex<R>,
            $($ty: ::sqlx::Decode<'r, R::Database> + ::sqlx::Type<R::Database>,)*
        {
            fn from_row(row: &'r R) -> Result<Self, ::sqlx::Error> {
                Ok($name {
                    $($field: row.try_get(stringify!($field))?),*
                })
            }
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

/// Each dialect's migrations, compiled in (the binary carries its schema):
/// the files of `migrations/<dialect>`, by name without `.sql`.
macro_rules! migrations {
    ($dialect:literal: $($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../migrations/", $dialect, "/", $name, ".sql")))),*]
    };
}
pub const SQLITE_MIGRATIONS: Migrations = migrations!("sqlite":
    "20261123000000_users_and_refresh_tokens",
    "20261123000100_posts",
    "20261123000200_logins_and_audit",
    "20261124000000_audit_detail_data",
    "20261125000000_session_instance",
);
pub const POSTGRES_MIGRATIONS: Migrations = migrations!("postgres":
    "20261123000000_users_and_refresh_tokens",
    "20261123000100_posts",
    "20261123000200_logins_and_audit",
    "20261124000000_audit_detail_data",
    "20261125000000_session_instance",
);

/// Migration files as `(name, SQL)`, the name `<version>_<description>`.
pub type Migrations = &'static [(&'static str, &'static str)];

/// Embedded migrations, read as sqlx reads a folder of them (the version
/// before the first `_`, the rest with spaces for `_`), so their checksums
/// are what a database migrated from the files recorded.
#[derive(Debug)]
struct Embedded(Migrations);

impl MigrationSource<'static> for Embedded {
    fn resolve(self) -> Pin<Box<dyn Future<Output = Result<Vec<Migration>, BoxDynError>> + Send>> {
        Box::pin(async move {
            self.0
                .iter()
                .map(|(name, sql)| {
                    let (version, description) = name
                        .split_once('_')
                        .ok_or("a migration needs <version>_<description>")?;
                    Ok(Migration::new(
                        version.parse()?,
                        Cow::Owned(description.replace('_', " ")),
                        MigrationType::Simple,
                        Cow::Borrowed(*sql),
                        sql.starts_with("-- no-transaction"),
                    ))
                })
                .collect()
        })
    }
}

/// The migrator of one dialect's embedded migrations.
pub async fn migrator(migrations: Migrations) -> Result<Migrator, MigrateError> {
    Migrator::new(Embedded(migrations)).await
}

impl Db {
    /// Opens the database the URL names (`sqlite://file` is created if
    /// missing; `postgres://host/database` must exist) and brings its
    /// schema up to date.
    pub async fn connect(url: &str) -> anyhow::Result<Db> {
        if is_postgres_url(url) {
            let pool = postgres_pool(url, 16, "PostgreSQL database").await?;
            // The migrator locks the database, so instances may start together.
            migrator(POSTGRES_MIGRATIONS).await?.run(&pool).await?;
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
        migrator(SQLITE_MIGRATIONS).await?.run(&pool).await?;
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

crate::sql_row! {
    #[derive(Clone)]
    pub struct UserRow {
        pub id: i64,
        pub username: String,
        pub password_hash: String,
        pub role: String,
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The embedded lists are the folders, read as sqlx reads them: a file
    /// added to a folder but not to its list (or parsed otherwise) fails here.
    #[tokio::test]
    async fn embedded_migrations_are_the_folders() {
        for (dialect, embedded) in [("sqlite", SQLITE_MIGRATIONS), ("postgres", POSTGRES_MIGRATIONS)] {
            let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("migrations")
                .join(dialect);
            let from_files = Migrator::new(folder).await.unwrap();
            let compiled = migrator(embedded).await.unwrap();
            let key = |migrator: &Migrator| {
                migrator
                    .iter()
                    .map(|m| (m.version, m.description.to_string(), m.checksum.to_vec(), m.no_tx))
                    .collect::<Vec<_>>()
            };
            assert_eq!(key(&compiled), key(&from_files), "{dialect}");
            assert!(!compiled.iter().next().unwrap().sql.is_empty());
        }
    }
}
