use crate::error::AppError;
use leptos::prelude::*;

/// Creates a `user` account, then logs it in with the chosen mode.
#[server(prefix = "/rpc", endpoint = "signup")]
pub async fn signup(username: String, password: String, mode: String) -> Result<(), AppError> {
    use crate::{
        model::AuthMode,
        services::{accounts, auth as auth_service},
    };

    let ctx = crate::state::ServerFnContext::get()?;
    let result = async {
        let mode = AuthMode::parse(&mode).ok_or_else(|| AppError::BadRequest("Choose Session or JWT.".into()))?;
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
    let signup = ServerAction::<Signup>::new();
    let error = move || signup.value().get().and_then(Result::err);
    view! {
        <section class="narrow">
            <h1>"Sign up"</h1>
            <ActionForm action=signup attr:class="form" attr:data-testid="signup-form">
                <label>
                    "Username"
                    <input
                        type="text"
                        name="username"
                        autocomplete="username"
                        required
                        minlength="3"
                        maxlength="32"
                        pattern="[A-Za-z0-9_\\-]+"
                    />
                    <span class="hint">"3–32 letters, digits, _ or -; unique regardless of case."</span>
                </label>
                <label>
                    "Password"
                    <input type="password" name="password" autocomplete="new-password" required minlength="8" maxlength="128"/>
                    <span class="hint">"8–128 characters, any script, used exactly as typed."</span>
                </label>
                <fieldset class="modes-choice">
                    <legend>"Then log in with"</legend>
                    <label class="mode-option">
                        <input type="radio" name="mode" value="session" checked/>
                        <strong>"Session"</strong>
                    </label>
                    <label class="mode-option">
                        <input type="radio" name="mode" value="jwt"/>
                        <strong>"JWT"</strong>
                    </label>
                </fieldset>
                <button type="submit" disabled=move || signup.pending().get()>"Create account"</button>
                {move || error().map(|err| view! { <p class="error" role="alert">{err.to_string()}</p> })}
            </ActionForm>
        </section>
    }
}
