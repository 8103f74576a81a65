//! The language switch of the nav: a plain form post, so that it works
//! without JavaScript, answered with a redirect back to the same page.

use crate::{
    auth::cookies,
    error::AppError,
    i18n::{Locale, LOCALE_COOKIE},
    model::BadInput,
    services::auth::safe_next,
    state::{append_cookies, AppState},
};
use axum::{
    extract::State,
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    Form,
};
use serde::Deserialize;

/// A remembered choice outlives a semester.
const REMEMBER_SECS: u64 = 365 * 24 * 3600;

#[derive(Deserialize)]
pub struct LanguageChoice {
    lang: String,
    next: Option<String>,
}

/// `POST /lang` `lang=ko&next=/me`: remembers the choice, back to `next`.
pub async fn switch_language(
    State(state): State<AppState>,
    form: Result<Form<LanguageChoice>, axum::extract::rejection::FormRejection>,
) -> Result<Response, AppError> {
    let Form(choice) = form.map_err(|rejection| AppError::BadRequest(BadInput::Unreadable(rejection.body_text())))?;
    let locale = Locale::parse(&choice.lang)
        .filter(|locale| locale.as_str() == choice.lang)
        .ok_or_else(|| AppError::BadRequest(BadInput::UnknownLanguage(choice.lang.clone())))?;
    // Not a credential, yet HttpOnly all the same: the page learns its
    // language from `<html lang>`, no script needs the cookie.
    let cookie = cookies::credential_cookie(
        LOCALE_COOKIE,
        locale.as_str().to_owned(),
        REMEMBER_SECS,
        state.config.secure_cookies,
    );
    let next = safe_next(choice.next.as_deref());
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(location) = HeaderValue::from_str(&next) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    append_cookies(response.headers_mut(), &[cookie]);
    Ok(response)
}
