//! Several instances of Auth Lab: their names, the counts a cluster's
//! `/compare` shows, the client address behind a trusted proxy, the
//! restart handshake, and two instances on one database and session store
//! (whichever `AUTHLAB_SESSION_STORE` names: `make test-cluster` runs this
//! file on each store).

mod common;

use authlab::config::SessionStoreKind;
use axum::{
    body::Body,
    extract::ConnectInfo,
    http::{header, Method, Request, StatusCode},
};
use common::{app_with, Credential, TestApp};
use serde_json::json;
use std::{net::SocketAddr, time::Duration};

fn store_name(app: &TestApp) -> String {
    format!("{:?}", app.state.config.session_store()).to_lowercase()
}

#[tokio::test]
async fn every_response_names_its_instance_and_counts_its_lookups() {
    let app = app_with(&["--instance", "b"]).await;
    for path in ["/livez", "/login", "/api/me", "/no/such/page"] {
        let reply = app.get(path, &[]).await;
        assert_eq!(reply.headers["x-authlab-instance"], "b", "{path}");
    }
    let before = app.get("/api/instance", &[]).await.body;
    assert_eq!(before["name"], "b");
    assert_eq!(before["session_store"], store_name(&app));
    let database = if common::test_postgres().is_some() {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    assert_eq!(before["database"], database);

    let alice = app.login_as("session", "alice").await;
    let Credential::SessionCookie(cookie) = &alice else {
        unreachable!()
    };
    assert_eq!(app.me_with_cookie(cookie).await.status, StatusCode::OK);
    // A well-formed id that no store holds: what another instance's session looks like here.
    let stranger = "authlab_sid=AAAAAAAAAAAAAAAAAAAAAA";
    assert_eq!(app.me_with_cookie(stranger).await.status, StatusCode::UNAUTHORIZED);
    let bob = app.login_as("jwt", "bob").await;
    let Credential::Bearer { access, .. } = &bob else {
        unreachable!()
    };
    assert_eq!(app.me_with_bearer(access).await.status, StatusCode::OK);
    assert_eq!(app.me_with_bearer("forged").await.status, StatusCode::UNAUTHORIZED);

    let after = app.get("/api/instance", &[]).await.body;
    let grew = |field: &str| after[field].as_u64().unwrap() - before[field].as_u64().unwrap();
    assert_eq!(grew("session_lookups"), 2);
    assert_eq!(grew("session_unknown"), 1);
    assert_eq!(grew("jwt_accepted"), 1);
    assert_eq!(grew("jwt_refused"), 1);
}

/// A failed login from `peer`, saying it forwards for `forwarded`; answers
/// the address the audit trail recorded.
async fn audited_address(app: &TestApp, peer: &str, forwarded: &str) -> String {
    let mut request = Request::builder()
        .method(Method::POST)
        .uri("/api/session/login")
        .header(header::CONTENT_TYPE, "application/json")
        .header("x-forwarded-for", forwarded)
        .body(Body::from(json!({"username": "bob", "password": "wrong"}).to_string()))
        .unwrap();
    request
        .extensions_mut()
        .insert(ConnectInfo(SocketAddr::new(peer.parse().unwrap(), 40000)));
    assert_eq!(app.send(request).await.status, StatusCode::UNAUTHORIZED);
    let admin = app.login_as("jwt", "admin").await;
    let trail = app
        .call(
            Method::GET,
            "/api/admin/audit?user=bob&event=login&outcome=failed",
            None,
            &admin,
        )
        .await;
    trail.body[0]["ip"].as_str().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn x_forwarded_for_counts_only_from_a_trusted_proxy() {
    let behind_nginx = app_with(&["--trusted-proxy", "127.0.0.1"]).await;
    assert_eq!(
        audited_address(&behind_nginx, "127.0.0.1", "10.0.0.9, 203.0.113.7").await,
        "203.0.113.7",
        "nginx appends the address it saw: the last one not a proxy"
    );
    assert_eq!(
        audited_address(&behind_nginx, "198.51.100.4", "203.0.113.7").await,
        "198.51.100.4",
        "a client talking to the app directly cannot choose its address"
    );
    let alone = app_with(&[]).await;
    assert_eq!(audited_address(&alone, "127.0.0.1", "203.0.113.7").await, "127.0.0.1");
}

async fn restart_with(app: &TestApp, secret: Option<&str>) -> StatusCode {
    let mut request = Request::builder().method(Method::POST).uri("/api/instance/restart");
    if let Some(secret) = secret {
        request = request.header("x-authlab-cluster-secret", secret);
    }
    app.send(request.body(Body::empty()).unwrap()).await.status
}

#[tokio::test]
async fn only_the_clusters_secret_restarts_an_instance() {
    let alone = app_with(&[]).await;
    assert_eq!(restart_with(&alone, None).await, StatusCode::FORBIDDEN);
    assert_eq!(restart_with(&alone, Some("anything")).await, StatusCode::FORBIDDEN);

    let secret = "a-cluster-secret-made-by-the-runner";
    let member = app_with(&["--cluster-secret", secret]).await;
    assert_eq!(restart_with(&member, None).await, StatusCode::FORBIDDEN);
    assert_eq!(
        restart_with(&member, Some("a-cluster-secret-made-by-the-runneR")).await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(restart_with(&member, Some(secret)).await, StatusCode::ACCEPTED);
    // main's graceful shutdown waits on this.
    tokio::time::timeout(Duration::from_secs(5), member.state.shutdown.notified())
        .await
        .expect("the instance was told to stop");
}

#[tokio::test]
async fn the_cluster_view_asks_every_peer_and_marks_a_silent_one() {
    let b = app_with(&["--instance", "b"]).await;
    let b_address = b.serve().await;
    // Nothing listens on port 9 of loopback: an instance that is down.
    let peers = format!("a=http://127.0.0.1:1,b=http://{b_address},c=http://127.0.0.1:9");
    let a = app_with(&["--instance", "a", "--peer", &peers]).await;
    let view = authlab::services::cluster::view(&a.state).await;
    assert_eq!(view.here, "a");
    let names: Vec<_> = view.peers.iter().map(|peer| peer.name.as_str()).collect();
    assert_eq!(names, ["a", "b", "c"]);
    assert_eq!(view.peers[0].report.as_ref().unwrap().name, "a", "a answers for itself");
    assert_eq!(view.peers[1].report.as_ref().unwrap().name, "b", "b over loopback");
    assert!(view.peers[2].report.is_none(), "c is down");
    assert!(!view.restartable);
}

#[tokio::test]
async fn a_settings_change_through_one_instance_reaches_the_others() {
    let secret = "a-cluster-secret-made-by-the-runner";
    let b = app_with(&["--instance", "b", "--cluster-secret", secret]).await;
    let b_address = b.serve().await;
    let peers = format!("a=http://127.0.0.1:1,b=http://{b_address}");
    let a = app_with(&["--instance", "a", "--peer", &peers, "--cluster-secret", secret]).await;
    let admin = a.login_as("jwt", "admin").await;
    let reply = a
        .call(
            Method::PUT,
            "/api/admin/settings",
            Some(json!({"strict_revocation": true, "max_logins_per_user": 3})),
            &admin,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let on_b = b.state.settings.get();
    assert!(on_b.strict_revocation);
    assert_eq!(on_b.max_logins_per_user, 3);

    // Nobody else can set them: not without the secret.
    let forged = Request::builder()
        .method(Method::PUT)
        .uri("/api/instance/settings")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(
            json!({"strict_revocation": false, "max_logins_per_user": 0}).to_string(),
        ))
        .unwrap();
    assert_eq!(b.send(forged).await.status, StatusCode::FORBIDDEN);
    assert!(b.state.settings.get().strict_revocation);
}

/// Two instances on one database and the configured session store, as
/// `make cluster` runs them; each with its cache where the store has a bus.
async fn two_instances() -> (TestApp, TestApp) {
    // A bus rides on a shared store or on a PostgreSQL database.
    let bus = common::test_postgres().is_some()
        || matches!(
            authlab::config::Config::from_args(["authlab"]).unwrap().session_store(),
            SessionStoreKind::Redis | SessionStoreKind::Postgres
        );
    let cache = if bus { "10000" } else { "0" };
    let a = common::app_with(&["--instance", "a", "--session-cache", cache]).await;
    let b = common::app_on(
        Some(&a.state.config.database_url),
        &["--instance", "b", "--session-cache", cache],
    )
    .await;
    (a, b)
}

#[tokio::test]
async fn a_forced_logout_through_one_instance_counts_on_the_other() {
    let (a, b) = two_instances().await;
    let alice = a.login_as("session", "alice").await;
    let Credential::SessionCookie(cookie) = &alice else {
        unreachable!()
    };
    let known_on_b = b.me_with_cookie(cookie).await.status == StatusCode::OK;
    match b.state.config.session_store() {
        SessionStoreKind::Memory => assert!(!known_on_b, "a memory session lives on its own instance"),
        _ => assert!(known_on_b, "a shared store's session works on every instance"),
    }
    // a's copy is cached now (where a cache is on), and b's too.
    assert_eq!(a.me_with_cookie(cookie).await.status, StatusCode::OK);

    let admin = b.login_as("jwt", "admin").await;
    let reply = b
        .call(Method::POST, "/api/admin/users/alice/logout", None, &admin)
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.body["sessions"], 1);
    // The forced logout answered only once every instance had forgotten
    // (the bus's acknowledgements): a's very next request is refused.
    let session_id = cookie.trim_start_matches("authlab_sid=").parse().unwrap();
    assert!(!a.state.sessions.is_cached(&session_id));
    assert_eq!(
        a.me_with_cookie(cookie).await.status,
        StatusCode::UNAUTHORIZED,
        "{}",
        store_name(&a)
    );
    assert_eq!(b.me_with_cookie(cookie).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_role_change_through_one_instance_counts_on_the_other() {
    let (a, b) = two_instances().await;
    let bob = a.login_as("session", "bob").await;
    let Credential::SessionCookie(cookie) = &bob else {
        unreachable!()
    };
    assert_eq!(a.me_with_cookie(cookie).await.body["role"], "user");
    let admin = b.login_as("jwt", "admin").await;
    let reply = b
        .call(
            Method::PUT,
            "/api/admin/users/bob/role",
            Some(json!({"role": "admin"})),
            &admin,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(
        a.me_with_cookie(cookie).await.body["role"],
        "admin",
        "at a's very next request"
    );
}

/// On a PostgreSQL database (`make test-cluster`), sessions cannot go to
/// SQLite: the start says so instead of making a stray file.
#[tokio::test]
async fn a_postgresql_database_refuses_the_sqlite_session_store() {
    if common::test_postgres().is_none() {
        return; // make test has no PostgreSQL; make test-cluster runs this
    }
    let dir = tempfile::tempdir().unwrap();
    let url = common::own_database(dir.path(), common::Engine::AsConfigured).await;
    let data_dir = dir.path().display().to_string();
    let args = [
        "authlab",
        "--database-url",
        &url,
        "--session-store",
        "sqlite",
        "--jwt-secret",
        common::SECRET,
        "--data-dir",
        &data_dir,
    ];
    let config = authlab::config::Config::from_args(args).unwrap();
    let started = authlab::server::build_state(config, authlab::server::leptos_options().unwrap()).await;
    let err = started.err().expect("refused").to_string();
    assert!(err.contains("choose postgres, redis or memory"), "{err}");
}
