use crate::{components::error_note::ErrorNote, error::AppError, i18n::use_basics, model::AuthMode};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// Logs in with the chosen mode and sends the browser to `next`.
#[server(prefix = "/rpc", endpoint = "login")]
pub async fn login(username: String, password: String, mode: String, next: Option<String>) -> Result<(), AppError> {
    use crate::services::auth::{self as auth_service, Credentials};

    let ctx = crate::state::ServerFnContext::get()?;
    let result = async {
        let mode = AuthMode::parse(&mode).ok_or(AppError::BadRequest(crate::model::BadInput::ChooseMode))?;
        let client = ctx.client();
        let user = auth_service::authenticate(&ctx.state, Credentials { username, password }, mode, &client).await?;
        let cookies = auth_service::start_login(
            &ctx.state,
            mode,
            ctx.session().as_ref(),
            &ctx.parts.headers,
            &user,
            &client,
        )
        .await?;
        ctx.set_cookies(&cookies);
        leptos_axum::redirect(&auth_service::safe_next(next.as_deref()));
        Ok(())
    }
    .await;
    ctx.respond(result)
}

/// Logs out of whichever mode this browser uses, then shows the login page.
#[server(prefix = "/rpc", endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    let ctx = crate::state::ServerFnContext::get()?;
    let cookies = crate::services::auth::logout(
        &ctx.state,
        &ctx.auth(),
        ctx.session().as_ref(),
        &ctx.parts.headers,
        &ctx.client(),
    )
    .await?;
    ctx.set_cookies(&cookies);
    leptos_axum::redirect("/login?logged_out=1");
    Ok(())
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let t = use_basics();
    let login = ServerAction::<Login>::new();
    let query = use_query_map();
    let initial_mode = query
        .with_untracked(|q| q.get("mode"))
        .and_then(|m| AuthMode::parse(&m))
        .unwrap_or(AuthMode::Session);
    let next = query
        .with_untracked(|q| q.get("next"))
        .unwrap_or_else(|| "/me".to_owned());
    let logged_out = query.with_untracked(|q| q.get("logged_out").is_some());
    let error = move || login.value().get().and_then(Result::err);
    let mode_option = move |mode: AuthMode, explanation: &'static str| {
        view! {
            <label class="mode-option">
                <input type="radio" name="mode" value=mode.as_str() checked=mode == initial_mode/>
                <strong>{t.mode_label(mode)}</strong>
                <span class="hint">{explanation}</span>
            </label>
        }
    };

    view! {
        <section class="narrow">
            <h1>{t.login_title}</h1>
            <Show when=move || logged_out>
                <p class="notice" role="status" data-testid="logged-out">{t.logged_out}</p>
            </Show>
            <ActionForm action=login attr:class="form" attr:data-testid="login-form">
                <fieldset class="modes-choice">
                    <legend>{t.mode_question}</legend>
                    {mode_option(AuthMode::Session, t.mode_session_hint)}
                    {mode_option(AuthMode::Jwt, t.mode_jwt_hint)}
                </fieldset>
                <label>
                    {t.username}
                    <input type="text" name="username" autocomplete="username" required/>
                </label>
                <label>
                    {t.password}
                    <input type="password" name="password" autocomplete="current-password" required/>
                </label>
                <input type="hidden" name="next" value=next/>
                <button type="submit" disabled=move || login.pending().get() data-testid="login-submit">{t.login_button}</button>
                {move || error().map(|err| view! { <ErrorNote error=err testid="login-error"/> })}
            </ActionForm>
            <p class="hint">{t.demo_accounts_hint}</p>
        </section>
    }
}
