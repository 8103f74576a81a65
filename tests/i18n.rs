//! Korean and English through the real router: how a request's language is
//! chosen, the switch, translated API errors, and no English sentence on
//! any page rendered in Korean.

mod common;

use axum::http::{header, StatusCode};
use common::{app, Credential, TestApp};
use serde_json::json;

/// The `<html lang>` of a server-rendered page.
fn html_lang(html: &str) -> &str {
    let start = html.find("<html lang=\"").expect("an <html lang>") + "<html lang=\"".len();
    &html[start..start + html[start..].find('"').unwrap()]
}

#[tokio::test]
async fn accept_language_picks_the_language_and_english_is_the_fallback() {
    let app = app().await;
    for (accept, lang, heading) in [
        ("ko-KR,ko;q=0.9,en;q=0.8", "ko", "서버가 당신을 어떻게 기억할까요?"),
        ("en-US,en;q=0.9", "en", "How should the server remember you?"),
        ("fr-FR, de;q=0.5", "en", "How should the server remember you?"),
        ("ja, ko;q=0.3", "ko", "서버가 당신을 어떻게 기억할까요?"),
    ] {
        let page = app.get("/login", &[(header::ACCEPT_LANGUAGE, accept)]).await;
        assert_eq!(page.status, StatusCode::OK);
        assert_eq!(html_lang(page.text()), lang, "Accept-Language: {accept}");
        assert!(page.text().contains(heading), "Accept-Language: {accept}");
    }
    let no_header = app.get("/login", &[]).await;
    assert_eq!(html_lang(no_header.text()), "en");
}

#[tokio::test]
async fn the_switch_remembers_the_choice_and_beats_the_header() {
    let app = app().await;
    let switched = app
        .post_form("/lang", "lang=ko&next=%2Fboard%3Fx%3D1", "/board?x=1", None)
        .await;
    assert_eq!(switched.status, StatusCode::SEE_OTHER);
    assert_eq!(switched.location(), Some("/board?x=1"), "back to the same page");
    let set_cookie = switched.set_cookie("authlab_lang").expect("the choice is remembered");
    assert!(
        set_cookie.contains("SameSite=Lax") && set_cookie.contains("Max-Age="),
        "{set_cookie}"
    );
    let remembered = switched.cookie_pair("authlab_lang");
    assert_eq!(remembered, "authlab_lang=ko");

    let page = app
        .get(
            "/login",
            &[(header::COOKIE, &remembered), (header::ACCEPT_LANGUAGE, "en-US")],
        )
        .await;
    assert_eq!(html_lang(page.text()), "ko", "the remembered choice beats the header");
    let back = app
        .get(
            "/login",
            &[(header::COOKIE, "authlab_lang=en"), (header::ACCEPT_LANGUAGE, "ko")],
        )
        .await;
    assert_eq!(html_lang(back.text()), "en");
    assert!(back.text().contains("How should the server remember you?"));
}

#[tokio::test]
async fn the_switch_refuses_unknown_languages_and_foreign_destinations() {
    let app = app().await;
    let unknown = app.post_form("/lang", "lang=jp&next=%2Fme", "/me", None).await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
    assert_eq!(unknown.error_code(), "bad_request");
    assert!(unknown.set_cookie("authlab_lang").is_none());

    let missing = app.post_form("/lang", "next=%2Fme", "/me", None).await;
    assert_eq!(missing.status, StatusCode::BAD_REQUEST);

    let foreign = app
        .post_form("/lang", "lang=en&next=%2F%2Fevil.example%2F", "/", None)
        .await;
    assert_eq!(foreign.status, StatusCode::SEE_OTHER);
    assert_eq!(foreign.location(), Some("/me"), "never off-site");
}

#[tokio::test]
async fn switching_language_keeps_the_login() {
    let app = app().await;
    let Credential::SessionCookie(session) = app.login_as("session", "alice").await else {
        unreachable!()
    };
    let switched = app
        .post_form("/lang", "lang=ko&next=%2Fme", "/me", Some(&session))
        .await;
    assert_eq!(switched.status, StatusCode::SEE_OTHER);
    assert!(switched.set_cookie("authlab_sid").is_none(), "the session is untouched");
    let cookies = format!("{session}; {}", switched.cookie_pair("authlab_lang"));
    let me = app.get("/me", &[(header::COOKIE, &cookies)]).await;
    assert_eq!(me.status, StatusCode::OK);
    assert!(me.text().contains("님으로 로그인했습니다"));
    assert!(me.text().contains("data-testid=\"me-username\">alice<"));
}

#[tokio::test]
async fn api_errors_keep_their_code_and_speak_the_clients_language() {
    let app = app().await;
    let body = json!({"username": "alice", "password": "wrong"}).to_string();
    let login = |accept: &'static str| {
        let request = axum::http::Request::post("/api/session/login")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::ACCEPT_LANGUAGE, accept)
            .body(axum::body::Body::from(body.clone()))
            .unwrap();
        app.send(request)
    };
    let korean = login("ko-KR").await;
    assert_eq!(korean.status, StatusCode::UNAUTHORIZED);
    assert_eq!(korean.error_code(), "invalid_credentials");
    assert_eq!(korean.body["message"], "아이디 또는 비밀번호가 틀렸습니다.");
    assert!(
        korean.headers.contains_key(header::WWW_AUTHENTICATE),
        "headers survive the translation"
    );

    let english = login("en").await;
    assert_eq!(english.error_code(), "invalid_credentials");
    assert_eq!(english.body["message"], "Wrong username or password.");

    let refused = app
        .get(
            "/api/me",
            &[
                (header::AUTHORIZATION, "Bearer not.a.token"),
                (header::ACCEPT_LANGUAGE, "ko"),
            ],
        )
        .await;
    assert_eq!(refused.error_code(), "unauthenticated");
    let message = refused.body["message"].as_str().unwrap();
    assert!(message.starts_with("인증 정보가 거부되었습니다"), "{message}");
}

/// Visible text of an HTML page: tags, scripts, styles and code (tokens,
/// JSON, cookie names) left out.
fn visible_text(html: &str) -> String {
    let mut text = String::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        text.push_str(&rest[..start]);
        text.push(' ');
        rest = &rest[start..];
        let skipped = ["script", "style", "pre", "code"].into_iter().find_map(|tag| {
            let opening = rest.strip_prefix('<')?.strip_prefix(tag)?;
            opening.starts_with([' ', '>']).then(|| format!("</{tag}>"))
        });
        let end = match skipped {
            Some(closing) => rest.find(&closing).map(|at| at + closing.len()),
            None => rest.find('>').map(|at| at + 1),
        };
        rest = &rest[end.unwrap_or(rest.len())..];
    }
    text.push_str(rest);
    // The product's name is a name in every language.
    text.replace("Auth Lab", " ")
}

/// Runs of four or more English words in a row: a sentence left untranslated.
fn english_sentences(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut run: Vec<&str> = Vec::new();
    for word in text.split_whitespace().chain([""]) {
        let bare = word.trim_matches(|c: char| ",.:;!?()\"'".contains(c));
        if !bare.is_empty() && bare.chars().all(|c| c.is_ascii_alphabetic() || c == '\'' || c == '-') {
            run.push(word);
        } else {
            if run.len() >= 4 {
                found.push(run.join(" "));
            }
            run.clear();
        }
    }
    found
}

async fn korean_page(app: &TestApp, path: &str, cookie: &str) -> String {
    let cookies = format!("{cookie}; authlab_lang=ko");
    let page = app.get(path, &[(header::COOKIE, &cookies)]).await;
    // A user on /admin gets the 403 page, which must be Korean too.
    assert!(
        matches!(page.status, StatusCode::OK | StatusCode::FORBIDDEN),
        "{path}: {}",
        page.status
    );
    assert_eq!(html_lang(page.text()), "ko", "{path}");
    page.text().to_owned()
}

#[tokio::test]
async fn no_english_sentence_on_any_page_in_korean() {
    let app = app().await;
    // Something in every table: a post, a failed login, a role change.
    let Credential::SessionCookie(admin) = app.login_as("session", "admin").await else {
        unreachable!()
    };
    let alice = app.login_as("jwt", "alice").await;
    app.call(
        axum::http::Method::POST,
        "/api/posts",
        Some(json!({"body": "안녕하세요"})),
        &alice,
    )
    .await;
    app.session_login("bob", "wrong-password").await;
    let Credential::Bearer { access, refresh } = alice else {
        unreachable!()
    };
    let jwt_cookies = format!("authlab_at={access}; authlab_rt={refresh}");
    let promoted = app
        .call(
            axum::http::Method::PUT,
            "/api/admin/users/bob/role",
            Some(json!({"role": "admin"})),
            &Credential::SessionCookie(admin.clone()),
        )
        .await;
    assert_eq!(promoted.status, StatusCode::OK);
    app.get("/api/admin/users", &[(header::COOKIE, &jwt_cookies)]).await;
    // A race with ticks in both lanes and a forced logout in its table.
    app.serve().await;
    let admin_credential = Credential::SessionCookie(admin.clone());
    let race = "/api/admin/race";
    app.call(axum::http::Method::POST, race, None, &admin_credential).await;
    common::until(
        std::time::Duration::from_secs(10),
        "the race ticks in both lanes",
        async || {
            let view = app.call(axum::http::Method::GET, race, None, &admin_credential).await;
            ["session", "jwt"]
                .iter()
                .all(|lane| view.body[lane]["ticks"].as_array().is_some_and(|t| !t.is_empty()))
        },
    )
    .await;
    let forced = app
        .call(
            axum::http::Method::POST,
            "/api/admin/race/actions",
            Some(json!({"action": "force_logout"})),
            &admin_credential,
        )
        .await;
    assert_eq!(forced.status, StatusCode::OK);

    let pages = [
        ("/", ""),
        ("/login", ""),
        ("/login?logged_out=1", ""),
        ("/signup", ""),
        ("/me", admin.as_str()),
        ("/me", jwt_cookies.as_str()),
        ("/board", jwt_cookies.as_str()),
        ("/admin", admin.as_str()),
        ("/admin", jwt_cookies.as_str()),
        ("/compare", ""),
        ("/compare", admin.as_str()),
        ("/compare", jwt_cookies.as_str()),
        ("/compare/race", admin.as_str()),
        ("/compare/race", jwt_cookies.as_str()),
        ("/lab", ""),
        ("/lab", admin.as_str()),
        ("/guide", ""),
        ("/guide", jwt_cookies.as_str()),
    ];
    for (path, cookie) in pages {
        let html = korean_page(&app, path, cookie).await;
        let english = english_sentences(&visible_text(&html));
        assert!(english.is_empty(), "{path} in Korean still says {english:?}");
    }
}

#[test]
fn the_english_detector_finds_english_and_lets_korean_pass() {
    let html = "<p>한국어 문장 JWT 토큰</p><pre>this is a json payload here</pre><p>You need to log in first.</p>";
    assert_eq!(english_sentences(&visible_text(html)), ["You need to log in first."]);
    assert!(english_sentences("Auth Lab 세션 Session JWT").is_empty());
}
