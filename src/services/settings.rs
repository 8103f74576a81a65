//! Settings an admin can change while the server runs. They start from the
//! configuration and live in this process only.

use crate::{
    auth::{guard::Admin, refresh::ClientInfo},
    error::AppError,
    model::{AuditDetail, AuditEvent, BadInput, Settings},
    services::audit::{self, Entry, Outcome},
    state::AppState,
};
use serde::Deserialize;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};

/// A limit beyond this is a typo, not a policy.
pub const MAX_LOGINS_LIMIT: u32 = 1000;

#[derive(Debug)]
pub struct RuntimeSettings {
    strict_revocation: AtomicBool,
    max_logins_per_user: AtomicU32,
}

impl RuntimeSettings {
    pub fn new(initial: Settings) -> Self {
        RuntimeSettings {
            strict_revocation: AtomicBool::new(initial.strict_revocation),
            max_logins_per_user: AtomicU32::new(initial.max_logins_per_user),
        }
    }

    pub fn get(&self) -> Settings {
        Settings {
            strict_revocation: self.strict_revocation(),
            max_logins_per_user: self.max_logins_per_user(),
        }
    }

    pub fn strict_revocation(&self) -> bool {
        self.strict_revocation.load(Ordering::Relaxed)
    }

    pub fn max_logins_per_user(&self) -> u32 {
        self.max_logins_per_user.load(Ordering::Relaxed)
    }

    /// Takes another instance's settings (a change made through it).
    pub fn apply(&self, settings: Settings) {
        self.strict_revocation
            .store(settings.strict_revocation, Ordering::Relaxed);
        self.max_logins_per_user
            .store(settings.max_logins_per_user, Ordering::Relaxed);
    }
}

/// A partial update: absent fields keep their value.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SettingsChange {
    pub strict_revocation: Option<bool>,
    pub max_logins_per_user: Option<u32>,
}

pub async fn update(
    state: &AppState,
    admin: Admin<'_>,
    client: &ClientInfo,
    change: SettingsChange,
) -> Result<Settings, AppError> {
    if change.max_logins_per_user.is_some_and(|limit| limit > MAX_LOGINS_LIMIT) {
        return Err(AppError::BadRequest(BadInput::LoginLimitRange(MAX_LOGINS_LIMIT)));
    }
    let settings = &state.settings;
    let before = settings.get();
    if let Some(strict) = change.strict_revocation {
        settings.strict_revocation.store(strict, Ordering::Relaxed);
    }
    if let Some(limit) = change.max_logins_per_user {
        settings.max_logins_per_user.store(limit, Ordering::Relaxed);
    }
    let after = settings.get();
    if after != before {
        let detail = AuditDetail::SettingsChanged { before, after };
        tracing::info!(by = %admin.principal().username, detail = %detail.english(), "settings changed");
        let entry = Entry::new(AuditEvent::SettingsChanged, Outcome::Ok)
            .principal(admin.principal())
            .detail(detail);
        audit::record(&state.db, client, entry).await;
        super::cluster::share_settings(state, after).await;
    }
    Ok(after)
}
