//! The Lab's attacks on the real router, over loopback: each one gets in
//! through its naive verifier and is refused by the real one, by the rule
//! the Lab names; and nothing a naive verifier accepts opens anything else.

mod common;

use axum::http::{Method, StatusCode};
use common::{app, Credential, TestApp};
use serde_json::{json, Value};

const FLAWS: [&str; 7] = [
    "decode_only",
    "alg_none",
    "weak_secret",
    "embedded_jwk",
    "jku",
    "kid_path",
    "alg_confusion",
];

/// Runs a Lab experiment (`attacks/decode_only`, `replays/refresh_reuse`, ...)
/// as anyone may, and returns its answer.
async fn lab_run(app: &TestApp, experiment: &str) -> Value {
    let reply = app
        .call(
            Method::POST,
            &format!("/api/lab/{experiment}"),
            None,
            &Credential::Anonymous,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{experiment}: {}", reply.body);
    reply.body
}

async fn attack(app: &TestApp, flaw: &str) -> Value {
    lab_run(app, &format!("attacks/{flaw}")).await
}

#[tokio::test]
async fn every_attack_gets_past_its_naive_verifier_and_not_past_the_real_one() {
    let app = app().await;
    app.serve().await;
    for flaw in FLAWS {
        let run = attack(&app, flaw).await;
        assert_eq!(run["naive_let_in"], true, "{flaw}: {}", run["naive"]);
        assert_eq!(run["naive"]["status"], 200, "{flaw}");
        assert_eq!(run["naive"]["response_body"]["let_in"]["role"], "admin", "{flaw}");
        assert_eq!(run["token_payload"]["role"], "admin", "{flaw}");
        assert_eq!(run["real_let_in"], false, "{flaw}: {}", run["real"]);
        // The real auth layer's own trace names the check that refused it.
        let refusal = &run["real"]["response_body"]["refusal"];
        let steps = run["real"]["response_body"]["trace"]["steps"].as_array().unwrap();
        assert!(
            steps.iter().any(|step| step["step"].get("refused").is_some()),
            "{flaw}: {steps:?}"
        );
        let expected = match flaw {
            "decode_only" | "weak_secret" | "alg_confusion" => json!({"token": "bad_signature"}),
            "embedded_jwk" => json!({"token": "wrong_algorithm"}),
            "jku" | "kid_path" => json!({"token": "unknown_key"}),
            _ => refusal.clone(),
        };
        assert_eq!(refusal, &expected, "{flaw}");
    }
}

#[tokio::test]
async fn the_dictionary_attack_really_searches_the_wordlist() {
    let app = app().await;
    app.serve().await;
    let run = attack(&app, "weak_secret").await;
    let secret = run["recovered_secret"].as_str().unwrap();
    let words: Vec<&str> = authlab::lab::naive::WORDLIST.lines().collect();
    let position = words.iter().position(|word| *word == secret).unwrap();
    assert_eq!(run["words_tried"], position + 1, "it stopped at the word it found");
    let keys = app.state.lab.keys().await.unwrap();
    assert_eq!(secret, keys.weak_secret);
}

/// Every protected route, with a token the naive verifier accepted as admin:
/// all refused, as anonymous.
#[tokio::test]
async fn nothing_a_naive_verifier_accepts_opens_anything_outside_the_lab() {
    let app = app().await;
    app.serve().await;
    let protected = [
        (Method::GET, "/api/me"),
        (Method::GET, "/api/me/logins"),
        (Method::POST, "/api/me/logout-others"),
        (Method::GET, "/api/me/audit"),
        (Method::GET, "/api/posts"),
        (Method::GET, "/api/admin/users"),
        (Method::GET, "/api/admin/sessions"),
        (Method::GET, "/api/admin/settings"),
        (Method::GET, "/api/admin/audit"),
        (Method::GET, "/api/admin/race"),
    ];
    for flaw in FLAWS {
        let run = attack(&app, flaw).await;
        assert_eq!(run["naive_let_in"], true, "{flaw}");
        let token = run["token"].as_str().unwrap().to_owned();
        let bearer = Credential::Bearer {
            access: token,
            refresh: String::new(),
        };
        for (method, path) in &protected {
            let reply = app.call(method.clone(), path, None, &bearer).await;
            assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{flaw}: {method} {path}");
        }
        let probe = app.call(Method::GET, "/api/lab/probe", None, &bearer).await;
        assert!(probe.body["principal"].is_null(), "{flaw}");
    }
}

#[tokio::test]
async fn the_naive_page_refuses_what_it_cannot_read_and_unknown_flaws_are_404() {
    let app = app().await;
    app.serve().await;
    let garbage = Credential::Bearer {
        access: "not-a-token".into(),
        refresh: String::new(),
    };
    let refused = app
        .call(Method::GET, "/api/lab/naive/decode_only/protected", None, &garbage)
        .await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    let nobody = app
        .call(
            Method::GET,
            "/api/lab/naive/weak_secret/protected",
            None,
            &Credential::Anonymous,
        )
        .await;
    assert_eq!(nobody.status, StatusCode::UNAUTHORIZED);
    let unknown = app
        .call(
            Method::POST,
            "/api/lab/attacks/sql_injection",
            None,
            &Credential::Anonymous,
        )
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    // The algorithm-confusion attack needs only what is public.
    let pem = app.get("/lab/naive/public.pem", &[]).await;
    assert_eq!(pem.status, StatusCode::OK);
    assert!(pem.text().starts_with("-----BEGIN PUBLIC KEY-----"));
}

/// Each broken token, sent to `GET /api/me`: 401, and the probe of the real
/// auth layer names the check that refused it.
#[tokio::test]
async fn each_broken_token_is_refused_by_the_check_named() {
    let app = app().await;
    app.serve().await;
    let cases = [
        ("tampered_payload", json!({"token": "bad_signature"})),
        ("hs512_same_key", json!({"token": "wrong_algorithm"})),
        ("other_key", json!({"token": "bad_signature"})),
        ("expired", json!({"token": "expired"})),
        ("not_yet_valid", json!({"token": "not_yet_valid"})),
    ];
    for (check, refusal) in cases {
        let run = check_run(&app, check).await;
        assert_eq!(run["accepted"], false, "{check}");
        assert_eq!(run["exchange"]["status"], 401, "{check}");
        assert_eq!(run["exchange"]["response_body"]["error"], "unauthenticated", "{check}");
        assert_eq!(run["refusal"], refusal, "{check}");
    }
    // Not a JWT at all: the parser refuses it before any check.
    for check in ["alg_none", "refresh_as_access"] {
        let run = check_run(&app, check).await;
        assert_eq!(run["exchange"]["status"], 401, "{check}");
        assert!(
            run["refusal"]["token"]["malformed"].is_string(),
            "{check}: {}",
            run["refusal"]
        );
    }
    let tampered = check_run(&app, "tampered_payload").await;
    assert_eq!(tampered["token_payload"]["role"], "admin");
    assert_eq!(tampered["token_payload"]["name"], "lab.demo");
}

async fn check_run(app: &TestApp, check: &str) -> Value {
    lab_run(app, &format!("checks/{check}")).await
}

async fn replay_run(app: &TestApp, replay: &str) -> Value {
    lab_run(app, &format!("replays/{replay}")).await
}

fn statuses(run: &Value) -> Vec<u64> {
    run["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|step| step["status"].as_u64().unwrap())
        .collect()
}

#[tokio::test]
async fn replays_after_logout_rotation_and_a_planted_session_id() {
    let app = app().await;
    app.serve().await;
    // A session dies with its record.
    let session = replay_run(&app, "session_after_logout").await;
    assert_eq!(statuses(&session), [200, 200, 204, 401]);
    assert_eq!(session["accepted"], false);
    // A token outlives its logout by its lifetime plus the leeway...
    let jwt = replay_run(&app, "jwt_after_logout").await;
    assert_eq!(statuses(&jwt), [200, 200, 204, 200]);
    assert_eq!(jwt["accepted"], true);
    let valid_for = jwt["token_valid_for"].as_i64().unwrap();
    assert!((300..=306).contains(&valid_for), "{valid_for}");
    // ...unless strict revocation looks its login up.
    let admin = app.login_as("session", "admin").await;
    let strict_on = json!({"strict_revocation": true});
    let on = app
        .call(Method::PUT, "/api/admin/settings", Some(strict_on), &admin)
        .await;
    assert_eq!(on.status, StatusCode::OK);
    let strict = replay_run(&app, "jwt_after_logout").await;
    assert_eq!(statuses(&strict), [200, 200, 204, 401]);
    assert_eq!(strict["strict_revocation"], true);
    let strict_off = json!({"strict_revocation": false});
    app.call(Method::PUT, "/api/admin/settings", Some(strict_off), &admin)
        .await;
    // A spent refresh token: refused, and its whole family with it.
    let reuse = replay_run(&app, "refresh_reuse").await;
    assert_eq!(statuses(&reuse), [200, 200, 401, 401]);
    assert_eq!(reuse["steps"][2]["response_body"]["error"], "refresh_reused");
    // A planted session id is not the one logged in.
    let fixation = replay_run(&app, "session_fixation").await;
    assert_eq!(statuses(&fixation), [401, 200, 401]);
    assert_eq!(fixation["accepted"], false);
    // The password of the Lab's user is never shown.
    assert_eq!(session["steps"][0]["request_body"]["password"], "…");
}

async fn propagation_run(app: &TestApp, experiment: &str) -> Value {
    lab_run(app, &format!("propagation/{experiment}")).await
}

/// The lane's requests after the change: (outcome, role, refreshed).
fn after_change(run: &Value, mode: &str) -> Vec<(String, Option<String>, bool)> {
    let at = run["event"]["at_ms"].as_i64().unwrap();
    run[mode]["ticks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|tick| tick["at_ms"].as_i64().unwrap() >= at)
        .map(|tick| {
            (
                tick["outcome"].as_str().unwrap().to_owned(),
                tick["role"].as_str().map(str::to_owned),
                tick["refreshed"].as_bool().unwrap(),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_forced_logout_reaches_a_session_at_once_and_a_token_when_it_runs_out() {
    // Tokens of the propagation user live 1 s (plus the 5 s leeway).
    let app = common::app_with(&["--race-access-ttl", "1"]).await;
    app.serve().await;
    let run = propagation_run(&app, "forced_logout").await;
    let session = after_change(&run, "session");
    assert_eq!(session[0].0, "refused", "{session:?}");
    let jwt = after_change(&run, "jwt");
    // Served, although the login was revoked, until the token ran out...
    assert_eq!(jwt[0].0, "accepted_after_revocation", "{jwt:?}");
    // ...and then refused for good: its refresh family is revoked.
    assert_eq!(jwt.last().unwrap().0, "refused", "{jwt:?}");
    let session_ms = run["reaction"]["session_ms"].as_i64().unwrap();
    let jwt_ms = run["reaction"]["jwt_ms"].as_i64().unwrap();
    assert!(session_ms < 1_000, "{session_ms}");
    assert!(jwt_ms > session_ms + 1_000, "{jwt_ms} vs {session_ms}");
    // With strict revocation, both at once.
    let admin = app.login_as("session", "admin").await;
    let strict_on = json!({"strict_revocation": true});
    app.call(Method::PUT, "/api/admin/settings", Some(strict_on), &admin)
        .await;
    let strict = propagation_run(&app, "forced_logout").await;
    assert_eq!(strict["strict_revocation"], true);
    assert_eq!(after_change(&strict, "jwt")[0].0, "refused");
    assert!(strict["reaction"]["jwt_ms"].as_i64().unwrap() < 1_000);
    // The run's user has no login left, and is a plain user again.
    let logins = app
        .call(Method::GET, "/api/admin/sessions?user=lab.propagation", None, &admin)
        .await;
    assert_eq!(logins.status, StatusCode::OK, "{}", logins.body);
    assert_eq!(logins.body.as_array().map(Vec::len), Some(0), "{}", logins.body);
}

#[tokio::test]
async fn a_role_change_reaches_a_session_at_once_and_a_token_after_its_refresh() {
    let app = common::app_with(&["--race-access-ttl", "1"]).await;
    app.serve().await;
    let run = propagation_run(&app, "role_change").await;
    assert_eq!(run["event"]["action"], "promote");
    let session = after_change(&run, "session");
    assert_eq!(session[0].1.as_deref(), Some("admin"), "{session:?}");
    let jwt = after_change(&run, "jwt");
    assert_eq!(jwt[0].1.as_deref(), Some("user"), "{jwt:?}");
    // The first answer as admin came with a token that a refresh brought.
    let first_admin = jwt.iter().find(|tick| tick.1.as_deref() == Some("admin")).unwrap();
    assert!(first_admin.2, "{jwt:?}");
    let role: String = authlab::on_db!(&app.state.db, |pool| sqlx::query_scalar(
        "SELECT role FROM users WHERE username = 'lab.propagation'"
    )
    .fetch_one(pool)
    .await)
    .unwrap();
    assert_eq!(role, "user");
    let unknown = app
        .call(Method::POST, "/api/lab/propagation/nope", None, &Credential::Anonymous)
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
}

/// A form post to the CSRF target with the headers a browser would send.
async fn csrf_post(app: &TestApp, run: &str, site: &str, origin: &str, cookie: Option<&str>) -> common::Reply {
    use axum::{body::Body, http::header, http::Request};
    let mut request = Request::builder()
        .method(Method::POST)
        .uri(format!("/api/lab/csrf/target?run={run}"))
        .header(header::HOST, "127.0.0.1:3000")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("sec-fetch-site", site)
        .header(header::ORIGIN, origin);
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    app.send(request.body(Body::from("action=delete-my-account")).unwrap())
        .await
}

#[tokio::test]
async fn the_csrf_target_passes_the_one_rule_and_files_what_reached_it() {
    let app = app().await;
    let Credential::SessionCookie(cookie) = app.login_as("session", "alice").await else {
        unreachable!()
    };
    let run = "0b6f0c7e-5f8a-4d51-9b8e-3b1f2a7c9d10";
    // From this site: it reaches the route, as alice.
    let here = csrf_post(&app, run, "same-origin", "http://127.0.0.1:3000", Some(&cookie)).await;
    assert_eq!(here.status, StatusCode::OK, "{}", here.body);
    assert_eq!(here.body["as"], "alice");
    // From another site, even with the cookie (a browser without SameSite):
    // the origin check refuses it first.
    let cross = csrf_post(&app, run, "cross-site", "http://localhost:3000", Some(&cookie)).await;
    assert_eq!(cross.status, StatusCode::FORBIDDEN);
    assert_eq!(cross.error_code(), "csrf");
    let attempts = app.get(&format!("/api/lab/csrf/{run}"), &[]).await;
    assert_eq!(attempts.status, StatusCode::OK);
    let attempts = attempts.body.as_array().unwrap().clone();
    assert_eq!(attempts.len(), 2, "{attempts:?}");
    assert_eq!(attempts[0]["status"], 200);
    assert_eq!(attempts[0]["refused_by_origin_check"], false);
    assert_eq!(attempts[1]["status"], 403);
    assert_eq!(attempts[1]["refused_by_origin_check"], true);
    assert_eq!(attempts[1]["sec_fetch_site"], "cross-site");
    assert_eq!(attempts[1]["origin"], "http://localhost:3000");
    // Cookie names only, never a value.
    assert_eq!(
        attempts[1]["cookies"],
        json!([{"name": "authlab_sid", "http_only": true}])
    );
    assert!(!attempts[1].to_string().contains(cookie.split('=').nth(1).unwrap()));
    // Another run sees none of them; a bad run id is a clear 400.
    let other = app.get("/api/lab/csrf/1111111111111111", &[]).await;
    assert_eq!(other.body, json!([]));
    let bad = app.get("/api/lab/csrf/no", &[]).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let unfiled = csrf_post(&app, "no", "same-origin", "http://127.0.0.1:3000", None).await;
    assert_eq!(unfiled.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_attacker_page_lives_on_the_other_loopback_name_and_posts_here() {
    use axum::http::header;
    let app = app().await;
    let run = "0b6f0c7e-5f8a-4d51-9b8e-3b1f2a7c9d10";
    let page = app
        .get(
            &format!("/lab/csrf/attacker?run={run}&lang=ko"),
            &[(header::HOST, "localhost:3000")],
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.body.as_str().unwrap();
    assert!(html.contains(&format!(
        "action=\"http://127.0.0.1:3000/api/lab/csrf/target?run={run}\""
    )));
    assert!(html.contains("<html lang=\"ko\">"));
    let policy = page.headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    assert!(policy.contains("form-action http://127.0.0.1:3000;"), "{policy}");
    // An attacker's site keeps the browser's default, so its posts name it.
    assert_eq!(page.headers[header::REFERRER_POLICY], "strict-origin-when-cross-origin");
    // Only for a loopback name with a second site, and a valid run.
    let elsewhere = app
        .get(
            &format!("/lab/csrf/attacker?run={run}"),
            &[(header::HOST, "authlab.example")],
        )
        .await;
    assert_eq!(elsewhere.status, StatusCode::NOT_FOUND);
    let bad_run = app
        .get("/lab/csrf/attacker?run=x%3Cy", &[(header::HOST, "127.0.0.1:3000")])
        .await;
    assert_eq!(bad_run.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_run_answers_in_the_viewers_language() {
    use axum::{body::Body, http::header, http::Request};
    let app = app().await;
    app.serve().await;
    let request = Request::builder()
        .method(Method::POST)
        .uri("/api/lab/replays/session_after_logout")
        .header(header::ACCEPT_LANGUAGE, "ko-KR,ko;q=0.9")
        .body(Body::empty())
        .unwrap();
    let run = app.send(request).await;
    assert_eq!(run.status, StatusCode::OK, "{}", run.body);
    let refused = &run.body["steps"][3]["response_body"];
    assert_eq!(refused["error"], "unauthenticated");
    let message = refused["message"].as_str().unwrap();
    assert!(
        message.chars().any(|c| ('가'..='힣').contains(&c)),
        "not Korean: {message}"
    );
}
