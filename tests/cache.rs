//! The session cache (`AUTHLAB_SESSION_CACHE`): a session request costs no
//! query once its record and user are known, and a forced logout or a role
//! change still counts at the very next request.

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

    let reply = app
        .call(Method::POST, "/api/admin/users/alice/logout", None, &admin)
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert!(!app.state.sessions.is_cached(&session_id(&alice)));
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
