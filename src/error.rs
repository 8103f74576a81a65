//! The one error type. Server functions return it to the UI, the JSON API
//! turns it into `{"error": code, "message": text}` with a matching status.

use crate::model::{BadInput, Denial, RefreshFailure, RefreshProblem, Refusal};
use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};
use serde::{Deserialize, Serialize};
use std::fmt;

/// What went wrong, structured: each language's catalog tells it
/// (`Messages::error`); `Display` is the English telling, for logs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum AppError {
    /// Same message for an unknown user and a wrong password: the answer must
    /// not reveal which accounts exist.
    InvalidCredentials,
    Unauthenticated,
    /// A credential was presented but refused (bad signature, expired, ...);
    /// the code stays `unauthenticated`, the message says why.
    CredentialRefused(Refusal),
    /// Someone is logged in but may not do this; the message says why.
    Forbidden(Denial),
    /// Re-entering the current password (to change it) went wrong.
    WrongPassword,
    UsernameTaken(String),
    LastAdmin,
    /// A race action while no race runs.
    NoRace,
    RefreshReused,
    InvalidRefreshToken(RefreshProblem),
    BadRequest(BadInput),
    PayloadTooLarge,
    RateLimited(u64),
    NotFound,
    /// Details are logged on the server; the client sees only this.
    Internal,
    /// Transport errors raised by the server-function machinery itself.
    ServerFn(String),
    /// A state-changing request sent by another site's page.
    CrossSite,
    /// Every password worker is taken and the queue is full.
    Busy,
    /// The request's headers (cookies, tokens) are beyond any real client's.
    HeadersTooLarge,
    /// `/readyz`: the database or the session store does not answer.
    NotReady,
}

impl fmt::Display for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(crate::i18n::Locale::En))
    }
}

impl std::error::Error for AppError {}

impl From<&AppError> for RefreshFailure {
    fn from(err: &AppError) -> Self {
        match err {
            AppError::RefreshReused => RefreshFailure::Reused,
            AppError::InvalidRefreshToken(problem) => RefreshFailure::Invalid(*problem),
            _ => RefreshFailure::ServerError,
        }
    }
}

impl AppError {
    /// What a person reads, in their language.
    pub fn message(&self, locale: crate::i18n::Locale) -> String {
        (locale.basics().error)(self)
    }

    /// The stable machine-readable code of the JSON API.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::InvalidCredentials => "invalid_credentials",
            AppError::Unauthenticated => "unauthenticated",
            AppError::CredentialRefused(_) => "unauthenticated",
            AppError::Forbidden(_) => "forbidden",
            AppError::WrongPassword => "wrong_password",
            AppError::UsernameTaken(_) => "username_taken",
            AppError::LastAdmin => "last_admin",
            AppError::NoRace => "no_race",
            AppError::RefreshReused => "refresh_reused",
            AppError::InvalidRefreshToken(_) => "invalid_refresh_token",
            AppError::BadRequest(_) => "bad_request",
            AppError::PayloadTooLarge => "payload_too_large",
            AppError::RateLimited(_) => "rate_limited",
            AppError::NotFound => "not_found",
            AppError::Internal => "internal",
            AppError::CrossSite => "csrf",
            AppError::Busy => "busy",
            AppError::NotReady => "not_ready",
            AppError::HeadersTooLarge => "headers_too_large",
            AppError::ServerFn(_) => "server_fn",
        }
    }

    pub fn status_code(&self) -> u16 {
        match self {
            AppError::InvalidCredentials
            | AppError::Unauthenticated
            | AppError::CredentialRefused(_)
            | AppError::RefreshReused
            | AppError::InvalidRefreshToken(_) => 401,
            AppError::Forbidden(_) | AppError::WrongPassword | AppError::CrossSite => 403,
            AppError::UsernameTaken(_) | AppError::LastAdmin | AppError::NoRace => 409,
            AppError::BadRequest(_) | AppError::ServerFn(_) => 400,
            AppError::NotFound => 404,
            AppError::PayloadTooLarge => 413,
            AppError::RateLimited(_) => 429,
            AppError::Internal => 500,
            AppError::Busy => 503,
            AppError::NotReady => 503,
            AppError::HeadersTooLarge => 431,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::ServerFn(value.to_string())
    }
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::{AppError, BadInput};
    use axum::{
        extract::rejection::{JsonRejection, PathRejection, QueryRejection},
        http::{header, HeaderValue, StatusCode},
        response::{IntoResponse, Response},
        Json,
    };

    impl AppError {
        /// Logs the real cause and hides it from the client.
        pub fn internal(cause: impl std::fmt::Display) -> Self {
            tracing::error!(%cause, "internal error");
            AppError::Internal
        }
    }

    impl From<sqlx::Error> for AppError {
        fn from(err: sqlx::Error) -> Self {
            AppError::internal(err)
        }
    }

    impl From<tower_sessions::session::Error> for AppError {
        fn from(err: tower_sessions::session::Error) -> Self {
            AppError::internal(err)
        }
    }

    impl From<tower_sessions::session_store::Error> for AppError {
        fn from(err: tower_sessions::session_store::Error) -> Self {
            AppError::internal(err)
        }
    }

    impl From<JsonRejection> for AppError {
        fn from(rejection: JsonRejection) -> Self {
            match rejection {
                JsonRejection::BytesRejection(_) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                    AppError::PayloadTooLarge
                }
                other => AppError::BadRequest(BadInput::Unreadable(other.body_text())),
            }
        }
    }

    impl From<QueryRejection> for AppError {
        fn from(rejection: QueryRejection) -> Self {
            AppError::BadRequest(BadInput::Unreadable(rejection.body_text()))
        }
    }

    impl From<PathRejection> for AppError {
        fn from(rejection: PathRejection) -> Self {
            AppError::BadRequest(BadInput::Unreadable(rejection.body_text()))
        }
    }

    impl AppError {
        /// The JSON API's body: `{"error": code, "message": text}`.
        pub fn json_body(&self, locale: crate::i18n::Locale) -> serde_json::Value {
            serde_json::json!({ "error": self.code(), "message": self.message(locale) })
        }
    }

    impl IntoResponse for AppError {
        fn into_response(self) -> Response {
            let status = StatusCode::from_u16(self.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let mut response = (status, Json(self.json_body(crate::i18n::Locale::En))).into_response();
            // When to try again: the rest of the failure window, or a second.
            let retry_after = match &self {
                AppError::RateLimited(seconds) => Some(*seconds),
                AppError::Busy => Some(1),
                _ => None,
            };
            if let Some(seconds) = retry_after {
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
            }
            // `i18n::server::negotiate_locale` tells it again in the client's language.
            response.extensions_mut().insert(self.clone());
            if status == StatusCode::UNAUTHORIZED {
                // RFC 6750: tell Bearer clients what went wrong with their token.
                let challenge = match &self {
                    AppError::CredentialRefused(_) => r#"Bearer error="invalid_token""#,
                    _ => "Bearer",
                };
                response
                    .headers_mut()
                    .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static(challenge));
            }
            response
        }
    }
}
