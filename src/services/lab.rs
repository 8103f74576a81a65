//! The Lab's experiments, run for real: each sends its requests over
//! loopback to this server, through every layer, and reports what was sent
//! and what came back. The naive verifier is used here and nowhere else.

use crate::{
    auth::jwt::{self, Claims},
    auth::AuthContext,
    config::PROPAGATION_USERNAME,
    error::AppError,
    i18n::Locale,
    lab::{
        attacks::{self, ATTACKER_JWKS_PATH},
        LAB_USERNAME,
    },
    model::{
        lab::{
            is_run_id, other_site, AttackRun, CheckRun, CookieSeen, CsrfAttempt, CsrfRun, Exchange, Flaw, Probe,
            Propagation, PropagationRun, Replay, ReplayRun, TokenCheck, CSRF_ATTACKER_PATH, CSRF_TARGET_PATH,
        },
        race::{RaceEvent, RaceLane, RaceReaction},
        AuthMode,
    },
    services::{
        accounts, logins,
        loopback::{send, send_in, Answer, Credential},
        race::DemoClients,
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
        // Never shown, should a run ever carry it.
        Credential::ClusterSecret(_) => vec![("X-AuthLab-Cluster-Secret".into(), "…".into())],
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

/// Where a run's requests go, and the language their answers come in (the
/// viewer's, so that the messages shown match the page).
#[derive(Debug, Clone, Copy)]
struct Target {
    address: SocketAddr,
    locale: Locale,
}

impl Target {
    async fn send(self, method: Method, path: &str, credential: Credential<'_>, body: Option<Value>) -> Answer {
        send_in(self.address, Some(self.locale), method, path, credential, body).await
    }
}

/// This server, as the Lab's runs reach it, in the viewer's language.
fn target(state: &AppState, locale: Locale) -> Result<Target, AppError> {
    Ok(Target {
        address: listening(state)?,
        locale,
    })
}

/// The requests of one run, kept for the learner in the order they went.
struct Recorder {
    target: Target,
    steps: Vec<Exchange>,
}

impl Recorder {
    async fn send(&mut self, method: Method, path: &str, credential: Credential<'_>, body: Option<Value>) -> Answer {
        let answer = self.target.send(method.clone(), path, credential, body.clone()).await;
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
async fn log_out(target: Target, credential: Credential<'_>) {
    target.send(Method::POST, "/api/logout", credential, None).await;
}

/// Runs a replay experiment with fresh logins of the Lab's user.
pub async fn run_replay(state: &AppState, replay: Replay, locale: Locale) -> Result<ReplayRun, AppError> {
    let target = target(state, locale)?;
    let password = state
        .lab
        .demo_password(|| accounts::reset_demo_user(state, LAB_USERNAME))
        .await?
        .to_owned();
    let credentials = json!({"username": LAB_USERNAME, "password": password});
    let mut run = Recorder {
        target,
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
                token_valid_for = Some((jwt::refused_from(claims.exp as i64) - crate::auth::now()).max(0));
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
            log_out(target, Credential::Cookie(&issued)).await;
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
async fn lab_tokens(state: &AppState, target: Target) -> Result<(String, String), AppError> {
    let password = state
        .lab
        .demo_password(|| accounts::reset_demo_user(state, LAB_USERNAME))
        .await?;
    let credentials = json!({"username": LAB_USERNAME, "password": password});
    let login = target
        .send(Method::POST, "/api/jwt/login", Credential::None, Some(credentials))
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
pub async fn run_attack(state: &AppState, flaw: Flaw, locale: Locale) -> Result<AttackRun, AppError> {
    let target = target(state, locale)?;
    let keys = state.lab.keys().await?;
    let (real_token, _) = lab_tokens(state, target).await?;
    let real_claims = readable_part(&real_token, 1);

    let forge = |claims: &Value| attacks::forge(flaw, &keys.naive, &keys.attacker, claims).map_err(AppError::internal);
    let against_naive = forge(&json!({"sub": "lab", "name": LAB_USERNAME, "role": "user"}))?;
    let naive_path = format!("/api/lab/naive/{}/protected", flaw.as_str());
    let naive = target
        .send(Method::GET, &naive_path, Credential::Bearer(&against_naive.token), None)
        .await;

    let against_real = forge(&real_claims)?;
    let real = target
        .send(
            Method::GET,
            "/api/lab/probe",
            Credential::Bearer(&against_real.token),
            None,
        )
        .await;
    log_out(target, Credential::Bearer(&real_token)).await;
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
pub async fn run_check(state: &AppState, check: TokenCheck, locale: Locale) -> Result<CheckRun, AppError> {
    let target = target(state, locale)?;
    let (access, refresh) = lab_tokens(state, target).await?;
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
    let answer = target
        .send(Method::GET, "/api/me", Credential::Bearer(&token), None)
        .await;
    let probe = target
        .send(Method::GET, "/api/lab/probe", Credential::Bearer(&token), None)
        .await;
    log_out(target, Credential::Bearer(&access)).await;
    Ok(CheckRun {
        check,
        token_header: readable_part(&token, 0),
        token_payload: readable_part(&token, 1),
        accepted: answer.status.is_success(),
        exchange: exchange(Method::GET, "/api/me", &token, &answer),
        refusal: serde_json::from_value(probe.body["refusal"].clone()).ok(),
    })
}

/// How often a propagation run's clients ask.
const PROPAGATION_TICK: std::time::Duration = std::time::Duration::from_millis(500);
/// Requests of both clients before the change, to show the state before.
const TICKS_BEFORE: u32 = 2;

/// Logs a demo user in by session and by JWT, makes `experiment`'s change
/// to it as `/admin` does, and has both clients ask `GET /api/me` every
/// half second until each showed the change or the access token's life
/// (plus the leeway) is over. One run at a time; each run starts from a
/// fresh demo user and ends its logins.
pub async fn run_propagation(state: &AppState, experiment: Propagation) -> Result<PropagationRun, AppError> {
    let address = listening(state)?;
    let _one_at_a_time = state.lab.propagation.lock().await;
    let password = accounts::reset_demo_user(state, PROPAGATION_USERNAME).await?;
    let mut clients = DemoClients::log_in(address, PROPAGATION_USERNAME, &password)
        .await
        .ok_or_else(|| AppError::internal("the propagation run's clients could not log in"))?;
    let user = crate::db::find_user_by_name(&state.db, PROPAGATION_USERNAME)
        .await?
        .ok_or(AppError::NotFound)?;
    let access_ttl = state.config.access_ttl_for(PROPAGATION_USERNAME);
    let lane = |mode| RaceLane {
        mode,
        ticks: Vec::new(),
        token_refused_from_ms: None,
    };
    let (mut session, mut jwt_lane) = (lane(AuthMode::Session), lane(AuthMode::Jwt));
    let started = std::time::Instant::now();
    let elapsed = || started.elapsed().as_millis() as i64;
    let mut event = None;
    let mut ticks = tokio::time::interval(PROPAGATION_TICK);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    for count in 0.. {
        ticks.tick().await;
        if count == TICKS_BEFORE {
            let at_ms = elapsed();
            match experiment {
                Propagation::ForcedLogout => {
                    logins::end_demo_logins(state, user.id, PROPAGATION_USERNAME, "forced logout (Lab)").await?;
                }
                Propagation::RoleChange => {
                    accounts::set_demo_role(state, PROPAGATION_USERNAME, crate::model::Role::Admin).await?;
                }
            }
            event = Some(RaceEvent {
                at_ms,
                action: experiment.action(),
            });
        }
        session.ticks.push(clients.session_tick(elapsed()).await);
        jwt_lane.ticks.push(clients.jwt_tick(state, elapsed()).await);
        let now_ms = crate::auth::now() * 1000;
        jwt_lane.token_refused_from_ms = clients
            .jwt_exp
            .map(|exp| jwt::refused_from(exp) * 1000 - now_ms + elapsed());
        if let Some(event) = event {
            let shown = |lane: &RaceLane| lane.reaction_ms(&event).is_some();
            let longest = ((access_ttl + jwt::LEEWAY_SECS + 2) * 1000) as i64;
            if (shown(&session) && shown(&jwt_lane)) || elapsed() - event.at_ms > longest {
                break;
            }
        }
    }
    logins::end_demo_logins(state, user.id, PROPAGATION_USERNAME, "Lab run over").await?;
    accounts::set_demo_role(state, PROPAGATION_USERNAME, crate::model::Role::User).await?;
    let event = event.ok_or_else(|| AppError::internal("the change was never made"))?;
    Ok(PropagationRun {
        experiment,
        strict_revocation: state.settings.strict_revocation(),
        tick_ms: PROPAGATION_TICK.as_millis() as u64,
        access_ttl,
        leeway: jwt::LEEWAY_SECS,
        elapsed_ms: elapsed(),
        reaction: RaceReaction {
            event,
            session_ms: session.reaction_ms(&event),
            jwt_ms: jwt_lane.reaction_ms(&event),
        },
        session,
        jwt: jwt_lane,
        event,
    })
}

/// The cookies a request carried, by name (never a value); this app's
/// credential cookies are HttpOnly.
pub fn cookies_seen(headers: &axum::http::HeaderMap, secure: bool) -> Vec<CookieSeen> {
    use crate::auth::cookies::{named, request_cookies, ACCESS_COOKIE, REFRESH_COOKIE, SESSION_COOKIE};
    let credentials = [SESSION_COOKIE, ACCESS_COOKIE, REFRESH_COOKIE].map(|name| named(name, secure));
    request_cookies(headers)
        .iter()
        .map(|cookie| CookieSeen {
            name: cookie.name().to_owned(),
            http_only: credentials.contains(&cookie.name()),
        })
        .collect()
}

/// What reached the CSRF target under `run`, oldest first; 400 for what
/// cannot be a run id.
pub fn csrf_attempts(state: &AppState, run: &str) -> Result<Vec<CsrfAttempt>, AppError> {
    if !is_run_id(run) {
        return Err(AppError::BadRequest(crate::model::BadInput::RunId));
    }
    Ok(state.lab.csrf_attempts(run))
}

/// A fresh CSRF run for a viewer of `host`: its id, and the attacker's page
/// on the other name of this loopback host, in the viewer's language.
pub fn csrf_run(host: Option<&str>, locale: Locale) -> CsrfRun {
    let run = uuid::Uuid::new_v4().to_string();
    let attacker_url = host
        .and_then(other_site)
        .map(|other| format!("http://{other}{CSRF_ATTACKER_PATH}?run={run}&lang={}", locale.as_str()));
    CsrfRun { run, attacker_url }
}

/// The attacker's page: another site's page that, as it opens, submits a
/// hidden form to this app's CSRF target on the viewer's host. Plain HTML
/// (no script but one line under a nonce), in the viewer's language.
pub fn attacker_page(host: &str, run: &str, locale: Locale) -> Option<(String, String)> {
    let target_host = other_site(host)?;
    if !is_run_id(run) {
        return None;
    }
    let t = locale.messages();
    let here = format!("http://{host}");
    let target_origin = format!("http://{target_host}");
    let action = format!("{target_origin}{CSRF_TARGET_PATH}?run={run}");
    let form = format!(
        "<form method=\"post\" action=\"{}\" target=\"sink\">\n  <input type=\"hidden\" name=\"action\" value=\"delete-my-account\">\n</form>",
        escape(&action)
    );
    let mut nonce = [0u8; 16];
    getrandom::fill(&mut nonce).ok()?;
    let nonce = uuid::Uuid::from_bytes(nonce).simple().to_string();
    let policy = format!(
        "default-src 'none'; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; form-action {target_origin}; \
         frame-src {target_origin}; base-uri 'none'; frame-ancestors 'none'"
    );
    let html = format!(
        r#"<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style nonce="{nonce}">
body {{ font: 18px/1.5 system-ui, "Noto Sans CJK KR", sans-serif; margin: 0; background: #2b0a0a; color: #fff5f5; }}
main {{ max-width: 46rem; margin: 0 auto; padding: 1.5rem; }}
h1 {{ font-size: 1.8rem; margin: 0 0 .5rem; }}
pre {{ background: #120303; color: #ffd7d7; padding: .75rem; overflow-x: auto; white-space: pre-wrap; word-break: break-all; }}
code {{ color: #ffd7d7; }}
button {{ font: inherit; padding: .5rem 1rem; border-radius: .4rem; border: 2px solid #fff5f5; background: #7a1616; color: #fff; cursor: pointer; }}
button:focus-visible {{ outline: 3px solid #ffd166; outline-offset: 2px; }}
iframe {{ display: none; }}
</style>
</head>
<body>
<main data-testid="attacker-page">
<h1>{title}</h1>
<p>{lead}</p>
<p>{sent}</p>
<pre>{form_shown}</pre>
<form method="post" action="{action}" target="sink" id="forged">
<input type="hidden" name="action" value="delete-my-account">
<button type="submit" data-testid="attacker-again">{again}</button>
</form>
<p><strong>{back}</strong></p>
<iframe name="sink" title="sink"></iframe>
</main>
<script nonce="{nonce}">document.getElementById("forged").submit();</script>
</body>
</html>
"#,
        lang = locale.as_str(),
        title = t.attacker_title,
        lead = escape(&(t.attacker_lead)(&here, &target_origin)),
        sent = escape(&(t.attacker_sent)(&action)),
        form_shown = escape(&form),
        action = escape(&action),
        again = t.attacker_again,
        back = t.attacker_back,
    );
    Some((html, policy))
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
