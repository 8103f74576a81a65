//! The language of each request, decided once by a middleware and kept in
//! the request's extensions for pages, server functions and the JSON API.

use super::{Locale, LOCALE_COOKIE};
use crate::{auth::cookies, error::AppError, headers::is_build_asset};
use axum::{
    body::Body,
    extract::Request,
    http::{header, HeaderMap, HeaderValue},
    middleware::Next,
    response::Response,
};

/// The remembered choice (cookie), else `Accept-Language`, else English.
pub fn request_locale(headers: &HeaderMap) -> Locale {
    let jar = cookies::request_cookies(headers);
    let accept_language = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|value| value.to_str().ok());
    Locale::negotiate(cookies::find(&jar, LOCALE_COOKIE), accept_language)
}

/// Decides the request's language; an API error (which `AppError` renders
/// in English and leaves in the response's extensions) is told again in
/// that language, so every handler stays language-blind.
pub async fn negotiate_locale(mut request: Request, next: Next) -> Response {
    let locale = request_locale(request.headers());
    request.extensions_mut().insert(locale);
    // The build's assets are the same in every language.
    let varies = !is_build_asset(request.uri().path());
    let mut response = next.run(request).await;
    if varies {
        response
            .headers_mut()
            .append(header::VARY, HeaderValue::from_static("accept-language, cookie"));
    }
    if let Some(err) = response.extensions_mut().remove::<AppError>() {
        if locale != Locale::En {
            response.headers_mut().remove(header::CONTENT_LENGTH);
            *response.body_mut() = Body::from(err.json_body(locale).to_string());
        }
    }
    response
}
