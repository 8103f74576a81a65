//! `/api/posts`: the board for API clients.

use super::{ApiJson, ApiPath, ErrorBody};
use crate::{auth::AuthContext, error::AppError, model::Post, services::posts, state::AppState};
use axum::{extract::State, http::StatusCode, Json};
use serde::Deserialize;

#[derive(Deserialize, utoipa::ToSchema)]
pub struct PostBody {
    body: String,
}

#[utoipa::path(get, path = "/api/posts", tag = "board", responses((status = 200, body = Vec<Post>), (status = 401, body = ErrorBody)), security(("session" = []), ("bearer" = [])))]
pub async fn list(State(state): State<AppState>, auth: AuthContext) -> Result<Json<Vec<Post>>, AppError> {
    Ok(Json(posts::list(&state, auth.require_user()?).await?))
}

#[utoipa::path(post, path = "/api/posts", tag = "board", request_body = PostBody,
    responses((status = 201, body = Post), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)), security(("session" = []), ("bearer" = [])))]
pub async fn create(
    State(state): State<AppState>,
    auth: AuthContext,
    ApiJson(request): ApiJson<PostBody>,
) -> Result<(StatusCode, Json<Post>), AppError> {
    let post = posts::create(&state, auth.require_user()?, &request.body).await?;
    Ok((StatusCode::CREATED, Json(post)))
}

#[utoipa::path(get, path = "/api/posts/{id}", tag = "board", params(("id" = i64, Path)),
    responses((status = 200, body = Post), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)), security(("session" = []), ("bearer" = [])))]
pub async fn get(
    State(state): State<AppState>,
    auth: AuthContext,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Post>, AppError> {
    Ok(Json(posts::get(&state, auth.require_user()?, id).await?))
}

#[utoipa::path(put, path = "/api/posts/{id}", tag = "board", params(("id" = i64, Path)), request_body = PostBody,
    responses((status = 200, body = Post), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)), security(("session" = []), ("bearer" = [])))]
pub async fn update(
    State(state): State<AppState>,
    auth: AuthContext,
    ApiPath(id): ApiPath<i64>,
    ApiJson(request): ApiJson<PostBody>,
) -> Result<Json<Post>, AppError> {
    Ok(Json(
        posts::update(&state, auth.require_user()?, id, &request.body).await?,
    ))
}

#[utoipa::path(delete, path = "/api/posts/{id}", tag = "board", params(("id" = i64, Path)),
    responses((status = 204), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)), security(("session" = []), ("bearer" = [])))]
pub async fn delete(
    State(state): State<AppState>,
    auth: AuthContext,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, AppError> {
    posts::delete(&state, auth.require_user()?, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
