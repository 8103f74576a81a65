//! Security headers through the real router: a nonce-based policy on pages,
//! a strict one on everything else, and nothing that depends on a
//! credential may be cached.

mod common;

use axum::http::header;
use common::{app, Credential};

#[tokio::test]
async fn pages_carry_a_nonce_policy_that_matches_their_inline_scripts() {
    let app = app().await;
    let page = app.get("/login", &[]).await;
    let policy = page.headers[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .to_owned();
    for directive in [
        "default-src 'self'",
        "'wasm-unsafe-eval'",
        "frame-ancestors 'none'",
        "object-src 'none'",
        "base-uri 'none'",
    ] {
        assert!(policy.contains(directive), "{policy} lacks {directive}");
    }
    assert!(!policy.contains("unsafe-inline"), "{policy}");
    let nonce = policy
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("a nonce in script-src");
    assert!(nonce.len() >= 16, "{nonce}");
    // Every inline script of the page carries it.
    let html = page.text();
    let inline_scripts = html.matches("<script").count();
    assert!(inline_scripts > 0);
    assert_eq!(
        html.matches(&format!("nonce=\"{nonce}\"")).count(),
        inline_scripts,
        "{html}"
    );

    let again = app.get("/login", &[]).await;
    assert_ne!(
        again.headers[header::CONTENT_SECURITY_POLICY],
        policy.as_str(),
        "a new nonce per response"
    );
}

#[tokio::test]
async fn every_answer_is_nosniff_unframed_and_not_stored() {
    let app = app().await;
    let Credential::SessionCookie(cookie) = app.login_as("session", "alice").await else {
        unreachable!()
    };
    for (path, with_cookie) in [
        ("/me", true),
        ("/api/me", true),
        ("/api/me", false),
        ("/", false),
        ("/healthz", false),
    ] {
        let headers: Vec<(header::HeaderName, &str)> = if with_cookie {
            vec![(header::COOKIE, &cookie)]
        } else {
            vec![]
        };
        let reply = app.get(path, &headers).await;
        let get = |name: header::HeaderName| reply.headers.get(&name).map(|value| value.to_str().unwrap().to_owned());
        assert_eq!(
            get(header::X_CONTENT_TYPE_OPTIONS).as_deref(),
            Some("nosniff"),
            "{path}"
        );
        assert_eq!(get(header::X_FRAME_OPTIONS).as_deref(), Some("DENY"), "{path}");
        assert_eq!(get(header::REFERRER_POLICY).as_deref(), Some("same-origin"), "{path}");
        assert_eq!(get(header::CACHE_CONTROL).as_deref(), Some("no-store"), "{path}");
        assert!(
            get(header::CONTENT_SECURITY_POLICY)
                .unwrap()
                .contains("frame-ancestors 'none'"),
            "{path}"
        );
    }
    let json = app.get("/api/me", &[(header::COOKIE, &cookie)]).await;
    assert!(json.headers[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .starts_with("default-src 'none'"));
}

#[tokio::test]
async fn oversized_or_garbage_cookies_and_tokens_get_a_clear_4xx() {
    let app = app().await;
    let huge_cookie = format!("authlab_sid={}", "x".repeat(20 * 1024));
    let reply = app.get("/api/me", &[(header::COOKIE, &huge_cookie)]).await;
    assert_eq!(reply.status.as_u16(), 431);
    assert_eq!(reply.error_code(), "headers_too_large");
    let page = app.get("/me", &[(header::COOKIE, &huge_cookie)]).await;
    assert_eq!(page.status.as_u16(), 431, "pages too");

    let big_token = format!("Bearer {}", "a".repeat(8 * 1024));
    let refused = app.get("/api/me", &[(header::AUTHORIZATION, &big_token)]).await;
    assert_eq!(
        refused.status.as_u16(),
        401,
        "under the head limit, over the token limit: refused unparsed"
    );
    for garbage in [
        "authlab_sid=%%%; authlab_at=..; authlab_rt=~~",
        "authlab_at=a.b.c",
        "=;=;",
    ] {
        let reply = app.get("/api/me", &[(header::COOKIE, garbage)]).await;
        assert!(reply.status.is_client_error(), "{garbage:?}: {}", reply.status);
    }
}

#[tokio::test]
async fn behind_tls_credential_cookies_are_secure_host_only_and_prefixed() {
    let app = common::app_with(&["--secure-cookies", "true"]).await;
    let session = app.session_login("alice", "alice-password").await;
    let set = session
        .set_cookie("__Host-authlab_sid")
        .expect("a __Host- session cookie");
    for attribute in ["Secure", "HttpOnly", "Path=/", "SameSite=Lax"] {
        assert!(set.contains(attribute), "{set} lacks {attribute}");
    }
    assert!(!set.contains("Domain"), "{set}");
    let cookie = session.cookie_pair("__Host-authlab_sid");
    assert_eq!(app.me_with_cookie(&cookie).await.status.as_u16(), 200);
    // The same value under the bare name, as a sibling subdomain could plant it, is no credential.
    let bare = cookie.replacen("__Host-", "", 1);
    assert_eq!(app.me_with_cookie(&bare).await.status.as_u16(), 401);

    let jwt = app
        .post_form(
            "/rpc/login",
            "username=bob&password=bob-password&mode=jwt",
            "/login",
            None,
        )
        .await;
    let access = jwt.cookie_pair("__Host-authlab_at");
    assert!(jwt.set_cookie("__Host-authlab_rt").unwrap().contains("Secure"));
    assert_eq!(app.me_with_cookie(&access).await.status.as_u16(), 200);
}
