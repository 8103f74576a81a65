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

/// A JSON login as if from `address`, as `axum::serve` reports the peer.
async fn login_from(app: &common::TestApp, address: [u8; 4], username: &str, password: &str) -> common::Reply {
    let mut request = Request::post("/api/session/login")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(
            json!({"username": username, "password": password}).to_string(),
        ))
        .unwrap();
    let peer = std::net::SocketAddr::from((address, 40000));
    request.extensions_mut().insert(axum::extract::ConnectInfo(peer));
    app.send(request).await
}

#[tokio::test]
async fn an_account_under_attack_is_limited_everywhere_and_others_still_log_in() {
    let app = app_with(&["--login-max-failures", "3", "--login-max-failures-per-address", "100"]).await;
    for address in [[10, 0, 0, 1], [10, 0, 0, 2], [10, 0, 0, 3]] {
        assert_eq!(
            login_from(&app, address, "alice", "guess").await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    // From a fourth address, even with her right password: the account waits.
    let limited = login_from(&app, [10, 0, 0, 4], "alice", "alice-password").await;
    assert_eq!(limited.error_code(), "rate_limited");
    assert!(limited.headers.contains_key(header::RETRY_AFTER));
    // An unknown account is limited alike: the answer reveals nothing.
    for _ in 0..3 {
        login_from(&app, [10, 0, 0, 5], "nobody", "guess").await;
    }
    assert_eq!(
        login_from(&app, [10, 0, 0, 5], "nobody", "guess").await.error_code(),
        "rate_limited"
    );
    // Bob, from an address that failed for alice, is not affected.
    assert_eq!(
        login_from(&app, [10, 0, 0, 1], "bob", "bob-password").await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn an_address_spraying_usernames_is_limited_and_other_addresses_are_not() {
    let app = app_with(&["--login-max-failures", "10", "--login-max-failures-per-address", "4"]).await;
    let sprayer = [192, 0, 2, 66];
    for name in ["ann", "ben", "cat", "dan"] {
        assert_eq!(
            login_from(&app, sprayer, name, "password1").await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(
        login_from(&app, sprayer, "bob", "bob-password").await.error_code(),
        "rate_limited"
    );
    assert_eq!(
        login_from(&app, [192, 0, 2, 7], "bob", "bob-password").await.status,
        StatusCode::OK
    );
}
