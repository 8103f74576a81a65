use crate::{components::error_note::ErrorNote, error::AppError, i18n::use_basics, model::AuthMode};
use leptos::prelude::*;

/// Creates a `user` account, then logs it in with the chosen mode.
#[server(prefix = "/rpc", endpoint = "signup")]
pub async fn signup(username: String, password: String, mode: String) -> Result<(), AppError> {
    use crate::services::{accounts, auth as auth_service};

    let ctx = crate::state::ServerFnContext::get()?;
    let result = async {
        let mode = AuthMode::parse(&mode).ok_or(AppError::BadRequest(crate::model::BadInput::ChooseMode))?;
        let user = accounts::sign_up(&ctx.state, username.trim(), password).await?;
        let cookies = auth_service::start_login(
            &ctx.state,
            mode,
            ctx.session().as_ref(),
            &ctx.parts.headers,
            &user,
            &ctx.client(),
        )
        .await?;
        ctx.set_cookies(&cookies);
        leptos_axum::redirect("/me");
        Ok(())
    }
    .await;
    ctx.respond(result)
}

#[component]
pub fn SignupPage() -> impl IntoView {
    let t = use_basics();
    let signup = ServerAction::<Signup>::new();
    let error = move || signup.value().get().and_then(Result::err);
    view! {
        <section class="narrow">
            <h1>{t.signup_title}</h1>
            <ActionForm action=signup attr:class="form" attr:data-testid="signup-form">
                <label>
                    {t.username}
                    <input
                        type="text"
                        name="username"
                        autocomplete="username"
                        required
                        minlength="3"
                        maxlength="32"
                        pattern="[A-Za-z0-9_\\-]+"
                    />
                    <span class="hint">{t.username_rules}</span>
                </label>
                <label>
                    {t.password}
                    <input type="password" name="password" autocomplete="new-password" required minlength="8" maxlength="128"/>
                    <span class="hint">{t.password_rules}</span>
                </label>
                <fieldset class="modes-choice">
                    <legend>{t.then_log_in_with}</legend>
                    <label class="mode-option">
                        <input type="radio" name="mode" value="session" checked/>
                        <strong>{t.mode_label(AuthMode::Session)}</strong>
                    </label>
                    <label class="mode-option">
                        <input type="radio" name="mode" value="jwt"/>
                        <strong>{t.mode_label(AuthMode::Jwt)}</strong>
                    </label>
                </fieldset>
                <button type="submit" disabled=move || signup.pending().get()>{t.create_account}</button>
                {move || error().map(|err| view! { <ErrorNote error=err/> })}
            </ActionForm>
        </section>
    }
}
