//! The language of each request, decided once by a middleware and kept in
//! the request's extensions for pages, server functions and the JSON API.

use super::{Locale, LOCALE_COOKIE};
use crate::error::AppError;
use axum::{
    body::Body,
    extract::Request,
    http::{header, HeaderMap, HeaderValue},
    middleware::Next,
    response::Response,
};
use cookie::Cookie;

/// The remembered choice (cookie), else `Accept-Language`, else English.
pub fn request_locale(headers: &HeaderMap) -> Locale {
    let remembered = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|cookie| cookie.name() == LOCALE_COOKIE)
        .map(|cookie| cookie.value().to_owned());
    let accept_language = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|value| value.to_str().ok());
    Locale::negotiate(remembered.as_deref(), accept_language)
}

/// Decides the request's language; an API error (which `AppError` renders
/// in English and leaves in the response's extensions) is told again in
/// that language, so every handler stays language-blind.
pub async fn negotiate_locale(mut request: Request, next: Next) -> Response {
    let locale = request_locale(request.headers());
    request.extensions_mut().insert(locale);
    // The build's assets are the same in every language.
    let varies = !request.uri().path().starts_with("/pkg/");
    let mut response = next.run(request).await;
    if varies {
        response
            .headers_mut()
            .append(header::VARY, HeaderValue::from_static("accept-language, cookie"));
    }
    if let Some(err) = response.extensions_mut().remove::<AppError>() {
        if locale != Locale::En {
            let body = serde_json::json!({ "error": err.code(), "message": err.message(locale) });
            response.headers_mut().remove(header::CONTENT_LENGTH);
            *response.body_mut() = Body::from(body.to_string());
        }
    }
    response
}
