//! Criterion micro benchmarks (`make bench-micro`): what each part of a
//! credential costs, in-process, on temporary SQLite files.
//!
//! - `argon2id`: one hash and one verification at the configured parameters;
//! - `jwt`: issuing and verifying an access token, and verifying one the
//!   cache of verified tokens holds;
//! - `session_load/<store>/<live sessions>`: one record loaded from each
//!   store with 1k, 10k and 100k live sessions (SQLite without and with the
//!   cache in front, and the memory store);
//! - `auth_layer`: `GET /api/me` through the whole router for each kind of
//!   credential, with and without the caches;
//! - `page`: server-rendering `/` (anonymous) and `/me` (logged in).
//!
//! `LIVE=1000,10000` picks the store sizes (default 1000,10000,100000).

use authlab::{
    auth::{
        jwt::{Claims, JwtKeys},
        password::{HashCost, PasswordPool},
        session::{AppSessionStore, SessionAuth, AUTH_KEY},
    },
    config::{Config, SessionStoreKind},
    model::Role,
    server,
    state::AppState,
};
use axum::{
    body::Body,
    http::{header, Method, Request, StatusCode},
    Router,
};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use std::{collections::HashMap, hint::black_box, time::Duration};
use tower::ServiceExt;
use tower_sessions::{
    session::{Id, Record},
    SessionStore,
};

const SECRET: &str = "benchmark-secret-of-at-least-thirty-two-bytes";

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap()
}

fn argon2id(c: &mut Criterion) {
    let rt = runtime();
    let pool = PasswordPool::new(1, 4, HashCost::OWASP).unwrap();
    let hash = rt.block_on(pool.hash("correct horse battery staple".into())).unwrap();
    let mut group = c.benchmark_group("argon2id");
    group.sample_size(10);
    group.bench_function("hash", |b| {
        b.to_async(&rt).iter(|| async {
            pool.hash(black_box("correct horse battery staple".into()))
                .await
                .unwrap()
        })
    });
    group.bench_function("verify", |b| {
        b.to_async(&rt).iter(|| async {
            let ok = pool
                .verify(black_box("correct horse battery staple".into()), Some(hash.clone()))
                .await
                .unwrap();
            assert!(ok);
        })
    });
    group.finish();
}

fn jwt(c: &mut Criterion) {
    let keys = JwtKeys::new(SECRET.as_bytes()).unwrap();
    let now = authlab::auth::now() as u64;
    let claims = Claims {
        sub: "1".into(),
        name: "alice".into(),
        role: Role::User,
        iat: now,
        exp: now + 3600,
        nbf: None,
        jti: uuid::Uuid::new_v4().to_string(),
        iss: authlab::auth::jwt::ISSUER.into(),
        aud: authlab::auth::jwt::AUDIENCE.into(),
        sid: uuid::Uuid::new_v4().to_string(),
    };
    let token = keys.issue(&claims).unwrap();
    let mut group = c.benchmark_group("jwt");
    group.bench_function("issue", |b| b.iter(|| keys.issue(black_box(&claims)).unwrap()));
    group.bench_function("verify", |b| b.iter(|| keys.validate(black_box(&token)).unwrap()));
    // The same token again, from the cache of verified tokens (`AUTHLAB_JWT_CACHE`).
    let cached = JwtKeys::new(SECRET.as_bytes()).unwrap().with_cache(10_000);
    cached.validate(&token).unwrap();
    group.bench_function("verify_cached", |b| {
        b.iter(|| cached.validate(black_box(&token)).unwrap())
    });
    group.finish();
}

/// A logged-in record, as a login writes it.
fn logged_in_record(user_id: i64) -> Record {
    let now = authlab::auth::now();
    let auth = SessionAuth {
        user_id,
        login_at: now,
        login_order: now * 1_000_000,
        last_seen_at: now,
        ip: Some("127.0.0.1".into()),
        user_agent: Some("criterion".into()),
    };
    Record {
        id: Id::default(),
        data: HashMap::from([(AUTH_KEY.to_owned(), serde_json::to_value(auth).unwrap())]),
        expiry_date: time::OffsetDateTime::now_utc() + time::Duration::hours(1),
    }
}

fn live_counts() -> Vec<usize> {
    std::env::var("LIVE")
        .ok()
        .map(|list| list.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![1_000, 10_000, 100_000])
}

fn session_load(c: &mut Criterion) {
    let rt = runtime();
    let mut group = c.benchmark_group("session_load");
    for live in live_counts() {
        for (name, kind, cache) in [
            ("sqlite", SessionStoreKind::Sqlite, 0),
            ("sqlite+cache", SessionStoreKind::Sqlite, live),
            ("memory", SessionStoreKind::Memory, 0),
        ] {
            let dir = tempfile::tempdir().unwrap();
            let url = format!("sqlite://{}", dir.path().join("bench.db").display());
            let (store, ids) = rt.block_on(async {
                let pool = authlab::db::Db::connect(&url).await.unwrap();
                for user in ["u1", "u2", "u3"] {
                    authlab::on_db!(&pool, |pool| sqlx::query(
                        "INSERT INTO users (username, password_hash, role, created_at) VALUES ($1, 'x', 'user', 0)",
                    )
                    .bind(user)
                    .execute(pool)
                    .await
                    .map(|done| done.rows_affected()))
                    .unwrap();
                }
                let store = AppSessionStore::standalone(kind, &pool, 12 * 3600, cache)
                    .await
                    .unwrap();
                let mut ids = Vec::with_capacity(live);
                for n in 0..live {
                    let mut record = logged_in_record(1 + n as i64 % 3);
                    store.create(&mut record).await.unwrap();
                    ids.push(record.id);
                }
                (store, ids)
            });
            let mut next = 0usize;
            group.bench_with_input(BenchmarkId::new(name, live), &live, |b, _| {
                b.to_async(&rt).iter(|| {
                    // A different session each time, spread over the store.
                    next = (next + 7919) % ids.len();
                    let id = ids[next];
                    let store = &store;
                    async move { assert!(store.load(&id).await.unwrap().is_some()) }
                })
            });
        }
    }
    group.finish();
}

async fn app(extra: &[&str], dir: &std::path::Path) -> (AppState, Router) {
    let url = format!("sqlite://{}", dir.join("bench.db").display());
    let data_dir = dir.display().to_string();
    let mut args = vec![
        "authlab",
        "--database-url",
        &url,
        "--data-dir",
        &data_dir,
        "--jwt-secret",
        SECRET,
    ];
    args.extend_from_slice(extra);
    let config = Config::from_args(args).unwrap();
    let leptos_options = server::leptos_options().unwrap();
    let state = server::build_state(config, leptos_options).await.unwrap();
    let router = server::router(state.clone());
    (state, router)
}

async fn send(router: &Router, request: Request<Body>) -> (StatusCode, Vec<String>, Value) {
    let response = router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let cookies = response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .map(|value| value.split(';').next().unwrap_or_default().to_owned())
        .collect();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, cookies, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

async fn login(router: &Router, mode: &str, username: &str) -> (Vec<String>, Value) {
    let body = json!({"username": username, "password": format!("{username}-password")});
    let request = Request::builder()
        .method(Method::POST)
        .uri(format!("/api/{mode}/login"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .unwrap();
    let (status, cookies, body) = send(router, request).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    (cookies, body)
}

fn session_cookie(cookies: &[String]) -> String {
    cookies
        .iter()
        .find(|cookie| cookie.starts_with("authlab_sid="))
        .unwrap()
        .clone()
}

/// A credential header, or none.
type Credential<'a> = Option<(header::HeaderName, &'a str)>;

fn get(path: &str, credential: Credential) -> Request<Body> {
    let mut request = Request::builder().uri(path);
    if let Some((name, value)) = credential {
        request = request.header(name, value);
    }
    request.body(Body::empty()).unwrap()
}

fn auth_layer_and_pages(c: &mut Criterion) {
    let rt = runtime();
    let dir = tempfile::tempdir().unwrap();
    let uncached_dir = tempfile::tempdir().unwrap();
    let (state, router) = rt.block_on(app(&[], dir.path()));
    let (_, uncached) = rt.block_on(app(&["--session-cache", "0", "--jwt-cache", "0"], uncached_dir.path()));
    let bearer_of = |pair: Value| format!("Bearer {}", pair["access_token"].as_str().unwrap());
    let (session, bearer, strict_bearer, admin, uncached_session, uncached_bearer) = rt.block_on(async {
        let session = session_cookie(&login(&router, "session", "alice").await.0);
        let bearer = bearer_of(login(&router, "jwt", "bob").await.1);
        let admin = session_cookie(&login(&router, "session", "admin").await.0);
        let uncached_session = session_cookie(&login(&uncached, "session", "alice").await.0);
        let uncached_bearer = bearer_of(login(&uncached, "jwt", "bob").await.1);
        (
            session,
            bearer.clone(),
            bearer,
            admin,
            uncached_session,
            uncached_bearer,
        )
    });

    let mut group = c.benchmark_group("auth_layer");
    group.measurement_time(Duration::from_secs(3));
    let cases: [(&str, &Router, Credential); 5] = [
        ("anonymous", &router, None),
        ("session", &router, Some((header::COOKIE, &session))),
        ("session_uncached", &uncached, Some((header::COOKIE, &uncached_session))),
        ("jwt", &router, Some((header::AUTHORIZATION, &bearer))),
        (
            "jwt_uncached",
            &uncached,
            Some((header::AUTHORIZATION, &uncached_bearer)),
        ),
    ];
    for (name, router, credential) in cases {
        let expected = if credential.is_some() {
            StatusCode::OK
        } else {
            StatusCode::UNAUTHORIZED
        };
        group.bench_function(name, |b| {
            b.to_async(&rt).iter(|| async {
                let (status, _, _) = send(router, get("/api/me", credential.clone())).await;
                assert_eq!(status, expected);
            })
        });
    }
    rt.block_on(async {
        let request = Request::builder()
            .method(Method::PUT)
            .uri("/api/admin/settings")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::COOKIE, &admin)
            .body(Body::from(json!({"strict_revocation": true}).to_string()))
            .unwrap();
        assert_eq!(send(&router, request).await.0, StatusCode::OK);
        assert!(state.settings.strict_revocation());
    });
    group.bench_function("jwt_strict", |b| {
        b.to_async(&rt).iter(|| async {
            let credential = Some((header::AUTHORIZATION, strict_bearer.as_str()));
            assert_eq!(send(&router, get("/api/me", credential)).await.0, StatusCode::OK);
        })
    });
    group.finish();

    let mut group = c.benchmark_group("page");
    group.measurement_time(Duration::from_secs(3));
    group.bench_function("home_anonymous", |b| {
        b.to_async(&rt)
            .iter(|| async { assert_eq!(send(&router, get("/", None)).await.0, StatusCode::OK) })
    });
    group.bench_function("me_session", |b| {
        b.to_async(&rt).iter(|| async {
            let credential = Some((header::COOKIE, admin.as_str()));
            assert_eq!(send(&router, get("/me", credential)).await.0, StatusCode::OK);
        })
    });
    group.finish();
}

criterion_group!(benches, argon2id, jwt, session_load, auth_layer_and_pages);
criterion_main!(benches);
