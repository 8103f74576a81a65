use crate::{
    app::AuthEpoch,
    components::mode_badge::ModeBadge,
    error::AppError,
    model::{AuthMode, AuthTrace, DecodedJwt, HeldCookie, MeView, Role, ServerRecord},
    pages::devices::{MyActivity, MyDevices, PasswordForm},
};
use leptos::prelude::*;
use leptos_router::components::Redirect;

/// Everything `/me` shows; `None` for an anonymous visitor.
#[server(prefix = "/rpc", endpoint = "me")]
pub async fn get_me() -> Result<Option<MeView>, AppError> {
    let ctx = crate::state::ServerFnContext::get()?;
    let auth = ctx.auth();
    if auth.principal.is_none() {
        return Ok(None);
    }
    let result = crate::services::me::me_view(&ctx.state, &auth, &ctx.parts.headers, ctx.session().as_ref()).await;
    ctx.respond(result).map(Some)
}

/// Spends the browser's refresh token now: a new access token with the
/// user's current name and role, and a new refresh token.
#[server(prefix = "/rpc", endpoint = "refresh")]
pub async fn refresh_now() -> Result<(), AppError> {
    use crate::{auth::cookies, services::auth as auth_service};

    let ctx = crate::state::ServerFnContext::get()?;
    let result = async {
        let jar = cookies::request_cookies(&ctx.parts.headers);
        let refresh_token = cookies::find(&jar, cookies::REFRESH_COOKIE)
            .ok_or_else(|| AppError::InvalidRefreshToken("This browser holds no refresh token.".into()))?;
        let pair = auth_service::refresh_tokens(&ctx.state, refresh_token, &ctx.client()).await?;
        ctx.set_cookies(&auth_service::jwt_cookies(&ctx.state, &pair));
        Ok(())
    }
    .await;
    ctx.respond(result)
}

#[component]
pub fn MePage() -> impl IntoView {
    let refresh = ServerAction::<RefreshNow>::new();
    let epoch = expect_context::<AuthEpoch>();
    Effect::new(move |_| {
        if refresh.version().get() > 0 {
            epoch.bump();
        }
    });
    let me = Resource::new_blocking(move || refresh.version().get(), |_| get_me());
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match me.await {
                    Ok(Some(view)) => view! { <MeDetails view refresh/> }.into_any(),
                    Ok(None) => view! { <Redirect path="/login?next=/me"/> }.into_any(),
                    Err(err) => view! { <p class="error" role="alert">{err.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn MeDetails(view: MeView, refresh: ServerAction<RefreshNow>) -> impl IntoView {
    let MeView {
        user,
        database_role,
        browser_cookies,
        jwt,
        server_record,
        trace,
    } = view;
    let seconds_left = jwt.as_ref().map(|jwt| jwt.seconds_until_exp).unwrap_or_default();
    let mismatch = database_role
        .filter(|database_role| *database_role != user.role)
        .map(|database_role| view! { <RoleMismatch token_role=user.role database_role seconds_left/> });
    let refresh_error = move || refresh.value().get().and_then(Result::err);
    view! {
        <section class="me" data-testid="me" data-mode=user.mode.as_str()>
            <h1>
                "You are " <span data-testid="me-username">{user.username.clone()}</span> " "
                <ModeBadge mode=user.mode/>
            </h1>
            <p>"Role: " <strong data-testid="me-role">{user.role.as_str()}</strong></p>
            {mismatch}
            <Show when=move || user.mode == AuthMode::Jwt>
                <ActionForm action=refresh attr:class="inline">
                    <button type="submit" class="button-secondary" data-testid="refresh-now">
                        "Refresh the token now"
                    </button>
                </ActionForm>
                {move || refresh_error().map(|err| view! { <p class="error" role="alert">{err.to_string()}</p> })}
            </Show>
            <div class="panels">
                <BrowserPanel cookies=browser_cookies jwt/>
                <ServerPanel record=server_record/>
            </div>
            <TracePanel trace/>
            <MyDevices/>
            <PasswordForm/>
            <MyActivity/>
        </section>
    }
}

/// Why a JWT can say one role while the database says another.
#[component]
fn RoleMismatch(token_role: Role, database_role: Role, seconds_left: i64) -> impl IntoView {
    view! {
        <div class="notice warn" data-testid="role-mismatch">
            <p>
                "Token says " <strong data-testid="token-role">{token_role.as_str()}</strong>
                ", database says " <strong data-testid="database-role">{database_role.as_str()}</strong> "."
            </p>
            <p>
                "A JWT carries the role as a signed claim, and the server trusts that claim without "
                "looking anything up: that is what makes it stateless. So the old role holds until the "
                "token is re-issued, at the next refresh (this token expires in " {seconds_left} " s)."
            </p>
        </div>
    }
}

#[component]
fn BrowserPanel(cookies: Vec<HeldCookie>, jwt: Option<DecodedJwt>) -> impl IntoView {
    view! {
        <article class="card">
            <h2>"What your browser holds"</h2>
            <table>
                <thead>
                    <tr>
                        <th>"Cookie"</th>
                        <th>"Bytes"</th>
                    </tr>
                </thead>
                <tbody>
                    {cookies
                        .into_iter()
                        .map(|cookie| view! {
                            <tr>
                                <td><code>{cookie.name}</code></td>
                                <td>{cookie.bytes}</td>
                            </tr>
                        })
                        .collect_view()}
                </tbody>
            </table>
            <p class="hint">"All of them HttpOnly: page scripts cannot read them, the browser sends them."</p>
            {jwt.map(|jwt| view! {
                <h3>"The access token, decoded"</h3>
                <p>
                    "Anyone holding these " {jwt.token_bytes} " bytes can read this: it is signed, not encrypted. "
                    "It expires in " <strong data-testid="jwt-exp">{jwt.seconds_until_exp}</strong> " s."
                </p>
                <h4>"Header"</h4>
                <pre data-testid="jwt-header">{jwt.header_json}</pre>
                <h4>"Payload"</h4>
                <pre data-testid="jwt-payload">{jwt.payload_json}</pre>
            })}
        </article>
    }
}

#[component]
fn ServerPanel(record: ServerRecord) -> impl IntoView {
    let body = match record {
        ServerRecord::Session { id_prefix, store, data_json, idle_expires_in, absolute_expires_in } => view! {
            <p>"One session record in " {store} ", keyed by the id in your cookie (" <code>{id_prefix} "…"</code> ")."</p>
            <pre data-testid="session-record">{data_json}</pre>
            <p>
                "Ends after " <strong>{idle_expires_in}</strong> " s without activity, and in any case in "
                <strong>{absolute_expires_in}</strong> " s."
            </p>
        }
            .into_any(),
        ServerRecord::Jwt { refresh_family } => view! {
            <p data-testid="server-stores-nothing">
                <strong>"Nothing for the access token."</strong>
                " The server verifies it by its signature alone."
            </p>
            {match refresh_family {
                Some(family) => view! {
                    <p>"One row for your refresh-token family (only hashes of the tokens are stored):"</p>
                    <table data-testid="refresh-family">
                        <tbody>
                            <tr><th>"Family"</th><td><code>{family.family_id}</code></td></tr>
                            <tr><th>"Tokens issued so far"</th><td>{family.tokens_issued}</td></tr>
                            <tr><th>"Expires in"</th><td>{family.expires_in} " s"</td></tr>
                            <tr><th>"IP"</th><td>{family.ip.unwrap_or_else(|| "unknown".into())}</td></tr>
                            <tr><th>"User agent"</th><td>{family.user_agent.unwrap_or_else(|| "unknown".into())}</td></tr>
                        </tbody>
                    </table>
                }
                    .into_any(),
                None => view! {
                    <p class="notice">"No live refresh-token family: this token can no longer be refreshed."</p>
                }
                    .into_any(),
            }}
        }
            .into_any(),
    };
    view! {
        <article class="card">
            <h2>"What the server stores"</h2>
            {body}
        </article>
    }
}

#[component]
fn TracePanel(trace: AuthTrace) -> impl IntoView {
    let state_note = if trace.touched_server_state {
        "This request needed the server's own state."
    } else {
        "This request needed no server state: the signature was enough."
    };
    view! {
        <article class="card trace" data-testid="trace">
            <h2>"How the server knew: " <code>{trace.request}</code></h2>
            <ol>
                {trace
                    .steps
                    .into_iter()
                    .map(|step| view! {
                        <li>
                            <span>{step.what}</span>
                            <span class="micros">{step.micros} " µs"</span>
                        </li>
                    })
                    .collect_view()}
            </ol>
            <p>
                "Credential headers: " <strong data-testid="trace-bytes">{trace.credential_header_bytes}</strong>
                " bytes. Resolution took " <strong>{trace.total_micros}</strong> " µs. " {state_note}
            </p>
        </article>
    }
}
