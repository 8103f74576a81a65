//! The real router on a temporary SQLite file, driven through
//! `tower::ServiceExt::oneshot`.
#![allow(dead_code)]

use authlab::{config::Config, server, state::AppState};
use axum::{
    body::Body,
    http::{header, HeaderMap, Method, Request, StatusCode},
    Router,
};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use std::time::Duration;
use tower::ServiceExt;

/// The JWT key every test app signs with, so a test can forge tokens with it.
pub const SECRET: &str = "integration-test-secret-of-at-least-32-bytes";

/// A response not finished by then is a hang: the test fails and says so
/// instead of stalling the whole suite.
const RESPONSE_DEADLINE: Duration = Duration::from_secs(30);

pub struct TestApp {
    pub router: Router,
    pub state: AppState,
    _dir: tempfile::TempDir,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Reply {
    /// `name=value` of a `Set-Cookie` for `name`, if the response set one.
    pub fn set_cookie(&self, name: &str) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .find(|value| value.starts_with(&format!("{name}=")))
            .map(str::to_owned)
    }

    pub fn cookie_pair(&self, name: &str) -> String {
        let set_cookie = self
            .set_cookie(name)
            .unwrap_or_else(|| panic!("no Set-Cookie for {name}"));
        set_cookie.split(';').next().unwrap().to_owned()
    }

    /// The body of an HTML (or other non-JSON) response.
    pub fn text(&self) -> &str {
        self.body
            .as_str()
            .unwrap_or_else(|| panic!("not a text body: {}", self.body))
    }

    pub fn location(&self) -> Option<&str> {
        self.headers.get(header::LOCATION).and_then(|value| value.to_str().ok())
    }

    pub fn error_code(&self) -> &str {
        self.body["error"]
            .as_str()
            .unwrap_or_else(|| panic!("not an error body: {}", self.body))
    }
}

/// How a test client proves who it is.
#[derive(Clone, Debug)]
pub enum Credential {
    Anonymous,
    /// `authlab_sid=...`
    SessionCookie(String),
    /// An access token sent as `Authorization: Bearer`, with its refresh token.
    Bearer {
        access: String,
        refresh: String,
    },
}

pub async fn app_with(extra_args: &[&str]) -> TestApp {
    app_on(None, extra_args).await
}

/// The PostgreSQL database the suite runs on instead of SQLite files, if
/// `AUTHLAB_TEST_POSTGRES` names one (`make test-cluster` does).
pub fn test_postgres() -> Option<String> {
    std::env::var("AUTHLAB_TEST_POSTGRES")
        .ok()
        .filter(|url| !url.is_empty())
}

/// A database of this test's own: a new schema in the PostgreSQL test
/// database, else a SQLite file in `dir`.
pub async fn own_database(dir: &std::path::Path, engine: Engine) -> String {
    match (engine, test_postgres()) {
        (Engine::AsConfigured, Some(base)) => {
            use sqlx::Connection;
            let schema = format!("t_{}", uuid::Uuid::new_v4().simple());
            let mut admin = sqlx::PgConnection::connect(&base).await.unwrap();
            sqlx::query(&format!("CREATE SCHEMA {schema}"))
                .execute(&mut admin)
                .await
                .unwrap();
            let separator = if base.contains('?') { '&' } else { '?' };
            format!("{base}{separator}options[search_path]={schema}")
        }
        _ => format!("sqlite://{}", dir.join("authlab.db").display()),
    }
}

#[derive(Clone, Copy)]
pub enum Engine {
    AsConfigured,
    Sqlite,
}

/// An app on `database_url` when given (another app's: two instances on
/// one database), else on a database of its own.
pub async fn app_on(database_url: Option<&str>, extra_args: &[&str]) -> TestApp {
    app_in(database_url, Engine::AsConfigured, extra_args).await
}

async fn app_in(database_url: Option<&str>, engine: Engine, extra_args: &[&str]) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let url = match database_url {
        Some(url) => url.to_owned(),
        None => own_database(dir.path(), engine).await,
    };
    let data_dir = dir.path().display().to_string();
    let mut args = vec![
        "authlab",
        "--database-url",
        &url,
        "--jwt-secret",
        SECRET,
        "--data-dir",
        &data_dir,
    ];
    args.extend_from_slice(extra_args);
    let config = Config::from_args(args).unwrap();
    let leptos_options = server::leptos_options().unwrap();
    let state = server::build_state(config, leptos_options).await.unwrap();
    TestApp {
        router: server::router(state.clone()),
        state,
        _dir: dir,
    }
}

/// Polls `done` until it holds, failing after `limit`: for what happens
/// in its own time (a race's ticks), never a fixed sleep.
pub async fn until(limit: Duration, what: &str, mut done: impl AsyncFnMut() -> bool) {
    let deadline = std::time::Instant::now() + limit;
    while !done().await {
        assert!(std::time::Instant::now() < deadline, "{what}: not within {limit:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

pub async fn app() -> TestApp {
    app_with(&[]).await
}

/// An app on a SQLite database and its session store, whatever
/// `AUTHLAB_TEST_POSTGRES` and `AUTHLAB_SESSION_STORE` say: for tests of
/// that store's rows and of the cache in front of it.
pub async fn sqlite_app(extra_args: &[&str]) -> TestApp {
    let mut args = vec!["--session-store", "sqlite"];
    args.extend_from_slice(extra_args);
    sqlite_database_app(&args).await
}

/// An app on a SQLite database whatever `AUTHLAB_TEST_POSTGRES` says: for
/// tests that read SQLite's own tables.
pub async fn sqlite_database_app(extra_args: &[&str]) -> TestApp {
    app_in(None, Engine::Sqlite, extra_args).await
}

impl TestApp {
    /// Whether the session store holds the record of `cookie` (`authlab_sid=...`).
    pub async fn store_holds(&self, cookie: &str) -> bool {
        let id = cookie.split_once('=').map_or(cookie, |(_, id)| id).parse().unwrap();
        self.state.sessions.holds(&id).await.unwrap()
    }
}

impl TestApp {
    /// Also serves the router on a loopback port, as `main` does: for what
    /// needs a real listener (the race's demo clients send HTTP to it).
    pub async fn serve(&self) -> std::net::SocketAddr {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let service = self
            .router
            .clone()
            .into_make_service_with_connect_info::<std::net::SocketAddr>();
        let listener = server::without_nagle(listener);
        tokio::spawn(async move { axum::serve(listener, service).await });
        self.state.address.set(address);
        address
    }

    pub async fn send(&self, request: Request<Body>) -> Reply {
        let what = format!("{} {}", request.method(), request.uri());
        let exchange = async {
            let response = self.router.clone().oneshot(request).await.unwrap();
            let (parts, body) = response.into_parts();
            (parts, body.collect().await.unwrap().to_bytes())
        };
        let (parts, bytes) = tokio::time::timeout(RESPONSE_DEADLINE, exchange)
            .await
            .unwrap_or_else(|_| panic!("{what}: no complete response within {RESPONSE_DEADLINE:?}"));
        let (status, headers) = (parts.status, parts.headers);
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes).unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into()))
        };
        Reply { status, headers, body }
    }

    pub async fn post_json(&self, path: &str, body: Value, cookie: Option<&str>) -> Reply {
        let mut request = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header(header::CONTENT_TYPE, "application/json");
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        self.send(request.body(Body::from(body.to_string())).unwrap()).await
    }

    pub async fn get(&self, path: &str, headers: &[(header::HeaderName, &str)]) -> Reply {
        let mut request = Request::builder().uri(path);
        for (name, value) in headers {
            request = request.header(name, *value);
        }
        self.send(request.body(Body::empty()).unwrap()).await
    }

    /// A plain HTML form post, as a browser without JavaScript sends it.
    pub async fn post_form(&self, path: &str, form: &str, referer: &str, cookie: Option<&str>) -> Reply {
        let mut request = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "text/html,application/xhtml+xml")
            .header(header::REFERER, referer);
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        self.send(request.body(Body::from(form.to_owned())).unwrap()).await
    }

    /// Logs `username` (whose password is `<username>-password`) in with `mode`.
    pub async fn login_as(&self, mode: &str, username: &str) -> Credential {
        self.login_as_with(mode, username, &format!("{username}-password"))
            .await
    }

    pub async fn login_as_with(&self, mode: &str, username: &str, password: &str) -> Credential {
        match mode {
            "session" => {
                Credential::SessionCookie(self.session_login(username, password).await.cookie_pair("authlab_sid"))
            }
            "jwt" => {
                let reply = self.jwt_login(username, password).await;
                assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
                Credential::Bearer {
                    access: reply.body["access_token"].as_str().unwrap().to_owned(),
                    refresh: reply.body["refresh_token"].as_str().unwrap().to_owned(),
                }
            }
            other => panic!("unknown mode {other}"),
        }
    }

    /// Any JSON API call with a credential.
    pub async fn call(&self, method: Method, path: &str, body: Option<Value>, credential: &Credential) -> Reply {
        let mut request = Request::builder().method(method).uri(path);
        match credential {
            Credential::Anonymous => {}
            Credential::SessionCookie(cookie) => request = request.header(header::COOKIE, cookie),
            Credential::Bearer { access, .. } => {
                request = request.header(header::AUTHORIZATION, format!("Bearer {access}"))
            }
        }
        let body = match body {
            Some(body) => {
                request = request.header(header::CONTENT_TYPE, "application/json");
                Body::from(body.to_string())
            }
            None => Body::empty(),
        };
        self.send(request.body(body).unwrap()).await
    }

    pub async fn me_with_cookie(&self, cookie: &str) -> Reply {
        self.get("/api/me", &[(header::COOKIE, cookie)]).await
    }

    pub async fn me_with_bearer(&self, token: &str) -> Reply {
        self.get("/api/me", &[(header::AUTHORIZATION, &format!("Bearer {token}"))])
            .await
    }

    pub async fn session_login(&self, username: &str, password: &str) -> Reply {
        self.post_json(
            "/api/session/login",
            json!({"username": username, "password": password}),
            None,
        )
        .await
    }

    pub async fn jwt_login(&self, username: &str, password: &str) -> Reply {
        self.post_json(
            "/api/jwt/login",
            json!({"username": username, "password": password}),
            None,
        )
        .await
    }

    pub async fn refresh(&self, refresh_token: &str) -> Reply {
        self.post_json("/api/jwt/refresh", json!({"refresh_token": refresh_token}), None)
            .await
    }
}
