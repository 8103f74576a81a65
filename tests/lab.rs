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

async fn attack(app: &TestApp, flaw: &str) -> Value {
    let reply = app
        .call(
            Method::POST,
            &format!("/api/lab/attacks/{flaw}"),
            None,
            &Credential::Anonymous,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{flaw}: {}", reply.body);
    reply.body
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
    let reply = app
        .call(
            Method::POST,
            &format!("/api/lab/checks/{check}"),
            None,
            &Credential::Anonymous,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{check}: {}", reply.body);
    reply.body
}

async fn replay_run(app: &TestApp, replay: &str) -> Value {
    let reply = app
        .call(
            Method::POST,
            &format!("/api/lab/replays/{replay}"),
            None,
            &Credential::Anonymous,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{replay}: {}", reply.body);
    reply.body
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
