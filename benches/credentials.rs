//! What resolving each kind of credential costs per request, through the
//! real router on a temporary SQLite file:
//!
//! ```sh
//! make bench    # cargo bench --features ssr --bench credentials
//! ```
//!
//! Prints, for `GET /api/me`, the median and 99th percentile time per mode,
//! and the bytes of credential headers each request carries.

use authlab::{config::Config, server};
use axum::{
    body::Body,
    http::{header, Method, Request, StatusCode},
    Router,
};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use std::time::{Duration, Instant};
use tower::ServiceExt;

const WARM_UP: usize = 200;
const ROUNDS: usize = 3000;

async fn send(router: &Router, request: Request<Body>) -> (StatusCode, Vec<String>, Value) {
    let response = router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let set_cookies = response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .map(|value| value.split(';').next().unwrap_or_default().to_owned())
        .collect();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    (status, set_cookies, body)
}

fn json_request(method: Method, path: &str, body: Value, cookie: Option<&str>) -> Request<Body> {
    let mut request = Request::builder()
        .method(method)
        .uri(path)
        .header(header::CONTENT_TYPE, "application/json");
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    request.body(Body::from(body.to_string())).unwrap()
}

async fn session_cookie(router: &Router, username: &str) -> String {
    let credentials = json!({"username": username, "password": format!("{username}-password")});
    let (status, cookies, _) = send(
        router,
        json_request(Method::POST, "/api/session/login", credentials, None),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    cookies
        .into_iter()
        .find(|cookie| cookie.starts_with("authlab_sid="))
        .unwrap()
}

/// Times `GET /api/me` with one credential header; answers (median, p99).
async fn measure(router: &Router, name: header::HeaderName, value: &str) -> (Duration, Duration) {
    let request = || {
        Request::builder()
            .uri("/api/me")
            .header(name.clone(), value)
            .body(Body::empty())
            .unwrap()
    };
    for _ in 0..WARM_UP {
        assert_eq!(send(router, request()).await.0, StatusCode::OK);
    }
    let mut times = Vec::with_capacity(ROUNDS);
    for _ in 0..ROUNDS {
        let started = Instant::now();
        let (status, _, _) = send(router, request()).await;
        times.push(started.elapsed());
        assert_eq!(status, StatusCode::OK);
    }
    times.sort();
    (times[ROUNDS / 2], times[ROUNDS * 99 / 100])
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("bench.db").display());
    let data_dir = dir.path().display().to_string();
    let config = Config::from_args([
        "authlab",
        "--database-url",
        &url,
        "--data-dir",
        &data_dir,
        "--jwt-secret",
        "benchmark-secret-of-at-least-thirty-two-bytes",
    ])
    .unwrap();
    let leptos_options = leptos::prelude::get_configuration(Some("Cargo.toml"))
        .unwrap()
        .leptos_options;
    let state = server::build_state(config, leptos_options).await.unwrap();
    let router = server::router(state);

    let session = session_cookie(&router, "alice").await;
    let credentials = json!({"username": "bob", "password": "bob-password"});
    let (_, _, pair) = send(&router, json_request(Method::POST, "/api/jwt/login", credentials, None)).await;
    let bearer = format!("Bearer {}", pair["access_token"].as_str().unwrap());
    let admin = session_cookie(&router, "admin").await;

    println!("GET /api/me through the real router, {ROUNDS} requests each after {WARM_UP} to warm up");
    println!(
        "{:<36} {:>10} {:>10} {:>14}",
        "credential", "median", "p99", "header bytes"
    );
    let report = |label: &str, (median, p99): (Duration, Duration), bytes: usize| {
        println!(
            "{label:<36} {:>8} µs {:>8} µs {bytes:>14}",
            median.as_micros(),
            p99.as_micros()
        );
    };
    report(
        "session cookie (store lookup)",
        measure(&router, header::COOKIE, &session).await,
        session.len(),
    );
    report(
        "JWT bearer (signature only)",
        measure(&router, header::AUTHORIZATION, &bearer).await,
        bearer.len(),
    );
    let strict_on = json!({"strict_revocation": true});
    let (status, _, _) = send(
        &router,
        json_request(Method::PUT, "/api/admin/settings", strict_on, Some(&admin)),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    report(
        "JWT bearer, strict revocation",
        measure(&router, header::AUTHORIZATION, &bearer).await,
        bearer.len(),
    );
}
