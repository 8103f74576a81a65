//! The SQLite pool, migrations, and the queries on `users`.

use crate::{auth::password::PasswordPool, error::AppError, model::Role};
use sqlx::{
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
    SqlitePool,
};
use std::{str::FromStr, time::Duration};

/// A transaction that reads and then writes. SQLite's default (deferred)
/// transaction takes the write lock only at its first write; if another
/// connection wrote in between, the upgrade fails at once with "database is
/// locked", whatever the busy timeout. `IMMEDIATE` takes the write lock
/// first, so concurrent writers wait their turn instead (seen: a role change
/// while the race's clients refreshed, under schemathesis).
pub async fn begin_write(pool: &SqlitePool) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, sqlx::Error> {
    pool.begin_with("BEGIN IMMEDIATE").await
}

/// The database file a URL names; `None` for an in-memory database.
pub fn file_of(url: &str) -> anyhow::Result<Option<std::path::PathBuf>> {
    let options = SqliteConnectOptions::from_str(url)?;
    let file = options.get_filename();
    Ok((!file.as_os_str().is_empty() && file.as_os_str() != ":memory:").then(|| file.to_path_buf()))
}

/// Opens (creating if needed) the database and brings its schema up to date.
pub async fn connect(url: &str) -> anyhow::Result<SqlitePool> {
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
    sqlx::migrate!().run(&pool).await?;
    Ok(pool)
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

pub async fn find_user_by_name(pool: &SqlitePool, username: &str) -> Result<Option<UserRow>, AppError> {
    Ok(
        sqlx::query_as("SELECT id, username, password_hash, role FROM users WHERE username = ?")
            .bind(username)
            .fetch_optional(pool)
            .await?,
    )
}

pub async fn find_user_by_id(pool: &SqlitePool, id: i64) -> Result<Option<UserRow>, AppError> {
    Ok(
        sqlx::query_as("SELECT id, username, password_hash, role FROM users WHERE id = ?")
            .bind(id)
            .fetch_optional(pool)
            .await?,
    )
}

/// Answers the new user's id, or `None` when the name is taken (in any case).
pub async fn insert_user(
    pool: &SqlitePool,
    username: &str,
    password_hash: &str,
    role: Role,
    now: i64,
) -> Result<Option<i64>, AppError> {
    let result = sqlx::query("INSERT INTO users (username, password_hash, role, created_at) VALUES (?, ?, ?, ?)")
        .bind(username)
        .bind(password_hash)
        .bind(role.as_str())
        .bind(now)
        .execute(pool)
        .await;
    match result {
        Ok(done) => Ok(Some(done.last_insert_rowid())),
        // The UNIQUE NOCASE constraint decides, so two racing sign-ups cannot both win.
        Err(err) if err.as_database_error().is_some_and(|db| db.is_unique_violation()) => Ok(None),
        Err(err) => Err(err.into()),
    }
}

pub async fn record_login(pool: &SqlitePool, user_id: i64, now: i64) -> Result<(), AppError> {
    sqlx::query("UPDATE users SET last_login_at = ? WHERE id = ?")
        .bind(now)
        .bind(user_id)
        .execute(pool)
        .await?;
    Ok(())
}

pub const DEMO_USERS: [(&str, &str, Role); 3] = [
    ("alice", "alice-password", Role::User),
    ("bob", "bob-password", Role::User),
    ("admin", "admin-password", Role::Admin),
];

/// Seeds the demo accounts, but only into a database without users.
pub async fn seed_demo_users(pool: &SqlitePool, passwords: &PasswordPool, now: i64) -> Result<bool, AppError> {
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(pool).await?;
    if count > 0 {
        return Ok(false);
    }
    for (username, password, role) in DEMO_USERS {
        let hash = passwords.hash(password.to_string()).await?;
        insert_user(pool, username, &hash, role, now).await?;
    }
    Ok(true)
}
