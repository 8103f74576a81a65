//! The classic attacks on session and token authentication (OWASP ASVS 5.0
//! V7 and V9, RFC 8725), one table, each through the real router, each
//! with the check that must refuse it.

mod common;

use axum::http::{header, StatusCode};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use common::{app, app_with, Credential, TestApp, SECRET};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{json, Value};

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// The claims of a real token of alice's, to forge variations of.
async fn real_claims(app: &TestApp) -> (String, Value) {
    let Credential::Bearer { access, .. } = app.login_as("jwt", "alice").await else {
        unreachable!()
    };
    let payload = access.split('.').nth(1).unwrap();
    let claims = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap();
    (access, claims)
}

fn sign(header: Header, claims: &Value, key: &[u8]) -> String {
    jsonwebtoken::encode(&header, claims, &EncodingKey::from_secret(key)).unwrap()
}

fn with(claims: &Value, change: impl FnOnce(&mut serde_json::Map<String, Value>)) -> Value {
    let mut claims = claims.clone();
    change(claims.as_object_mut().unwrap());
    claims
}

fn unsigned(header: Value, claims: &Value) -> String {
    let part = |value: &Value| URL_SAFE_NO_PAD.encode(value.to_string());
    format!("{}.{}.", part(&header), part(claims))
}

#[tokio::test]
async fn forged_and_broken_access_tokens_are_refused_by_the_check_named() {
    let app = app().await;
    let (real, claims) = real_claims(&app).await;
    let key = SECRET.as_bytes();
    let hs256 = || Header::new(Algorithm::HS256);
    let tampered = {
        let parts: Vec<&str> = real.split('.').collect();
        let admin = with(&claims, |c| {
            c.insert("role".into(), json!("admin"));
        });
        format!(
            "{}.{}.{}",
            parts[0],
            URL_SAFE_NO_PAD.encode(admin.to_string()),
            parts[2]
        )
    };
    let with_header = |change: fn(&mut Header)| {
        let mut header = hs256();
        change(&mut header);
        header
    };
    let cases: Vec<(&str, String, &str)> = vec![
        ("payload changed, not re-signed (role: admin)", tampered, "signature"),
        (
            "alg: none",
            unsigned(json!({"alg": "none", "typ": "JWT"}), &claims),
            "token",
        ),
        (
            "HS512 with the same key",
            sign(Header::new(Algorithm::HS512), &claims, key),
            "HS256",
        ),
        (
            "signed with another key",
            sign(hs256(), &claims, b"another-key-another-key-another-k"),
            "signature",
        ),
        (
            "exp passed",
            sign(
                hs256(),
                &with(&claims, |c| {
                    c.insert("exp".into(), json!(now() - 60));
                }),
                key,
            ),
            "expired",
        ),
        (
            "exp as a string",
            sign(
                hs256(),
                &with(&claims, |c| {
                    c.insert("exp".into(), json!("9999999999"));
                }),
                key,
            ),
            "token",
        ),
        (
            "exp missing",
            sign(
                hs256(),
                &with(&claims, |c| {
                    c.remove("exp");
                }),
                key,
            ),
            "exp",
        ),
        (
            "nbf in the future",
            sign(
                hs256(),
                &with(&claims, |c| {
                    c.insert("nbf".into(), json!(now() + 600));
                }),
                key,
            ),
            "nbf",
        ),
        (
            "wrong audience",
            sign(
                hs256(),
                &with(&claims, |c| {
                    c.insert("aud".into(), json!("someone-else"));
                }),
                key,
            ),
            "aud",
        ),
        (
            "wrong issuer",
            sign(
                hs256(),
                &with(&claims, |c| {
                    c.insert("iss".into(), json!("evil"));
                }),
                key,
            ),
            "iss",
        ),
        (
            "unknown kid",
            sign(with_header(|h| h.kid = Some("ffffffffffffffff".into())), &claims, key),
            "kid",
        ),
        (
            "jku pointing at the attacker's key set",
            sign(
                with_header(|h| h.jku = Some("https://evil.example/jwks.json".into())),
                &claims,
                b"attacker-key-attacker-key-attacke",
            ),
            "signature",
        ),
        (
            "oversized",
            format!("{}.{}.x", "a".repeat(3000), "b".repeat(3000)),
            "large",
        ),
    ];
    for (attack, token, check) in cases {
        let reply = app.me_with_bearer(&token).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{attack}: {}", reply.body);
        let message = reply.body["message"].as_str().unwrap();
        assert!(message.contains(check), "{attack}: {message:?} does not name {check:?}");
    }
    assert_eq!(
        app.me_with_bearer(&real).await.status,
        StatusCode::OK,
        "the real one still works"
    );
}

#[tokio::test]
async fn a_refresh_token_is_no_access_token() {
    let app = app().await;
    let Credential::Bearer { refresh, .. } = app.login_as("jwt", "alice").await else {
        unreachable!()
    };
    assert_eq!(app.me_with_bearer(&refresh).await.status, StatusCode::UNAUTHORIZED);
    let as_cookie = app.me_with_cookie(&format!("authlab_at={refresh}")).await;
    assert_eq!(as_cookie.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn session_fixation_and_made_up_ids_are_never_adopted() {
    let app = app().await;
    let planted = "authlab_sid=planted-by-the-attacker-0123456789";
    assert_eq!(
        app.me_with_cookie(planted).await.status,
        StatusCode::UNAUTHORIZED,
        "a never-issued id"
    );
    let login = app
        .send(
            axum::http::Request::post("/api/session/login")
                .header(header::CONTENT_TYPE, "application/json")
                .header(header::COOKIE, planted)
                .body(axum::body::Body::from(
                    json!({"username": "alice", "password": "alice-password"}).to_string(),
                ))
                .unwrap(),
        )
        .await;
    assert_eq!(login.status, StatusCode::OK);
    let issued = login.cookie_pair("authlab_sid");
    assert_ne!(issued, planted, "the server issues its own id at login");
    assert_eq!(
        app.me_with_cookie(planted).await.status,
        StatusCode::UNAUTHORIZED,
        "the planted id stays dead"
    );
    assert_eq!(app.me_with_cookie(&issued).await.status, StatusCode::OK);
}

#[tokio::test]
async fn replay_after_logout_per_mode() {
    // Session: the record is gone, the cookie is dead at once.
    let app = app().await;
    let Credential::SessionCookie(cookie) = app.login_as("session", "alice").await else {
        unreachable!()
    };
    let logout = app.send(
        axum::http::Request::post("/api/logout")
            .header(header::COOKIE, &cookie)
            .body(axum::body::Body::empty())
            .unwrap(),
    );
    assert_eq!(logout.await.status, StatusCode::NO_CONTENT);
    assert_eq!(app.me_with_cookie(&cookie).await.status, StatusCode::UNAUTHORIZED);

    // JWT: the access token is accepted until its exp (stateless) ...
    for (strict, after_logout) in [("false", StatusCode::OK), ("true", StatusCode::UNAUTHORIZED)] {
        let app = app_with(&["--jwt-strict-revocation", strict]).await;
        let credential = app.login_as("jwt", "bob").await;
        let Credential::Bearer { access, .. } = &credential else {
            unreachable!()
        };
        let logout = app
            .call(axum::http::Method::POST, "/api/logout", None, &credential)
            .await;
        assert_eq!(logout.status, StatusCode::NO_CONTENT);
        // ... unless strict revocation looks its login up.
        assert_eq!(
            app.me_with_bearer(access).await.status,
            after_logout,
            "strict revocation {strict}"
        );
    }
}
