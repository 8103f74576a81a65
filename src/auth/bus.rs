//! Tells every instance that shares a session store what to forget from its
//! caches: Redis publish/subscribe for the Redis store, PostgreSQL
//! `LISTEN/NOTIFY` for the PostgreSQL store. A forced logout or a role
//! change on one instance then clears the copies on all of them, instead of
//! leaving them to a TTL.
//!
//! Delivery alone is asynchronous: the announcing request could answer
//! before another instance has read the message, and a request landing
//! there in between would still be let in. So every instance acknowledges
//! each message once it has applied it, and [`Bus::announce`] returns only
//! when as many acknowledgements came back as instances received it (Redis
//! `PUBLISH` counts them; PostgreSQL's listening connections are counted
//! first), or after [`ACK_DEADLINE`].
//!
//! An instance subscribes before it serves, and empties its caches whenever
//! its subscription had to reconnect (it may have missed a message then).

use super::{cache::Cache, cache::UserCache, session::SharedLink};
use sqlx::{
    postgres::{PgListener, PgPoolOptions},
    PgPool,
};
use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::Duration,
};
use tokio::sync::oneshot;
use tower_sessions::session::{Id, Record};
use tower_sessions_redis_store::fred::{
    clients::{Client as RedisClient, SubscriberClient},
    prelude::{Builder, ClientLike, EventInterface, PubsubInterface},
};

/// The channel of the messages, in Redis and in PostgreSQL alike.
pub const CHANNEL: &str = "authlab_forget";
/// The channel of the acknowledgements.
pub const ACKS: &str = "authlab_forgot";
/// An instance that has not acknowledged by then is taken to be gone (it
/// stopped between the count and the message); the announcement is logged.
pub const ACK_DEADLINE: Duration = Duration::from_secs(2);

/// What every instance must drop from its caches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Forget {
    /// A session record: deleted by a logout or a forced logout.
    Session(Id),
    /// A user: their role or name changed.
    User(i64),
}

/// One message on the bus: what to forget, and the number its
/// acknowledgements carry back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Message {
    what: Forget,
    number: u64,
}

impl Message {
    fn encode(self) -> String {
        match self.what {
            Forget::Session(id) => format!("s {id} {}", self.number),
            Forget::User(id) => format!("u {id} {}", self.number),
        }
    }

    fn decode(text: &str) -> Option<Self> {
        let mut parts = text.split(' ');
        let what = match (parts.next()?, parts.next()?) {
            ("s", id) => Forget::Session(id.parse().ok()?),
            ("u", id) => Forget::User(id.parse().ok()?),
            _ => return None,
        };
        let number = parts.next()?.parse().ok()?;
        parts.next().is_none().then_some(Message { what, number })
    }
}

/// The caches a message is applied to.
#[derive(Debug, Clone)]
pub struct Caches {
    pub sessions: Arc<Cache<Id, Record>>,
    pub users: Arc<UserCache>,
}

impl Caches {
    fn forget(&self, what: Forget) {
        match what {
            Forget::Session(id) => self.sessions.forget(&id),
            Forget::User(id) => self.users.forget_here(id),
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
    /// Announcements of this instance waiting for their acknowledgements.
    waiting: Mutex<HashMap<u64, Waiter>>,
}

#[derive(Debug)]
enum Publisher {
    Redis(RedisClient),
    Postgres(PgPool),
}

#[derive(Debug)]
struct Waiter {
    /// How many instances received the message; unknown until the
    /// publisher says (acknowledgements may come first).
    receivers: Option<u64>,
    acknowledged: u64,
    done: Option<oneshot::Sender<()>>,
}

impl Waiter {
    fn settle(&mut self) {
        if self.receivers.is_some_and(|receivers| self.acknowledged >= receivers) {
            if let Some(done) = self.done.take() {
                let _ = done.send(());
            }
        }
    }
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
        Ok(Bus {
            publisher,
            waiting: Mutex::default(),
        })
    }

    /// Whether other instances hear this one.
    pub fn is_shared(&self) -> bool {
        self.publisher.is_some()
    }

    fn waiting(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Waiter>> {
        self.waiting.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Tells every instance (this one too) to forget `what`, and returns
    /// once each one that received the message has applied it. The caller
    /// has already forgotten it here.
    pub async fn announce(&self, what: Forget) {
        let Some(publisher) = &self.publisher else {
            return;
        };
        let number = uuid::Uuid::new_v4().as_u64_pair().0;
        let (done, applied) = oneshot::channel();
        self.waiting().insert(
            number,
            Waiter {
                receivers: None,
                acknowledged: 0,
                done: Some(done),
            },
        );
        let message = Message { what, number }.encode();
        match publisher.publish(CHANNEL, &message, true).await {
            Ok(receivers) => {
                if let Some(waiter) = self.waiting().get_mut(&number) {
                    waiter.receivers = Some(receivers.max(0) as u64);
                    waiter.settle();
                }
                if tokio::time::timeout(ACK_DEADLINE, applied).await.is_err() {
                    tracing::warn!(?what, "cache bus: not every instance acknowledged in time");
                }
            }
            Err(err) => tracing::error!(%err, ?what, "cache bus: could not tell the other instances"),
        }
        self.waiting().remove(&number);
    }

    /// Says that this instance applied message `number`.
    async fn acknowledge(&self, number: u64) {
        let Some(publisher) = &self.publisher else {
            return;
        };
        if let Err(err) = publisher.publish(ACKS, &number.to_string(), false).await {
            tracing::warn!(%err, "cache bus: could not acknowledge");
        }
    }

    /// Counts an acknowledgement, if it answers one of this instance's announcements.
    fn acknowledged(&self, text: &str) {
        let Ok(number) = text.parse::<u64>() else {
            return;
        };
        if let Some(waiter) = self.waiting().get_mut(&number) {
            waiter.acknowledged += 1;
            waiter.settle();
        }
    }

    /// Applies what arrived on either channel.
    async fn receive(&self, caches: &Caches, channel: &str, text: &str) {
        if channel == ACKS {
            self.acknowledged(text);
        } else if let Some(message) = Message::decode(text) {
            caches.forget(message.what);
            self.acknowledge(message.number).await;
        } else {
            tracing::warn!(text, "ignored a message on the cache bus");
        }
    }
}

impl Publisher {
    /// Publishes `payload` on `channel`. Answers how many connections
    /// received it: Redis says so for free; PostgreSQL does not, so with
    /// `count_receivers` the connections of this database that listen to
    /// the channel are counted first (else 0).
    async fn publish(&self, channel: &str, payload: &str, count_receivers: bool) -> Result<i64, String> {
        match self {
            Publisher::Redis(client) => client
                .publish::<i64, _, _>(channel, payload)
                .await
                .map_err(|err| err.to_string()),
            Publisher::Postgres(pool) => {
                let mut listeners = 0;
                if count_receivers {
                    listeners = sqlx::query_scalar(
                        "SELECT COUNT(*) FROM pg_stat_activity
                         WHERE datname = current_database() AND query LIKE 'LISTEN \"' || $1 || '\"%'",
                    )
                    .bind(channel)
                    .fetch_one(pool)
                    .await
                    .map_err(|err| err.to_string())?;
                }
                sqlx::query("SELECT pg_notify($1, $2)")
                    .bind(channel)
                    .bind(payload)
                    .execute(pool)
                    .await
                    .map_err(|err| err.to_string())?;
                Ok(listeners)
            }
        }
    }
}

/// Subscribes `caches` to the shared store's channels; answers once the
/// subscription stands, so nothing published after it is missed.
pub async fn listen(link: &SharedLink, caches: Caches, bus: Arc<Bus>) -> anyhow::Result<()> {
    match link {
        SharedLink::Redis(config) => {
            let subscriber: SubscriberClient = Builder::from_config(config.clone()).build_subscriber_client()?;
            subscriber.init().await?;
            let mut messages = subscriber.message_rx();
            let mut reconnects = subscriber.reconnect_rx();
            subscriber.subscribe(vec![CHANNEL, ACKS]).await?;
            let _resubscribe = subscriber.manage_subscriptions();
            tokio::spawn(async move {
                let _subscriber = subscriber;
                loop {
                    tokio::select! {
                        message = messages.recv() => match message {
                            Ok(message) => {
                                if let Some(text) = message.value.as_string() {
                                    bus.receive(&caches, &message.channel, &text).await;
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
            // On a pool of its own: the listener keeps its connection for
            // good, which would take one from the app's pool and make
            // closing that pool wait forever.
            let own = PgPoolOptions::new()
                .max_connections(1)
                .connect_lazy_with((*pool.connect_options()).clone());
            let mut listener = PgListener::connect_with(&own).await?;
            // One statement for both, so the connection's last query names the channel.
            listener.listen_all([CHANNEL, ACKS]).await?;
            tokio::spawn(async move {
                loop {
                    match listener.try_recv().await {
                        Ok(Some(notification)) => {
                            bus.receive(&caches, notification.channel(), notification.payload())
                                .await
                        }
                        // The connection was lost and is made again at the next call.
                        Ok(None) => caches.clear(),
                        Err(err) => {
                            tracing::warn!(%err, "cache bus: PostgreSQL listener failed");
                            caches.clear();
                            // A pause before the next attempt, not to spin on a dead server.
                            tokio::time::sleep(Duration::from_secs(1)).await;
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
            let message = Message { what, number: 7 };
            assert_eq!(Message::decode(&message.encode()), Some(message));
        }
        for garbage in ["x 1 2", "u nope 2", "u 1", "u 1 2 3", ""] {
            assert_eq!(Message::decode(garbage), None, "{garbage}");
        }
    }

    #[test]
    fn an_announcement_settles_when_every_receiver_acknowledged() {
        let bus = Bus::default();
        let (done, mut applied) = oneshot::channel();
        bus.waiting().insert(
            1,
            Waiter {
                receivers: None,
                acknowledged: 0,
                done: Some(done),
            },
        );
        // An acknowledgement before the publisher said how many received it.
        bus.acknowledged("1");
        bus.acknowledged("999");
        bus.waiting().get_mut(&1).unwrap().receivers = Some(2);
        bus.waiting().get_mut(&1).unwrap().settle();
        assert!(applied.try_recv().is_err(), "one of two");
        bus.acknowledged("1");
        assert!(applied.try_recv().is_ok());
    }
}
