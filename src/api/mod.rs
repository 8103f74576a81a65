//! The JSON API (`/api/*`) for curl, mobile clients and tests: thin
//! adapters over the service layer.

use crate::{
    auth::{refresh::ClientInfo, AuthContext},
    error::AppError,
    model::{AuthMode, Role},
    on_db,
    services::auth::{self as auth_service, Credentials, TokenPair},
    state::{append_cookies, AppState},
};
use axum::{
    extract::{DefaultBodyLimit, FromRequest, FromRequestParts, State},
    http::{request::Parts, HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    routing::{delete, get, post, put},
    Json, Router,
};
use serde::{Deserialize, Serialize};
use tower_sessions::Session;

mod admin;
mod cluster;
mod compare;
pub mod lab;
mod lang;
mod me;
pub mod openapi;
mod posts;

/// No request of this API comes near this; larger bodies get 413.
pub const MAX_BODY_BYTES: usize = 16 * 1024;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/session/login", post(session_login))
        .route("/api/jwt/login", post(jwt_login))
        .route("/api/jwt/refresh", post(jwt_refresh))
        .route("/api/logout", post(logout))
        .route("/api/me", get(me))
        .route("/api/me/logins", get(me::list_logins))
        .route("/api/me/logins/{id}", delete(me::revoke_login))
        .route("/api/me/logout-others", post(me::logout_others))
        .route("/api/me/password", post(me::change_password))
        .route("/api/me/audit", get(me::audit_trail))
        .route("/api/signup", post(signup))
        .route("/api/posts", get(posts::list).post(posts::create))
        .route(
            "/api/posts/{id}",
            get(posts::get).put(posts::update).delete(posts::delete),
        )
        .route("/api/admin/users", get(admin::list_users))
        .route("/api/admin/users/{username}/role", put(admin::set_role))
        .route("/api/admin/users/{username}/logout", post(admin::force_logout))
        .route("/api/admin/sessions", get(admin::sessions))
        .route("/api/admin/settings", get(admin::get_settings).put(admin::put_settings))
        .route("/api/admin/audit", get(admin::audit_trail))
        .route("/api/compare", get(compare::compare))
        .route(
            "/api/admin/race",
            get(compare::watch).post(compare::start).delete(compare::stop),
        )
        .route("/api/admin/race/actions", post(compare::act))
        .route("/lang", post(lang::switch_language))
        .route("/api/instance", get(cluster::instance))
        .route("/api/instance/restart", post(cluster::restart))
        .route("/api/instance/settings", put(cluster::take_settings))
        .route("/livez", get(livez))
        .route("/readyz", get(readyz))
        .route("/healthz", get(healthz))
        .merge(lab::routes())
        // `/api/openapi.json` and `/api/docs`
        .merge(openapi::routes())
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
}

/// Every error of the API.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// A stable code: `invalid_credentials`, `unauthenticated`, `forbidden`, `csrf`, `busy`, ...
    pub error: String,
    /// The same in words, in the client's language (`Accept-Language`).
    pub message: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct UserRef {
    pub username: String,
    pub role: Role,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct SessionLogin {
    pub user: UserRef,
    pub mode: AuthMode,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct SignedUp {
    pub user: UserRef,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Me {
    pub username: String,
    pub role: Role,
    pub mode: AuthMode,
    /// Unix time at which the credential stops working without renewal.
    pub expires_at: i64,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Health {
    pub status: String,
}

/// `Json` whose rejections (malformed JSON, missing fields, wrong content
/// type, too large) are `AppError`s with a JSON body.
#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(AppError))]
pub struct ApiJson<T>(pub T);

/// `Path` whose rejections (`/api/posts/abc`) are JSON errors too.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(AppError))]
pub struct ApiPath<T>(pub T);

/// `Query` whose rejections (`?limit=many`) are JSON errors too.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(AppError))]
pub struct ApiQuery<T>(pub T);

/// The caller's address and user agent.
pub struct Client(pub ClientInfo);

impl<S: Send + Sync> FromRequestParts<S> for Client {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Client(auth_service::client_info(&parts.headers, &parts.extensions)))
    }
}

fn with_cookies(response: impl IntoResponse, cookies: &[cookie::Cookie<'static>]) -> Response {
    let mut response = response.into_response();
    append_cookies(response.headers_mut(), cookies);
    response
}

#[utoipa::path(post, path = "/api/session/login", tag = "session", request_body = Credentials,
    responses((status = 200, body = SessionLogin, description = "logged in; `authlab_sid` set"),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 429, body = ErrorBody), (status = 503, body = ErrorBody)))]
async fn session_login(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    Client(client): Client,
    ApiJson(credentials): ApiJson<Credentials>,
) -> Result<Response, AppError> {
    let user = auth_service::authenticate(&state, credentials, AuthMode::Session, &client).await?;
    let cleared = auth_service::login_session(&state, &session, &headers, &user, &client).await?;
    let role = user.role();
    let body = SessionLogin {
        user: UserRef {
            username: user.username,
            role,
        },
        mode: AuthMode::Session,
    };
    Ok(with_cookies(Json(body), &cleared))
}

#[utoipa::path(post, path = "/api/jwt/login", tag = "jwt", request_body = Credentials,
    responses((status = 200, body = TokenPair), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 429, body = ErrorBody), (status = 503, body = ErrorBody)))]
async fn jwt_login(
    State(state): State<AppState>,
    session: Session,
    Client(client): Client,
    ApiJson(credentials): ApiJson<Credentials>,
) -> Result<Json<TokenPair>, AppError> {
    let user = auth_service::authenticate(&state, credentials, AuthMode::Jwt, &client).await?;
    Ok(Json(
        auth_service::login_jwt(&state, Some(&session), &user, &client).await?,
    ))
}

#[derive(Deserialize, utoipa::ToSchema)]
struct RefreshRequest {
    refresh_token: String,
}

#[utoipa::path(post, path = "/api/jwt/refresh", tag = "jwt", request_body = RefreshRequest,
    responses((status = 200, body = TokenPair, description = "a new pair; the old refresh token is spent"),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody, description = "`refresh_reused` (family revoked) or `invalid_refresh_token`"),
        (status = 403, body = ErrorBody)))]
async fn jwt_refresh(
    State(state): State<AppState>,
    Client(client): Client,
    ApiJson(request): ApiJson<RefreshRequest>,
) -> Result<Json<TokenPair>, AppError> {
    Ok(Json(
        auth_service::refresh_tokens(&state, &request.refresh_token, &client).await?,
    ))
}

#[utoipa::path(post, path = "/api/logout", tag = "both modes",
    responses((status = 204, description = "session record deleted / refresh family revoked"), (status = 403, body = ErrorBody)),
    security((), ("session" = []), ("bearer" = [])))]
async fn logout(
    State(state): State<AppState>,
    auth: AuthContext,
    session: Session,
    headers: HeaderMap,
    Client(client): Client,
) -> Result<Response, AppError> {
    let cookies = auth_service::logout(&state, &auth, Some(&session), &headers, &client).await?;
    Ok(with_cookies(StatusCode::NO_CONTENT, &cookies))
}

#[utoipa::path(post, path = "/api/signup", tag = "accounts", request_body = Credentials,
    responses((status = 201, body = SignedUp), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 503, body = ErrorBody)))]
async fn signup(
    State(state): State<AppState>,
    ApiJson(credentials): ApiJson<Credentials>,
) -> Result<(StatusCode, Json<SignedUp>), AppError> {
    let user = crate::services::accounts::sign_up(&state, &credentials.username, credentials.password).await?;
    let role = user.role();
    let body = SignedUp {
        user: UserRef {
            username: user.username,
            role,
        },
    };
    Ok((StatusCode::CREATED, Json(body)))
}

#[utoipa::path(get, path = "/api/me", tag = "both modes",
    responses((status = 200, body = Me), (status = 401, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
async fn me(auth: AuthContext) -> Result<Json<Me>, AppError> {
    let principal = auth.require_user()?;
    Ok(Json(Me {
        username: principal.username.clone(),
        role: principal.role,
        mode: principal.mode,
        expires_at: principal.expires_at,
    }))
}

/// Liveness: the process serves requests. Touches nothing else, so it is
/// also the ceiling every other path is measured against (`make bench`).
#[utoipa::path(get, path = "/livez", tag = "operations",
    responses((status = 200, body = Health), (status = 431, body = ErrorBody, description = "headers beyond any real client's")))]
async fn livez() -> Json<Health> {
    Json(Health { status: "ok".into() })
}

/// Readiness: the database and the session store answer. What a load
/// balancer should ask before sending traffic (`/healthz` is the same).
#[utoipa::path(get, path = "/readyz", tag = "operations",
    responses((status = 200, body = Health), (status = 503, body = ErrorBody, description = "`not_ready`: the database or the session store does not answer")))]
async fn readyz(State(state): State<AppState>) -> Result<Json<Health>, AppError> {
    let database = on_db!(&state.db, |pool| sqlx::query("SELECT 1")
        .execute(pool)
        .await
        .map(|done| done.rows_affected()));
    let sessions = state.sessions.check_ready().await;
    if let Err(err) = &database {
        tracing::warn!(%err, "not ready: the database");
    }
    if let Err(err) = &sessions {
        tracing::warn!(%err, "not ready: the session store");
    }
    match (database, sessions) {
        (Ok(_), Ok(())) => Ok(Json(Health { status: "ok".into() })),
        _ => Err(AppError::NotReady),
    }
}

/// The same as `/readyz`, kept for the clients that know it by this name.
#[utoipa::path(get, path = "/healthz", tag = "operations",
    responses((status = 200, body = Health), (status = 503, body = ErrorBody, description = "`not_ready`")))]
async fn healthz(state: State<AppState>) -> Result<Json<Health>, AppError> {
    readyz(state).await
}
