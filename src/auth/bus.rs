//! Tells every instance that shares a session store what to forget from its
//! caches: Redis publish/subscribe for the Redis store, PostgreSQL
//! `LISTEN/NOTIFY` for the PostgreSQL store. A forced logout or a role
//! change on one instance then clears the copies on all of them, instead of
//! leaving them to a TTL.
//!
//! An instance subscribes before it serves, and empties its caches whenever
//! its subscription had to reconnect (it may have missed a message then).

use super::{cache::Cache, cache::UserCache, session::SharedLink};
use sqlx::{postgres::PgListener, PgPool};
use std::sync::Arc;
use tower_sessions::session::{Id, Record};
use tower_sessions_redis_store::fred::{
    clients::{Client as RedisClient, SubscriberClient},
    prelude::{Builder, ClientLike, EventInterface, PubsubInterface},
};

/// The channel, in Redis and in PostgreSQL alike.
pub const CHANNEL: &str = "authlab_forget";

/// What every instance must drop from its caches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Forget {
    /// A session record: deleted by a logout or a forced logout.
    Session(Id),
    /// A user: their role or name changed.
    User(i64),
}

impl Forget {
    fn encode(self) -> String {
        match self {
            Forget::Session(id) => format!("s {id}"),
            Forget::User(id) => format!("u {id}"),
        }
    }

    fn decode(text: &str) -> Option<Self> {
        match text.split_once(' ')? {
            ("s", id) => id.parse().ok().map(Forget::Session),
            ("u", id) => id.parse().ok().map(Forget::User),
            _ => None,
        }
    }
}

/// The caches a message is applied to.
#[derive(Debug, Clone)]
pub struct Caches {
    pub sessions: Arc<Cache<Id, Record>>,
    pub users: Arc<UserCache>,
}

impl Caches {
    fn apply(&self, message: &str) {
        match Forget::decode(message) {
            Some(Forget::Session(id)) => self.sessions.forget(&id),
            Some(Forget::User(id)) => self.users.forget_here(id),
            None => tracing::warn!(message, "ignored a message on the cache bus"),
        }
    }

    fn clear(&self) {
        self.sessions.clear();
        self.users.clear();
    }
}

#[derive(Debug, Default)]
pub struct Bus {
    publisher: Option<Publisher>,
}

#[derive(Debug)]
enum Publisher {
    Redis(RedisClient),
    Postgres(PgPool),
}

impl Bus {
    /// The bus that publishes on the shared store's channel, if any.
    pub async fn connect(link: Option<&SharedLink>) -> anyhow::Result<Self> {
        let publisher = match link {
            None => None,
            Some(SharedLink::Redis(config)) => {
                let client: RedisClient = Builder::from_config(config.clone()).build()?;
                client.init().await?;
                Some(Publisher::Redis(client))
            }
            Some(SharedLink::Postgres(pool)) => Some(Publisher::Postgres(pool.clone())),
        };
        Ok(Bus { publisher })
    }

    /// Whether other instances hear this one.
    pub fn is_shared(&self) -> bool {
        self.publisher.is_some()
    }

    /// Tells every instance (this one too) to forget `what`. The caller
    /// has already forgotten it here.
    pub async fn announce(&self, what: Forget) {
        let message = what.encode();
        let sent = match &self.publisher {
            None => return,
            Some(Publisher::Redis(client)) => client
                .publish::<i64, _, _>(CHANNEL, message)
                .await
                .map(drop)
                .map_err(|err| err.to_string()),
            Some(Publisher::Postgres(pool)) => sqlx::query("SELECT pg_notify($1, $2)")
                .bind(CHANNEL)
                .bind(message)
                .execute(pool)
                .await
                .map(drop)
                .map_err(|err| err.to_string()),
        };
        if let Err(err) = sent {
            tracing::error!(%err, ?what, "cache bus: could not tell the other instances");
        }
    }
}

/// Subscribes `caches` to the shared store's channel; answers once the
/// subscription stands, so nothing published after it is missed.
pub async fn listen(link: &SharedLink, caches: Caches) -> anyhow::Result<()> {
    match link {
        SharedLink::Redis(config) => {
            let subscriber: SubscriberClient = Builder::from_config(config.clone()).build_subscriber_client()?;
            subscriber.init().await?;
            let mut messages = subscriber.message_rx();
            let mut reconnects = subscriber.reconnect_rx();
            subscriber.subscribe(CHANNEL).await?;
            let _resubscribe = subscriber.manage_subscriptions();
            tokio::spawn(async move {
                let _subscriber = subscriber;
                loop {
                    tokio::select! {
                        message = messages.recv() => match message {
                            Ok(message) => {
                                if let Some(text) = message.value.as_string() {
                                    caches.apply(&text);
                                }
                            }
                            // Fell behind: what was dropped is unknown.
                            Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => caches.clear(),
                            Err(tokio::sync::broadcast::error::RecvError::Closed) => break,
                        },
                        Ok(_) = reconnects.recv() => caches.clear(),
                    }
                }
            });
        }
        SharedLink::Postgres(pool) => {
            let mut listener = PgListener::connect_with(pool).await?;
            listener.listen(CHANNEL).await?;
            tokio::spawn(async move {
                loop {
                    match listener.try_recv().await {
                        Ok(Some(notification)) => caches.apply(notification.payload()),
                        // The connection was lost and is made again at the next call.
                        Ok(None) => caches.clear(),
                        Err(err) => {
                            tracing::warn!(%err, "cache bus: PostgreSQL listener failed");
                            caches.clear();
                            // A pause before the next attempt, not to spin on a dead server.
                            tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                        }
                    }
                }
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_round_trip() {
        let id = Id::default();
        for what in [Forget::Session(id), Forget::User(42)] {
            assert_eq!(Forget::decode(&what.encode()), Some(what));
        }
        assert_eq!(Forget::decode("x 1"), None);
        assert_eq!(Forget::decode("u nope"), None);
    }
}
