//! argon2id password hashing. Hashing is deliberately slow and takes 19 MiB
//! per run, so it runs off the async threads on a bounded pool: as many
//! workers as cores, and a bounded queue in front of them. Past the queue
//! the answer is `busy` at once, without hashing, so a login flood costs
//! at most `workers × 19 MiB` and never starves the other requests.

use crate::error::AppError;
use argon2::{
    password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString},
    Algorithm, Argon2, Params, Version,
};
use std::sync::{mpsc, Arc, LazyLock, Mutex};
use tokio::sync::oneshot;

/// OWASP's minimum for argon2id: 19 MiB, 2 passes, 1 lane.
const MEMORY_KIB: u32 = 19_456;
const ITERATIONS: u32 = 2;
const PARALLELISM: u32 = 1;

fn argon2() -> Argon2<'static> {
    let params = Params::new(MEMORY_KIB, ITERATIONS, PARALLELISM, None).expect("constant argon2 parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// A real hash of a password nobody knows: verifying against it costs the
/// same as verifying a real user's, so an unknown username is not faster.
static DUMMY_HASH: LazyLock<String> =
    LazyLock::new(|| hash_blocking("no user has this password").expect("hashing a constant works"));

fn hash_blocking(password: &str) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut OsRng);
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(AppError::internal)
}

fn verify_blocking(password: &str, stored_hash: Option<&str>) -> bool {
    let matches = |hash: &str| {
        PasswordHash::new(hash)
            .map(|parsed| argon2().verify_password(password.as_bytes(), &parsed).is_ok())
            .unwrap_or(false)
    };
    match stored_hash {
        Some(hash) => matches(hash),
        None => {
            // Spend the same time, then fail.
            let _ = matches(&DUMMY_HASH);
            false
        }
    }
}

/// The bounded pool every hash and verification goes through: a fixed set
/// of worker threads fed by a bounded queue, so at most `workers` hashes
/// hold their 19 MiB at once (tokio's blocking pool would grow a thread per
/// waiting login). `main` keeps such blocks mmapped, so each is given back
/// to the system when its hash is done.
#[derive(Clone)]
pub struct PasswordPool {
    jobs: mpsc::SyncSender<Job>,
}

type Job = Box<dyn FnOnce() + Send>;

impl PasswordPool {
    /// `workers` threads hash at once; `queue` more jobs wait for them; past
    /// that the answer is busy. The threads end when the last clone is dropped.
    pub fn new(workers: usize, queue: usize) -> Self {
        let (jobs, waiting) = mpsc::sync_channel::<Job>(queue);
        let waiting = Arc::new(Mutex::new(waiting));
        for worker in 0..workers.max(1) {
            let waiting = Arc::clone(&waiting);
            let spawned = std::thread::Builder::new()
                .name(format!("argon2-{worker}"))
                .spawn(move || loop {
                    let job = waiting
                        .lock()
                        .map_err(drop)
                        .and_then(|queue| queue.recv().map_err(drop));
                    match job {
                        Ok(job) => job(),
                        Err(()) => break,
                    }
                });
            if let Err(err) = spawned {
                tracing::error!(%err, "could not start a password worker");
            }
        }
        PasswordPool { jobs }
    }

    /// One worker per core.
    pub fn per_core(queue: usize) -> Self {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        PasswordPool::new(cores, queue)
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
        match self.jobs.try_send(job) {
            Ok(()) => Ok(answered),
            Err(mpsc::TrySendError::Full(_)) => Err(AppError::Busy),
            Err(mpsc::TrySendError::Disconnected(_)) => Err(AppError::internal("the password workers are gone")),
        }
    }

    async fn run<T: Send + 'static>(&self, work: impl FnOnce() -> T + Send + 'static) -> Result<T, AppError> {
        self.submit(work)?.await.map_err(AppError::internal)
    }

    pub async fn hash(&self, password: String) -> Result<String, AppError> {
        self.run(move || hash_blocking(&password)).await?
    }

    /// `stored_hash` is `None` for an unknown user; the answer is then
    /// `false` after the cost of one real verification.
    pub async fn verify(&self, password: String, stored_hash: Option<String>) -> Result<bool, AppError> {
        self.run(move || verify_blocking(&password, stored_hash.as_deref()))
            .await
    }
}

/// Builds the dummy hash ahead of the first login, so that first unknown-user
/// login is not slower than the rest.
pub async fn warm_up() -> Result<(), AppError> {
    tokio::task::spawn_blocking(|| LazyLock::force(&DUMMY_HASH).len())
        .await
        .map(|_| ())
        .map_err(AppError::internal)
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn hash_password(password: String) -> Result<String, AppError> {
        PasswordPool::per_core(4).hash(password).await
    }

    async fn verify_password(password: String, stored_hash: Option<String>) -> Result<bool, AppError> {
        PasswordPool::per_core(4).verify(password, stored_hash).await
    }

    #[tokio::test]
    async fn past_the_queue_the_answer_is_busy_without_hashing() {
        let pool = PasswordPool::new(1, 1);
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
