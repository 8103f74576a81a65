use crate::{
    app::AuthEpoch,
    components::error_note::ErrorNote,
    components::mode_badge::ModeBadge,
    error::AppError,
    i18n::use_messages,
    model::{AuthMode, AuthTrace, DecodedJwt, HeldCookie, MeView, Role, ServerRecord, Step},
    pages::devices::{MyActivity, MyData, MyDevices, PasswordForm},
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
        let refresh_token = cookies::find(
            &jar,
            cookies::named(cookies::REFRESH_COOKIE, ctx.state.config.secure_cookies),
        )
        .ok_or(AppError::InvalidRefreshToken(crate::model::RefreshProblem::NoneHeld))?;
        let pair = auth_service::refresh_tokens(&ctx.state, refresh_token, &ctx.client()).await?;
        ctx.set_cookies(&auth_service::jwt_cookies(&ctx.state, &pair));
        Ok(())
    }
    .await;
    ctx.respond(result)
}

#[component]
pub fn MePage() -> impl IntoView {
    let t = use_messages();
    let refresh = ServerAction::<RefreshNow>::new();
    let epoch = expect_context::<AuthEpoch>();
    Effect::new(move |_| {
        if refresh.version().get() > 0 {
            epoch.bump();
        }
    });
    let me = Resource::new_blocking(move || refresh.version().get(), |_| get_me());
    let data = MyData::new(me);
    view! {
        <Suspense fallback=move || view! { <p>{t.loading}</p> }>
            {move || Suspend::new(async move {
                match me.await {
                    Ok(Some(view)) => view! { <MeDetails view refresh data/> }.into_any(),
                    Ok(None) => view! { <Redirect path="/login?next=/me"/> }.into_any(),
                    Err(err) => view! { <ErrorNote error=err/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn MeDetails(view: MeView, refresh: ServerAction<RefreshNow>, data: MyData) -> impl IntoView {
    let t = use_messages();
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
    // `try_get`: see `components::nav`; a page whose visitor left reads nothing.
    let refresh_error = move || refresh.value().try_get().flatten().and_then(Result::err);
    view! {
        <section class="me" data-testid="me" data-mode=user.mode.as_str()>
            <h1>
                {t.me_you_are.0} <span data-testid="me-username">{user.username.clone()}</span> {t.me_you_are.1} " "
                <ModeBadge mode=user.mode/>
            </h1>
            <p>
                {t.me_role} ": "
                <strong data-testid="me-role" data-role=user.role.as_str()>{(t.role)(user.role)}</strong>
            </p>
            {mismatch}
            <Show when=move || user.mode == AuthMode::Jwt>
                <ActionForm action=refresh attr:class="inline">
                    <button type="submit" class="button-secondary" data-testid="refresh-now">
                        {t.refresh_now}
                    </button>
                </ActionForm>
                {move || refresh_error().map(|err| view! { <ErrorNote error=err/> })}
            </Show>
            <div class="panels">
                <BrowserPanel cookies=browser_cookies jwt/>
                <ServerPanel record=server_record/>
            </div>
            <TracePanel trace/>
            <MyDevices data/>
            <PasswordForm/>
            <MyActivity data/>
        </section>
    }
}

/// Why a JWT can say one role while the database says another.
#[component]
fn RoleMismatch(token_role: Role, database_role: Role, seconds_left: i64) -> impl IntoView {
    let t = use_messages();
    view! {
        <div
            class="notice warn"
            data-testid="role-mismatch"
            data-token-role=token_role.as_str()
            data-database-role=database_role.as_str()
        >
            <p>{(t.token_says)((t.role)(token_role), (t.role)(database_role))}</p>
            <p>{(t.role_claim_explained)(seconds_left)}</p>
        </div>
    }
}

#[component]
fn BrowserPanel(cookies: Vec<HeldCookie>, jwt: Option<DecodedJwt>) -> impl IntoView {
    let t = use_messages();
    view! {
        <article class="card">
            <h2>{t.browser_holds}</h2>
            <table data-testid="cookie-table">
                <thead>
                    <tr>
                        <th>{t.cookie}</th>
                        <th>{t.bytes}</th>
                    </tr>
                </thead>
                <tbody>
                    {cookies
                        .into_iter()
                        .map(|cookie| view! {
                            <tr data-testid="cookie-row" data-name=cookie.name.clone() data-bytes=cookie.bytes>
                                <td><code>{cookie.name.clone()}</code></td>
                                <td>{cookie.bytes}</td>
                            </tr>
                        })
                        .collect_view()}
                </tbody>
            </table>
            <p class="hint">{t.all_http_only}</p>
            {jwt.map(|jwt| view! {
                <h3>{t.token_decoded}</h3>
                <p>
                    {(t.token_readable)(jwt.token_bytes)} " " {t.token_expires_in.0}
                    <strong data-testid="jwt-exp">{jwt.seconds_until_exp}</strong> {t.token_expires_in.1}
                </p>
                <h4>{t.jwt_header}</h4>
                <pre data-testid="jwt-header">{jwt.header_json}</pre>
                <h4>{t.jwt_payload}</h4>
                <pre data-testid="jwt-payload">{jwt.payload_json}</pre>
            })}
        </article>
    }
}

#[component]
fn ServerPanel(record: ServerRecord) -> impl IntoView {
    let t = use_messages();
    let body = match record {
        ServerRecord::Session {
            id_prefix,
            store,
            data_json,
            idle_expires_in,
            absolute_expires_in,
        } => view! {
            <p>{(t.session_record_in)(&store, &id_prefix)}</p>
            <pre data-testid="session-record">{data_json}</pre>
            <p>{(t.session_ends)(idle_expires_in, absolute_expires_in)}</p>
        }
        .into_any(),
        ServerRecord::Jwt { refresh_family } => view! {
            <p data-testid="server-stores-nothing">
                <strong>{t.nothing_for_access_token}</strong>
                {t.signature_alone}
            </p>
            {match refresh_family {
                Some(family) => view! {
                    <p>{t.refresh_family_row}</p>
                    <table data-testid="refresh-family">
                        <tbody>
                            <tr><th scope="row">{t.family}</th><td><code>{family.family_id}</code></td></tr>
                            <tr><th scope="row">{t.tokens_issued}</th><td>{family.tokens_issued}</td></tr>
                            <tr><th scope="row">{t.expires_in}</th><td>{(t.seconds)(family.expires_in)}</td></tr>
                            <tr><th scope="row">{t.ip}</th><td>{family.ip.unwrap_or_else(|| t.unknown.into())}</td></tr>
                            <tr>
                                <th scope="row">{t.user_agent}</th>
                                <td>{family.user_agent.unwrap_or_else(|| t.unknown.into())}</td>
                            </tr>
                        </tbody>
                    </table>
                }
                    .into_any(),
                None => view! {
                    <p class="notice">{t.no_live_family}</p>
                }
                    .into_any(),
            }}
        }
        .into_any(),
    };
    view! {
        <article class="card">
            <h2>{t.server_stores}</h2>
            {body}
        </article>
    }
}

#[component]
fn TracePanel(trace: AuthTrace) -> impl IntoView {
    let t = use_messages();
    let state_note = if trace.touched_server_state {
        t.needed_state
    } else {
        t.needed_no_state
    };
    view! {
        <article
            class="card trace"
            data-testid="trace"
            data-bytes=trace.credential_header_bytes
            data-touched-state=trace.touched_server_state.to_string()
        >
            <h2>{t.trace_title} <code>{trace.request}</code></h2>
            <ol>
                {trace
                    .steps
                    .into_iter()
                    .map(|step| {
                        let kind = step_kind(&step.step);
                        view! {
                            <li data-testid="trace-step" data-step=kind>
                                <span>{(t.step)(&step.step)}</span>
                                <span class="micros">{step.micros} " µs"</span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
            <p>
                <span data-testid="trace-bytes">{(t.trace_summary)(trace.credential_header_bytes, trace.total_micros)}</span>
                " " {state_note}
            </p>
        </article>
    }
}

/// A language-independent name of a trace step, for test suites.
fn step_kind(step: &Step) -> &'static str {
    match step {
        Step::Anonymous => "anonymous",
        Step::ReadAuthorization { .. } => "read_authorization",
        Step::ReadCookie { .. } => "read_cookie",
        Step::VerifiedSignature { .. } => "verified_signature",
        Step::StrictLookupLive => "strict_lookup",
        Step::RefreshNeeded { .. } => "refresh_needed",
        Step::Rotated => "rotated",
        Step::SessionFound { .. } => "session_found",
        Step::UserLoaded { .. } => "user_loaded",
        Step::IdleExtended => "idle_extended",
        Step::Refused { .. } => "refused",
    }
}
