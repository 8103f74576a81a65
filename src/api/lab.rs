//! `/api/lab/*` and the Lab's public files: the probe of the real auth
//! layer, the naive verifier's protected page, and the attacks.

use super::{ApiPath, ErrorBody};
use crate::{
    auth::AuthContext,
    error::AppError,
    lab::attacks::ATTACKER_JWKS_PATH,
    model::lab::{AttackRun, CheckRun, Flaw, Probe, Replay, ReplayRun, TokenCheck},
    services::lab,
    state::AppState,
};
use axum::{
    extract::State,
    http::{header, HeaderMap},
    response::IntoResponse,
    routing::{get, post},
    Json, Router,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/lab/probe", get(probe))
        .route("/api/lab/naive/{flaw}/protected", get(naive_protected))
        .route("/api/lab/attacks/{flaw}", post(attack))
        .route("/api/lab/checks/{check}", post(check))
        .route("/api/lab/replays/{replay}", post(replay))
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
    ApiPath(name): ApiPath<String>,
) -> Result<Json<AttackRun>, AppError> {
    Ok(Json(lab::run_attack(&state, flaw(&name)?).await?))
}

/// Sends one forged or broken access token to `GET /api/me`: what this
/// app answers, and which check refused it.
#[utoipa::path(post, path = "/api/lab/checks/{check}", tag = "lab",
    params(("check" = TokenCheck, Path)),
    responses((status = 200, body = CheckRun), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "no such check"), (status = 503, body = ErrorBody)))]
pub async fn check(State(state): State<AppState>, ApiPath(name): ApiPath<String>) -> Result<Json<CheckRun>, AppError> {
    let check = TokenCheck::parse(&name).ok_or(AppError::NotFound)?;
    Ok(Json(lab::run_check(&state, check).await?))
}

/// Uses a credential again after it should be dead (or plants one before
/// login), with fresh logins of the Lab's user: every request, in order.
#[utoipa::path(post, path = "/api/lab/replays/{replay}", tag = "lab",
    params(("replay" = Replay, Path)),
    responses((status = 200, body = ReplayRun), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "no such experiment"), (status = 503, body = ErrorBody)))]
pub async fn replay(
    State(state): State<AppState>,
    ApiPath(name): ApiPath<String>,
) -> Result<Json<ReplayRun>, AppError> {
    let replay = Replay::parse(&name).ok_or(AppError::NotFound)?;
    Ok(Json(lab::run_replay(&state, replay).await?))
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
