//! Authorization, identical in both modes: the board's ownership rules, the
//! admin API, sign-up validation, and how each mode sees a role change.

mod common;

use axum::http::{Method, StatusCode};
use common::{app, Credential, TestApp};
use serde_json::{json, Value};

const MODES: [&str; 2] = ["session", "jwt"];

async fn create_post(app: &TestApp, author: &Credential, body: &str) -> i64 {
    let reply = app
        .call(Method::POST, "/api/posts", Some(json!({ "body": body })), author)
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    reply.body["id"].as_i64().unwrap()
}

fn edit(text: &str) -> Option<Value> {
    Some(json!({ "body": text }))
}

#[tokio::test]
async fn ownership_rules_hold_in_both_modes() {
    for mode in MODES {
        let app = app().await;
        let alice = app.login_as(mode, "alice").await;
        let bob = app.login_as(mode, "bob").await;
        let admin = app.login_as(mode, "admin").await;
        let id = create_post(&app, &alice, "alice's first post").await;
        let path = format!("/api/posts/{id}");

        let own_edit = app.call(Method::PUT, &path, edit("edited by alice"), &alice).await;
        assert_eq!(own_edit.status, StatusCode::OK, "{mode}");
        assert_eq!(own_edit.body["body"], "edited by alice");
        assert_eq!(
            (own_edit.body["can_edit"].as_bool(), own_edit.body["author"].as_str()),
            (Some(true), Some("alice"))
        );

        for (who, method, body) in [
            (&bob, Method::PUT, edit("bob was here")),
            (&bob, Method::DELETE, None),
            (&admin, Method::PUT, edit("admin rewrites")),
        ] {
            let refused = app.call(method.clone(), &path, body, who).await;
            assert_eq!(refused.status, StatusCode::FORBIDDEN, "{mode} {method}");
            assert_eq!(refused.error_code(), "forbidden");
            assert!(refused.body["message"].as_str().unwrap().contains("not yours"));
        }
        let seen_by_bob = app.call(Method::GET, &path, None, &bob).await;
        assert_eq!(
            seen_by_bob.body["body"], "edited by alice",
            "{mode}: the refused edits changed nothing"
        );
        assert_eq!(
            (
                seen_by_bob.body["can_edit"].as_bool(),
                seen_by_bob.body["can_delete"].as_bool()
            ),
            (Some(false), Some(false))
        );
        let seen_by_admin = app.call(Method::GET, &path, None, &admin).await;
        assert_eq!(
            (
                seen_by_admin.body["can_edit"].as_bool(),
                seen_by_admin.body["can_delete"].as_bool()
            ),
            (Some(false), Some(true))
        );

        assert_eq!(
            app.call(Method::DELETE, &path, None, &admin).await.status,
            StatusCode::NO_CONTENT,
            "{mode}"
        );
        let gone = app.call(Method::GET, &path, None, &alice).await;
        assert_eq!((gone.status, gone.error_code()), (StatusCode::NOT_FOUND, "not_found"));
        assert_eq!(
            app.call(Method::DELETE, &path, None, &alice).await.status,
            StatusCode::NOT_FOUND
        );

        let own = create_post(&app, &bob, "bob's own").await;
        assert_eq!(
            app.call(Method::DELETE, &format!("/api/posts/{own}"), None, &bob)
                .await
                .status,
            StatusCode::NO_CONTENT
        );
    }
}

#[tokio::test]
async fn anonymous_is_401_users_are_403_on_admin_routes() {
    for mode in MODES {
        let app = app().await;
        let alice = app.login_as(mode, "alice").await;
        let id = create_post(&app, &alice, "hello").await;
        for (method, path, body) in [
            (Method::GET, "/api/posts".to_owned(), None),
            (Method::POST, "/api/posts".to_owned(), edit("x")),
            (Method::PUT, format!("/api/posts/{id}"), edit("x")),
            (Method::DELETE, format!("/api/posts/{id}"), None),
            (Method::GET, "/api/admin/users".to_owned(), None),
            (
                Method::PUT,
                "/api/admin/users/bob/role".to_owned(),
                Some(json!({"role": "admin"})),
            ),
        ] {
            let reply = app.call(method.clone(), &path, body, &Credential::Anonymous).await;
            assert_eq!(
                (reply.status, reply.error_code()),
                (StatusCode::UNAUTHORIZED, "unauthenticated"),
                "{method} {path}"
            );
        }
        for (method, path, body) in [
            (Method::GET, "/api/admin/users", None),
            (
                Method::PUT,
                "/api/admin/users/alice/role",
                Some(json!({"role": "admin"})),
            ),
        ] {
            let reply = app.call(method.clone(), path, body, &alice).await;
            assert_eq!(
                (reply.status, reply.error_code()),
                (StatusCode::FORBIDDEN, "forbidden"),
                "{mode} {method} {path}"
            );
        }
    }
}

#[tokio::test]
async fn admin_lists_users_with_post_counts_and_cannot_remove_the_last_admin() {
    let app = app().await;
    let admin = app.login_as("session", "admin").await;
    let alice = app.login_as("session", "alice").await;
    create_post(&app, &alice, "one").await;
    create_post(&app, &alice, "two").await;

    let users = app.call(Method::GET, "/api/admin/users", None, &admin).await;
    assert_eq!(users.status, StatusCode::OK);
    let rows = users.body.as_array().unwrap();
    assert_eq!(rows[0]["username"], "admin", "admins first");
    let alice_row = rows.iter().find(|row| row["username"] == "alice").unwrap();
    assert_eq!(
        (alice_row["post_count"].as_i64(), alice_row["role"].as_str()),
        (Some(2), Some("user"))
    );
    assert!(alice_row["last_login_at"].as_i64().is_some());
    let bob_row = rows.iter().find(|row| row["username"] == "bob").unwrap();
    assert!(bob_row["last_login_at"].is_null(), "bob never logged in");

    let demote_self = app
        .call(
            Method::PUT,
            "/api/admin/users/admin/role",
            Some(json!({"role": "user"})),
            &admin,
        )
        .await;
    assert_eq!(
        (demote_self.status, demote_self.error_code()),
        (StatusCode::CONFLICT, "last_admin")
    );

    let bad_role = app
        .call(
            Method::PUT,
            "/api/admin/users/bob/role",
            Some(json!({"role": "root"})),
            &admin,
        )
        .await;
    assert_eq!(bad_role.status, StatusCode::BAD_REQUEST);
    let nobody = app
        .call(
            Method::PUT,
            "/api/admin/users/nobody/role",
            Some(json!({"role": "admin"})),
            &admin,
        )
        .await;
    assert_eq!(nobody.status, StatusCode::NOT_FOUND);
    let bad_id = app.call(Method::GET, "/api/posts/abc", None, &admin).await;
    assert_eq!(
        (bad_id.status, bad_id.error_code()),
        (StatusCode::BAD_REQUEST, "bad_request")
    );

    let promote = app
        .call(
            Method::PUT,
            "/api/admin/users/bob/role",
            Some(json!({"role": "admin"})),
            &admin,
        )
        .await;
    assert_eq!(
        (promote.status, promote.body["role"].as_str()),
        (StatusCode::OK, Some("admin"))
    );
    let demote = app
        .call(
            Method::PUT,
            "/api/admin/users/admin/role",
            Some(json!({"role": "user"})),
            &admin,
        )
        .await;
    assert_eq!(demote.status, StatusCode::OK, "another admin exists now");

    let changes: Vec<(String, String)> = authlab::on_db!(&app.state.db, |pool| sqlx::query_as(
        "SELECT username, detail FROM audit_events WHERE event = 'role_change' ORDER BY id"
    )
    .fetch_all(pool)
    .await)
    .unwrap();
    assert_eq!(
        changes,
        [
            ("bob".to_owned(), "user → admin by admin".to_owned()),
            ("admin".to_owned(), "admin → user by admin".to_owned())
        ],
        "only the changes that happened are in the audit trail"
    );
}

#[tokio::test]
async fn a_role_change_applies_at_once_in_session_mode() {
    let app = app().await;
    let admin = app.login_as("session", "admin").await;
    let bob = app.login_as("session", "bob").await;
    assert_eq!(
        app.call(Method::GET, "/api/admin/users", None, &bob).await.status,
        StatusCode::FORBIDDEN
    );
    app.call(
        Method::PUT,
        "/api/admin/users/bob/role",
        Some(json!({"role": "admin"})),
        &admin,
    )
    .await;
    assert_eq!(
        app.call(Method::GET, "/api/admin/users", None, &bob).await.status,
        StatusCode::OK,
        "the next request sees it"
    );
    assert_eq!(app.call(Method::GET, "/api/me", None, &bob).await.body["role"], "admin");
}

#[tokio::test]
async fn a_role_change_applies_after_the_next_refresh_in_jwt_mode() {
    let app = app().await;
    let admin = app.login_as("session", "admin").await;
    let bob = app.login_as("jwt", "bob").await;
    app.call(
        Method::PUT,
        "/api/admin/users/bob/role",
        Some(json!({"role": "admin"})),
        &admin,
    )
    .await;

    // The token still says "user", and the server trusts the token.
    assert_eq!(app.call(Method::GET, "/api/me", None, &bob).await.body["role"], "user");
    assert_eq!(
        app.call(Method::GET, "/api/admin/users", None, &bob).await.status,
        StatusCode::FORBIDDEN
    );

    let Credential::Bearer { refresh, .. } = &bob else {
        unreachable!()
    };
    let refreshed = app.refresh(refresh).await;
    let bob = Credential::Bearer {
        access: refreshed.body["access_token"].as_str().unwrap().to_owned(),
        refresh: refreshed.body["refresh_token"].as_str().unwrap().to_owned(),
    };
    assert_eq!(app.call(Method::GET, "/api/me", None, &bob).await.body["role"], "admin");
    assert_eq!(
        app.call(Method::GET, "/api/admin/users", None, &bob).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn sign_up_validates_and_creates_a_user() {
    let app = app().await;
    let anonymous = Credential::Anonymous;
    let signup = |username: &str, password: &str| json!({ "username": username, "password": password });
    let created = app
        .call(
            Method::POST,
            "/api/signup",
            Some(signup("carol_1", "비밀번호는여덟자")),
            &anonymous,
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    assert_eq!(created.body["user"], json!({"username": "carol_1", "role": "user"}));

    let cases = [
        (signup("CAROL_1", "long-enough"), StatusCode::CONFLICT, "username_taken"),
        (signup("Alice", "long-enough"), StatusCode::CONFLICT, "username_taken"),
        (signup("ab", "long-enough"), StatusCode::BAD_REQUEST, "bad_request"),
        (
            signup(&"a".repeat(33), "long-enough"),
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
        (
            signup("has space", "long-enough"),
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
        (signup("dave", "short"), StatusCode::BAD_REQUEST, "bad_request"),
        (signup("dave", &"p".repeat(129)), StatusCode::BAD_REQUEST, "bad_request"),
        (json!({"username": "dave"}), StatusCode::BAD_REQUEST, "bad_request"),
    ];
    for (body, status, code) in cases {
        let reply = app
            .call(Method::POST, "/api/signup", Some(body.clone()), &anonymous)
            .await;
        assert_eq!((reply.status, reply.error_code()), (status, code), "{body}");
    }

    // The password is used exactly as typed.
    let login = |password: &str| json!({ "username": "carol_1", "password": password });
    assert_eq!(
        app.call(
            Method::POST,
            "/api/jwt/login",
            Some(login("비밀번호는여덟자")),
            &anonymous
        )
        .await
        .status,
        StatusCode::OK
    );
    assert_eq!(
        app.call(
            Method::POST,
            "/api/jwt/login",
            Some(login("비밀번호는여덟자 ")),
            &anonymous
        )
        .await
        .status,
        StatusCode::UNAUTHORIZED
    );
    let carol = app
        .call(
            Method::POST,
            "/api/session/login",
            Some(login("비밀번호는여덟자")),
            &anonymous,
        )
        .await;
    assert_eq!(carol.body["user"]["role"], "user");
}

/// Two admins demote each other at once: one of them must stay. Each
/// demotion reads how many admins are left and then writes, so the two
/// transactions take turns (SQLite `BEGIN IMMEDIATE`, PostgreSQL an
/// advisory transaction lock), and the second one sees the first's write.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_admins_demoting_each_other_at_once_leave_one_admin() {
    let app = app().await;
    let admin = app.login_as("jwt", "admin").await;
    let role = async |name: &str, role: &str| {
        app.call(
            Method::PUT,
            &format!("/api/admin/users/{name}/role"),
            Some(json!({ "role": role })),
            &admin,
        )
        .await
    };
    assert_eq!(role("bob", "admin").await.status, StatusCode::OK);
    for _ in 0..10 {
        let (first, second) = tokio::join!(role("admin", "user"), role("bob", "user"));
        let mut statuses = [first.status, second.status];
        statuses.sort();
        assert_eq!(
            statuses,
            [StatusCode::OK, StatusCode::CONFLICT],
            "{} / {}",
            first.body,
            second.body
        );
        let users = app.call(Method::GET, "/api/admin/users", None, &admin).await;
        let admins: Vec<&str> = users
            .body
            .as_array()
            .unwrap()
            .iter()
            .filter(|row| row["role"] == "admin")
            .map(|row| row["username"].as_str().unwrap())
            .collect();
        assert_eq!(admins.len(), 1, "{admins:?}");
        // Promote the demoted one again for the next round.
        let demoted = if admins == ["admin"] { "bob" } else { "admin" };
        assert_eq!(role(demoted, "admin").await.status, StatusCode::OK);
    }
}
