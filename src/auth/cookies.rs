//! Names and attributes of the cookies this app sets.

use cookie::{time::Duration, Cookie, SameSite};

pub const SESSION_COOKIE: &str = "authlab_sid";
pub const ACCESS_COOKIE: &str = "authlab_at";
pub const REFRESH_COOKIE: &str = "authlab_rt";

/// A credential cookie's name. With Secure cookies (behind TLS) it carries
/// the `__Host-` prefix: the browser then takes it only from this very host
/// over HTTPS, with `Path=/` and no `Domain`, so a sibling subdomain can
/// neither plant nor overwrite it.
pub fn named(base: &'static str, secure: bool) -> &'static str {
    match (secure, base) {
        (true, SESSION_COOKIE) => "__Host-authlab_sid",
        (true, ACCESS_COOKIE) => "__Host-authlab_at",
        (true, REFRESH_COOKIE) => "__Host-authlab_rt",
        _ => base,
    }
}

/// HttpOnly (scripts cannot read it), SameSite=Lax (not sent on cross-site
/// POSTs), Path=/ (every page can be authenticated).
pub fn credential_cookie(name: &'static str, value: String, max_age_secs: u64, secure: bool) -> Cookie<'static> {
    Cookie::build((named(name, secure), value))
        .http_only(true)
        .same_site(SameSite::Lax)
        .path("/")
        .secure(secure)
        .max_age(Duration::seconds(max_age_secs as i64))
        .build()
}

/// A cookie that makes the browser drop `name`.
pub fn removal_cookie(name: &'static str, secure: bool) -> Cookie<'static> {
    let mut cookie = credential_cookie(name, String::new(), 0, secure);
    cookie.make_removal();
    cookie
}

/// The browser's copies of both JWT cookies, removed.
pub fn jwt_removal_cookies(secure: bool) -> Vec<Cookie<'static>> {
    vec![
        removal_cookie(ACCESS_COOKIE, secure),
        removal_cookie(REFRESH_COOKIE, secure),
    ]
}

/// Every cookie of a request's `Cookie` headers, in order.
pub fn request_cookies(headers: &axum::http::HeaderMap) -> Vec<Cookie<'static>> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| Cookie::split_parse(value.to_owned()).filter_map(Result::ok))
        .collect()
}

pub fn find<'a>(cookies: &'a [Cookie<'static>], name: &str) -> Option<&'a str> {
    cookies
        .iter()
        .find(|cookie| cookie.name() == name)
        .map(|cookie| cookie.value())
}
