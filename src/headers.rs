//! Security headers on every response, and a bound on request headers.

use crate::error::AppError;
use axum::{
    extract::Request,
    http::{header, HeaderValue},
    middleware::Next,
    response::{IntoResponse, Response},
};

/// No request of ours comes near this (a JWT pair in cookies is under
/// 1 KiB); a bigger head is refused before anything parses it.
pub const MAX_HEADER_BYTES: usize = 16 * 1024;

/// 431 for a request whose headers together exceed [`MAX_HEADER_BYTES`].
pub async fn bound_request_headers(request: Request, next: Next) -> Response {
    let bytes: usize = request
        .headers()
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len())
        .sum();
    if bytes > MAX_HEADER_BYTES {
        return AppError::HeadersTooLarge.into_response();
    }
    next.run(request).await
}

/// The build's files under `/pkg/`: the same for everyone, in every language.
pub fn is_build_asset(path: &str) -> bool {
    path.starts_with("/pkg/")
}

/// Pages set their own Content-Security-Policy (with the nonce of their
/// inline scripts, `app::shell`); every other answer may load nothing.
const STRICT_POLICY: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/// `nosniff`, no framing, no referrer beyond this site (unless an answer
/// set its own: the Lab's attacker page), and `no-store` on
/// everything but the build's static assets: pages and API answers depend
/// on who asks, so no cache (shared or the browser's back button after a
/// logout) may keep them.
pub async fn security_headers(request: Request, next: Next) -> Response {
    let cacheable = is_build_asset(request.uri().path());
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if !headers.contains_key(header::REFERRER_POLICY) {
        headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    }
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(STRICT_POLICY));
    }
    if !cacheable {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}
