//! `/api/lab/*` and the Lab's public files: the probe of the real auth
//! layer, the naive verifier's protected page, and the attacks.

use super::{ApiPath, ApiQuery, ErrorBody};
use crate::{
    auth::AuthContext,
    error::AppError,
    i18n::Locale,
    lab::attacks::ATTACKER_JWKS_PATH,
    model::lab::{
        is_run_id, AttackRun, CheckRun, CsrfAttempt, Flaw, Probe, Propagation, PropagationRun, Replay, ReplayRun,
        TokenCheck, CSRF_ATTACKER_PATH, CSRF_TARGET_PATH,
    },
    services::lab,
    state::AppState,
};
use axum::{
    extract::{Query, Request, State},
    http::{header, HeaderMap, HeaderValue},
    middleware::Next,
    response::{Html, IntoResponse, Response},
    routing::{get, post},
    Extension, Json, Router,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/lab/probe", get(probe))
        .route("/api/lab/naive/{flaw}/protected", get(naive_protected))
        .route("/api/lab/attacks/{flaw}", post(attack))
        .route("/api/lab/checks/{check}", post(check))
        .route("/api/lab/replays/{replay}", post(replay))
        .route("/api/lab/propagation/{experiment}", post(propagation))
        .route(CSRF_TARGET_PATH, post(csrf_target))
        .route("/api/lab/csrf/{run}", get(csrf_attempts))
        .route(CSRF_ATTACKER_PATH, get(attacker_page))
        .route(ATTACKER_JWKS_PATH, get(attacker_jwks))
        .route("/lab/naive/public.pem", get(naive_public_key))
}

fn flaw(name: &str) -> Result<Flaw, AppError> {
    Flaw::parse(name).ok_or(AppError::NotFound)
}

/// How the real auth layer treated this request: who, or which check refused.
#[utoipa::path(get, path = "/api/lab/probe", tag = "lab",
    responses((status = 200, body = Probe), (status = 431, body = ErrorBody)),
    security((), ("session" = []), ("bearer" = [])))]
pub async fn probe(auth: AuthContext) -> Json<Probe> {
    Json(lab::probe(&auth))
}

/// The naive verifier's protected page. What it accepts opens this page
/// and nothing else.
#[utoipa::path(get, path = "/api/lab/naive/{flaw}/protected", tag = "lab",
    params(("flaw" = Flaw, Path)),
    responses((status = 200, body = serde_json::Value, description = "whom the naive verifier let in: `{flaw, let_in: {name, role}}`"),
        (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "no such flaw")),
    security(("bearer" = [])))]
pub async fn naive_protected(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiPath(name): ApiPath<String>,
) -> Result<impl IntoResponse, AppError> {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "));
    Ok(Json(lab::naive_protected(&state, flaw(&name)?, bearer).await?))
}

/// Runs one attack against its naive verifier and against the real one.
#[utoipa::path(post, path = "/api/lab/attacks/{flaw}", tag = "lab",
    params(("flaw" = Flaw, Path)),
    responses((status = 200, body = AttackRun), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "no such flaw"), (status = 503, body = ErrorBody)))]
pub async fn attack(
    State(state): State<AppState>,
    Extension(locale): Extension<Locale>,
    ApiPath(name): ApiPath<String>,
) -> Result<Json<AttackRun>, AppError> {
    Ok(Json(lab::run_attack(&state, flaw(&name)?, locale).await?))
}

/// Sends one forged or broken access token to `GET /api/me`: what this
/// app answers, and which check refused it.
#[utoipa::path(post, path = "/api/lab/checks/{check}", tag = "lab",
    params(("check" = TokenCheck, Path)),
    responses((status = 200, body = CheckRun), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "no such check"), (status = 503, body = ErrorBody)))]
pub async fn check(
    State(state): State<AppState>,
    Extension(locale): Extension<Locale>,
    ApiPath(name): ApiPath<String>,
) -> Result<Json<CheckRun>, AppError> {
    let check = TokenCheck::parse(&name).ok_or(AppError::NotFound)?;
    Ok(Json(lab::run_check(&state, check, locale).await?))
}

/// Uses a credential again after it should be dead (or plants one before
/// login), with fresh logins of the Lab's user: every request, in order.
#[utoipa::path(post, path = "/api/lab/replays/{replay}", tag = "lab",
    params(("replay" = Replay, Path)),
    responses((status = 200, body = ReplayRun), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "no such experiment"), (status = 503, body = ErrorBody)))]
pub async fn replay(
    State(state): State<AppState>,
    Extension(locale): Extension<Locale>,
    ApiPath(name): ApiPath<String>,
) -> Result<Json<ReplayRun>, AppError> {
    let replay = Replay::parse(&name).ok_or(AppError::NotFound)?;
    Ok(Json(lab::run_replay(&state, replay, locale).await?))
}

/// Makes a change to a logged-in demo user (forced logout, promotion) and
/// measures how long each mode's client takes to see it. Takes up to the
/// access token's life plus the leeway (about 35 s by default); one run at
/// a time.
#[utoipa::path(post, path = "/api/lab/propagation/{experiment}", tag = "lab",
    params(("experiment" = Propagation, Path)),
    responses((status = 200, body = PropagationRun), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "no such experiment"), (status = 503, body = ErrorBody)))]
pub async fn propagation(
    State(state): State<AppState>,
    ApiPath(name): ApiPath<String>,
) -> Result<Json<PropagationRun>, AppError> {
    let experiment = Propagation::parse(&name).ok_or(AppError::NotFound)?;
    Ok(Json(lab::run_propagation(&state, experiment).await?))
}

#[derive(serde::Deserialize, utoipa::IntoParams)]
pub struct RunQuery {
    /// The run the request is filed under (8 to 64 letters, digits, `-`).
    run: String,
}

/// The CSRF experiment's target: a state-changing route that changes
/// nothing. Like every state-changing route it passes the one CSRF rule
/// first, so a page of another site gets 403 `csrf`; what reaches it (and
/// what was refused) is filed under `run` for the Lab to show.
#[utoipa::path(post, path = "/api/lab/csrf/target", tag = "lab",
    params(RunQuery),
    responses((status = 200, body = serde_json::Value, description = "reached: `{reached: true, as}`, `as` the user whose cookie or token came with it"),
        (status = 400, body = ErrorBody), (status = 403, body = ErrorBody, description = "`csrf`: sent by another site's page")),
    security((), ("session" = []), ("bearer" = [])))]
pub async fn csrf_target(
    auth: AuthContext,
    ApiQuery(query): ApiQuery<RunQuery>,
) -> Result<impl IntoResponse, AppError> {
    if !is_run_id(&query.run) {
        return Err(AppError::BadRequest(crate::model::BadInput::RunId));
    }
    let username = auth.principal.as_ref().map(|principal| principal.username.clone());
    Ok(Json(serde_json::json!({"reached": true, "as": username})))
}

/// What reached the CSRF target under `run`, oldest first.
#[utoipa::path(get, path = "/api/lab/csrf/{run}", tag = "lab",
    params(("run" = String, Path)),
    responses((status = 200, body = Vec<CsrfAttempt>), (status = 400, body = ErrorBody)),
    security((), ("session" = []), ("bearer" = [])))]
pub async fn csrf_attempts(
    State(state): State<AppState>,
    ApiPath(run): ApiPath<String>,
) -> Result<Json<Vec<CsrfAttempt>>, AppError> {
    Ok(Json(lab::csrf_attempts(&state, &run)?))
}

/// Files every request to the CSRF target with how it ended, the CSRF
/// rule's refusals included: it sits outside that rule and only watches.
pub async fn observe_csrf_target(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if request.uri().path() != CSRF_TARGET_PATH {
        return next.run(request).await;
    }
    let run = Query::<RunQuery>::try_from_uri(request.uri())
        .ok()
        .map(|Query(query)| query.run)
        .filter(|run| is_run_id(run));
    let headers = request.headers();
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned)
    };
    let (sec_fetch_site, origin) = (header("sec-fetch-site"), header("origin"));
    let cookies = lab::cookies_seen(headers, state.config.secure_cookies);
    let method = request.method().to_string();
    let response = next.run(request).await;
    if let Some(run) = run {
        let refused_by_origin_check = matches!(response.extensions().get::<AppError>(), Some(AppError::CrossSite));
        let attempt = CsrfAttempt {
            method,
            sec_fetch_site,
            origin,
            cookies,
            status: response.status().as_u16(),
            refused_by_origin_check,
        };
        state.lab.record_csrf(run, attempt);
    }
    response
}

#[derive(serde::Deserialize)]
struct AttackerQuery {
    run: String,
    lang: Option<String>,
}

/// Another site's page, served on the other name of this loopback host
/// (`localhost` for `127.0.0.1` and back), that posts a hidden form here.
async fn attacker_page(headers: HeaderMap, Query(query): Query<AttackerQuery>) -> Result<Response, AppError> {
    let host = headers
        .get(header::HOST)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    let locale = query
        .lang
        .as_deref()
        .and_then(Locale::parse)
        .unwrap_or_else(|| crate::i18n::server::request_locale(&headers));
    let (html, policy) = lab::attacker_page(host, &query.run, locale).ok_or(AppError::NotFound)?;
    let mut response = Html(html).into_response();
    if let Ok(policy) = HeaderValue::from_str(&policy) {
        response.headers_mut().insert(header::CONTENT_SECURITY_POLICY, policy);
    }
    // The browser's default, as an attacker's site would have it: its form
    // posts then carry `Origin: http://localhost:<port>`, not `null`.
    response.headers_mut().insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    Ok(response)
}

/// The attacker's key set, which the `jku` attack points at.
async fn attacker_jwks(State(state): State<AppState>) -> Result<impl IntoResponse, AppError> {
    let keys = state.lab.keys().await?;
    Ok(([(header::CONTENT_TYPE, "application/json")], keys.attacker.jwks()))
}

/// The naive verifier's RSA public key: public by nature, and all the
/// algorithm-confusion attack needs.
async fn naive_public_key(State(state): State<AppState>) -> Result<impl IntoResponse, AppError> {
    let keys = state.lab.keys().await?;
    Ok((
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        keys.naive.public_key_pem().to_owned(),
    ))
}
