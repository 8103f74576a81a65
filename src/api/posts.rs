//! `/api/posts`: the board for API clients.

use super::{ApiJson, ApiPath};
use crate::{auth::AuthContext, error::AppError, model::Post, services::posts, state::AppState};
use axum::{extract::State, http::StatusCode, Json};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct PostBody {
    body: String,
}

pub async fn list(State(state): State<AppState>, auth: AuthContext) -> Result<Json<Vec<Post>>, AppError> {
    Ok(Json(posts::list(&state, auth.require_user()?).await?))
}

pub async fn create(
    State(state): State<AppState>,
    auth: AuthContext,
    ApiJson(request): ApiJson<PostBody>,
) -> Result<(StatusCode, Json<Post>), AppError> {
    let post = posts::create(&state, auth.require_user()?, &request.body).await?;
    Ok((StatusCode::CREATED, Json(post)))
}

pub async fn get(
    State(state): State<AppState>,
    auth: AuthContext,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Post>, AppError> {
    Ok(Json(posts::get(&state, auth.require_user()?, id).await?))
}

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

pub async fn delete(
    State(state): State<AppState>,
    auth: AuthContext,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, AppError> {
    posts::delete(&state, auth.require_user()?, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
