//! Failed-login limits, in memory, with a sliding window: per account (the
//! username typed, whether or not it exists, so the answer is the same for
//! both) and, higher, per client address (one address spraying many
//! usernames). Either limit answers 429 before any password work.

use crate::error::AppError;
use std::{
    collections::{HashMap, VecDeque},
    sync::Mutex,
    time::{Duration, Instant},
};

/// Beyond this many tracked keys, empty ones are swept on the next failure.
const SWEEP_ABOVE: usize = 10_000;

pub struct LoginLimiter {
    per_account: u32,
    per_address: u32,
    window: Duration,
    failures: Mutex<HashMap<Key, VecDeque<Instant>>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Account(String),
    Address(String),
}

/// Who tried: the account named and the address it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    account: String,
    address: Option<String>,
}

impl LoginLimiter {
    /// A limit of 0 turns that limit off.
    pub fn new(per_account: u32, per_address: u32, window: Duration) -> Self {
        LoginLimiter {
            per_account,
            per_address,
            window,
            failures: Mutex::new(HashMap::new()),
        }
    }

    /// Usernames are unique regardless of case, so are their limits.
    pub fn attempt(ip: Option<&str>, username: &str) -> Attempt {
        Attempt {
            account: username.to_lowercase(),
            address: ip.map(str::to_owned),
        }
    }

    fn limited_keys(&self, attempt: &Attempt) -> Vec<(Key, u32)> {
        let mut keys = vec![(Key::Account(attempt.account.clone()), self.per_account)];
        if let Some(address) = &attempt.address {
            keys.push((Key::Address(address.clone()), self.per_address));
        }
        keys.into_iter().filter(|(_, max)| *max > 0).collect()
    }

    /// Refuses before any password work when the account or the address has
    /// failed too often; `Retry-After` is when the later of them frees up.
    pub fn check(&self, attempt: &Attempt) -> Result<(), AppError> {
        let now = Instant::now();
        let mut failures = self.failures.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let mut retry_after = None;
        for (key, max) in self.limited_keys(attempt) {
            let Some(times) = failures.get_mut(&key) else {
                continue;
            };
            times.retain(|at| now.duration_since(*at) < self.window);
            if times.len() >= max as usize {
                // The window frees up when enough of the oldest failures age out.
                let freeing = times[times.len() - max as usize];
                let wait = self.window.saturating_sub(now.duration_since(freeing));
                retry_after = retry_after.max(Some(wait));
            }
        }
        match retry_after {
            Some(wait) => Err(AppError::RateLimited(wait.as_secs().max(1))),
            None => Ok(()),
        }
    }

    pub fn record_failure(&self, attempt: &Attempt) {
        let now = Instant::now();
        let mut failures = self.failures.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if failures.len() > SWEEP_ABOVE {
            let window = self.window;
            failures.retain(|_, times| times.back().is_some_and(|at| now.duration_since(*at) < window));
        }
        for (key, _) in self.limited_keys(attempt) {
            failures.entry(key).or_default().push_back(now);
        }
    }

    /// A right password clears its account's failures; the address keeps
    /// its own, or one good login would reset a spray of many usernames.
    pub fn clear(&self, attempt: &Attempt) {
        self.failures
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .remove(&Key::Account(attempt.account.clone()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOME: Option<&str> = Some("127.0.0.1");

    #[test]
    fn an_account_is_limited_from_every_address_and_success_clears_it() {
        let limiter = LoginLimiter::new(2, 100, Duration::from_secs(60));
        let alice = LoginLimiter::attempt(HOME, "Alice");
        limiter.record_failure(&alice);
        assert!(limiter.check(&alice).is_ok());
        limiter.record_failure(&LoginLimiter::attempt(Some("10.0.0.9"), "alice"));
        assert!(matches!(limiter.check(&alice), Err(AppError::RateLimited(secs)) if secs <= 60));
        assert!(
            limiter.check(&LoginLimiter::attempt(HOME, "bob")).is_ok(),
            "other accounts log in"
        );
        limiter.clear(&alice);
        assert!(limiter.check(&alice).is_ok());
    }

    #[test]
    fn an_address_spraying_usernames_is_limited() {
        let limiter = LoginLimiter::new(10, 3, Duration::from_secs(60));
        for name in ["a1", "a2", "a3"] {
            limiter.record_failure(&LoginLimiter::attempt(HOME, name));
        }
        assert!(limiter.check(&LoginLimiter::attempt(HOME, "someone-new")).is_err());
        assert!(limiter
            .check(&LoginLimiter::attempt(Some("10.0.0.9"), "someone-new"))
            .is_ok());
        limiter.clear(&LoginLimiter::attempt(HOME, "a3"));
        assert!(
            limiter.check(&LoginLimiter::attempt(HOME, "a4")).is_err(),
            "a success does not reset the address"
        );
    }

    #[test]
    fn failures_outside_the_window_do_not_count_and_zero_is_off() {
        let limiter = LoginLimiter::new(1, 1, Duration::ZERO);
        let attempt = LoginLimiter::attempt(HOME, "k");
        limiter.record_failure(&attempt);
        assert!(limiter.check(&attempt).is_ok());
        let off = LoginLimiter::new(0, 0, Duration::from_secs(60));
        off.record_failure(&attempt);
        assert!(off.check(&attempt).is_ok());
    }
}
