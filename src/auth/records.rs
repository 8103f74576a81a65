//! The session records in a SQL table: SQLite's `tower_sessions`, or
//! PostgreSQL's `tower_sessions.session`. The table, the record's encoding
//! (MessagePack) and the expiry's (sqlx's `OffsetDateTime`) are those of
//! the sqlx store of tower-sessions that this replaced, so a database it
//! wrote keeps its sessions. Owning these few statements spares every
//! build that crate, which turned on sqlx's compile-time macros and their
//! copy of the drivers for the build machine.

use crate::{db::Db, on_db};
use async_trait::async_trait;
use time::OffsetDateTime;
use tower_sessions::{
    session::{Id, Record},
    session_store::{self, Error},
    SessionStore,
};

/// One dialect's statements on its table.
#[derive(Debug)]
struct Statements {
    /// Inserts a record unless its id is taken (then nothing).
    insert: &'static str,
    upsert: &'static str,
    load: &'static str,
    delete: &'static str,
    delete_expired: &'static str,
}

/// The statements on `$table`: the same SQL text serves both dialects.
macro_rules! statements {
    ($table:literal) => {
        Statements {
            insert: concat!(
                "INSERT INTO ",
                $table,
                " (id, data, expiry_date) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING"
            ),
            upsert: concat!(
                "INSERT INTO ",
                $table,
                " (id, data, expiry_date) VALUES ($1, $2, $3)
                 ON CONFLICT (id) DO UPDATE SET data = excluded.data, expiry_date = excluded.expiry_date"
            ),
            load: concat!("SELECT data FROM ", $table, " WHERE id = $1 AND expiry_date > $2"),
            delete: concat!("DELETE FROM ", $table, " WHERE id = $1"),
            delete_expired: concat!("DELETE FROM ", $table, " WHERE expiry_date <= $1"),
        }
    };
}

const SQLITE: Statements = statements!("tower_sessions");
const POSTGRES: Statements = statements!("tower_sessions.session");

/// The records of one database's session table.
#[derive(Debug, Clone)]
pub struct SqlRecords {
    db: Db,
    sql: &'static Statements,
}

/// A database error as the session store reports it.
pub(super) fn backend_error(err: sqlx::Error) -> Error {
    Error::Backend(err.to_string())
}

impl SqlRecords {
    /// The table in `db`, created if missing. On PostgreSQL the caller
    /// serialises instances that start together (`CREATE … IF NOT EXISTS`
    /// can race there).
    pub async fn open(db: &Db) -> sqlx::Result<Self> {
        let sql = match db {
            Db::Sqlite(pool) => {
                // `integer` as the old store declared it; SQLite keeps the text sqlx writes.
                sqlx::query(
                    "CREATE TABLE IF NOT EXISTS tower_sessions
                     (id TEXT PRIMARY KEY NOT NULL, data BLOB NOT NULL, expiry_date INTEGER NOT NULL)",
                )
                .execute(pool)
                .await?;
                &SQLITE
            }
            Db::Postgres(pool) => {
                sqlx::query("CREATE SCHEMA IF NOT EXISTS tower_sessions")
                    .execute(pool)
                    .await?;
                sqlx::query(
                    "CREATE TABLE IF NOT EXISTS tower_sessions.session
                     (id TEXT PRIMARY KEY NOT NULL, data BYTEA NOT NULL, expiry_date TIMESTAMPTZ NOT NULL)",
                )
                .execute(pool)
                .await?;
                &POSTGRES
            }
        };
        Ok(SqlRecords { db: db.clone(), sql })
    }

    /// Deletes the records whose expiry has passed.
    pub async fn delete_expired(&self) -> session_store::Result<()> {
        on_db!(&self.db, |pool| sqlx::query(self.sql.delete_expired)
            .bind(OffsetDateTime::now_utc())
            .execute(pool)
            .await
            .map(|done| done.rows_affected()))
        .map_err(backend_error)?;
        Ok(())
    }

    /// Writes the record with `statement` (insert or upsert); answers
    /// whether a row was written.
    async fn write(&self, statement: &'static str, record: &Record) -> session_store::Result<bool> {
        let data = rmp_serde::to_vec(record).map_err(|err| Error::Encode(err.to_string()))?;
        let written = on_db!(&self.db, |pool| sqlx::query(statement)
            .bind(record.id.to_string())
            .bind(&data)
            .bind(record.expiry_date)
            .execute(pool)
            .await
            .map(|done| done.rows_affected()))
        .map_err(backend_error)?;
        Ok(written == 1)
    }
}

#[async_trait]
impl SessionStore for SqlRecords {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        // An id is 128 random bits: a taken one is drawn again, never overwritten.
        while !self.write(self.sql.insert, record).await? {
            record.id = Id::default();
        }
        Ok(())
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        self.write(self.sql.upsert, record).await.map(drop)
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let data: Option<Vec<u8>> = on_db!(&self.db, |pool| sqlx::query_scalar(self.sql.load)
            .bind(id.to_string())
            .bind(OffsetDateTime::now_utc())
            .fetch_optional(pool)
            .await)
        .map_err(backend_error)?;
        data.map(|data| rmp_serde::from_slice(&data).map_err(|err| Error::Decode(err.to_string())))
            .transpose()
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        on_db!(&self.db, |pool| sqlx::query(self.sql.delete)
            .bind(id.to_string())
            .execute(pool)
            .await
            .map(|done| done.rows_affected()))
        .map_err(backend_error)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::Duration;

    fn record(expiry: OffsetDateTime) -> Record {
        Record {
            id: Id::default(),
            data: [("auth".to_owned(), serde_json::json!({"user_id": 1}))].into(),
            expiry_date: expiry,
        }
    }

    #[tokio::test]
    async fn records_round_trip_expire_and_never_overwrite_another() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::connect(&format!("sqlite://{}/records.db", dir.path().display()))
            .await
            .unwrap();
        let records = SqlRecords::open(&db).await.unwrap();
        let now = OffsetDateTime::now_utc();

        let mut live = record(now + Duration::hours(1));
        records.create(&mut live).await.unwrap();
        assert_eq!(records.load(&live.id).await.unwrap().as_ref(), Some(&live));

        // A new record whose id is taken gets another id; the first is kept.
        let mut twin = record(now + Duration::hours(2));
        twin.id = live.id;
        records.create(&mut twin).await.unwrap();
        assert_ne!(twin.id, live.id);
        assert_eq!(records.load(&live.id).await.unwrap().as_ref(), Some(&live));

        live.data.insert("seen".to_owned(), serde_json::json!(2));
        records.save(&live).await.unwrap();
        assert_eq!(records.load(&live.id).await.unwrap().as_ref(), Some(&live));

        // Expired by a second: not loaded, then deleted; the live ones stay.
        let mut expired = record(now - Duration::seconds(1));
        records.create(&mut expired).await.unwrap();
        assert_eq!(records.load(&expired.id).await.unwrap(), None);
        let rows = || async {
            let Db::Sqlite(pool) = &db else { unreachable!() };
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM tower_sessions")
                .fetch_one(pool)
                .await
                .unwrap()
        };
        assert_eq!(rows().await, 3);
        records.delete_expired().await.unwrap();
        assert_eq!(rows().await, 2);

        records.delete(&live.id).await.unwrap();
        assert_eq!(records.load(&live.id).await.unwrap(), None);
        assert!(records.load(&twin.id).await.unwrap().is_some());
    }
}
