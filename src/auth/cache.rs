//! In-process caches in front of the session store and the users table, so
//! that a session request costs no database query once its record and user
//! are known, while a forced logout or a role change still counts at the
//! very next request.
//!
//! Every change goes through this process (the session store's `save`,
//! `delete` and `revoke`, the two role updates), and each one updates or
//! forgets the entry before it answers. A load that missed reads the
//! database and then fills the entry only if nothing was forgotten since it
//! started: otherwise a revocation between its read and its fill would be
//! undone by a stale copy. Several instances on a Redis or PostgreSQL store
//! hear each other's forgets on its bus (`auth::bus`); without one,
//! [`InstanceLock`] keeps a cached process alone on its SQLite file.

use super::bus::{Bus, Forget};
use crate::model::Role;
use std::{borrow::Borrow, collections::HashMap, hash::Hash, sync::RwLock};

/// A bounded map with a generation that every removal advances. Also the
/// JWT path's cache of verified tokens (`jwt::JwtKeys`), which needs no
/// generation: a token never changes, and its `exp` is checked at each use.
#[derive(Debug)]
pub struct Cache<K, V> {
    entries: RwLock<Entries<K, V>>,
    capacity: usize,
}

#[derive(Debug)]
struct Entries<K, V> {
    /// foldhash, not std's SipHash: entries are only made for ids and
    /// tokens this server issued, so a client cannot choose the keys that
    /// fill the map. SipHash over a 400-byte token cost a JWT request about
    /// 800 more instructions (callgrind, 78.9k against 78.2k per request).
    map: HashMap<K, V, foldhash::fast::RandomState>,
    generation: u64,
}

/// Taken before a load from the database; the fill succeeds only if no
/// entry was forgotten in between.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Generation(u64);

impl<K: Eq + Hash + Clone, V: Clone> Cache<K, V> {
    /// `capacity` 0 turns the cache off: every lookup misses.
    pub fn new(capacity: usize) -> Self {
        Cache {
            entries: RwLock::new(Entries {
                map: HashMap::default(),
                generation: 0,
            }),
            capacity,
        }
    }

    pub fn is_on(&self) -> bool {
        self.capacity > 0
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Entries<K, V>> {
        self.entries.read().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Entries<K, V>> {
        self.entries.write().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// By the key or what it borrows as (a `&str` for a `Box<str>` key).
    pub fn get<Q: Hash + Eq + ?Sized>(&self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
    {
        self.read().map.get(key).cloned()
    }

    /// Reads an entry in place, without cloning it.
    pub fn read_with<Q: Hash + Eq + ?Sized, R>(&self, key: &Q, read: impl FnOnce(&V) -> R) -> Option<R>
    where
        K: Borrow<Q>,
    {
        self.read().map.get(key).map(read)
    }

    pub fn contains(&self, key: &K) -> bool {
        self.read().map.contains_key(key)
    }

    pub fn generation(&self) -> Generation {
        Generation(self.read().generation)
    }

    /// Fills an entry after a database read that began at `since`.
    pub fn fill(&self, since: Generation, key: K, value: V) {
        let mut entries = self.write();
        if entries.generation == since.0 {
            Self::put_in(&mut entries, self.capacity, key, value);
        }
    }

    /// Writes an entry that this process has just written to the database.
    pub fn put(&self, key: K, value: V) {
        Self::put_in(&mut self.write(), self.capacity, key, value);
    }

    fn put_in(entries: &mut Entries<K, V>, capacity: usize, key: K, value: V) {
        if capacity == 0 {
            return;
        }
        if entries.map.len() >= capacity && !entries.map.contains_key(&key) {
            // Full: one entry goes (the map's order is random). A miss
            // only costs the database read the cache would have saved.
            if let Some(evicted) = entries.map.keys().next().cloned() {
                entries.map.remove(&evicted);
            }
        }
        entries.map.insert(key, value);
    }

    pub fn forget<Q: Hash + Eq + ?Sized>(&self, key: &Q)
    where
        K: Borrow<Q>,
    {
        let mut entries = self.write();
        entries.generation += 1;
        entries.map.remove(key);
    }

    /// Forgets everything (the bus may have missed a message).
    pub fn clear(&self) {
        let mut entries = self.write();
        entries.generation += 1;
        entries.map.clear();
    }

    pub fn len(&self) -> usize {
        self.read().map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// What the auth layer needs of a user: never the password hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownUser {
    pub id: i64,
    pub username: String,
    pub role: Role,
}

/// The users the session path has looked up, by id. Forgotten by every
/// role change, so a session sees a new role at its next request.
#[derive(Debug)]
pub struct UserCache {
    cache: Cache<i64, KnownUser>,
    bus: std::sync::Arc<Bus>,
}

impl UserCache {
    pub fn new(capacity: usize, bus: std::sync::Arc<Bus>) -> Self {
        UserCache {
            cache: Cache::new(capacity),
            bus,
        }
    }

    /// The user, from the cache or else from the database. Answers whether
    /// it came from the cache.
    pub async fn find(&self, db: &crate::db::Db, id: i64) -> Result<(Option<KnownUser>, bool), crate::error::AppError> {
        if let Some(user) = self.cache.get(&id) {
            return Ok((Some(user), true));
        }
        let since = self.cache.generation();
        let user = crate::db::find_user_by_id(db, id).await?.map(|row| KnownUser {
            id: row.id,
            role: row.role(),
            username: row.username,
        });
        if let Some(user) = &user {
            self.cache.fill(since, id, user.clone());
        }
        Ok((user, false))
    }

    /// Call after the change is committed: forgets the user here and on
    /// every instance that shares the store.
    pub async fn forget(&self, id: i64) {
        self.forget_here(id);
        self.bus.announce(Forget::User(id)).await;
    }

    /// Forgets the user in this process only (what the bus delivers).
    pub fn forget_here(&self, id: i64) {
        self.cache.forget(&id);
    }

    pub fn clear(&self) {
        self.cache.clear();
    }
}

/// A lock on `<database file>.lock`, held for the life of the process. A
/// process with the caches on and no shared store's bus holds it alone: a
/// second Auth Lab on the same SQLite file would change sessions and roles
/// behind this one's caches. Processes without caches, or whose bus tells
/// them what to forget, share it.
#[derive(Debug)]
pub struct InstanceLock {
    _file: std::fs::File,
}

impl InstanceLock {
    pub fn take(database: &std::path::Path, cached: bool) -> anyhow::Result<Self> {
        use std::os::fd::AsRawFd;
        let mut path = database.as_os_str().to_owned();
        path.push(".lock");
        let path = std::path::PathBuf::from(path);
        if let Some(dir) = path.parent().filter(|dir| !dir.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)?;
        let mode = if cached { libc::LOCK_EX } else { libc::LOCK_SH };
        // SAFETY: flock on a descriptor this function owns; no memory is shared.
        let taken = unsafe { libc::flock(file.as_raw_fd(), mode | libc::LOCK_NB) } == 0;
        anyhow::ensure!(
            taken,
            "another Auth Lab process serves {}, and a process with the session cache on must be the only \
             one: its cache would not hear of the other's forced logouts and role changes. Stop the other, \
             start every process on this file with AUTHLAB_SESSION_CACHE=0, or share a store that tells \
             every process what to forget (AUTHLAB_SESSION_STORE=redis or postgres)",
            database.display()
        );
        Ok(InstanceLock { _file: file })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fill_after_a_forget_is_dropped() {
        let cache = Cache::new(10);
        let since = cache.generation();
        // A revocation lands while the load was reading the database.
        cache.forget(&"a");
        cache.fill(since, "a", 1);
        assert_eq!(cache.get(&"a"), None);
        let since = cache.generation();
        cache.fill(since, "a", 2);
        assert_eq!(cache.get(&"a"), Some(2));
    }

    #[test]
    fn stays_within_its_capacity() {
        let cache = Cache::new(3);
        for key in 0..10 {
            cache.put(key, key);
            assert!(cache.len() <= 3);
        }
        assert_eq!(cache.get(&9), Some(9), "the newest entry is kept");
    }

    #[test]
    fn capacity_zero_is_off() {
        let cache = Cache::new(0);
        cache.put(1, 1);
        assert!(!cache.is_on());
        assert!(cache.is_empty());
    }

    #[test]
    fn a_cached_process_has_its_file_alone() {
        let dir = tempfile::tempdir().unwrap();
        let database = dir.path().join("authlab.db");
        let cached = InstanceLock::take(&database, true).unwrap();
        for second in [true, false] {
            let err = InstanceLock::take(&database, second).unwrap_err().to_string();
            assert!(err.contains("AUTHLAB_SESSION_CACHE=0"), "{err}");
        }
        drop(cached);
        let uncached = InstanceLock::take(&database, false).unwrap();
        InstanceLock::take(&database, false).expect("processes without caches share the file");
        assert!(InstanceLock::take(&database, true).is_err());
        drop(uncached);
    }
}
