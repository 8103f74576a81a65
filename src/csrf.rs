//! One rule against cross-site request forgery, for every state-changing
//! request: JSON API, server functions, plain form posts, login and logout.
//!
//! A browser says where a request comes from: `Sec-Fetch-Site` (every
//! current browser) or at least `Origin`. A request that another site's
//! page sent is refused with 403 `csrf`. Requests that carry neither header
//! come from no browser page (curl, mobile clients) and pass, as do
//! requests with an `Authorization` header: no page of another site can
//! attach one without a CORS preflight, which this server never grants.
//! This is the rule of Go's `http.CrossOriginProtection` and of the OWASP
//! Fetch Metadata guidance.

use crate::{error::AppError, state::AppState};
use axum::{
    extract::{Request, State},
    http::{header, HeaderMap, Method},
    middleware::Next,
    response::{IntoResponse, Response},
};

/// Whether `headers` of a `method` request may change state here.
pub fn allowed(method: &Method, headers: &HeaderMap, trusted_origins: &[String]) -> bool {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE) {
        return true;
    }
    if headers.contains_key(header::AUTHORIZATION) {
        return true;
    }
    if let Some(site) = headers.get("sec-fetch-site") {
        // `none`: typed into the address bar or opened from a bookmark.
        return matches!(site.as_bytes(), b"same-origin" | b"none");
    }
    let Some(origin) = headers.get(header::ORIGIN) else {
        return true;
    };
    let Ok(origin) = origin.to_str() else {
        return false;
    };
    let same_host = headers
        .get(header::HOST)
        .and_then(|host| host.to_str().ok())
        .zip(origin.split_once("://"))
        .is_some_and(|(host, (_, origin_host))| origin_host.eq_ignore_ascii_case(host));
    same_host
        || trusted_origins
            .iter()
            .any(|trusted| trusted.eq_ignore_ascii_case(origin))
}

pub async fn refuse_cross_site(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if allowed(request.method(), request.headers(), &state.config.origins) {
        next.run(request).await
    } else {
        tracing::info!(method = %request.method(), path = %request.uri().path(), "cross-site request refused");
        AppError::CrossSite.into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::allowed;
    use axum::http::{HeaderMap, HeaderValue, Method};

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        pairs
            .iter()
            .map(|(name, value)| (name.parse().unwrap(), HeaderValue::from_static(value)))
            .collect()
    }

    #[test]
    fn fetch_metadata_decides_when_present() {
        for (site, expected) in [
            ("same-origin", true),
            ("none", true),
            ("same-site", false),
            ("cross-site", false),
        ] {
            let request = headers(&[
                ("sec-fetch-site", site),
                ("origin", "http://127.0.0.1:3000"),
                ("host", "127.0.0.1:3000"),
            ]);
            assert_eq!(allowed(&Method::POST, &request, &[]), expected, "{site}");
        }
    }

    #[test]
    fn without_fetch_metadata_the_origin_must_be_this_site() {
        let host = ("host", "127.0.0.1:3000");
        assert!(allowed(
            &Method::POST,
            &headers(&[("origin", "http://127.0.0.1:3000"), host]),
            &[]
        ));
        assert!(!allowed(
            &Method::DELETE,
            &headers(&[("origin", "https://evil.example"), host]),
            &[]
        ));
        assert!(!allowed(&Method::PUT, &headers(&[("origin", "null"), host]), &[]));
        assert!(!allowed(
            &Method::POST,
            &headers(&[("origin", "http://localhost:3000"), host]),
            &[]
        ));
        let trusted = ["https://demo.example".to_owned()];
        assert!(allowed(
            &Method::POST,
            &headers(&[("origin", "https://demo.example"), host]),
            &trusted
        ));
    }

    #[test]
    fn non_browser_clients_bearer_tokens_and_reads_pass() {
        assert!(
            allowed(&Method::POST, &HeaderMap::new(), &[]),
            "curl sends neither header"
        );
        let bearer = headers(&[("authorization", "Bearer x"), ("sec-fetch-site", "cross-site")]);
        assert!(allowed(&Method::POST, &bearer, &[]));
        let cross_get = headers(&[("sec-fetch-site", "cross-site"), ("origin", "https://evil.example")]);
        assert!(allowed(&Method::GET, &cross_get, &[]), "GET changes nothing");
    }
}
