//! The caches in front of each mode's check. The session cache
//! (`AUTHLAB_SESSION_CACHE`): a session request costs no query once its
//! record and user are known, and a forced logout or a role change still
//! counts at the very next request. The JWT cache (`AUTHLAB_JWT_CACHE`): a
//! token is verified in full once, then only its `exp` is checked again.

mod common;

use authlab::{config::Config, server};
use axum::http::{header, Method, StatusCode};
use common::{Credential, TestApp};
use serde_json::json;
use tower_sessions::session::Id;

fn session_id(credential: &Credential) -> Id {
    let Credential::SessionCookie(cookie) = credential else {
        panic!("not a session login: {credential:?}")
    };
    cookie.trim_start_matches("authlab_sid=").parse().unwrap()
}

async fn me(app: &TestApp, credential: &Credential) -> common::Reply {
    app.call(Method::GET, "/api/me", None, credential).await
}

async fn set_role(app: &TestApp, admin: &Credential, username: &str, role: &str) {
    let reply = app
        .call(
            Method::PUT,
            &format!("/api/admin/users/{username}/role"),
            Some(json!({ "role": role })),
            admin,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
}

#[tokio::test]
async fn a_known_session_is_answered_from_the_cache_without_a_query() {
    let app = common::sqlite_app(&[]).await;
    let alice = app.login_as("session", "alice").await;
    assert!(app.state.sessions.is_cached(&session_id(&alice)), "a login fills it");
    assert_eq!(me(&app, &alice).await.status, StatusCode::OK);

    // Take the database away: only a cache can still answer.
    authlab::on_db!(&app.state.db, |pool| sqlx::query("DELETE FROM tower_sessions")
        .execute(pool)
        .await
        .map(|done| done.rows_affected()))
    .unwrap();
    let Credential::SessionCookie(cookie) = &alice else {
        unreachable!()
    };
    let page = app.get("/me", &[(header::COOKIE, cookie)]).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.text()
            .contains("found the session record in this process&#x27;s cache")
            || page.text().contains("found the session record in this process's cache"),
        "the trace says where the record came from"
    );
    assert!(
        page.text()
            .contains("read the user&#x27;s current name and role from this process")
            || page
                .text()
                .contains("read the user's current name and role from this process")
    );
}

#[tokio::test]
async fn a_forced_logout_is_immediate_with_the_cache() {
    let app = common::sqlite_app(&[]).await;
    let admin = app.login_as("session", "admin").await;
    let alice = app.login_as("session", "alice").await;
    for _ in 0..3 {
        assert_eq!(me(&app, &alice).await.status, StatusCode::OK);
    }
    assert!(app.state.sessions.is_cached(&session_id(&alice)));
    let login = app.state.sessions.cached_auth(&session_id(&alice));
    assert!(
        login.is_some_and(|auth| auth.user_id > 0),
        "the auth layer reads the login in place"
    );

    let reply = app
        .call(Method::POST, "/api/admin/users/alice/logout", None, &admin)
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert!(!app.state.sessions.is_cached(&session_id(&alice)));
    assert_eq!(app.state.sessions.cached_auth(&session_id(&alice)), None);
    assert_eq!(me(&app, &alice).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(me(&app, &admin).await.status, StatusCode::OK, "only alice's entry went");
}

#[tokio::test]
async fn a_role_change_counts_at_the_next_session_request() {
    let app = common::sqlite_app(&[]).await;
    let admin = app.login_as("session", "admin").await;
    let bob = app.login_as("session", "bob").await;
    assert_eq!(me(&app, &bob).await.body["role"], "user");
    assert_eq!(me(&app, &bob).await.body["role"], "user", "now from the cache");

    set_role(&app, &admin, "bob", "admin").await;
    assert_eq!(me(&app, &bob).await.body["role"], "admin");
    set_role(&app, &admin, "bob", "user").await;
    assert_eq!(me(&app, &bob).await.body["role"], "user");
}

#[tokio::test]
async fn zero_turns_the_cache_off() {
    let app = common::sqlite_app(&["--session-cache", "0"]).await;
    let alice = app.login_as("session", "alice").await;
    assert_eq!(me(&app, &alice).await.status, StatusCode::OK);
    assert!(!app.state.sessions.is_cached(&session_id(&alice)));
    assert_eq!(app.state.sessions.cached_records(), 0);
}

#[tokio::test]
async fn a_second_process_on_the_file_of_a_cached_one_is_refused() {
    let app = common::sqlite_app(&[]).await;
    let args = |cache: &'static str| {
        vec![
            "authlab".to_owned(),
            "--database-url".to_owned(),
            app.state.config.database_url.clone(),
            "--jwt-secret".to_owned(),
            common::SECRET.to_owned(),
            "--data-dir".to_owned(),
            app.state.config.data_dir.display().to_string(),
            "--session-cache".to_owned(),
            cache.to_owned(),
            "--session-store".to_owned(),
            "sqlite".to_owned(),
        ]
    };
    let options = || server::leptos_options().unwrap();
    let second = server::build_state(Config::from_args(args("10000")).unwrap(), options()).await;
    let err = second.err().expect("refused").to_string();
    assert!(err.contains("another Auth Lab process serves"), "{err}");

    // Not even without a cache: the first one's cache would miss its changes.
    let uncached = server::build_state(Config::from_args(args("0")).unwrap(), options()).await;
    assert!(uncached.is_err());
}

#[tokio::test]
async fn an_expired_record_in_the_cache_is_refused() {
    use tower_sessions::SessionStore;
    let app = common::sqlite_app(&[]).await;
    let alice = app.login_as("session", "alice").await;
    let id = session_id(&alice);
    let mut record = app.state.sessions.load(&id).await.unwrap().unwrap();
    record.expiry_date = time::OffsetDateTime::now_utc() - time::Duration::seconds(1);
    app.state.sessions.save(&record).await.unwrap();
    assert!(app.state.sessions.is_cached(&id), "saved as it is, expiry and all");
    assert_eq!(me(&app, &alice).await.status, StatusCode::UNAUTHORIZED);
    assert!(!app.state.sessions.is_cached(&id), "and then forgotten");
}

#[tokio::test]
async fn activity_after_a_minute_extends_a_cached_session() {
    use authlab::auth::session::{SessionAuth, AUTH_KEY};
    use tower_sessions::SessionStore;
    let app = common::sqlite_app(&[]).await;
    let alice = app.login_as("session", "alice").await;
    let id = session_id(&alice);
    // Her last request two minutes ago, and the record's idle expiry near.
    let mut record = app.state.sessions.load(&id).await.unwrap().unwrap();
    let mut auth: SessionAuth = serde_json::from_value(record.data[AUTH_KEY].clone()).unwrap();
    auth.last_seen_at -= 120;
    record
        .data
        .insert(AUTH_KEY.into(), serde_json::to_value(&auth).unwrap());
    let soon = time::OffsetDateTime::now_utc() + time::Duration::seconds(30);
    record.expiry_date = soon;
    app.state.sessions.save(&record).await.unwrap();
    assert_eq!(
        app.state.sessions.cached_auth(&id),
        Some(auth.clone()),
        "cached as saved"
    );

    assert_eq!(me(&app, &alice).await.status, StatusCode::OK);
    let touched = app.state.sessions.cached_auth(&id).expect("still cached");
    assert!(touched.last_seen_at >= auth.last_seen_at + 120, "{touched:?}");
    let record = app.state.sessions.load(&id).await.unwrap().unwrap();
    assert!(
        record.expiry_date > soon + time::Duration::seconds(60),
        "the idle expiry moved on"
    );
}

/// `/me` with one access token, as a browser holds it: the page's trace.
async fn me_page_with_token(app: &TestApp, access: &str) -> String {
    let page = app
        .get("/me", &[(header::COOKIE, &format!("authlab_at={access}"))])
        .await;
    assert_eq!(page.status, StatusCode::OK);
    page.text().replace("&#x27;", "'")
}

const CACHED_TOKEN: &str = "verified this exact token's HS256 signature, iss and aud when it first came";

#[tokio::test]
async fn a_jwt_is_verified_in_full_once_then_only_its_exp_and_the_trace_says_so() {
    let app = common::sqlite_app(&[]).await;
    let login = app.jwt_login("bob", "bob-password").await;
    let access = login.body["access_token"].as_str().unwrap();
    let first = me_page_with_token(&app, access).await;
    assert!(first.contains("verified HS256 signature, exp, iss and aud: no server lookup"));
    assert!(!first.contains(CACHED_TOKEN));
    let second = me_page_with_token(&app, access).await;
    assert!(second.contains(CACHED_TOKEN), "the same token again: from the cache");

    // Another token with the cached one's signature is verified in full.
    let (_, signature) = access.rsplit_once('.').unwrap();
    let other = app.jwt_login("alice", "alice-password").await;
    let (signed_part, _) = other.body["access_token"].as_str().unwrap().rsplit_once('.').unwrap();
    let forged = app.me_with_bearer(&format!("{signed_part}.{signature}")).await;
    assert_eq!(forged.status, StatusCode::UNAUTHORIZED, "{}", forged.body);
    assert_eq!(app.me_with_bearer(access).await.body["username"], "bob");
}

#[tokio::test]
async fn with_the_jwt_cache_off_every_request_verifies_the_token_in_full() {
    let app = common::sqlite_app(&["--jwt-cache", "0"]).await;
    let login = app.jwt_login("bob", "bob-password").await;
    let access = login.body["access_token"].as_str().unwrap();
    for _ in 0..2 {
        let page = me_page_with_token(&app, access).await;
        assert!(page.contains("verified HS256 signature, exp, iss and aud: no server lookup"));
        assert!(!page.contains(CACHED_TOKEN));
    }
}
