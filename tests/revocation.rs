//! What each mode can take back: forced logout, "my devices", strict
//! revocation, the login limit, password change, expiry and the audit trail.

mod common;

use authlab::{auth::session::AppSessionStore, config::SessionStoreKind, services::logins};
use axum::http::{header, Method, StatusCode};
use common::{app, app_with, Credential, TestApp};
use serde_json::{json, Value};
use tower_sessions::{session::Id, SessionStore};

/// `(outcome, detail)` of every audit row of `event` for `username`, oldest first.
async fn audit_rows(app: &TestApp, username: &str, event: &str) -> Vec<(String, String)> {
    authlab::on_db!(&app.state.db, |pool| sqlx::query_as(
        "SELECT outcome, detail FROM audit_events WHERE username = $1 AND event = $2 ORDER BY id"
    )
    .bind(username)
    .bind(event)
    .fetch_all(pool)
    .await)
    .unwrap()
}

async fn force_logout(app: &TestApp, admin: &Credential, username: &str) -> Value {
    let reply = app
        .call(
            Method::POST,
            &format!("/api/admin/users/{username}/logout"),
            None,
            admin,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.body
}

async fn set_settings(app: &TestApp, admin: &Credential, settings: Value) -> Value {
    let reply = app
        .call(Method::PUT, "/api/admin/settings", Some(settings), admin)
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.body
}

async fn change_password(app: &TestApp, credential: &Credential, old: &str, new: &str) -> common::Reply {
    let body = json!({"old_password": old, "new_password": new});
    app.call(Method::POST, "/api/me/password", Some(body), credential).await
}

async fn me_status(app: &TestApp, credential: &Credential) -> StatusCode {
    app.call(Method::GET, "/api/me", None, credential).await.status
}

fn refresh_token(credential: &Credential) -> &str {
    match credential {
        Credential::Bearer { refresh, .. } => refresh,
        other => panic!("not a JWT login: {other:?}"),
    }
}

async fn my_logins(app: &TestApp, credential: &Credential) -> Vec<Value> {
    let reply = app.call(Method::GET, "/api/me/logins", None, credential).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.body.as_array().unwrap().clone()
}

#[tokio::test]
async fn forced_logout_of_a_session_is_immediate() {
    let app = app().await;
    let admin = app.login_as("session", "admin").await;
    let alice = app.login_as("session", "alice").await;
    let other_device = app.login_as("session", "alice").await;
    assert_eq!(me_status(&app, &alice).await, StatusCode::OK);

    let counts = force_logout(&app, &admin, "alice").await;
    assert_eq!(
        counts,
        json!({"revoked": 2, "sessions": 2, "refresh_families": 0, "access_tokens_valid_for": 0})
    );
    assert_eq!(me_status(&app, &alice).await, StatusCode::UNAUTHORIZED);
    assert_eq!(me_status(&app, &other_device).await, StatusCode::UNAUTHORIZED);
    assert_eq!(
        me_status(&app, &admin).await,
        StatusCode::OK,
        "only alice was logged out"
    );
    for (credential, kept) in [(&alice, false), (&other_device, false), (&admin, true)] {
        let Credential::SessionCookie(cookie) = credential else {
            unreachable!()
        };
        assert_eq!(
            app.store_holds(cookie).await,
            kept,
            "alice's records are deleted, the admin's remains"
        );
    }
    let rows = audit_rows(&app, "alice", "forced_logout").await;
    assert_eq!(rows.len(), 1);
    assert!(rows[0].1.starts_with("by admin: 2 session(s) deleted"), "{rows:?}");
}

#[tokio::test]
async fn forced_logout_of_a_jwt_leaves_the_access_token_working_until_exp_unless_strict() {
    let app = app().await;
    let admin = app.login_as("session", "admin").await;
    let alice = app.login_as("jwt", "alice").await;

    let counts = force_logout(&app, &admin, "alice").await;
    assert_eq!(
        (counts["sessions"].as_u64(), counts["refresh_families"].as_u64()),
        (Some(0), Some(1))
    );
    let valid_for = counts["access_tokens_valid_for"].as_i64().unwrap();
    // Counted to the moment the server really refuses it: exp plus the leeway.
    let refused_after = 300 + authlab::auth::jwt::LEEWAY_SECS as i64 + 1;
    assert!(
        (refused_after - 5..=refused_after).contains(&valid_for),
        "the default access TTL is 300 s, plus the leeway: {valid_for}"
    );
    assert_eq!(
        me_status(&app, &alice).await,
        StatusCode::OK,
        "the server cannot recall a token it does not store"
    );
    let refresh = app.refresh(refresh_token(&alice)).await;
    assert_eq!(refresh.status, StatusCode::UNAUTHORIZED);
    assert_eq!(refresh.error_code(), "invalid_refresh_token");

    // The same token, the moment strict revocation is switched on.
    let settings = set_settings(&app, &admin, json!({"strict_revocation": true})).await;
    assert_eq!(settings["strict_revocation"], true);
    let refused = app.call(Method::GET, "/api/me", None, &alice).await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    assert!(
        refused.body["message"].as_str().unwrap().contains("revoked"),
        "{}",
        refused.body
    );
    assert_eq!(
        audit_rows(&app, "admin", "settings_changed").await[0].1,
        "strict revocation off → on, max logins per user none → none"
    );
}

#[tokio::test]
async fn with_strict_revocation_from_the_start_forced_logout_is_immediate_in_jwt_mode_too() {
    let app = app_with(&["--jwt-strict-revocation", "true"]).await;
    let admin = app.login_as("jwt", "admin").await;
    let alice = app.login_as("jwt", "alice").await;
    assert_eq!(me_status(&app, &alice).await, StatusCode::OK, "a live login passes");

    let counts = force_logout(&app, &admin, "alice").await;
    assert_eq!(counts["access_tokens_valid_for"], 0);
    assert_eq!(me_status(&app, &alice).await, StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.refresh(refresh_token(&alice)).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(me_status(&app, &admin).await, StatusCode::OK);

    // The browser's cookies are cleared once the login is gone.
    let Credential::Bearer { access, refresh } = &alice else {
        unreachable!()
    };
    let browser = app
        .me_with_cookie(&format!("authlab_at={access}; authlab_rt={refresh}"))
        .await;
    assert_eq!(browser.status, StatusCode::UNAUTHORIZED);
    assert!(browser.set_cookie("authlab_rt").unwrap().contains("Max-Age=0"));
}

#[tokio::test]
async fn strict_revocation_shows_its_lookup_in_the_trace() {
    let app = app().await;
    let alice = app.jwt_login("alice", "alice-password").await;
    let cookie = format!(
        "authlab_at={}; authlab_rt={}",
        alice.body["access_token"].as_str().unwrap(),
        alice.body["refresh_token"].as_str().unwrap()
    );
    let lax = app.get("/me", &[(header::COOKIE, &cookie)]).await;
    assert!(lax.text().contains("no server lookup"), "strict is off by default");
    assert!(!lax.text().contains("strict revocation"));

    let admin = app.login_as("session", "admin").await;
    set_settings(&app, &admin, json!({"strict_revocation": true})).await;
    let strict = app.get("/me", &[(header::COOKIE, &cookie)]).await;
    assert_eq!(strict.status, StatusCode::OK);
    assert!(
        strict
            .text()
            .contains("strict revocation: looked its login up in refresh_families: still live"),
        "the trace names the lookup"
    );
    assert!(strict.text().contains("This request needed the server"));
}

#[tokio::test]
async fn my_devices_lists_both_modes_and_revokes_one_or_all_others() {
    let app = app().await;
    let laptop = app.login_as("session", "alice").await;
    let phone = app.login_as("jwt", "alice").await;
    let tablet = app.login_as("session", "alice").await;
    let _bob = app.login_as("session", "bob").await;

    let logins = my_logins(&app, &laptop).await;
    assert_eq!(logins.len(), 3, "alice's three logins, not bob's: {logins:?}");
    let modes: Vec<_> = logins.iter().map(|login| login["mode"].as_str().unwrap()).collect();
    assert_eq!(modes, ["session", "jwt", "session"], "oldest first");
    let current: Vec<_> = logins.iter().map(|login| login["current"].as_bool().unwrap()).collect();
    assert_eq!(current, [true, false, false]);
    let Credential::SessionCookie(laptop_cookie) = &laptop else {
        unreachable!()
    };
    let session_id = laptop_cookie.trim_start_matches("authlab_sid=");
    assert!(
        logins.iter().all(|login| login["id"] != session_id),
        "the session id is the credential: never listed"
    );

    // Revoke the phone from the laptop: the refresh family goes.
    let phone_id = logins[1]["id"].as_str().unwrap();
    let revoked = app
        .call(Method::DELETE, &format!("/api/me/logins/{phone_id}"), None, &laptop)
        .await;
    assert_eq!(revoked.status, StatusCode::OK, "{}", revoked.body);
    assert_eq!(revoked.body["refresh_families"], 1);
    assert_eq!(
        app.refresh(refresh_token(&phone)).await.status,
        StatusCode::UNAUTHORIZED
    );
    let again = app
        .call(Method::DELETE, &format!("/api/me/logins/{phone_id}"), None, &laptop)
        .await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);

    // Bob cannot revoke alice's tablet.
    let tablet_id = logins[2]["id"].as_str().unwrap();
    let bob = app.login_as("session", "bob").await;
    let foreign = app
        .call(Method::DELETE, &format!("/api/me/logins/{tablet_id}"), None, &bob)
        .await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND);
    assert_eq!(me_status(&app, &tablet).await, StatusCode::OK);

    // Everywhere else: the tablet goes, the laptop stays.
    let others = app.call(Method::POST, "/api/me/logout-others", None, &laptop).await;
    assert_eq!(others.status, StatusCode::OK);
    assert_eq!(others.body["revoked"], 1);
    assert_eq!(me_status(&app, &tablet).await, StatusCode::UNAUTHORIZED);
    assert_eq!(me_status(&app, &laptop).await, StatusCode::OK);
    let left = my_logins(&app, &laptop).await;
    assert_eq!(left.len(), 1);
    assert_eq!(left[0]["current"], true);
    assert_eq!(audit_rows(&app, "alice", "logout_others").await.len(), 1);
    assert_eq!(audit_rows(&app, "alice", "login_revoked").await.len(), 1);
}

#[tokio::test]
async fn logout_everywhere_else_from_a_jwt_keeps_its_own_family() {
    let app = app().await;
    let session = app.login_as("session", "bob").await;
    let jwt = app.login_as("jwt", "bob").await;
    let other_jwt = app.login_as("jwt", "bob").await;
    let others = app.call(Method::POST, "/api/me/logout-others", None, &jwt).await;
    assert_eq!(
        (
            others.body["sessions"].as_u64(),
            others.body["refresh_families"].as_u64()
        ),
        (Some(1), Some(1))
    );
    assert_eq!(me_status(&app, &session).await, StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.refresh(refresh_token(&other_jwt)).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(app.refresh(refresh_token(&jwt)).await.status, StatusCode::OK);
}

#[tokio::test]
async fn the_login_limit_revokes_the_oldest_login_in_either_mode() {
    let app = app_with(&["--max-logins-per-user", "2"]).await;
    let first = app.login_as("jwt", "alice").await;
    let second = app.login_as("session", "alice").await;
    let third = app.login_as("session", "alice").await;
    assert_eq!(
        app.refresh(refresh_token(&first)).await.status,
        StatusCode::UNAUTHORIZED,
        "the oldest, a JWT login, lost its refresh family"
    );
    assert_eq!(me_status(&app, &second).await, StatusCode::OK);
    assert_eq!(me_status(&app, &third).await, StatusCode::OK);
    assert_eq!(my_logins(&app, &third).await.len(), 2);
    let rows = audit_rows(&app, "alice", "login_limit").await;
    assert_eq!(rows.len(), 1);
    assert!(rows[0].1.contains("refresh family"), "{rows:?}");

    let fourth = app.login_as("jwt", "alice").await;
    assert_eq!(
        me_status(&app, &second).await,
        StatusCode::UNAUTHORIZED,
        "now the oldest session"
    );
    assert_eq!(me_status(&app, &fourth).await, StatusCode::OK);

    // An admin can lift the limit at run time.
    let admin = app.login_as("session", "admin").await;
    let settings = set_settings(&app, &admin, json!({"max_logins_per_user": 0})).await;
    assert_eq!(settings["max_logins_per_user"], 0);
    for _ in 0..3 {
        app.login_as("session", "alice").await;
    }
    assert_eq!(my_logins(&app, &fourth).await.len(), 5);
    let too_many = app
        .call(
            Method::PUT,
            "/api/admin/settings",
            Some(json!({"max_logins_per_user": 5000})),
            &admin,
        )
        .await;
    assert_eq!(too_many.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn changing_the_password_revokes_other_logins_and_rotates_the_session_id() {
    let app = app().await;
    let here = app.login_as("session", "bob").await;
    let elsewhere_session = app.login_as("session", "bob").await;
    let elsewhere_jwt = app.login_as("jwt", "bob").await;
    let Credential::SessionCookie(old_cookie) = &here else {
        unreachable!()
    };

    let wrong = change_password(&app, &here, "not-it", "a-new-password").await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);
    assert_eq!(wrong.error_code(), "wrong_password");
    assert_eq!(
        me_status(&app, &elsewhere_session).await,
        StatusCode::OK,
        "nothing revoked"
    );

    let changed = change_password(&app, &here, "bob-password", "a-new-password").await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    assert_eq!(
        (
            changed.body["sessions"].as_u64(),
            changed.body["refresh_families"].as_u64()
        ),
        (Some(1), Some(1))
    );
    let new_cookie = changed.cookie_pair("authlab_sid");
    assert_ne!(&new_cookie, old_cookie, "the session id is rotated");
    assert_eq!(app.me_with_cookie(old_cookie).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.me_with_cookie(&new_cookie).await.body["username"], "bob");
    assert_eq!(me_status(&app, &elsewhere_session).await, StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.refresh(refresh_token(&elsewhere_jwt)).await.status,
        StatusCode::UNAUTHORIZED
    );
    let logins = my_logins(&app, &Credential::SessionCookie(new_cookie)).await;
    assert_eq!(logins.len(), 1, "the rotated session is still listed: {logins:?}");
    assert_eq!(logins[0]["current"], true);

    assert_eq!(
        app.session_login("bob", "bob-password").await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(app.session_login("bob", "a-new-password").await.status, StatusCode::OK);
    let rows = audit_rows(&app, "bob", "password_change").await;
    let outcomes: Vec<_> = rows.iter().map(|(outcome, _)| outcome.as_str()).collect();
    assert_eq!(outcomes, ["failed", "ok"]);
    assert!(
        audit_rows(&app, "bob", "denied").await.is_empty(),
        "the wrong password is recorded once, as a failed change"
    );

    let revoked = change_password(&app, &elsewhere_session, "a-new-password", "another-password").await;
    assert_eq!(revoked.status, StatusCode::UNAUTHORIZED, "that login is gone");
    let bob = app.login_as_with("session", "bob", "a-new-password").await;
    let too_short = change_password(&app, &bob, "a-new-password", "short").await;
    assert_eq!(too_short.status, StatusCode::BAD_REQUEST);
    let same = change_password(&app, &bob, "a-new-password", "a-new-password").await;
    assert_eq!(same.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn expired_sessions_and_refresh_tokens_are_refused_before_housekeeping_runs() {
    // Time passes here for the stored rows only, not for a cache holding the
    // records as they were: without one (tests/cache.rs covers its expiry).
    // The SQLite store's rows: Redis expires its keys itself.
    let app = common::sqlite_app(&["--session-cache", "0"]).await;
    let session = app.login_as("session", "alice").await;
    let jwt = app.login_as("jwt", "alice").await;
    assert_eq!(my_logins(&app, &session).await.len(), 2);

    // Time passes for the stored rows, not for the test.
    let past = authlab::auth::now() - 1;
    for expire in [
        "UPDATE tower_sessions SET expiry_date = $1",
        "UPDATE session_logins SET expires_at = $1",
        "UPDATE refresh_tokens SET expires_at = $1",
        "UPDATE refresh_families SET expires_at = $1",
    ] {
        authlab::on_db!(&app.state.db, |pool| sqlx::query(expire)
            .bind(past)
            .execute(pool)
            .await
            .map(|done| done.rows_affected()))
        .unwrap();
    }

    assert_eq!(me_status(&app, &session).await, StatusCode::UNAUTHORIZED);
    let refresh = app.refresh(refresh_token(&jwt)).await;
    assert_eq!(refresh.status, StatusCode::UNAUTHORIZED);
    assert!(refresh.body["message"].as_str().unwrap().contains("expired"));
    let fresh = app.login_as("session", "alice").await;
    assert_eq!(my_logins(&app, &fresh).await.len(), 1, "expired logins are not listed");

    // One audit event just past the default 30 days, one just inside them.
    let day = 24 * 3600;
    for age in [30 * day + 1, 30 * day - 60] {
        authlab::on_db!(&app.state.db, |pool| sqlx::query(
            "INSERT INTO audit_events (at, event, outcome) VALUES ($1, 'login', 'ok')"
        )
        .bind(authlab::auth::now() - age)
        .execute(pool)
        .await
        .map(|done| done.rows_affected()))
        .unwrap();
    }
    async fn audit_rows(pool: &authlab::db::Db) -> i64 {
        authlab::on_db!(pool, |pool| sqlx::query_scalar("SELECT COUNT(*) FROM audit_events")
            .fetch_one(pool)
            .await)
        .unwrap()
    }
    let audit_before = audit_rows(&app.state.db).await;

    let deleted = logins::delete_expired(&app.state, authlab::auth::now()).await.unwrap();
    assert_eq!(
        (deleted.sessions, deleted.refresh_families),
        (1, 1),
        "housekeeping deletes the expired index row and family"
    );
    assert_eq!(deleted.audit_events, 1, "only the event past the retention goes");
    assert_eq!(audit_rows(&app.state.db).await, audit_before - 1);
    let left: i64 = authlab::on_db!(&app.state.db, |pool| sqlx::query_scalar(
        "SELECT COUNT(*) FROM refresh_tokens"
    )
    .fetch_one(pool)
    .await)
    .unwrap();
    assert_eq!(left, 0);
    assert_eq!(me_status(&app, &fresh).await, StatusCode::OK);
}

#[tokio::test]
async fn a_request_in_flight_cannot_bring_a_revoked_session_back() {
    let app = app().await;
    let alice = app.login_as("session", "alice").await;
    let Credential::SessionCookie(cookie) = &alice else {
        unreachable!()
    };
    let id: Id = cookie.trim_start_matches("authlab_sid=").parse().unwrap();
    // A request loaded the record, then an admin revoked the session...
    let mut record = app.state.sessions.load(&id).await.unwrap().unwrap();
    let admin = app.login_as("session", "admin").await;
    force_logout(&app, &admin, "alice").await;
    // ...and the request now saves its activity.
    record.expiry_date += time::Duration::minutes(1);
    app.state.sessions.save(&record).await.unwrap();
    assert!(app.state.sessions.load(&id).await.unwrap().is_none());
    assert_eq!(me_status(&app, &alice).await, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn admin_endpoints_are_for_admins_and_list_every_live_login() {
    let app = app().await;
    let alice = app.login_as("session", "alice").await;
    let _bob = app.login_as("jwt", "bob").await;
    let admin = app.login_as("session", "admin").await;
    for (method, path) in [
        (Method::GET, "/api/admin/sessions"),
        (Method::POST, "/api/admin/users/bob/logout"),
        (Method::GET, "/api/admin/settings"),
        (Method::GET, "/api/admin/audit"),
    ] {
        let user = app.call(method.clone(), path, None, &alice).await;
        assert_eq!(user.status, StatusCode::FORBIDDEN, "{path}");
        let anonymous = app.call(method, path, None, &Credential::Anonymous).await;
        assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED, "{path}");
    }
    let all = app.call(Method::GET, "/api/admin/sessions", None, &admin).await;
    let users: Vec<_> = all
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|login| login["username"].clone())
        .collect();
    assert_eq!(users, [json!("alice"), json!("bob"), json!("admin")]);
    let bobs = app
        .call(Method::GET, "/api/admin/sessions?user=bob", None, &admin)
        .await;
    assert_eq!(bobs.body.as_array().unwrap().len(), 1);
    assert_eq!(bobs.body[0]["mode"], "jwt");
    let nobody = app
        .call(Method::POST, "/api/admin/users/nobody/logout", None, &admin)
        .await;
    assert_eq!(nobody.status, StatusCode::NOT_FOUND);
    let bad = app
        .call(
            Method::PUT,
            "/api/admin/settings",
            Some(json!({"strict": "yes"})),
            &admin,
        )
        .await;
    assert_eq!(
        bad.status,
        StatusCode::BAD_REQUEST,
        "unknown settings are refused: {}",
        bad.body
    );
}

#[tokio::test]
async fn identical_denials_in_a_row_count_up_one_row() {
    let app = app().await;
    let alice = app.login_as("session", "alice").await;
    for _ in 0..5 {
        let reply = app.call(Method::GET, "/api/admin/users", None, &alice).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN);
    }
    for _ in 0..3 {
        let reply = app.call(Method::GET, "/api/me", None, &Credential::Anonymous).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    }
    app.call(Method::GET, "/api/admin/users", None, &alice).await;

    let rows: Vec<(String, i64)> = authlab::on_db!(&app.state.db, |pool| sqlx::query_as(
        "SELECT detail, repeats FROM audit_events WHERE event = 'denied' ORDER BY id"
    )
    .fetch_all(pool)
    .await)
    .unwrap();
    let users = "403 GET /api/admin/users: not allowed for this user";
    assert_eq!(
        rows,
        [
            (users.to_owned(), 5),
            ("401 GET /api/me: no credential".to_owned(), 3),
            (users.to_owned(), 1),
        ],
        "only a repeat of the newest row is folded into it"
    );

    let admin = app.login_as("session", "admin").await;
    let listed = app
        .call(Method::GET, "/api/admin/audit?event=denied", None, &admin)
        .await;
    let repeats: Vec<i64> = listed
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row["repeats"].as_i64().unwrap())
        .collect();
    assert_eq!(repeats, [1, 3, 5], "newest first, each with its count");
}

#[tokio::test]
async fn the_audit_trail_records_each_event_once_and_filters() {
    let app = app().await;
    assert_eq!(
        app.session_login("alice", "wrong").await.status,
        StatusCode::UNAUTHORIZED
    );
    let alice = app.login_as("jwt", "alice").await;
    let refreshed = app.refresh(refresh_token(&alice)).await;
    assert_eq!(refreshed.status, StatusCode::OK);
    assert_eq!(app.refresh(refresh_token(&alice)).await.error_code(), "refresh_reused");
    let admin = app.login_as("session", "admin").await;
    let denied = app.call(Method::GET, "/api/admin/users", None, &alice).await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);
    force_logout(&app, &admin, "alice").await;
    let Credential::SessionCookie(admin_cookie) = &admin else {
        unreachable!()
    };
    app.post_json("/api/logout", json!({}), Some(admin_cookie)).await;

    let outcomes = |rows: Vec<(String, String)>| rows.into_iter().map(|(outcome, _)| outcome).collect::<Vec<_>>();
    assert_eq!(outcomes(audit_rows(&app, "alice", "login").await), ["failed", "ok"]);
    assert_eq!(outcomes(audit_rows(&app, "alice", "refresh").await), ["ok"]);
    assert_eq!(outcomes(audit_rows(&app, "alice", "refresh_reuse").await), ["failed"]);
    assert_eq!(outcomes(audit_rows(&app, "alice", "denied").await), ["denied"]);
    assert_eq!(
        audit_rows(&app, "alice", "denied").await[0].1,
        "403 GET /api/admin/users: not allowed for this user"
    );
    let denied_rows: i64 = authlab::on_db!(&app.state.db, |pool| sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_events WHERE event = 'denied'"
    )
    .fetch_one(pool)
    .await)
    .unwrap();
    assert_eq!(
        denied_rows, 1,
        "the refused login and refreshes are recorded as such, not again as denied requests"
    );
    assert_eq!(outcomes(audit_rows(&app, "alice", "forced_logout").await), ["ok"]);
    assert_eq!(outcomes(audit_rows(&app, "admin", "logout").await), ["ok"]);
    let modes: Vec<Option<String>> = authlab::on_db!(&app.state.db, |pool| sqlx::query_scalar(
        "SELECT mode FROM audit_events WHERE username = 'alice' AND event = 'login' ORDER BY id"
    )
    .fetch_all(pool)
    .await)
    .unwrap();
    assert_eq!(modes, [Some("session".to_owned()), Some("jwt".to_owned())]);

    let admin = app.login_as("session", "admin").await;
    let filtered = app
        .call(
            Method::GET,
            "/api/admin/audit?user=alice&event=login&outcome=failed",
            None,
            &admin,
        )
        .await;
    assert_eq!(filtered.status, StatusCode::OK);
    let rows = filtered.body.as_array().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["detail"], "wrong username or password");
    let unknown = app
        .call(Method::GET, "/api/admin/audit?event=nonsense", None, &admin)
        .await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
    let garbage_limit = app.call(Method::GET, "/api/admin/audit?limit=many", None, &admin).await;
    assert_eq!(garbage_limit.status, StatusCode::BAD_REQUEST);

    // Alice sees her own trail only.
    let bob = app.login_as("session", "bob").await;
    let own = app.call(Method::GET, "/api/me/audit", None, &bob).await;
    let events: Vec<_> = own
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row["event"].clone())
        .collect();
    assert_eq!(events, [json!("login")]);
}

#[tokio::test]
async fn the_memory_store_keeps_the_index_too() {
    let app = app_with(&["--session-store", "memory"]).await;
    let admin = app.login_as("session", "admin").await;
    let alice = app.login_as("session", "alice").await;
    assert_eq!(my_logins(&app, &alice).await.len(), 1);
    assert_eq!(force_logout(&app, &admin, "alice").await["sessions"], 1);
    assert_eq!(me_status(&app, &alice).await, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn sessions_from_before_the_index_are_indexed_at_start_up() {
    // Sessions of the SQLite store made before the index existed.
    let app = common::sqlite_app(&[]).await;
    let admin = app.login_as("session", "admin").await;
    let alice = app.login_as("session", "alice").await;
    // A record made before the index existed has no index row...
    authlab::on_db!(&app.state.db, |pool| sqlx::query("DELETE FROM session_logins")
        .execute(pool)
        .await
        .map(|done| done.rows_affected()))
    .unwrap();
    assert_eq!(
        force_logout(&app, &admin, "alice").await["sessions"],
        0,
        "unindexed: missed"
    );

    // ...until the next start indexes it.
    let absolute_ttl = app.state.config.session_absolute_ttl;
    AppSessionStore::standalone(SessionStoreKind::Sqlite, &app.state.db, absolute_ttl, 0)
        .await
        .unwrap();
    assert_eq!(my_logins(&app, &alice).await.len(), 1);
    assert_eq!(force_logout(&app, &admin, "alice").await["sessions"], 1);
    assert_eq!(me_status(&app, &alice).await, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn pages_of_a_revoked_jwt_carry_the_banner_with_the_seconds_left() {
    let app = app().await;
    let admin = app.login_as("session", "admin").await;
    let Credential::Bearer { access, refresh } = app.login_as("jwt", "alice").await else {
        unreachable!()
    };
    let cookie = format!("authlab_at={access}; authlab_rt={refresh}");
    let before = app.get("/board", &[(header::COOKIE, &cookie)]).await;
    assert_eq!(before.status, StatusCode::OK);
    assert!(!before.text().contains("revoked-banner"));

    force_logout(&app, &admin, "alice").await;
    let after = app.get("/board", &[(header::COOKIE, &cookie)]).await;
    assert_eq!(after.status, StatusCode::OK, "the token still opens the page");
    assert!(after.text().contains(r#"data-testid="revoked-banner""#));
    assert!(after.text().contains("the server cannot recall it"));
}
