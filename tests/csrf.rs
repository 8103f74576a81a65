//! One CSRF rule for every state-changing request, through the real router:
//! what another site's page sends is refused; what this site's pages, curl
//! and Bearer clients send passes; GET never changes state.

mod common;

use axum::{
    body::Body,
    http::{header, HeaderName, Method, Request, StatusCode},
};
use common::{app, Credential, Reply, TestApp};
use serde_json::json;

const HOST: &str = "127.0.0.1:3000";
const THIS_SITE: &str = "http://127.0.0.1:3000";
const EVIL: &str = "https://evil.example";

/// How a browser marks where a request came from.
#[derive(Clone, Copy, Debug)]
enum From {
    /// A page of this site (fetch metadata and origin).
    ThisSite,
    /// Another site's page, in a browser that sends fetch metadata.
    OtherSiteFetchMetadata,
    /// Another site's page, in an older browser that sends only `Origin`.
    OtherSiteOriginOnly,
    /// A sibling subdomain: same site, other origin.
    SameSiteOtherOrigin,
    /// curl, a mobile client: neither header.
    NoBrowser,
}

impl From {
    const FORGED: [From; 3] = [
        From::OtherSiteFetchMetadata,
        From::OtherSiteOriginOnly,
        From::SameSiteOtherOrigin,
    ];

    fn headers(self) -> Vec<(HeaderName, &'static str)> {
        let fetch_site = HeaderName::from_static("sec-fetch-site");
        match self {
            From::ThisSite => vec![(fetch_site, "same-origin"), (header::ORIGIN, THIS_SITE)],
            From::OtherSiteFetchMetadata => vec![(fetch_site, "cross-site"), (header::ORIGIN, EVIL)],
            From::OtherSiteOriginOnly => vec![(header::ORIGIN, EVIL)],
            From::SameSiteOtherOrigin => vec![
                (fetch_site, "same-site"),
                (header::ORIGIN, "http://blog.127.0.0.1:3000"),
            ],
            From::NoBrowser => vec![],
        }
    }
}

async fn send(
    app: &TestApp,
    method: Method,
    path: &str,
    from: From,
    cookie: Option<&str>,
    content_type: &str,
    body: String,
) -> Reply {
    let mut request = Request::builder()
        .method(method)
        .uri(path)
        .header(header::HOST, HOST)
        .header(header::CONTENT_TYPE, content_type);
    for (name, value) in from.headers() {
        request = request.header(name, value);
    }
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    app.send(request.body(Body::from(body)).unwrap()).await
}

async fn session_cookie(app: &TestApp, username: &str) -> String {
    match app.login_as("session", username).await {
        Credential::SessionCookie(cookie) => cookie,
        _ => unreachable!(),
    }
}

async fn post_count(app: &TestApp, cookie: &str) -> usize {
    let posts = app.get("/api/posts", &[(header::COOKIE, cookie)]).await;
    posts.body.as_array().expect("a list").len()
}

#[tokio::test]
async fn a_forged_json_post_with_the_cookie_is_refused_and_changes_nothing() {
    let app = app().await;
    let alice = session_cookie(&app, "alice").await;
    let body = json!({"body": "forged"}).to_string();
    for from in From::FORGED {
        let reply = send(
            &app,
            Method::POST,
            "/api/posts",
            from,
            Some(&alice),
            "application/json",
            body.clone(),
        )
        .await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{from:?}");
        assert_eq!(reply.error_code(), "csrf", "{from:?}");
    }
    assert_eq!(post_count(&app, &alice).await, 0, "nothing was posted");

    for from in [From::ThisSite, From::NoBrowser] {
        let reply = send(
            &app,
            Method::POST,
            "/api/posts",
            from,
            Some(&alice),
            "application/json",
            body.clone(),
        )
        .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{from:?}: {}", reply.body);
    }
    assert_eq!(post_count(&app, &alice).await, 2);
}

#[tokio::test]
async fn forged_edits_and_deletes_are_refused() {
    let app = app().await;
    let alice = session_cookie(&app, "alice").await;
    let created = send(
        &app,
        Method::POST,
        "/api/posts",
        From::ThisSite,
        Some(&alice),
        "application/json",
        json!({"body": "mine"}).to_string(),
    )
    .await;
    let path = format!("/api/posts/{}", created.body["id"]);
    let edit = json!({"body": "forged"}).to_string();
    let put = send(
        &app,
        Method::PUT,
        &path,
        From::OtherSiteOriginOnly,
        Some(&alice),
        "application/json",
        edit,
    )
    .await;
    assert_eq!(put.error_code(), "csrf");
    let delete = send(
        &app,
        Method::DELETE,
        &path,
        From::OtherSiteFetchMetadata,
        Some(&alice),
        "application/json",
        String::new(),
    )
    .await;
    assert_eq!(delete.error_code(), "csrf");
    let still = app.get(&path, &[(header::COOKIE, &alice)]).await;
    assert_eq!(still.body["body"], "mine");
}

#[tokio::test]
async fn a_forged_server_function_call_cannot_force_a_logout() {
    let app = app().await;
    let admin = session_cookie(&app, "admin").await;
    let alice = session_cookie(&app, "alice").await;
    for from in From::FORGED {
        let reply = send(
            &app,
            Method::POST,
            "/rpc/force_logout",
            from,
            Some(&admin),
            "application/x-www-form-urlencoded",
            "username=alice".into(),
        )
        .await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{from:?}");
    }
    assert_eq!(
        app.me_with_cookie(&alice).await.status,
        StatusCode::OK,
        "alice is still logged in"
    );

    let real = send(
        &app,
        Method::POST,
        "/rpc/force_logout",
        From::ThisSite,
        Some(&admin),
        "application/x-www-form-urlencoded",
        "username=alice".into(),
    )
    .await;
    assert_eq!(real.status, StatusCode::OK, "{}", real.body);
    assert_eq!(app.me_with_cookie(&alice).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn login_csrf_is_refused_for_the_form_and_the_api() {
    let app = app().await;
    let form = "username=alice&password=alice-password&mode=session&next=%2Fme".to_owned();
    for from in From::FORGED {
        let rpc = send(
            &app,
            Method::POST,
            "/rpc/login",
            from,
            None,
            "application/x-www-form-urlencoded",
            form.clone(),
        )
        .await;
        assert_eq!(rpc.status, StatusCode::FORBIDDEN, "{from:?}");
        assert!(rpc.set_cookie("authlab_sid").is_none(), "{from:?}: no session planted");
        let body = json!({"username": "alice", "password": "alice-password"}).to_string();
        let api = send(
            &app,
            Method::POST,
            "/api/session/login",
            from,
            None,
            "application/json",
            body,
        )
        .await;
        assert_eq!(api.error_code(), "csrf", "{from:?}");
        assert!(api.set_cookie("authlab_sid").is_none());
        let lang = send(
            &app,
            Method::POST,
            "/lang",
            from,
            None,
            "application/x-www-form-urlencoded",
            "lang=ko".into(),
        )
        .await;
        assert_eq!(lang.status, StatusCode::FORBIDDEN, "{from:?}: the language switch too");
    }
    let own = send(
        &app,
        Method::POST,
        "/rpc/login",
        From::ThisSite,
        None,
        "application/x-www-form-urlencoded",
        form,
    )
    .await;
    assert!(own.set_cookie("authlab_sid").is_some(), "{}", own.status);
}

#[tokio::test]
async fn bearer_clients_pass_whatever_their_headers_say() {
    let app = app().await;
    let Credential::Bearer { access, .. } = app.login_as("jwt", "bob").await else {
        unreachable!()
    };
    let request = Request::post("/api/posts")
        .header(header::HOST, HOST)
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::AUTHORIZATION, format!("Bearer {access}"))
        .header("sec-fetch-site", "cross-site")
        .body(Body::from(json!({"body": "from my app"}).to_string()))
        .unwrap();
    assert_eq!(app.send(request).await.status, StatusCode::CREATED);
}

#[tokio::test]
async fn the_refusal_speaks_the_clients_language() {
    let app = app().await;
    let request = Request::post("/api/logout")
        .header(header::ORIGIN, EVIL)
        .header(header::ACCEPT_LANGUAGE, "ko-KR")
        .body(Body::empty())
        .unwrap();
    let reply = app.send(request).await;
    assert_eq!(reply.error_code(), "csrf");
    assert!(reply.body["message"].as_str().unwrap().contains("CSRF"));
    assert!(reply.body["message"].as_str().unwrap().starts_with("거부됨"));
}

#[tokio::test]
async fn every_server_function_is_a_post_and_get_changes_nothing() {
    let app = app().await;
    let alice = session_cookie(&app, "alice").await;
    let paths: Vec<_> = leptos::server_fn::axum::server_fn_paths().collect();
    assert!(paths.len() >= 15, "{paths:?}");
    for (path, method) in &paths {
        assert_eq!(
            *method,
            Method::POST,
            "{path} must be a POST: SameSite=Lax does not cover a GET"
        );
        let get = app.get(path, &[(header::COOKIE, &alice)]).await;
        assert!(!get.status.is_success(), "GET {path} answered {}", get.status);
    }
    assert_eq!(
        app.me_with_cookie(&alice).await.status,
        StatusCode::OK,
        "GET /rpc/logout logged nobody out"
    );
}
