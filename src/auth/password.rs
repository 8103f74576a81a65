//! argon2id password hashing. Hashing is deliberately slow and takes 19 MiB
//! per run (at the default cost), so it runs off the async threads on a
//! bounded pool: as many workers as cores, and a bounded queue in front of
//! them. Past the queue the answer is `busy` at once, without hashing, so a
//! login flood costs at most `workers × memory` and never starves the other
//! requests.

use crate::error::AppError;
use argon2::{
    password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString},
    Algorithm, Argon2, Params, Version,
};
use std::sync::{
    atomic::{AtomicUsize, Ordering},
    mpsc, Arc, Mutex, OnceLock,
};
use tokio::sync::oneshot;

/// What one new hash costs: memory in KiB and passes over it (one lane).
/// A verification costs what its stored hash names, whatever this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HashCost {
    pub memory_kib: u32,
    pub iterations: u32,
}

impl HashCost {
    /// OWASP's minimum for argon2id: 19 MiB, 2 passes, 1 lane.
    pub const OWASP: HashCost = HashCost {
        memory_kib: 19_456,
        iterations: 2,
    };

    /// Below every setting OWASP lists as its minimum (47 MiB × 1 down to
    /// 7 MiB × 5 passes: at least 7 MiB, and about 35 MiB of passes in all).
    pub fn below_owasp(self) -> bool {
        self.memory_kib < 7_168 || u64::from(self.memory_kib) * u64::from(self.iterations) < 35_840
    }

    fn argon2(self) -> Result<Argon2<'static>, argon2::Error> {
        let params = Params::new(self.memory_kib, self.iterations, 1, None)?;
        Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
    }
}

impl Default for HashCost {
    fn default() -> Self {
        HashCost::OWASP
    }
}

fn hash_blocking(hasher: &Argon2<'static>, password: &str) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut OsRng);
    hasher
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(AppError::internal)
}

/// A real hash of a password nobody knows, at the pool's cost: verifying
/// against it costs the same as verifying a real user's, so an unknown
/// username is not faster.
fn dummy_hash(hasher: &Argon2<'static>, dummy: &OnceLock<String>) -> Result<String, AppError> {
    if let Some(hash) = dummy.get() {
        return Ok(hash.clone());
    }
    let hash = hash_blocking(hasher, "no user has this password")?;
    Ok(dummy.get_or_init(|| hash).clone())
}

fn verify_blocking(hasher: &Argon2<'static>, password: &str, stored_hash: &str) -> bool {
    // `verify_password` takes the cost from the stored hash itself.
    PasswordHash::new(stored_hash)
        .map(|parsed| hasher.verify_password(password.as_bytes(), &parsed).is_ok())
        .unwrap_or(false)
}

/// The bounded pool every hash and verification goes through: a fixed set
/// of worker threads fed by a bounded queue, so at most `workers` hashes
/// hold their memory at once (tokio's blocking pool would grow a thread per
/// waiting login). A worker that finishes a job while no other waits gives
/// the freed blocks back to the system (`release_freed_memory`).
#[derive(Clone)]
pub struct PasswordPool {
    jobs: mpsc::SyncSender<Job>,
    /// Jobs handed to the queue and not yet taken by a worker.
    queued: Arc<AtomicUsize>,
    hasher: Argon2<'static>,
    dummy: Arc<OnceLock<String>>,
}

type Job = Box<dyn FnOnce() + Send>;

impl PasswordPool {
    /// `workers` threads hash at once; `queue` more jobs wait for them; past
    /// that the answer is busy. The threads end when the last clone is dropped.
    /// Fails only for a cost argon2 refuses.
    pub fn new(workers: usize, queue: usize, cost: HashCost) -> Result<Self, argon2::Error> {
        let hasher = cost.argon2()?;
        let (jobs, waiting) = mpsc::sync_channel::<Job>(queue);
        let waiting = Arc::new(Mutex::new(waiting));
        let queued = Arc::new(AtomicUsize::new(0));
        for worker in 0..workers.max(1) {
            let (waiting, queued) = (Arc::clone(&waiting), Arc::clone(&queued));
            let spawned = std::thread::Builder::new()
                .name(format!("argon2-{worker}"))
                .spawn(move || loop {
                    let job = waiting
                        .lock()
                        .map_err(drop)
                        .and_then(|queue| queue.recv().map_err(drop));
                    match job {
                        Ok(job) => {
                            queued.fetch_sub(1, Ordering::AcqRel);
                            job();
                            // The worker that freed the blocks gives them back
                            // (the other may be waiting for work meanwhile).
                            if queued.load(Ordering::Acquire) == 0 {
                                release_freed_memory();
                            }
                        }
                        Err(()) => break,
                    }
                });
            if let Err(err) = spawned {
                tracing::error!(%err, "could not start a password worker");
            }
        }
        Ok(PasswordPool {
            jobs,
            queued,
            hasher,
            dummy: Arc::default(),
        })
    }

    /// One worker per core.
    pub fn per_core(queue: usize, cost: HashCost) -> Result<Self, argon2::Error> {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        PasswordPool::new(cores, queue, cost)
    }

    /// Hands `work` to the queue at once, or answers busy; never waits.
    fn submit<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<oneshot::Receiver<T>, AppError> {
        let (answer, answered) = oneshot::channel();
        let job: Job = Box::new(move || {
            let _ = answer.send(work());
        });
        // Counted before it can be taken, so a worker never sees it below zero.
        self.queued.fetch_add(1, Ordering::AcqRel);
        let sent = self.jobs.try_send(job);
        if sent.is_err() {
            self.queued.fetch_sub(1, Ordering::AcqRel);
        }
        match sent {
            Ok(()) => Ok(answered),
            Err(mpsc::TrySendError::Full(_)) => Err(AppError::Busy),
            Err(mpsc::TrySendError::Disconnected(_)) => Err(AppError::internal("the password workers are gone")),
        }
    }

    async fn run<T: Send + 'static>(&self, work: impl FnOnce() -> T + Send + 'static) -> Result<T, AppError> {
        self.submit(work)?.await.map_err(AppError::internal)
    }

    pub async fn hash(&self, password: String) -> Result<String, AppError> {
        let hasher = self.hasher.clone();
        self.run(move || hash_blocking(&hasher, &password)).await?
    }

    /// `stored_hash` is `None` for an unknown user; the answer is then
    /// `false` after the cost of one real verification.
    pub async fn verify(&self, password: String, stored_hash: Option<String>) -> Result<bool, AppError> {
        let (hasher, dummy) = (self.hasher.clone(), Arc::clone(&self.dummy));
        self.run(move || match stored_hash {
            Some(hash) => verify_blocking(&hasher, &password, &hash),
            None => {
                // Spend the same time, then fail.
                let _ = dummy_hash(&hasher, &dummy).map(|hash| verify_blocking(&hasher, &password, &hash));
                false
            }
        })
        .await
    }

    /// Builds the dummy hash ahead of the first login, so that first
    /// unknown-user login is not slower than the rest.
    pub async fn warm_up(&self) -> Result<(), AppError> {
        let (hasher, dummy) = (self.hasher.clone(), Arc::clone(&self.dummy));
        self.run(move || dummy_hash(&hasher, &dummy)).await?.map(drop)
    }
}

/// Returns the memory freed so far to the system at once. mimalloc, the
/// server's allocator (`main.rs`), gives freed pages back a second after
/// the free at the earliest, and only when a later allocation comes by to
/// do it: the last hash's 19 MiB stayed in an idle server's RSS. After the
/// demo accounts' and the warm-up's hashes, the server held 62 to 63 MB
/// at start (41 MB anonymous); with this, 34 MB (8 MB), and two logins
/// later still 34 MB. Called by the worker that finished the last job
/// waiting, so a flood pays for it once, after its last hash. Where
/// mimalloc is not the allocator (tests, benches) it has nothing to free.
fn release_freed_memory() {
    // SAFETY: `mi_collect` takes no pointer and may be called from any
    // thread at any time; `force` also returns pages that wait for their
    // delay to pass.
    unsafe { libmimalloc_sys::mi_collect(true) }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn hash_password(password: String) -> Result<String, AppError> {
        PasswordPool::per_core(4, HashCost::OWASP).unwrap().hash(password).await
    }

    async fn verify_password(password: String, stored_hash: Option<String>) -> Result<bool, AppError> {
        PasswordPool::per_core(4, HashCost::OWASP)
            .unwrap()
            .verify(password, stored_hash)
            .await
    }

    #[tokio::test]
    async fn past_the_queue_the_answer_is_busy_without_hashing() {
        let pool = PasswordPool::new(1, 1, HashCost::OWASP).unwrap();
        // The one worker is taken until we say so.
        let (release, held) = mpsc::channel::<()>();
        let (started, worker_taken) = oneshot::channel();
        let running = pool
            .submit(move || {
                let _ = started.send(());
                held.recv().is_ok()
            })
            .unwrap();
        worker_taken.await.unwrap();
        // One job fits in the queue; the next is refused at once, unrun.
        let queued = pool.submit(|| "queued ran").unwrap();
        let refused_ran = Arc::new(Mutex::new(false));
        let flag = Arc::clone(&refused_ran);
        let refused = pool.submit(move || *flag.lock().unwrap() = true);
        assert!(matches!(refused, Err(AppError::Busy)));
        release.send(()).unwrap();
        assert!(running.await.unwrap());
        assert_eq!(queued.await.unwrap(), "queued ran");
        assert!(!*refused_ran.lock().unwrap(), "a refused job never runs");
        assert_eq!(pool.verify("pw".into(), None).await, Ok(false), "places are given back");
    }

    #[tokio::test]
    async fn hash_verifies_only_the_same_password() {
        let hash = hash_password("correct horse".into()).await.unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{hash}");
        assert!(verify_password("correct horse".into(), Some(hash.clone()))
            .await
            .unwrap());
        assert!(!verify_password("correct horsE".into(), Some(hash)).await.unwrap());
    }

    #[tokio::test]
    async fn a_new_hash_takes_the_pool_cost_and_a_check_the_stored_one() {
        let cheap = PasswordPool::new(
            1,
            4,
            HashCost {
                memory_kib: 1024,
                iterations: 1,
            },
        )
        .unwrap();
        let hash = cheap.hash("pw".into()).await.unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=1024,t=1,p=1$"), "{hash}");
        // A pool at another cost still checks it: a cost change keeps every login.
        assert_eq!(verify_password("pw".into(), Some(hash.clone())).await, Ok(true));
        assert_eq!(verify_password("pW".into(), Some(hash)).await, Ok(false));
        assert_eq!(cheap.verify("pw".into(), None).await, Ok(false));
    }

    #[test]
    fn owasp_settings_are_not_below_owasp_and_cheaper_ones_are() {
        for (memory_kib, iterations) in [(47_104, 1), (19_456, 2), (12_288, 3), (9_216, 4), (7_168, 5)] {
            assert!(
                !HashCost { memory_kib, iterations }.below_owasp(),
                "{memory_kib} × {iterations}"
            );
        }
        for (memory_kib, iterations) in [(1_024, 1), (19_456, 1), (6_144, 8)] {
            assert!(
                HashCost { memory_kib, iterations }.below_owasp(),
                "{memory_kib} × {iterations}"
            );
        }
        assert!(HashCost {
            memory_kib: 4,
            iterations: 1
        }
        .argon2()
        .is_err());
    }

    #[tokio::test]
    async fn same_password_gets_a_new_salt_each_time() {
        let first = hash_password("pw".into()).await.unwrap();
        let second = hash_password("pw".into()).await.unwrap();
        assert_ne!(first, second);
    }

    #[tokio::test]
    async fn unknown_user_and_garbage_hash_never_verify() {
        assert!(!verify_password("anything".into(), None).await.unwrap());
        assert!(!verify_password("anything".into(), Some("not a phc string".into()))
            .await
            .unwrap());
    }
}
