//! The API's contract: `/api/openapi.json` documents every route of the
//! JSON API with both credential schemes, every documented operation
//! exists, and `/api/docs` serves its viewer from this binary.

mod common;

use axum::{
    body::Body,
    http::{Method, Request, StatusCode},
};
use common::app;

/// Every route of the JSON API (DESIGN.md's contract, grown by the issues).
const ROUTES: [(&str, &str); 42] = [
    ("post", "/api/session/login"),
    ("post", "/api/jwt/login"),
    ("post", "/api/jwt/refresh"),
    ("post", "/api/logout"),
    ("post", "/api/signup"),
    ("get", "/api/me"),
    ("get", "/healthz"),
    ("get", "/livez"),
    ("get", "/readyz"),
    ("get", "/api/me/logins"),
    ("delete", "/api/me/logins/{id}"),
    ("post", "/api/me/logout-others"),
    ("post", "/api/me/password"),
    ("get", "/api/me/audit"),
    ("get", "/api/posts"),
    ("post", "/api/posts"),
    ("get", "/api/posts/{id}"),
    ("put", "/api/posts/{id}"),
    ("delete", "/api/posts/{id}"),
    ("get", "/api/admin/users"),
    ("put", "/api/admin/users/{username}/role"),
    ("get", "/api/admin/sessions"),
    ("post", "/api/admin/users/{username}/logout"),
    ("get", "/api/admin/settings"),
    ("put", "/api/admin/settings"),
    ("get", "/api/admin/audit"),
    ("get", "/api/compare"),
    ("get", "/api/admin/race"),
    ("post", "/api/admin/race"),
    ("delete", "/api/admin/race"),
    ("post", "/api/admin/race/actions"),
    ("get", "/api/lab/probe"),
    ("get", "/api/lab/naive/{flaw}/protected"),
    ("post", "/api/lab/attacks/{flaw}"),
    ("post", "/api/lab/checks/{check}"),
    ("post", "/api/lab/replays/{replay}"),
    ("post", "/api/lab/propagation/{experiment}"),
    ("post", "/api/lab/csrf/target"),
    ("get", "/api/lab/csrf/{run}"),
    ("get", "/api/instance"),
    ("post", "/api/instance/restart"),
    ("put", "/api/instance/settings"),
];

#[tokio::test]
async fn the_spec_documents_every_route_with_its_errors_and_both_credentials() {
    let app = app().await;
    let reply = app.get("/api/openapi.json", &[]).await;
    assert_eq!(reply.status, StatusCode::OK);
    let spec = reply.body;
    assert!(
        spec["openapi"].as_str().unwrap().starts_with("3."),
        "{}",
        spec["openapi"]
    );
    let paths = spec["paths"].as_object().unwrap();
    let documented: usize = paths.values().map(|item| item.as_object().unwrap().len()).sum();
    assert_eq!(documented, ROUTES.len(), "every operation, no more");
    for (method, path) in ROUTES {
        let operation = &spec["paths"][path][method];
        assert!(operation.is_object(), "{method} {path} is not documented");
        assert!(
            operation["responses"].as_object().unwrap().len() >= 2,
            "{method} {path}: success and errors"
        );
    }
    assert_eq!(
        spec["paths"]["/api/me"]["get"]["responses"]["401"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/ErrorBody"
    );
    let schemes = &spec["components"]["securitySchemes"];
    assert_eq!(schemes["session"]["in"], "cookie");
    assert_eq!(schemes["session"]["name"], "authlab_sid");
    assert_eq!(schemes["bearer"]["scheme"], "bearer");
}

#[tokio::test]
async fn every_documented_operation_is_routed() {
    // Short demo tokens: a Lab propagation run lasts one token's life.
    let app = common::app_with(&["--race-access-ttl", "1"]).await;
    // The Lab's attacks send their requests to the listening server.
    app.serve().await;
    for (method, path) in ROUTES {
        let uri = path
            .replace("{id}", "1")
            .replace("{username}", "alice")
            .replace("{flaw}", "decode_only")
            .replace("{check}", "expired")
            .replace("{replay}", "refresh_reuse")
            .replace("{experiment}", "role_change")
            .replace("{run}", "0b6f0c7e-5f8a-4d51");
        let request = Request::builder()
            .method(Method::from_bytes(method.to_uppercase().as_bytes()).unwrap())
            .uri(&uri)
            .header("content-type", "application/json")
            .body(Body::from("{}"))
            .unwrap();
        let reply = app.send(request).await;
        // Anonymous: refused or answered, but never "no such route".
        assert!(
            !matches!(reply.status, StatusCode::NOT_FOUND | StatusCode::METHOD_NOT_ALLOWED),
            "{method} {uri}: {}",
            reply.status
        );
        assert!(!reply.status.is_server_error(), "{method} {uri}: {}", reply.status);
    }
}

#[tokio::test]
async fn the_viewer_is_served_from_this_binary() {
    let app = app().await;
    let index = app.get("/api/docs/", &[]).await;
    assert_eq!(index.status, StatusCode::OK);
    let html = index.text();
    assert!(html.contains("swagger-ui"), "{html}");
    assert!(!html.contains("https://"), "no CDN: {html}");
    for asset in ["swagger-ui.css", "swagger-ui-bundle.js", "swagger-initializer.js"] {
        let reply = app.get(&format!("/api/docs/{asset}"), &[]).await;
        assert_eq!(reply.status, StatusCode::OK, "{asset}");
    }
    let initializer = app.get("/api/docs/swagger-initializer.js", &[]).await;
    assert!(initializer.text().contains("/api/openapi.json"));
}
