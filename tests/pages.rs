//! Server-rendered pages through the real router: the redirect for
//! anonymous visitors, what `/me` shows in each mode, and the login form as
//! a browser without JavaScript posts it.

mod common;

use axum::http::{header, StatusCode};
use common::app;

#[tokio::test]
async fn anonymous_me_is_a_real_redirect_to_login() {
    let app = app().await;
    for accept in ["text/html", "*/*"] {
        let reply = app.get("/me", &[(header::ACCEPT, accept)]).await;
        assert_eq!(reply.status, StatusCode::FOUND, "Accept: {accept}");
        assert_eq!(reply.location(), Some("/login?next=/me"));
    }
}

/// alice's `/me`, just logged in with a session: answered 200.
async fn alice_session_me(app: &common::TestApp) -> common::Reply {
    let cookie = app
        .session_login("alice", "alice-password")
        .await
        .cookie_pair("authlab_sid");
    let page = app.get("/me", &[(header::COOKIE, &cookie)]).await;
    assert_eq!(page.status, StatusCode::OK);
    page
}

#[tokio::test]
async fn me_shows_the_session_record_and_the_trace() {
    let app = common::sqlite_app(&[]).await;
    let page = alice_session_me(&app).await;
    let html = page.text();
    for expected in [
        "data-mode=\"session\"",
        "alice",
        "authlab_sid",
        "SQLite table tower_sessions",
        "found the session record in this process",
        "GET /me",
    ] {
        assert!(html.contains(expected), "/me lacks {expected:?}");
    }
    assert!(!html.contains("Nothing for the access token"));
}

/// Leptos's `<Suspense>` runs its children again until they settle, and a
/// resource made inside them fetched again on each run: a `/me` render
/// asked for the logins twice and the audit trail three times, and sent
/// every copy to the browser. Each resource of the page is now made once:
/// the nav's user, `/me`'s own view, the logins and the audit trail.
#[tokio::test]
async fn me_loads_each_of_its_resources_once() {
    let app = app().await;
    let page = alice_session_me(&app).await;
    let html = page.text();
    assert_eq!(html.matches("__RESOLVED_RESOURCES[").count(), 4, "{html}");
    // Both lists are on the page: the login just made, and its audit event.
    assert!(html.contains(r#"data-testid="my-devices""#));
    assert!(html.contains(r#"data-event="login""#), "{html}");
}

#[tokio::test]
async fn me_shows_the_decoded_token_and_that_the_server_stores_nothing_for_it() {
    let app = app().await;
    let login = app.jwt_login("bob", "bob-password").await;
    let access = login.body["access_token"].as_str().unwrap();
    let refresh = login.body["refresh_token"].as_str().unwrap();
    let page = app
        .get(
            "/me",
            &[(header::COOKIE, &format!("authlab_at={access}; authlab_rt={refresh}"))],
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    for expected in [
        "data-mode=\"jwt\"",
        "Nothing for the access token.",
        r#""alg": "HS256""#,
        r#""name": "bob""#,
        "no server lookup",
        "refresh-family",
    ] {
        assert!(html.contains(expected), "/me lacks {expected:?}");
    }
}

#[tokio::test]
async fn login_form_without_javascript_logs_in_and_redirects_to_next() {
    let app = app().await;
    let reply = app
        .post_form(
            "/rpc/login",
            "mode=session&username=alice&password=alice-password&next=%2Fme",
            "http://localhost/login",
            None,
        )
        .await;
    assert_eq!(reply.status, StatusCode::FOUND);
    assert_eq!(reply.location(), Some("/me"));
    let cookie = reply.cookie_pair("authlab_sid");
    assert_eq!(app.me_with_cookie(&cookie).await.body["mode"], "session");

    let jwt = app
        .post_form(
            "/rpc/login",
            "mode=jwt&username=alice&password=alice-password&next=%2F%2Fevil.example",
            "http://localhost/login",
            Some(&cookie),
        )
        .await;
    assert_eq!(jwt.location(), Some("/me"), "next must be a local path");
    assert!(jwt.set_cookie("authlab_at").unwrap().contains("HttpOnly"));
    assert!(
        jwt.set_cookie("authlab_sid").unwrap().contains("Max-Age=0"),
        "the session is cleared"
    );
}

#[tokio::test]
async fn login_form_without_javascript_shows_a_wrong_password() {
    let app = app().await;
    let reply = app
        .post_form(
            "/rpc/login",
            "mode=jwt&username=alice&password=wrong&next=%2Fme",
            "http://localhost/login?mode=jwt",
            None,
        )
        .await;
    assert_eq!(reply.status, StatusCode::FOUND);
    assert!(reply.set_cookie("authlab_at").is_none());
    let location = reply.location().unwrap();
    let path = location.trim_start_matches("http://localhost");
    assert!(path.starts_with("/login?mode=jwt&__path="), "{location}");
    let page = app.get(path, &[(header::ACCEPT, "text/html")]).await;
    assert!(page.text().contains("Wrong username or password."));
}

#[tokio::test]
async fn login_form_with_a_missing_field_or_bad_mode_is_a_client_error() {
    let app = app().await;
    let missing = app
        .post_form(
            "/rpc/login",
            "mode=session&username=alice",
            "http://localhost/login",
            None,
        )
        .await;
    assert_eq!(
        missing.status,
        StatusCode::FOUND,
        "back to the form, with the error in the URL"
    );
    assert!(missing.location().unwrap().contains("__err="));
    let bad_mode = app
        .post_form(
            "/rpc/login",
            "mode=cookie&username=alice&password=alice-password",
            "http://localhost/login",
            None,
        )
        .await;
    assert!(bad_mode.location().unwrap().contains("__err="));
    assert!(bad_mode.set_cookie("authlab_sid").is_none());
}

#[tokio::test]
async fn server_function_errors_carry_their_real_status() {
    let app = app().await;
    // What the hydrated app's fetch sends: not a form navigation.
    let request = axum::http::Request::builder()
        .method(axum::http::Method::POST)
        .uri("/rpc/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .body(axum::body::Body::from("mode=session&username=alice&password=wrong"))
        .unwrap();
    let reply = app.send(request).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert_eq!(reply.body, serde_json::json!("InvalidCredentials"));
}

/// Leptos lists the routes by running the app under a process-wide switch
/// that parks every resource first polled meanwhile. A router built while
/// another one renders must therefore not list them again (`server::ROUTES`);
/// before that fix, this test's pages hung on their resources.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_render_while_other_routers_are_built() {
    let app = app().await;
    let login = app.jwt_login("bob", "bob-password").await;
    let cookie = format!(
        "authlab_at={}; authlab_rt={}",
        login.body["access_token"].as_str().unwrap(),
        login.body["refresh_token"].as_str().unwrap()
    );
    let building = tokio::task::spawn_blocking({
        let state = app.state.clone();
        move || (0..100).for_each(|_| drop(authlab::server::router(state.clone())))
    });
    let mut renders = 0;
    while renders < 20 || !building.is_finished() {
        let page = app.get("/me", &[(header::COOKIE, &cookie)]).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.text().contains("data-mode=\"jwt\""));
        renders += 1;
    }
    building.await.unwrap();
}
