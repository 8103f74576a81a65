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

/// A build file whose name carries its content's hash
/// (`/pkg/authlab.<hash>.wasm`): what is at that name never changes.
fn is_hashed_asset(path: &str) -> bool {
    let Some(name) = path.strip_prefix("/pkg/") else {
        return false;
    };
    let parts: Vec<&str> = name.split('.').collect();
    parts.len() >= 3
        && parts[1].len() >= 8
        && parts[1]
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Pages set their own Content-Security-Policy (with the nonce of their
/// inline scripts, `app::shell`); every other answer may load nothing.
const STRICT_POLICY: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/// `nosniff`, no framing, no referrer beyond this site (unless an answer
/// set its own: the Lab's attacker page), and the caching each answer
/// allows: the build's hashed files for a year (a new build has new
/// names), its other files after asking again (`no-cache`: a 304 when
/// unchanged), and nothing else at all (`no-store`): pages and API answers
/// depend on who asks, so no cache (shared or the browser's back button
/// after a logout) may keep them.
pub async fn security_headers(request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let cache = if is_hashed_asset(path) {
        "public, max-age=31536000, immutable"
    } else if is_build_asset(path) {
        "no-cache"
    } else {
        "no-store"
    };
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
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    response
}

#[cfg(test)]
mod tests {
    use super::is_hashed_asset;

    #[test]
    fn only_names_with_a_hash_are_hashed_assets() {
        assert!(is_hashed_asset("/pkg/authlab.Xp3fA9kQ2mL7.wasm"));
        assert!(is_hashed_asset("/pkg/authlab.b3c1d2e4f5a6b7c8.css"));
        assert!(!is_hashed_asset("/pkg/authlab.css"));
        assert!(!is_hashed_asset("/pkg/authlab.wasm.br"));
        assert!(!is_hashed_asset("/favicon.png"));
        assert!(!is_hashed_asset("/pkg.x.abcdefghi.js"));
    }
}
