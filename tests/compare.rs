//! `/api/compare` and the race (`/api/admin/race`) on the real router.

mod common;

use axum::http::{header, Method, StatusCode};
use common::{app, app_with, until, Credential, TestApp};
use serde_json::{json, Value};
use std::time::Duration;

async fn compare(app: &TestApp, credential: &Credential) -> Value {
    let reply = app.call(Method::GET, "/api/compare", None, credential).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.body
}

/// `(rows, bytes)` of one kind of stored row in a mode's column.
fn stored(view: &Value, column: &str, kind: &str) -> (i64, i64) {
    let rows = view[column]["stored"]
        .as_array()
        .unwrap()
        .iter()
        .find(|rows| rows["kind"] == kind)
        .unwrap_or_else(|| panic!("no {kind} in {column}"));
    (rows["rows"].as_i64().unwrap(), rows["bytes"].as_i64().unwrap())
}

fn live(view: &Value, column: &str) -> i64 {
    view[column]["live_logins"].as_i64().unwrap()
}

#[tokio::test]
async fn the_stored_rows_move_with_logins_logouts_and_forced_logouts() {
    let app = app().await;
    let nobody = compare(&app, &Credential::Anonymous).await;
    assert_eq!((live(&nobody, "session"), live(&nobody, "token")), (0, 0));
    assert_eq!(stored(&nobody, "session", "session_records"), (0, 0));
    assert!(nobody["viewer"].is_null());

    let alice = app.login_as("session", "alice").await;
    let view = compare(&app, &alice).await;
    assert_eq!(live(&view, "session"), 1);
    let (records, record_bytes) = stored(&view, "session", "session_records");
    let (index, index_bytes) = stored(&view, "session", "session_index");
    assert_eq!((records, index), (1, 1));
    assert!(record_bytes > 32 && index_bytes > 32, "{record_bytes} {index_bytes}");
    assert_eq!(view["viewer"]["mode"], "session");
    // This very request is the viewer's latest, measured header by header.
    let latest = &view["session"]["latest"];
    assert_eq!(view["session"]["latest_is_viewers"], true);
    let Credential::SessionCookie(cookie) = &alice else {
        unreachable!()
    };
    assert_eq!(latest["credential_header_bytes"], cookie.len());
    assert!(latest["request_header_bytes"].as_u64().unwrap() >= "cookie: \r\n".len() as u64 + cookie.len() as u64);
    assert_eq!(latest["mode"], "session");

    let bob = app.login_as("jwt", "bob").await;
    let view = compare(&app, &bob).await;
    assert_eq!((live(&view, "session"), live(&view, "token")), (1, 1));
    assert_eq!(stored(&view, "token", "refresh_families").0, 1);
    assert_eq!(stored(&view, "token", "refresh_tokens").0, 1);
    assert_eq!(view["token"]["latest_is_viewers"], true);
    assert_eq!(view["session"]["latest_is_viewers"], false);
    let Credential::Bearer { access, .. } = &bob else {
        unreachable!()
    };
    assert_eq!(
        view["token"]["latest"]["credential_header_bytes"],
        "Bearer ".len() + access.len()
    );
    // The token as anyone holding it can read it, part by part.
    let parts: Vec<usize> = access.split('.').map(str::len).collect();
    assert_eq!(view["jwt"]["part_bytes"], json!(parts));

    // A refresh adds a token row to the family.
    let Credential::Bearer { refresh, .. } = &bob else {
        unreachable!()
    };
    assert_eq!(app.refresh(refresh).await.status, StatusCode::OK);
    let view = compare(&app, &Credential::Anonymous).await;
    assert_eq!(stored(&view, "token", "refresh_tokens").0, 2);

    let logout = app.call(Method::POST, "/api/logout", None, &alice).await;
    assert_eq!(logout.status, StatusCode::NO_CONTENT);
    let view = compare(&app, &Credential::Anonymous).await;
    assert_eq!(live(&view, "session"), 0);
    assert_eq!(stored(&view, "session", "session_records"), (0, 0));

    let admin = app.login_as("session", "admin").await;
    let forced = app
        .call(Method::POST, "/api/admin/users/bob/logout", None, &admin)
        .await;
    assert_eq!(forced.status, StatusCode::OK);
    let view = compare(&app, &admin).await;
    assert_eq!(live(&view, "token"), 0, "the family is revoked");
    assert_eq!(
        stored(&view, "token", "refresh_families").0,
        1,
        "a revoked family stays until it expires, to recognise a replay"
    );
}

#[tokio::test]
async fn the_timing_ring_is_bounded_and_reports_per_mode_percentiles_of_real_requests() {
    let app = app().await;
    let capacity = authlab::auth::recent::KEPT_PER_MODE;
    let alice = app.login_as("session", "alice").await;
    for _ in 0..capacity + 20 {
        assert_eq!(
            app.call(Method::GET, "/api/me", None, &alice).await.status,
            StatusCode::OK
        );
    }
    let bob = app.login_as("jwt", "bob").await;
    for _ in 0..10 {
        assert_eq!(
            app.call(Method::GET, "/api/me", None, &bob).await.status,
            StatusCode::OK
        );
    }
    let view = compare(&app, &Credential::Anonymous).await;
    let session = &view["session"]["check"];
    assert_eq!(session["samples"], capacity, "the ring keeps {capacity} per mode");
    let (median, p95) = (
        session["median_micros"].as_u64().unwrap(),
        session["p95_micros"].as_u64().unwrap(),
    );
    assert!(median > 0 && median <= p95, "{median} {p95}");
    assert_eq!(view["token"]["check"]["samples"], 10);
    assert!(view["token"]["strict_lookup"].is_null(), "strict revocation is off");
    // Sizes compare like with like: the same request in both modes.
    let same = &view["same_request"];
    assert_eq!(same["request"], "GET /api/me");
    let (Credential::SessionCookie(cookie), Credential::Bearer { access, .. }) = (&alice, &bob) else {
        unreachable!()
    };
    assert_eq!(same["session_credential_bytes"], cookie.len());
    assert_eq!(same["jwt_credential_bytes"], "Bearer ".len() + access.len());
    let extra = access.len() + "Bearer ".len() - cookie.len();
    assert_eq!(
        same["jwt_header_bytes"].as_u64().unwrap() - same["session_header_bytes"].as_u64().unwrap(),
        // `authorization: ` against `cookie: `
        (extra + "authorization".len() - "cookie".len()) as u64
    );

    // With strict revocation on, the lookup is measured on its own.
    let admin = app.login_as("session", "admin").await;
    let strict = app
        .call(
            Method::PUT,
            "/api/admin/settings",
            Some(json!({"strict_revocation": true})),
            &admin,
        )
        .await;
    assert_eq!(strict.status, StatusCode::OK);
    for _ in 0..5 {
        assert_eq!(
            app.call(Method::GET, "/api/me", None, &bob).await.status,
            StatusCode::OK
        );
    }
    let view = compare(&app, &Credential::Anonymous).await;
    assert_eq!(view["token"]["strict_lookup"]["samples"], 5);
    let lookup = view["token"]["strict_lookup"]["median_micros"].as_u64().unwrap();
    assert!(lookup > 0);
}

#[tokio::test]
async fn only_admins_may_see_start_steer_or_stop_a_race() {
    let app = app().await;
    let alice = app.login_as("jwt", "alice").await;
    let requests = [
        (Method::GET, "/api/admin/race", None),
        (Method::POST, "/api/admin/race", None),
        (Method::DELETE, "/api/admin/race", None),
        (
            Method::POST,
            "/api/admin/race/actions",
            Some(json!({"action": "force_logout"})),
        ),
    ];
    for (method, path, body) in requests {
        let anonymous = app
            .call(method.clone(), path, body.clone(), &Credential::Anonymous)
            .await;
        assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED, "{method} {path}");
        let user = app.call(method.clone(), path, body, &alice).await;
        assert_eq!(user.status, StatusCode::FORBIDDEN, "{method} {path}");
    }
    assert!(!app.state.race.is_running());
    let admin = app.login_as("session", "admin").await;
    let no_race = app
        .call(
            Method::POST,
            "/api/admin/race/actions",
            Some(json!({"action": "promote"})),
            &admin,
        )
        .await;
    assert_eq!(
        (no_race.status, no_race.error_code()),
        (StatusCode::CONFLICT, "no_race")
    );
    let unknown = app
        .call(
            Method::POST,
            "/api/admin/race/actions",
            Some(json!({"action": "explode"})),
            &admin,
        )
        .await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_race_nobody_watches_stops_by_itself_and_ends_its_demo_logins() {
    let app = app_with(&["--race-idle-secs", "1"]).await;
    app.serve().await;
    let admin = app.login_as("session", "admin").await;
    let started = app.call(Method::POST, "/api/admin/race", None, &admin).await;
    assert_eq!(started.status, StatusCode::OK, "{}", started.body);
    assert_eq!(started.body["running"], true);
    assert_eq!(started.body["username"], "race.demo");
    // Not asking for it (the API's GET would count as watching).
    until(Duration::from_secs(15), "the race stops", async || {
        !app.state.race.is_running()
    })
    .await;
    let view = app.call(Method::GET, "/api/admin/race", None, &admin).await;
    assert_eq!(view.body["stopped"], "unwatched");
    // The race's own task ends them right after it marks itself stopped.
    until(Duration::from_secs(5), "the race ends its demo logins", async || {
        let logins = app
            .call(Method::GET, "/api/admin/sessions?user=race.demo", None, &admin)
            .await;
        logins.body == json!([])
    })
    .await;
}

#[tokio::test]
async fn a_watched_race_stops_at_its_longest_run() {
    let app = app_with(&["--race-max-secs", "2"]).await;
    app.serve().await;
    let admin = app.login_as("jwt", "admin").await;
    assert_eq!(
        app.call(Method::POST, "/api/admin/race", None, &admin).await.status,
        StatusCode::OK
    );
    until(Duration::from_secs(15), "the race stops", async || {
        let view = app.call(Method::GET, "/api/admin/race", None, &admin).await;
        view.body["running"] == false
    })
    .await;
    let view = app.call(Method::GET, "/api/admin/race", None, &admin).await;
    assert_eq!(view.body["stopped"], "time_up");
    assert!(!view.body["session"]["ticks"].as_array().unwrap().is_empty());
}

fn last_outcome(view: &Value, lane: &str) -> Option<String> {
    view[lane]["ticks"]
        .as_array()
        .and_then(|ticks| ticks.last())
        .map(|tick| tick["outcome"].as_str().unwrap().to_owned())
}

#[tokio::test]
async fn after_a_forced_logout_the_session_client_is_refused_and_the_jwt_client_lives_on_until_exp() {
    let app = app_with(&["--race-access-ttl", "2"]).await;
    app.serve().await;
    let admin = app.login_as("session", "admin").await;
    app.call(Method::POST, "/api/admin/race", None, &admin).await;
    let watch = async || app.call(Method::GET, "/api/admin/race", None, &admin).await.body;
    until(Duration::from_secs(10), "both clients answered", async || {
        let view = watch().await;
        last_outcome(&view, "session").as_deref() == Some("accepted")
            && last_outcome(&view, "jwt").as_deref() == Some("accepted")
    })
    .await;

    let forced = app
        .call(
            Method::POST,
            "/api/admin/race/actions",
            Some(json!({"action": "force_logout"})),
            &admin,
        )
        .await;
    assert_eq!(forced.status, StatusCode::OK, "{}", forced.body);
    until(Duration::from_secs(5), "the session client is refused", async || {
        last_outcome(&watch().await, "session").as_deref() == Some("refused")
    })
    .await;
    // The token outlives the login by up to its lifetime plus the leeway.
    until(Duration::from_secs(10), "the JWT client is refused", async || {
        last_outcome(&watch().await, "jwt").as_deref() == Some("refused")
    })
    .await;
    let view = watch().await;
    let jwt_ticks = view["jwt"]["ticks"].as_array().unwrap();
    assert!(
        jwt_ticks
            .iter()
            .any(|tick| tick["outcome"] == "accepted_after_revocation"),
        "the token was accepted after the revocation: {jwt_ticks:?}"
    );
    let reaction = &view["reactions"][0];
    assert_eq!(reaction["event"]["action"], "force_logout");
    let (session_ms, jwt_ms) = (
        reaction["session_ms"].as_i64().unwrap(),
        reaction["jwt_ms"].as_i64().unwrap(),
    );
    assert!(session_ms < jwt_ms, "{session_ms} < {jwt_ms}");
    let stopped = app.call(Method::DELETE, "/api/admin/race", None, &admin).await;
    assert_eq!(stopped.body["stopped"], "by_presenter");
}

/// A `bench/results.json` as `bench/report.py` writes it (the fields the page reads).
fn bench_results() -> Value {
    let path = |key: &str, path: &str, rps: f64| json!({"key": key, "path": path, "rps": rps, "p50_ms": 1.5, "p99_ms": 3.25, "errors": 0});
    json!({
        "date": "2026-11-25", "commit": "abc1234", "cores": 2, "cpu": "Test CPU",
        "connections": 64, "duration": "4s", "rounds": 3,
        "paths": [path("livez", "/livez", 30000.0), path("session_me", "/api/me", 27000.0)],
        "session_header_bytes": 42, "jwt_header_bytes": 401, "first_visit_bytes": 300000, "rss_idle_kb": 48000,
        "logins": [
            {"mode": "session", "logins": 10000, "rate_logins": 400, "logins_per_second": 95.0, "rss_growth_kb": 10000,
             "live_logins": 10000, "bytes_per_login": 509, "stored_bytes": 5090000, "stored": [], "failed": 0},
            {"mode": "jwt", "logins": 10000, "rate_logins": 400, "logins_per_second": 97.0, "rss_growth_kb": 2000,
             "live_logins": 10000, "bytes_per_login": 334, "stored_bytes": 3340000, "stored": [], "failed": 0}
        ]
    })
}

#[tokio::test]
async fn compare_shows_the_latest_bench_run_or_how_to_make_one() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("results.json");
    let file_arg = file.display().to_string();
    let app = app_with(&["--bench-results", &file_arg]).await;

    let missing = app.get("/compare", &[]).await;
    assert_eq!(missing.status, StatusCode::OK);
    assert!(missing.text().contains(r#"data-testid="bench-missing""#));
    assert!(missing.text().contains("Run `make bench`"));

    std::fs::write(&file, "{ not json").unwrap();
    let broken = app.get("/compare", &[]).await;
    assert_eq!(
        broken.status,
        StatusCode::OK,
        "a broken file is no results, not an error"
    );
    assert!(broken.text().contains(r#"data-testid="bench-missing""#));

    std::fs::write(&file, bench_results().to_string()).unwrap();
    let page = app.get("/compare", &[]).await;
    let html = page.text();
    assert!(
        !html.contains(r#"data-testid="bench-missing""#),
        "read at each ask: no restart"
    );
    for expected in [
        "commit abc1234",
        r#"data-key="session_me""#,
        "27,000",
        "3.2 ms",
        r#"value="90""#,
        "90%",
        "1,024 B",
        "509 B",
        "First visit to /login: 292 KB",
        "Logins/s: 400 logins per mode at the real argon2id cost",
    ] {
        assert!(html.contains(expected), "/compare lacks {expected:?}");
    }
    let korean = app.get("/compare", &[(header::ACCEPT_LANGUAGE, "ko")]).await;
    assert!(korean.text().contains("부하를 걸면: make bench"));
    assert!(korean.text().contains("로그인당 저장 용량"));
    assert!(korean.text().contains("방식마다 400번 로그인한 결과"));
}
