//! A login flood through the real router: the password pool is bounded, so
//! past its queue a login is answered 503 `busy` with `Retry-After` instead
//! of queueing without end, and requests that need no password still pass.

mod common;

use axum::{
    body::Body,
    http::{header, Request, StatusCode},
};
use common::app_with;
use http_body_util::BodyExt;
use serde_json::json;
use tower::ServiceExt;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn past_the_queue_logins_are_busy_with_retry_after_and_nothing_else_suffers() {
    let app = app_with(&["--password-queue", "2"]).await;
    let bob = app.login_as("session", "bob").await;
    let common::Credential::SessionCookie(bob) = bob else {
        unreachable!()
    };

    let mut flood = tokio::task::JoinSet::new();
    for _ in 0..48 {
        let router = app.router.clone();
        flood.spawn(async move {
            let request = Request::post("/api/jwt/login")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(
                    json!({"username": "alice", "password": "alice-password"}).to_string(),
                ))
                .unwrap();
            let response = router.oneshot(request).await.unwrap();
            let status = response.status();
            let retry_after = response.headers().get(header::RETRY_AFTER).cloned();
            let body = response.into_body().collect().await.unwrap().to_bytes();
            let body: serde_json::Value = serde_json::from_slice(&body).expect("every answer is JSON");
            (status, retry_after, body)
        });
    }
    // Meanwhile a request that needs no password is answered.
    assert_eq!(app.me_with_cookie(&bob).await.status, StatusCode::OK);

    let (mut ok, mut busy) = (0, 0);
    while let Some(result) = flood.join_next().await {
        let (status, retry_after, body) = result.unwrap();
        match status {
            StatusCode::OK => {
                ok += 1;
                assert!(body["access_token"].is_string());
            }
            StatusCode::SERVICE_UNAVAILABLE => {
                busy += 1;
                assert_eq!(body["error"], "busy");
                assert_eq!(retry_after.expect("Retry-After on 503"), "1");
            }
            other => panic!("a flood answer must be 200 or 503, got {other}: {body}"),
        }
    }
    assert!(ok >= 1, "some logins go through");
    assert!(busy >= 1, "2 cores + 2 queue places cannot take 48 at once");
    assert_eq!(ok + busy, 48);
}

#[tokio::test]
async fn rate_limited_answers_say_when_to_try_again() {
    let app = app_with(&["--login-max-failures", "2"]).await;
    let mut last = None;
    for _ in 0..3 {
        last = Some(app.session_login("alice", "wrong-password").await);
    }
    let limited = last.unwrap();
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(limited.error_code(), "rate_limited");
    let retry_after: u64 = limited.headers[header::RETRY_AFTER].to_str().unwrap().parse().unwrap();
    assert!((1..=300).contains(&retry_after), "{retry_after}");
}
