//! Failed-login limit per client address and username, in memory.

use crate::error::AppError;
use std::{
    collections::{HashMap, VecDeque},
    sync::Mutex,
    time::{Duration, Instant},
};

/// Beyond this many tracked keys, empty ones are swept on the next failure.
const SWEEP_ABOVE: usize = 10_000;

pub struct LoginLimiter {
    max_failures: u32,
    window: Duration,
    failures: Mutex<HashMap<String, VecDeque<Instant>>>,
}

impl LoginLimiter {
    pub fn new(max_failures: u32, window: Duration) -> Self {
        LoginLimiter {
            max_failures,
            window,
            failures: Mutex::new(HashMap::new()),
        }
    }

    pub fn key(ip: Option<&str>, username: &str) -> String {
        format!("{}|{}", ip.unwrap_or("-"), username.to_lowercase())
    }

    /// Refuses before any password work when the key has failed too often.
    pub fn check(&self, key: &str) -> Result<(), AppError> {
        if self.max_failures == 0 {
            return Ok(());
        }
        let now = Instant::now();
        let mut failures = self.failures.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let Some(times) = failures.get_mut(key) else {
            return Ok(());
        };
        times.retain(|at| now.duration_since(*at) < self.window);
        if times.len() >= self.max_failures as usize {
            let oldest = times.front().copied().unwrap_or(now);
            let retry_after = self.window.saturating_sub(now.duration_since(oldest));
            return Err(AppError::RateLimited(retry_after.as_secs().max(1)));
        }
        Ok(())
    }

    pub fn record_failure(&self, key: &str) {
        let now = Instant::now();
        let mut failures = self.failures.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if failures.len() > SWEEP_ABOVE {
            let window = self.window;
            failures.retain(|_, times| times.back().is_some_and(|at| now.duration_since(*at) < window));
        }
        failures.entry(key.to_owned()).or_default().push_back(now);
    }

    pub fn clear(&self, key: &str) {
        self.failures
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_after_max_failures_and_success_clears() {
        let limiter = LoginLimiter::new(2, Duration::from_secs(60));
        let key = LoginLimiter::key(Some("127.0.0.1"), "Alice");
        assert_eq!(key, LoginLimiter::key(Some("127.0.0.1"), "alice"));
        limiter.record_failure(&key);
        assert!(limiter.check(&key).is_ok());
        limiter.record_failure(&key);
        assert!(matches!(limiter.check(&key), Err(AppError::RateLimited(secs)) if secs <= 60));
        assert!(limiter.check(&LoginLimiter::key(Some("127.0.0.1"), "bob")).is_ok());
        limiter.clear(&key);
        assert!(limiter.check(&key).is_ok());
    }

    #[test]
    fn failures_outside_the_window_do_not_count() {
        let limiter = LoginLimiter::new(1, Duration::ZERO);
        limiter.record_failure("k");
        assert!(limiter.check("k").is_ok());
    }
}
