//! The Lab's experiments, run for real: each sends its requests over
//! loopback to this server, through every layer, and reports what was sent
//! and what came back. The naive verifier is used here and nowhere else.

use crate::{
    auth::jwt::Claims,
    auth::AuthContext,
    error::AppError,
    lab::{
        attacks::{self, ATTACKER_JWKS_PATH},
        LAB_USERNAME,
    },
    model::lab::{AttackRun, CheckRun, Exchange, Flaw, Probe, Replay, ReplayRun, TokenCheck},
    services::{
        accounts,
        loopback::{send, Answer, Credential},
    },
    state::AppState,
};
use axum::http::Method;
use serde_json::{json, Value};
use std::net::SocketAddr;

/// How the real auth layer treated this very request.
pub fn probe(auth: &AuthContext) -> Probe {
    Probe {
        principal: auth.principal.as_ref().map(|principal| principal.current_user()),
        refusal: auth.refusal.clone(),
        trace: auth.trace.clone(),
    }
}

/// The naive verifier's protected page: whom `flaw`'s verifier lets in.
/// It opens nothing else: no principal comes of it, no cookie, no session.
pub async fn naive_protected(state: &AppState, flaw: Flaw, bearer: Option<&str>) -> Result<Value, AppError> {
    let token = bearer.ok_or(AppError::Unauthenticated)?;
    let keys = state.lab.keys().await?;
    let jwks = match flaw {
        Flaw::Jku => fetch_jku(state, token).await,
        _ => None,
    };
    match keys.naive.verify(flaw, token, jwks.as_deref()) {
        Ok(claims) => Ok(json!({
            "flaw": flaw,
            "let_in": {"name": claims["name"], "role": claims["role"]},
        })),
        Err(_) => Err(AppError::Unauthenticated),
    }
}

/// The key set a token's `jku` names, fetched only when it is this
/// server's own attacker set on loopback (the Lab never reaches outside).
async fn fetch_jku(state: &AppState, token: &str) -> Option<String> {
    let header = crate::lab::naive::header_of(token).ok()?;
    let url = header["jku"].as_str()?;
    let path = url
        .strip_prefix("http://127.0.0.1")
        .or_else(|| url.strip_prefix("http://localhost"))?;
    let path = path.trim_start_matches(|c: char| c == ':' || c.is_ascii_digit());
    if path != ATTACKER_JWKS_PATH {
        return None;
    }
    let address = state.address.get()?;
    let answer = send(address, Method::GET, ATTACKER_JWKS_PATH, Credential::None, None).await;
    answer.status.is_success().then(|| answer.body.to_string())
}

fn exchange(method: Method, path: &str, token: &str, answer: &Answer) -> Exchange {
    shown(method, path, Credential::Bearer(token), None, answer)
}

/// A request as the learner sees it. A password in the body is shown as
/// `…`: the Lab user's password is the Lab's own.
fn shown(method: Method, path: &str, credential: Credential<'_>, body: Option<&Value>, answer: &Answer) -> Exchange {
    let request_headers = match credential {
        Credential::None => Vec::new(),
        Credential::Cookie(cookie) => vec![("Cookie".into(), cookie.to_owned())],
        Credential::Bearer(token) => vec![("Authorization".into(), format!("Bearer {token}"))],
    };
    let request_body = body.map(|body| {
        let mut body = body.clone();
        if body.get("password").is_some() {
            body["password"] = json!("…");
        }
        body
    });
    Exchange {
        method: method.to_string(),
        path: path.to_owned(),
        request_headers,
        request_body,
        status: answer.status.as_u16(),
        response_body: answer.body.clone(),
    }
}

/// The requests of one run, kept for the learner in the order they went.
struct Recorder {
    address: SocketAddr,
    steps: Vec<Exchange>,
}

impl Recorder {
    async fn send(&mut self, method: Method, path: &str, credential: Credential<'_>, body: Option<Value>) -> Answer {
        let answer = send(self.address, method.clone(), path, credential, body.clone()).await;
        self.steps.push(shown(method, path, credential, body.as_ref(), &answer));
        answer
    }

    async fn get(&mut self, path: &str, credential: Credential<'_>) -> Answer {
        self.send(Method::GET, path, credential, None).await
    }

    async fn post(&mut self, path: &str, credential: Credential<'_>, body: Option<Value>) -> Answer {
        self.send(Method::POST, path, credential, body).await
    }
}

/// Logs the Lab's user out of a login a run made, so runs leave no live login.
async fn log_out(address: SocketAddr, credential: Credential<'_>) {
    send(address, Method::POST, "/api/logout", credential, None).await;
}

/// Runs a replay experiment with fresh logins of the Lab's user.
pub async fn run_replay(state: &AppState, replay: Replay) -> Result<ReplayRun, AppError> {
    let address = listening(state)?;
    let password = state
        .lab
        .demo_password(|| accounts::reset_demo_user(state, LAB_USERNAME))
        .await?
        .to_owned();
    let credentials = json!({"username": LAB_USERNAME, "password": password});
    let mut run = Recorder {
        address,
        steps: Vec::new(),
    };
    let mut token_valid_for = None;
    let last = match replay {
        Replay::SessionAfterLogout => {
            let login = run
                .post("/api/session/login", Credential::None, Some(credentials))
                .await;
            let cookie = login.session_cookie().ok_or_else(|| login_failed(&login))?;
            run.get("/api/me", Credential::Cookie(&cookie)).await;
            run.post("/api/logout", Credential::Cookie(&cookie), None).await;
            run.get("/api/me", Credential::Cookie(&cookie)).await
        }
        Replay::JwtAfterLogout => {
            let login = run.post("/api/jwt/login", Credential::None, Some(credentials)).await;
            let access = login.body["access_token"]
                .as_str()
                .ok_or_else(|| login_failed(&login))?
                .to_owned();
            run.get("/api/me", Credential::Bearer(&access)).await;
            run.post("/api/logout", Credential::Bearer(&access), None).await;
            let replayed = run.get("/api/me", Credential::Bearer(&access)).await;
            if let Ok(claims) = state.jwt.validate(&access) {
                token_valid_for = Some((crate::auth::jwt::refused_from(claims.exp as i64) - crate::auth::now()).max(0));
            }
            replayed
        }
        Replay::RefreshReuse => {
            let login = run.post("/api/jwt/login", Credential::None, Some(credentials)).await;
            let first = login.body["refresh_token"]
                .as_str()
                .ok_or_else(|| login_failed(&login))?
                .to_owned();
            let refresh = |token: &str| Some(json!({"refresh_token": token}));
            let rotated = run.post("/api/jwt/refresh", Credential::None, refresh(&first)).await;
            let replayed = run.post("/api/jwt/refresh", Credential::None, refresh(&first)).await;
            // The family is revoked: the rightful new token is dead too.
            if let Some(second) = rotated.body["refresh_token"].as_str() {
                run.post("/api/jwt/refresh", Credential::None, refresh(second)).await;
            }
            replayed
        }
        Replay::SessionFixation => {
            let planted = format!(
                "{}=planted-by-an-attacker-0123",
                crate::auth::cookies::named(crate::auth::cookies::SESSION_COOKIE, state.config.secure_cookies)
            );
            run.get("/api/me", Credential::Cookie(&planted)).await;
            let login = run
                .post("/api/session/login", Credential::Cookie(&planted), Some(credentials))
                .await;
            let issued = login.session_cookie().ok_or_else(|| login_failed(&login))?;
            let replayed = run.get("/api/me", Credential::Cookie(&planted)).await;
            log_out(address, Credential::Cookie(&issued)).await;
            replayed
        }
    };
    Ok(ReplayRun {
        replay,
        accepted: last.status.is_success(),
        steps: run.steps,
        strict_revocation: state.settings.strict_revocation(),
        token_valid_for,
    })
}

fn login_failed(answer: &Answer) -> AppError {
    if answer.status == axum::http::StatusCode::SERVICE_UNAVAILABLE {
        AppError::Busy
    } else {
        AppError::internal(format!("the Lab user could not log in: {}", answer.status))
    }
}

/// A part of a token as the learner sees it; `null` when it is not JSON.
fn readable_part(token: &str, index: usize) -> Value {
    crate::lab::token_part(token, index).unwrap_or(Value::Null)
}

/// A real token pair of the Lab's user, from the real login.
async fn lab_tokens(state: &AppState, address: SocketAddr) -> Result<(String, String), AppError> {
    let password = state
        .lab
        .demo_password(|| accounts::reset_demo_user(state, LAB_USERNAME))
        .await?;
    let login = send(
        address,
        Method::POST,
        "/api/jwt/login",
        Credential::None,
        Some(json!({"username": LAB_USERNAME, "password": password})),
    )
    .await;
    match (
        login.body["access_token"].as_str(),
        login.body["refresh_token"].as_str(),
    ) {
        (Some(access), Some(refresh)) => Ok((access.to_owned(), refresh.to_owned())),
        _ => Err(login_failed(&login)),
    }
}

/// Runs `flaw`'s attack against its naive verifier and, with the claims of
/// a real token of the Lab's user, against this app's real verifier.
pub async fn run_attack(state: &AppState, flaw: Flaw) -> Result<AttackRun, AppError> {
    let address = listening(state)?;
    let keys = state.lab.keys().await?;
    let (real_token, _) = lab_tokens(state, address).await?;
    let real_claims = readable_part(&real_token, 1);

    let forge = |claims: &Value| attacks::forge(flaw, &keys.naive, &keys.attacker, claims).map_err(AppError::internal);
    let against_naive = forge(&json!({"sub": "lab", "name": LAB_USERNAME, "role": "user"}))?;
    let naive_path = format!("/api/lab/naive/{}/protected", flaw.as_str());
    let naive = send(
        address,
        Method::GET,
        &naive_path,
        Credential::Bearer(&against_naive.token),
        None,
    )
    .await;

    let against_real = forge(&real_claims)?;
    let real = send(
        address,
        Method::GET,
        "/api/lab/probe",
        Credential::Bearer(&against_real.token),
        None,
    )
    .await;
    log_out(address, Credential::Bearer(&real_token)).await;
    let real_refusal = serde_json::from_value(real.body["refusal"].clone()).ok();
    Ok(AttackRun {
        flaw,
        token_header: readable_part(&against_naive.token, 0),
        token_payload: readable_part(&against_naive.token, 1),
        recovered_secret: against_naive.recovered_secret.clone(),
        words_tried: against_naive.words_tried,
        naive_let_in: naive.status.is_success(),
        naive: exchange(Method::GET, &naive_path, &against_naive.token, &naive),
        real_let_in: !real.body["principal"].is_null(),
        real: exchange(Method::GET, "/api/lab/probe", &against_real.token, &real),
        real_refusal,
        token: against_naive.token,
    })
}

fn listening(state: &AppState) -> Result<SocketAddr, AppError> {
    state
        .address
        .get()
        .ok_or_else(|| AppError::internal("the server's address is unknown"))
}

/// Sends `check`'s token to `GET /api/me`, and to the probe for the check
/// that refused it. The token is made from a real login of the Lab's user.
pub async fn run_check(state: &AppState, check: TokenCheck) -> Result<CheckRun, AppError> {
    let address = listening(state)?;
    let (access, refresh) = lab_tokens(state, address).await?;
    let claims: Claims = serde_json::from_value(readable_part(&access, 1)).map_err(AppError::internal)?;
    let now = crate::auth::now() as u64;
    let admin = |claims: &Claims| Claims {
        role: crate::model::Role::Admin,
        ..claims.clone()
    };
    let admin_payload = || serde_json::to_value(admin(&claims)).map_err(AppError::internal);
    let token = match check {
        TokenCheck::TamperedPayload => attacks::swap_payload(&access, &admin_payload()?),
        TokenCheck::AlgNone => attacks::unsigned(&admin_payload()?),
        TokenCheck::Hs512SameKey => state.jwt.issue_with(jsonwebtoken::Algorithm::HS512, &admin(&claims))?,
        TokenCheck::OtherKey => {
            let mut key = [0u8; 32];
            getrandom::fill(&mut key).map_err(AppError::internal)?;
            let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256);
            header.kid = crate::lab::naive::header_of(&access)
                .ok()
                .and_then(|h| h["kid"].as_str().map(str::to_owned));
            jsonwebtoken::encode(&header, &admin(&claims), &jsonwebtoken::EncodingKey::from_secret(&key))
                .map_err(AppError::internal)?
        }
        TokenCheck::Expired => state.jwt.issue(&Claims {
            iat: now - 360,
            exp: now - 60,
            ..claims.clone()
        })?,
        TokenCheck::NotYetValid => state.jwt.issue(&Claims {
            nbf: Some(now + 3600),
            ..claims.clone()
        })?,
        TokenCheck::RefreshAsAccess => refresh,
    };
    let answer = send(address, Method::GET, "/api/me", Credential::Bearer(&token), None).await;
    let probe = send(address, Method::GET, "/api/lab/probe", Credential::Bearer(&token), None).await;
    log_out(address, Credential::Bearer(&access)).await;
    Ok(CheckRun {
        check,
        token_header: readable_part(&token, 0),
        token_payload: readable_part(&token, 1),
        accepted: answer.status.is_success(),
        exchange: exchange(Method::GET, "/api/me", &token, &answer),
        refusal: serde_json::from_value(probe.body["refusal"].clone()).ok(),
    })
}
