//! The JSON API: login, `/api/me`, logout and replay in both modes, and
//! bad input.

mod common;

use axum::{
    body::Body,
    http::{header, Method, Request, StatusCode},
};
use common::{app, app_with, Credential};
use serde_json::json;

#[tokio::test]
async fn session_login_me_logout_and_replay_of_the_old_cookie() {
    let app = app().await;
    let login = app.session_login("alice", "alice-password").await;
    assert_eq!(login.status, StatusCode::OK);
    assert_eq!(
        login.body,
        json!({"user": {"username": "alice", "role": "user"}, "mode": "session"})
    );
    let set_cookie = login.set_cookie("authlab_sid").unwrap();
    for attribute in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(set_cookie.contains(attribute), "{set_cookie} lacks {attribute}");
    }
    let cookie = login.cookie_pair("authlab_sid");

    let me = app.me_with_cookie(&cookie).await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(
        (me.body["username"].as_str(), me.body["role"].as_str()),
        (Some("alice"), Some("user"))
    );
    assert_eq!(me.body["mode"], "session");

    let logout = app.post_json("/api/logout", json!({}), Some(&cookie)).await;
    assert_eq!(logout.status, StatusCode::NO_CONTENT);
    assert!(
        logout.set_cookie("authlab_sid").unwrap().contains("Max-Age=0"),
        "cookie not cleared"
    );
    assert!(
        !app.store_holds(&cookie).await,
        "the server-side record must be deleted"
    );

    let replay = app.me_with_cookie(&cookie).await;
    assert_eq!(replay.status, StatusCode::UNAUTHORIZED);
    assert_eq!(replay.error_code(), "unauthenticated");
}

#[tokio::test]
async fn session_id_is_rotated_at_login() {
    let app = app().await;
    let first = app
        .session_login("alice", "alice-password")
        .await
        .cookie_pair("authlab_sid");
    let second = app
        .post_json(
            "/api/session/login",
            json!({"username": "bob", "password": "bob-password"}),
            Some(&first),
        )
        .await;
    let second_cookie = second.cookie_pair("authlab_sid");
    assert_ne!(
        first, second_cookie,
        "the id presented before login must not survive it"
    );
    assert_eq!(app.me_with_cookie(&first).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.me_with_cookie(&second_cookie).await.body["username"], "bob");
}

#[tokio::test]
async fn jwt_login_me_refresh_rotation_reuse_and_logout() {
    let app = app().await;
    let login = app.jwt_login("alice", "alice-password").await;
    assert_eq!(login.status, StatusCode::OK);
    assert_eq!(login.body["token_type"], "Bearer");
    assert_eq!(login.body["expires_in"], 300);
    assert!(
        login.set_cookie("authlab_at").is_none(),
        "API clients get JSON, not cookies"
    );
    let access = login.body["access_token"].as_str().unwrap().to_owned();
    let first_refresh = login.body["refresh_token"].as_str().unwrap().to_owned();

    let me = app.me_with_bearer(&access).await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.body["mode"], "jwt");
    assert_eq!(me.body["username"], "alice");

    let rotated = app.refresh(&first_refresh).await;
    assert_eq!(rotated.status, StatusCode::OK);
    let second_refresh = rotated.body["refresh_token"].as_str().unwrap().to_owned();
    assert_ne!(second_refresh, first_refresh);
    assert_eq!(
        app.me_with_bearer(rotated.body["access_token"].as_str().unwrap())
            .await
            .status,
        StatusCode::OK
    );

    let reused = app.refresh(&first_refresh).await;
    assert_eq!(reused.status, StatusCode::UNAUTHORIZED);
    assert_eq!(reused.error_code(), "refresh_reused");
    let after_reuse = app.refresh(&second_refresh).await;
    assert_eq!(
        after_reuse.status,
        StatusCode::UNAUTHORIZED,
        "the whole family is revoked"
    );

    // A fresh login, then logout with the Bearer token revokes its family.
    let login = app.jwt_login("alice", "alice-password").await;
    let access = login.body["access_token"].as_str().unwrap().to_owned();
    let refresh = login.body["refresh_token"].as_str().unwrap().to_owned();
    let request = Request::builder()
        .method(Method::POST)
        .uri("/api/logout")
        .header(header::AUTHORIZATION, format!("Bearer {access}"))
        .body(Body::empty())
        .unwrap();
    assert_eq!(app.send(request).await.status, StatusCode::NO_CONTENT);
    let replay = app.refresh(&refresh).await;
    assert_eq!(replay.status, StatusCode::UNAUTHORIZED);
    assert_eq!(replay.error_code(), "invalid_refresh_token");
}

#[tokio::test]
async fn browser_without_a_live_access_cookie_is_refreshed_transparently() {
    // No grace: a repeat of the spent token is a replay at once.
    let app = app_with(&["--refresh-grace", "0"]).await;
    let login = app.jwt_login("bob", "bob-password").await;
    let refresh = login.body["refresh_token"].as_str().unwrap().to_owned();

    // The access cookie's Max-Age equals the token's lifetime, so a browser
    // whose token expired sends only the refresh cookie.
    let me = app.me_with_cookie(&format!("authlab_rt={refresh}")).await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.body["username"], "bob");
    assert_eq!(me.body["mode"], "jwt");
    let new_access = me.set_cookie("authlab_at").expect("a new access cookie");
    assert!(
        new_access.contains("HttpOnly") && new_access.contains("Max-Age=300"),
        "{new_access}"
    );
    let new_refresh = me.cookie_pair("authlab_rt");
    assert_ne!(
        new_refresh,
        format!("authlab_rt={refresh}"),
        "the refresh token is rotated"
    );

    // Using the old one again is a replay.
    let replay = app.me_with_cookie(&format!("authlab_rt={refresh}")).await;
    assert_eq!(replay.status, StatusCode::UNAUTHORIZED);
    assert!(
        replay.set_cookie("authlab_rt").unwrap().contains("Max-Age=0"),
        "cookies are cleared"
    );
}

#[tokio::test]
async fn a_forged_access_cookie_does_not_spend_the_refresh_token() {
    let app = app().await;
    let login = app.jwt_login("alice", "alice-password").await;
    let access = login.body["access_token"].as_str().unwrap();
    let refresh = login.body["refresh_token"].as_str().unwrap();
    let forged = format!("{}x", access);
    let me = app
        .me_with_cookie(&format!("authlab_at={forged}; authlab_rt={refresh}"))
        .await;
    assert_eq!(me.status, StatusCode::UNAUTHORIZED);
    assert!(
        me.body["message"].as_str().unwrap().contains("signature"),
        "{}",
        me.body
    );
    assert_eq!(
        app.refresh(refresh).await.status,
        StatusCode::OK,
        "the refresh token is still unused"
    );
}

#[tokio::test]
async fn logging_in_with_one_mode_clears_the_other() {
    let app = app().await;
    let jwt = app.jwt_login("alice", "alice-password").await;
    let refresh = jwt.body["refresh_token"].as_str().unwrap().to_owned();
    let access = jwt.body["access_token"].as_str().unwrap().to_owned();

    let session_login = app
        .post_json(
            "/api/session/login",
            json!({"username": "alice", "password": "alice-password"}),
            Some(&format!("authlab_at={access}; authlab_rt={refresh}")),
        )
        .await;
    assert_eq!(session_login.status, StatusCode::OK);
    for name in ["authlab_at", "authlab_rt"] {
        assert!(
            session_login.set_cookie(name).unwrap().contains("Max-Age=0"),
            "{name} not cleared"
        );
    }
    assert_eq!(
        app.refresh(&refresh).await.status,
        StatusCode::UNAUTHORIZED,
        "family revoked"
    );

    let session_cookie = session_login.cookie_pair("authlab_sid");
    let jwt_again = app
        .post_json(
            "/api/jwt/login",
            json!({"username": "alice", "password": "alice-password"}),
            Some(&session_cookie),
        )
        .await;
    assert_eq!(jwt_again.status, StatusCode::OK);
    assert!(jwt_again.set_cookie("authlab_sid").unwrap().contains("Max-Age=0"));
    assert_eq!(
        app.me_with_cookie(&session_cookie).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn wrong_password_and_unknown_user_get_the_same_answer() {
    let app = app().await;
    let wrong = app.session_login("alice", "nope").await;
    let unknown = app.jwt_login("mallory", "nope").await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.body, unknown.body);
    assert_eq!(wrong.error_code(), "invalid_credentials");
    assert!(wrong.set_cookie("authlab_sid").is_none());
}

#[tokio::test]
async fn bad_bodies_get_a_4xx_json_error() {
    let app = app().await;
    let send_raw = |content_type: &'static str, body: String| {
        Request::builder()
            .method(Method::POST)
            .uri("/api/session/login")
            .header(header::CONTENT_TYPE, content_type)
            .body(Body::from(body))
            .unwrap()
    };
    let cases = [
        (
            send_raw("application/json", "{not json".into()),
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
        (
            send_raw("application/json", r#"{"username":"alice"}"#.into()),
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
        (
            send_raw("application/json", r#"{"username":1,"password":2}"#.into()),
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
        (
            send_raw("text/plain", r#"{"username":"a","password":"b"}"#.into()),
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
        (
            send_raw(
                "application/json",
                json!({"username": "alice", "password": "x".repeat(20_000)}).to_string(),
            ),
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
        ),
        (
            send_raw("application/json", json!({"username": "", "password": ""}).to_string()),
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
    ];
    for (request, status, code) in cases {
        let reply = app.send(request).await;
        assert_eq!(reply.status, status, "{}", reply.body);
        assert_eq!(reply.error_code(), code);
        assert!(reply.body["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
    let refresh = app.post_json("/api/jwt/refresh", json!({}), None).await;
    assert_eq!(refresh.status, StatusCode::BAD_REQUEST);
    let garbage_refresh = app.refresh("garbage").await;
    assert_eq!(garbage_refresh.status, StatusCode::UNAUTHORIZED);
    assert_eq!(garbage_refresh.error_code(), "invalid_refresh_token");
}

#[tokio::test]
async fn garbage_and_oversized_credentials_get_401_never_500() {
    let app = app().await;
    // Under the 16 KiB head limit (beyond it: 431, tests/headers.rs), over every token limit.
    let huge = "A".repeat(8 * 1024);
    let cookie_cases = [
        "authlab_sid=garbage".to_owned(),
        format!("authlab_sid={huge}"),
        "authlab_at=not.a.jwt".to_owned(),
        format!("authlab_at={huge}"),
        format!("authlab_rt={huge}"),
        "authlab_sid=; authlab_at=; =;;".to_owned(),
    ];
    for cookie in cookie_cases {
        let reply = app.me_with_cookie(&cookie).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{cookie:.40}");
        assert_eq!(reply.error_code(), "unauthenticated");
    }
    let authorization_cases = [
        "Bearer garbage".to_owned(),
        format!("Bearer {huge}"),
        "Basic YWxpY2U6eA==".to_owned(),
        "Bearer".to_owned(),
    ];
    for authorization in authorization_cases {
        let reply = app.get("/api/me", &[(header::AUTHORIZATION, &authorization)]).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{authorization:.40}");
        assert_eq!(
            reply.headers[header::WWW_AUTHENTICATE],
            r#"Bearer error="invalid_token""#
        );
    }
    let anonymous = app.get("/api/me", &[]).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    assert_eq!(anonymous.body["message"], "You need to log in first.");
}

#[tokio::test]
async fn repeated_failures_are_rate_limited() {
    let app = app_with(&["--login-max-failures", "3"]).await;
    for _ in 0..3 {
        assert_eq!(
            app.session_login("alice", "wrong").await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    let limited = app.session_login("alice", "alice-password").await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(limited.error_code(), "rate_limited");
    assert_eq!(
        app.session_login("bob", "bob-password").await.status,
        StatusCode::OK,
        "other users are unaffected"
    );
}

#[tokio::test]
async fn demo_users_can_be_turned_off_and_health_answers() {
    let app = app_with(&["--demo-users", "false"]).await;
    assert_eq!(
        app.session_login("alice", "alice-password").await.status,
        StatusCode::UNAUTHORIZED
    );
    let health = app.get("/healthz", &[]).await;
    assert_eq!(health.status, StatusCode::OK);
    assert_eq!(health.body["status"], "ok");
}

#[tokio::test]
async fn liveness_touches_nothing_and_readiness_needs_the_database() {
    let app = app().await;
    for path in ["/livez", "/readyz", "/healthz"] {
        let reply = app.get(path, &[]).await;
        assert_eq!(reply.status, StatusCode::OK, "{path}");
        assert_eq!(reply.body["status"], "ok", "{path}");
    }
    // The database gone: not ready (a balancer sends no traffic), yet alive.
    app.state.db.close().await;
    for path in ["/readyz", "/healthz"] {
        let reply = app.get(path, &[]).await;
        assert_eq!(reply.status, StatusCode::SERVICE_UNAVAILABLE, "{path}");
        assert_eq!(reply.error_code(), "not_ready", "{path}");
    }
    assert_eq!(app.get("/livez", &[]).await.status, StatusCode::OK);
}

#[tokio::test]
async fn stored_passwords_are_argon2id_hashes() {
    let app = app().await;
    let hashes: Vec<String> = authlab::on_db!(&app.state.db, |pool| sqlx::query_scalar(
        "SELECT password_hash FROM users"
    )
    .fetch_all(pool)
    .await)
    .unwrap();
    assert_eq!(hashes.len(), 3);
    assert!(hashes
        .iter()
        .all(|hash| hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$")));
}

/// A new cost applies to new hashes only: the accounts hashed at the
/// default still log in on a server configured cheaper, a sign-up there
/// gets the cheaper cost, and the default server checks that one too.
#[tokio::test]
async fn the_configured_argon2_cost_applies_to_new_hashes_only() {
    let default = app_with(&["--session-cache", "0"]).await;
    let cheaper = common::app_on(
        Some(&default.state.config.database_url),
        &[
            "--session-cache",
            "0",
            "--argon2-memory-kib",
            "1024",
            "--argon2-iterations",
            "1",
        ],
    )
    .await;
    assert_eq!(
        cheaper.jwt_login("alice", "alice-password").await.status,
        StatusCode::OK
    );
    let signup = json!({"username": "carol", "password": "carol-password"});
    let created = cheaper
        .call(Method::POST, "/api/signup", Some(signup), &Credential::Anonymous)
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let hash: String = authlab::on_db!(&cheaper.state.db, |pool| sqlx::query_scalar(
        "SELECT password_hash FROM users WHERE username = 'carol'"
    )
    .fetch_one(pool)
    .await)
    .unwrap();
    assert!(hash.starts_with("$argon2id$v=19$m=1024,t=1,p=1$"), "{hash}");
    assert_eq!(
        default.jwt_login("carol", "carol-password").await.status,
        StatusCode::OK
    );
    assert_eq!(
        default.jwt_login("carol", "carol-passworD").await.status,
        StatusCode::UNAUTHORIZED
    );
}

/// An access token signed with the app's key whose `exp` is `seconds_ago` in the past.
fn expired_access_token(app: &common::TestApp, seconds_ago: u64) -> String {
    use authlab::auth::jwt::{Claims, AUDIENCE, ISSUER};
    let now = jsonwebtoken::get_current_timestamp();
    let claims = Claims {
        sub: "1".into(),
        name: "alice".into(),
        role: authlab::model::Role::User,
        iat: now - 400,
        exp: now - seconds_ago,
        nbf: None,
        jti: "expired".into(),
        iss: ISSUER.into(),
        aud: AUDIENCE.into(),
        sid: "none".into(),
    };
    app.state.jwt.issue(&claims).unwrap()
}

#[tokio::test]
async fn an_expired_access_token_is_refused_for_bearer_and_refreshed_for_the_browser() {
    let app = app().await;
    let expired = expired_access_token(&app, 10);
    let bearer = app.me_with_bearer(&expired).await;
    assert_eq!(bearer.status, StatusCode::UNAUTHORIZED);
    assert!(
        bearer.body["message"].as_str().unwrap().contains("expired"),
        "{}",
        bearer.body
    );

    let refresh = app.jwt_login("alice", "alice-password").await.body["refresh_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let browser = app
        .me_with_cookie(&format!("authlab_at={expired}; authlab_rt={refresh}"))
        .await;
    assert_eq!(browser.status, StatusCode::OK);
    assert_eq!(browser.body["username"], "alice");
    assert!(browser.set_cookie("authlab_at").is_some());
}

#[tokio::test]
async fn the_memory_session_store_works_the_same() {
    // On SQLite, whose own catalog tells that no session table exists.
    let app = common::sqlite_database_app(&["--session-store", "memory"]).await;
    let cookie = app
        .session_login("bob", "bob-password")
        .await
        .cookie_pair("authlab_sid");
    assert_eq!(app.me_with_cookie(&cookie).await.body["username"], "bob");
    let records: i64 = authlab::on_db!(&app.state.db, |pool| sqlx::query_scalar(
        "SELECT COUNT(*) FROM sqlite_master WHERE name = 'tower_sessions'"
    )
    .fetch_one(pool)
    .await)
    .unwrap();
    assert_eq!(records, 0, "nothing of the session is in the database");
    assert_eq!(
        app.post_json("/api/logout", json!({}), Some(&cookie)).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(app.me_with_cookie(&cookie).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn parallel_requests_of_one_page_share_one_refresh_instead_of_revoking_the_login() {
    let app = app().await;
    let refresh = app.jwt_login("alice", "alice-password").await.body["refresh_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let cookie = format!("authlab_rt={refresh}");
    // What a client-side navigation sends: the nav bar's and the page's call together.
    let (first, second) = tokio::join!(app.me_with_cookie(&cookie), app.me_with_cookie(&cookie));
    assert_eq!((first.status, second.status), (StatusCode::OK, StatusCode::OK));
    assert_eq!(
        first.cookie_pair("authlab_rt"),
        second.cookie_pair("authlab_rt"),
        "both got the same new pair"
    );
    let next = first.cookie_pair("authlab_rt");
    let still_live = app.refresh(next.trim_start_matches("authlab_rt=")).await;
    assert_eq!(still_live.status, StatusCode::OK, "the login was not revoked");
    // The JSON API has no grace: the spent token is a replay.
    assert_eq!(app.refresh(&refresh).await.error_code(), "refresh_reused");
}

/// Read-then-write transactions (a role change, a refresh) running at once
/// wait for each other: none fails with "database is locked" (a 500).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_role_changes_and_refreshes_never_fail_on_a_lock() {
    let app = std::sync::Arc::new(app().await);
    let admin = app.login_as("session", "admin").await;
    let mut tasks = Vec::new();
    for round in 0..12 {
        let (changer, admin) = (app.clone(), admin.clone());
        tasks.push(tokio::spawn(async move {
            let role = if round % 2 == 0 { "admin" } else { "user" };
            let change = changer
                .call(
                    Method::PUT,
                    "/api/admin/users/bob/role",
                    Some(json!({"role": role})),
                    &admin,
                )
                .await;
            change.status
        }));
        let refresher = app.clone();
        tasks.push(tokio::spawn(async move {
            let Credential::Bearer { refresh, .. } = refresher.login_as("jwt", "alice").await else {
                unreachable!()
            };
            refresher.refresh(&refresh).await.status
        }));
    }
    for task in tasks {
        assert_eq!(task.await.unwrap(), StatusCode::OK);
    }
}
