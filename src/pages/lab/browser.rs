//! The Lab's experiments that only a browser can show, run in this very
//! browser: what page script can read, and a cross-site form post (CSRF)
//! from a real page of another local site.

use super::{outcome, Guess, GuessGroup, RunButton, Score};
use crate::{
    components::error_note::ErrorNote,
    error::AppError,
    i18n::{use_messages, Messages},
    model::lab::{CookieSeen, CsrfAttempt, CsrfRun, CSRF_TARGET_PATH},
    pages::compare::poll_every,
};
use leptos::prelude::*;
use std::time::Duration;

/// The cookies this very request carried, by name (never a value).
#[server(prefix = "/rpc", endpoint = "lab_cookies")]
pub async fn cookies_seen() -> Result<Vec<CookieSeen>, AppError> {
    let ctx = crate::state::ServerFnContext::get()?;
    Ok(crate::services::lab::cookies_seen(
        &ctx.parts.headers,
        ctx.state.config.secure_cookies,
    ))
}

/// A fresh CSRF run for this viewer's host and language.
#[server(prefix = "/rpc", endpoint = "lab_csrf_run")]
pub async fn new_csrf_run() -> Result<CsrfRun, AppError> {
    let ctx = crate::state::ServerFnContext::get()?;
    let host = ctx
        .parts
        .headers
        .get(axum::http::header::HOST)
        .and_then(|value| value.to_str().ok());
    Ok(crate::services::lab::csrf_run(host, ctx.locale()))
}

#[server(prefix = "/rpc", endpoint = "lab_csrf_attempts")]
pub async fn csrf_attempts(run: String) -> Result<Vec<CsrfAttempt>, AppError> {
    let ctx = crate::state::ServerFnContext::get()?;
    ctx.respond(crate::services::lab::csrf_attempts(&ctx.state, &run))
}

fn yes_or_no(t: &Messages) -> super::Choices {
    [("yes", t.lab_guess_yes), ("no", t.lab_guess_no)]
}

/// What page script sees in this browser, read by this page's own script.
#[derive(Clone, Debug, PartialEq)]
struct ScriptReading {
    /// `document.cookie`, as any script on the page reads it.
    document_cookie: String,
    /// What the server received with the same page's request.
    server_saw: Vec<CookieSeen>,
    /// The harmless demo token written to `localStorage`, read back.
    written: String,
    read_back: Option<String>,
}

impl ScriptReading {
    fn holds_login(&self) -> bool {
        self.server_saw.iter().any(|cookie| cookie.http_only)
    }

    /// Whether script saw any of the login cookies the server received.
    fn script_sees_login(&self) -> bool {
        self.server_saw.iter().filter(|cookie| cookie.http_only).any(|cookie| {
            self.document_cookie
                .split(';')
                .any(|pair| pair.trim().split('=').next() == Some(cookie.name.as_str()))
        })
    }
}

const DEMO_TOKEN_KEY: &str = "authlab_demo_token";

#[cfg(feature = "hydrate")]
fn document_cookie() -> String {
    use wasm_bindgen::JsCast;
    web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.dyn_into::<web_sys::HtmlDocument>().ok())
        .and_then(|document| document.cookie().ok())
        .unwrap_or_default()
}

#[cfg(not(feature = "hydrate"))]
fn document_cookie() -> String {
    String::new()
}

/// A fresh demo token: random, and a credential of nothing.
#[cfg(feature = "hydrate")]
fn demo_token() -> String {
    format!(
        "demo.{:016x}.not-a-credential",
        (js_sys::Math::random() * 2f64.powi(64)) as u64
    )
}

#[cfg(not(feature = "hydrate"))]
fn demo_token() -> String {
    "demo.not-a-credential".to_owned()
}

/// Writes a demo token to `localStorage`, reads it back as any script on
/// the page could, and removes it again.
fn store_and_read_demo_token() -> (String, Option<String>) {
    let written = demo_token();
    let Some(storage) = super::storage() else {
        return (written, None);
    };
    let _ = storage.set_item(DEMO_TOKEN_KEY, &written);
    let read_back = storage.get_item(DEMO_TOKEN_KEY).ok().flatten();
    let _ = storage.remove_item(DEMO_TOKEN_KEY);
    (written, read_back)
}

#[component]
pub(super) fn ScriptCard(score: Score) -> impl IntoView {
    let t = use_messages();
    let cookie_guess = RwSignal::new(None::<Guess>);
    let storage_guess = RwSignal::new(None::<Guess>);
    let reading = RwSignal::new(None::<Result<ScriptReading, AppError>>);
    let pending = RwSignal::new(false);
    let run = move || {
        pending.set(true);
        leptos::task::spawn_local(async move {
            let result = cookies_seen().await.map(|server_saw| {
                let (written, read_back) = store_and_read_demo_token();
                ScriptReading {
                    document_cookie: document_cookie(),
                    server_saw,
                    written,
                    read_back,
                }
            });
            if let Ok(reading) = &result {
                if let (Some(guess), true) = (cookie_guess.get_untracked(), reading.holds_login()) {
                    score.record(
                        "browser/script_cookie".into(),
                        guess == Guess::of(reading.script_sees_login()),
                    );
                }
                if let Some(guess) = storage_guess.get_untracked() {
                    let read = reading.read_back.as_deref() == Some(reading.written.as_str());
                    score.record("browser/script_storage".into(), guess == Guess::of(read));
                }
            }
            reading.set(Some(result));
            pending.set(false);
        });
    };
    let result = outcome(move || reading.get(), |reading| view! { <ScriptResult reading/> });
    view! {
        <article class="card lab-card" id="script-read" data-testid="script-read">
            <h3>{t.lab_script_title}</h3>
            <p>{t.lab_script_claim}</p>
            <div class="guess-groups">
                <GuessGroup
                    group="script-cookie".to_owned()
                    testid="cookie"
                    guess=cookie_guess
                    legend=t.lab_predict_script_cookie
                    choices=yes_or_no(t)
                />
                <GuessGroup
                    group="script-storage".to_owned()
                    testid="storage"
                    guess=storage_guess
                    legend=t.lab_predict_script_storage
                    choices=yes_or_no(t)
                />
            </div>
            <RunButton testid="script-run" pending on_run=run/>
            {result}
        </article>
    }
}

#[component]
fn ScriptResult(reading: ScriptReading) -> impl IntoView {
    let t = use_messages();
    let seen = reading
        .server_saw
        .iter()
        .map(|cookie| {
            let flag = if cookie.http_only { " (HttpOnly)" } else { "" };
            format!("{}{flag}", cookie.name)
        })
        .collect::<Vec<_>>()
        .join(", ");
    let shown = if reading.document_cookie.is_empty() {
        "\"\"".to_owned()
    } else {
        reading.document_cookie.clone()
    };
    let sees_login = reading.script_sees_login();
    let read = reading.read_back.as_deref() == Some(reading.written.as_str());
    view! {
        <div class="attack-result" data-testid="script-result" data-sees-login=sees_login.to_string() data-holds-login=reading.holds_login().to_string() data-storage-read=read.to_string()>
            <pre class="exchange">
                {format!("{}\n  {}\n\n", t.lab_script_server_saw, if seen.is_empty() { "—".to_owned() } else { seen })}
                {format!("document.cookie\n  {shown}\n\n")}
                {format!("localStorage.setItem(\"{DEMO_TOKEN_KEY}\", \"{}\")\nlocalStorage.getItem(\"{DEMO_TOKEN_KEY}\")\n  ", reading.written)}
                <strong data-testid="script-storage-read">{reading.read_back.clone().unwrap_or_else(|| "null".into())}</strong>
            </pre>
            {(!reading.holds_login()).then(|| view! { <p class="hint" data-testid="script-no-login">{t.lab_script_no_login}</p> })}
            <p class=if sees_login { "verdict side let-in" } else { "verdict side refused" } data-testid="script-verdict">
                {if sees_login { t.lab_script_sees } else { t.lab_script_hidden }}
            </p>
            <p>{t.lab_script_lesson}</p>
        </div>
    }
}

#[component]
pub(super) fn CsrfCard(score: Score) -> impl IntoView {
    let t = use_messages();
    let csrf_run = Resource::new(|| (), |_| new_csrf_run());
    view! {
        <article class="card lab-card lab-card-wide" id="csrf" data-testid="csrf">
            <h3>{t.lab_csrf_title}</h3>
            <p>{t.lab_csrf_claim}</p>
            <Suspense fallback=move || view! { <p>{t.loading}</p> }>
                {move || Suspend::new(async move {
                    match csrf_run.await {
                        Ok(run) => view! { <CsrfExperiment run score/> }.into_any(),
                        Err(err) => view! { <ErrorNote error=err/> }.into_any(),
                    }
                })}
            </Suspense>
        </article>
    }
}

#[component]
fn CsrfExperiment(run: CsrfRun, score: Score) -> impl IntoView {
    let t = use_messages();
    let accepted_guess = RwSignal::new(None::<Guess>);
    let cookie_guess = RwSignal::new(None::<Guess>);
    let attempts = RwSignal::new(Vec::<CsrfAttempt>::new());
    let watching = RwSignal::new(false);
    let scored = RwSignal::new(false);
    let id = run.run.clone();
    poll_every(Duration::from_millis(700), move || {
        let id = id.clone();
        async move {
            if !watching.get_untracked() {
                return;
            }
            if let Ok(seen) = csrf_attempts(id).await {
                if seen.iter().any(CsrfAttempt::cross_site) {
                    watching.set(false);
                }
                attempts.set(seen);
            }
        }
    });
    // The first cross-site attempt is the one predicted.
    Effect::new(move |_| {
        attempts.with(|attempts| {
            if scored.get_untracked() {
                return;
            }
            if let Some(attempt) = attempts.iter().find(|attempt| attempt.cross_site()) {
                scored.set(true);
                if let Some(guess) = accepted_guess.get_untracked() {
                    score.record("browser/csrf_accepted".into(), guess == Guess::of(attempt.status < 400));
                }
                if let Some(guess) = cookie_guess.get_untracked() {
                    score.record(
                        "browser/csrf_cookie".into(),
                        guess == Guess::of(attempt.carried_login()),
                    );
                }
            }
        })
    });
    let target = format!("{}?run={}", CSRF_TARGET_PATH, run.run);
    let open = match run.attacker_url.clone() {
        Some(url) => view! {
            <a
                class="button"
                href=url
                target="_blank"
                rel="noopener"
                data-testid="csrf-open"
                on:click=move |_| watching.set(true)
            >
                {t.lab_csrf_open}
            </a>
        }
        .into_any(),
        None => {
            view! { <p class="hint" data-testid="csrf-no-second-origin">{t.lab_csrf_no_second_origin}</p> }.into_any()
        }
    };
    view! {
        <div class="guess-groups">
            <GuessGroup
                group="csrf-accepted".to_owned()
                testid="accepted"
                guess=accepted_guess
                legend=t.lab_predict_csrf_accepted
                choices=[("accepted", t.lab_guess_accepted), ("refused", t.lab_guess_refused)]
            />
            <GuessGroup
                group="csrf-cookie".to_owned()
                testid="cookie"
                guess=cookie_guess
                legend=t.lab_predict_csrf_cookie
                choices=yes_or_no(t)
            />
        </div>
        <div class="csrf-actions">
            {open}
            <form method="post" action=target target="csrf-sink" on:submit=move |_| watching.set(true)>
                <input type="hidden" name="action" value="delete-my-account"/>
                <button type="submit" class="button-secondary" data-testid="csrf-same-site">{t.lab_csrf_same_site}</button>
            </form>
            <iframe name="csrf-sink" title="csrf-sink" hidden></iframe>
        </div>
        <p class="hint" role="status">
            {move || if watching.get() { t.lab_csrf_waiting } else { t.lab_csrf_steps }}
        </p>
        <ol class="replay-steps" data-testid="csrf-attempts">
            {move || attempts.get().into_iter().map(|attempt| view! { <li><AttemptView attempt/></li> }).collect_view()}
        </ol>
        {move || attempts.with(|attempts| attempts.iter().any(CsrfAttempt::cross_site)).then(|| view! { <p>{t.lab_csrf_lesson}</p> })}
    }
}

#[component]
fn AttemptView(attempt: CsrfAttempt) -> impl IntoView {
    let t = use_messages();
    let cookies = attempt
        .cookies
        .iter()
        .map(|cookie| cookie.name.clone())
        .collect::<Vec<_>>()
        .join("; ");
    let headers = format!(
        "{} {}\nSec-Fetch-Site: {}\nOrigin: {}\nCookie: {}\n",
        attempt.method,
        CSRF_TARGET_PATH,
        attempt.sec_fetch_site.as_deref().unwrap_or("—"),
        attempt.origin.as_deref().unwrap_or("—"),
        if cookies.is_empty() { "—".to_owned() } else { cookies },
    );
    let verdict = if attempt.refused_by_origin_check {
        t.lab_csrf_refused_by_origin
    } else if attempt.status < 400 {
        t.lab_csrf_reached
    } else {
        t.lab_refused
    };
    let from = if attempt.cross_site() {
        t.lab_csrf_from_other
    } else {
        t.lab_csrf_from_here
    };
    view! {
        <div
            data-testid="csrf-attempt"
            data-cross-site=attempt.cross_site().to_string()
            data-status=attempt.status
            data-carried-login=attempt.carried_login().to_string()
            data-origin-check=attempt.refused_by_origin_check.to_string()
        >
            <h4>{from}</h4>
            <pre class="exchange">{headers}<strong>{format!("→ {}", attempt.status)}</strong></pre>
            <p class=match (attempt.status < 400, attempt.cross_site()) {
                (true, true) => "verdict side let-in",
                (true, false) => "verdict side",
                (false, _) => "verdict side refused",
            }>
                {verdict}
                " "
                {if attempt.carried_login() { t.lab_csrf_cookie_went } else { t.lab_csrf_cookie_stayed }}
            </p>
        </div>
    }
}
