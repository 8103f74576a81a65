//! Shared server state, reached through axum `State` and Leptos context.

use crate::{
    auth::{
        cache::{InstanceLock, UserCache},
        instance::Instance,
        jwt::JwtKeys,
        password::PasswordPool,
        recent::RecentTraces,
        session::AppSessionStore,
    },
    config::Config,
    error::AppError,
    services::{login_limit::LoginLimiter, race::Race, refresh_grace::RefreshGrace, settings::RuntimeSettings},
};
use axum::{
    extract::FromRef,
    http::{header::SET_COOKIE, request::Parts, HeaderMap, HeaderValue},
};
use cookie::Cookie;
use leptos::prelude::*;
use std::sync::Arc;

/// The address this server listens on, once it does: the demo clients of
/// the race and the Lab send their requests there, over loopback.
#[derive(Debug, Default)]
pub struct ListenAddress(std::sync::OnceLock<std::net::SocketAddr>);

impl ListenAddress {
    /// `0.0.0.0` (every interface) is reached at the loopback address.
    pub fn set(&self, mut address: std::net::SocketAddr) {
        if address.ip().is_unspecified() {
            address.set_ip(match address {
                std::net::SocketAddr::V4(_) => std::net::Ipv4Addr::LOCALHOST.into(),
                std::net::SocketAddr::V6(_) => std::net::Ipv6Addr::LOCALHOST.into(),
            });
        }
        let _ = self.0.set(address);
    }

    pub fn get(&self) -> Option<std::net::SocketAddr> {
        self.0.get().copied()
    }
}

/// What every request shares, behind one `Arc`: axum clones the state for
/// each middleware that takes it, on every request, and a clone of the
/// fields themselves (about forty reference counts, two strings) took 40%
/// of the server's time on `/livez` under load (perf).
#[derive(Clone)]
pub struct AppState(Arc<SharedState>);

impl AppState {
    pub fn new(shared: SharedState) -> Self {
        AppState(Arc::new(shared))
    }
}

impl std::ops::Deref for AppState {
    type Target = SharedState;

    fn deref(&self) -> &SharedState {
        &self.0
    }
}

pub struct SharedState {
    pub db: crate::db::Db,
    pub config: Arc<Config>,
    pub jwt: Arc<JwtKeys>,
    pub sessions: AppSessionStore,
    /// The users the session path has looked up (`AUTHLAB_SESSION_CACHE`).
    pub users: Arc<UserCache>,
    /// A cached process is alone on its SQLite file (`InstanceLock`).
    pub instance_lock: Option<Arc<InstanceLock>>,
    /// This server's name and its lookups, for a cluster's `/compare`.
    pub instance: Arc<Instance>,
    /// Notified to stop serving (a cluster's restart experiment).
    pub shutdown: Arc<tokio::sync::Notify>,
    pub login_limiter: Arc<LoginLimiter>,
    pub refresh_grace: Arc<RefreshGrace>,
    pub settings: Arc<RuntimeSettings>,
    pub passwords: PasswordPool,
    /// The auth layer's recent traces per mode, for `/compare`.
    pub recent: Arc<RecentTraces>,
    pub race: Arc<Race>,
    pub lab: Arc<crate::lab::Lab>,
    pub address: Arc<ListenAddress>,
    pub leptos_options: LeptosOptions,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// The `Set-Cookie` header values of `cookies`.
fn set_cookie_values<'a>(cookies: &'a [Cookie<'static>]) -> impl Iterator<Item = HeaderValue> + 'a {
    cookies
        .iter()
        .filter_map(|cookie| HeaderValue::from_str(&cookie.to_string()).ok())
}

/// Appends `Set-Cookie` headers.
pub fn append_cookies(headers: &mut HeaderMap, cookies: &[Cookie<'static>]) {
    for value in set_cookie_values(cookies) {
        headers.append(SET_COOKIE, value);
    }
}

/// What a server function needs from the request it runs in.
pub struct ServerFnContext {
    pub state: AppState,
    pub parts: Parts,
}

impl ServerFnContext {
    pub fn get() -> Result<Self, AppError> {
        let state = use_context::<AppState>().ok_or_else(|| AppError::internal("AppState is not in context"))?;
        let parts = use_context::<Parts>().ok_or_else(|| AppError::internal("request parts are not in context"))?;
        Ok(ServerFnContext { state, parts })
    }

    pub fn auth(&self) -> crate::auth::AuthContext {
        crate::auth::AuthContext::from_parts(&self.parts)
    }

    /// The language this request was answered in (`i18n::server::negotiate_locale`).
    pub fn locale(&self) -> crate::i18n::Locale {
        self.parts
            .extensions
            .get::<crate::i18n::Locale>()
            .copied()
            .unwrap_or_default()
    }

    pub fn session(&self) -> Option<tower_sessions::Session> {
        self.parts.extensions.get::<tower_sessions::Session>().cloned()
    }

    pub fn client(&self) -> crate::auth::refresh::ClientInfo {
        crate::services::auth::client_info(&self.parts.headers, &self.parts.extensions)
    }

    /// Server functions answer errors with 500 unless told otherwise: give
    /// the error its real status (also to a page rendering it, so a user on
    /// an admin page gets a 403). A plain HTML form post is left alone, as
    /// the framework answers it with a redirect back to the form.
    pub fn respond<T>(&self, result: Result<T, AppError>) -> Result<T, AppError> {
        if let Err(err) = &result {
            let is_form_post = self.parts.method == axum::http::Method::POST
                && self
                    .parts
                    .headers
                    .get(axum::http::header::ACCEPT)
                    .and_then(|value| value.to_str().ok())
                    .is_some_and(|accept| accept.contains("text/html"));
            if !is_form_post {
                if let (Some(response), Ok(status)) = (
                    use_context::<leptos_axum::ResponseOptions>(),
                    axum::http::StatusCode::from_u16(err.status_code()),
                ) {
                    response.set_status(status);
                }
            }
        }
        result
    }

    pub fn set_cookies(&self, cookies: &[Cookie<'static>]) {
        if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
            for value in set_cookie_values(cookies) {
                response.append_header(SET_COOKIE, value);
            }
        }
    }
}
