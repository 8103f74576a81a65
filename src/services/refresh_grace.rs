//! A browser refreshes its tokens transparently, and a page often sends two
//! requests at once (a client-side navigation asks for the nav bar and the
//! page together). Both carry the same spent-to-be refresh token; without
//! care the second would look like a replay and revoke the whole login.
//! So the cookie path serialises refreshes and, for a few seconds, answers a
//! repeat of the same token with the pair the first request received.
//! The JSON API keeps strict reuse detection.

use crate::{
    auth::refresh::{hash_token, ClientInfo},
    error::AppError,
    services::auth::TokenPair,
    state::AppState,
};
use std::{
    collections::HashMap,
    time::{Duration, Instant},
};
use tokio::sync::Mutex;

pub struct RefreshGrace {
    window: Duration,
    recent: Mutex<HashMap<String, (Instant, TokenPair)>>,
}

impl RefreshGrace {
    pub fn new(window: Duration) -> Self {
        RefreshGrace {
            window,
            recent: Mutex::new(HashMap::new()),
        }
    }

    /// Rotates `refresh_token`, or answers the pair it was rotated into a
    /// moment ago. Concurrent calls wait for each other.
    pub async fn refresh(
        &self,
        state: &AppState,
        refresh_token: &str,
        client: &ClientInfo,
    ) -> Result<TokenPair, AppError> {
        let key = hash_token(refresh_token);
        let mut recent = self.recent.lock().await;
        let now = Instant::now();
        recent.retain(|_, (at, _)| now.duration_since(*at) < self.window);
        if let Some((_, pair)) = recent.get(&key) {
            return Ok(pair.clone());
        }
        let pair = super::auth::refresh_tokens(state, refresh_token, client).await?;
        if !self.window.is_zero() {
            recent.insert(key, (now, pair.clone()));
        }
        Ok(pair)
    }
}
