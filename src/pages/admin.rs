use crate::{
    components::error_note::ErrorNote,
    components::{
        audit::AuditTable,
        local_time::LocalTime,
        logins::{LoginsTable, RevokedSummary},
    },
    error::AppError,
    i18n::use_messages,
    model::{AuditEntry, AuditEvent, LoginView, RevokedCounts, Role, Settings, UserSummary},
};
use leptos::prelude::*;
use leptos_router::{components::Redirect, hooks::use_query_map};

/// Every user for the console; `None` for an anonymous visitor, 403 for users.
#[server(prefix = "/rpc", endpoint = "admin_users")]
pub async fn admin_users() -> Result<Option<Vec<UserSummary>>, AppError> {
    let ctx = crate::state::ServerFnContext::get()?;
    let auth = ctx.auth();
    if auth.principal.is_none() {
        return Ok(None);
    }
    let result = async { crate::services::admin::list_users(&ctx.state, auth.require_admin()?).await }.await;
    ctx.respond(result).map(Some)
}

#[server(prefix = "/rpc", endpoint = "set_role")]
pub async fn set_role(username: String, role: String) -> Result<(), AppError> {
    let ctx = crate::state::ServerFnContext::get()?;
    let auth = ctx.auth();
    let result = async {
        let admin = auth.require_admin()?;
        let role = Role::parse(&role).ok_or(AppError::BadRequest(crate::model::BadInput::UnknownRole))?;
        crate::services::admin::set_role(&ctx.state, admin, &ctx.client(), &username, role)
            .await
            .map(drop)
    }
    .await;
    ctx.respond(result)
}

#[server(prefix = "/rpc", endpoint = "admin_logins")]
pub async fn admin_logins() -> Result<Vec<LoginView>, AppError> {
    let ctx = crate::state::ServerFnContext::get()?;
    let auth = ctx.auth();
    let result = async { crate::services::admin::list_logins(&ctx.state, auth.require_admin()?, None).await }.await;
    ctx.respond(result)
}

/// Answers whom it logged out, and what that took back.
#[server(prefix = "/rpc", endpoint = "force_logout")]
pub async fn force_logout(username: String) -> Result<(String, RevokedCounts), AppError> {
    let ctx = crate::state::ServerFnContext::get()?;
    let auth = ctx.auth();
    let result = async {
        crate::services::logins::force_logout(&ctx.state, auth.require_admin()?, &ctx.client(), &username).await
    }
    .await;
    ctx.respond(result).map(|counts| (username, counts))
}

#[server(prefix = "/rpc", endpoint = "admin_settings")]
pub async fn admin_settings() -> Result<Settings, AppError> {
    let ctx = crate::state::ServerFnContext::get()?;
    let auth = ctx.auth();
    let result = auth.require_admin().map(|_| ctx.state.settings.get());
    ctx.respond(result)
}

/// Absent fields keep their value.
#[server(prefix = "/rpc", endpoint = "update_settings")]
pub async fn update_settings(
    strict_revocation: Option<bool>,
    max_logins_per_user: Option<u32>,
) -> Result<Settings, AppError> {
    use crate::services::settings::{self, SettingsChange};

    let ctx = crate::state::ServerFnContext::get()?;
    let auth = ctx.auth();
    let result = async {
        let change = SettingsChange {
            strict_revocation,
            max_logins_per_user,
        };
        settings::update(&ctx.state, auth.require_admin()?, &ctx.client(), change).await
    }
    .await;
    ctx.respond(result)
}

/// Every argument narrows the list; none at all lists the newest events.
#[server(prefix = "/rpc", endpoint = "admin_audit")]
pub async fn admin_audit(
    user: Option<String>,
    event: Option<String>,
    outcome: Option<String>,
) -> Result<Vec<AuditEntry>, AppError> {
    let ctx = crate::state::ServerFnContext::get()?;
    let auth = ctx.auth();
    let result = async {
        auth.require_admin()?;
        let filter = crate::model::AuditFilter {
            username: user,
            event,
            outcome,
            limit: None,
        };
        crate::services::audit::list(&ctx.state.db, &filter, None).await
    }
    .await;
    ctx.respond(result)
}

#[component]
pub fn AdminPage() -> impl IntoView {
    let t = use_messages();
    let set_role = ServerAction::<SetRole>::new();
    let force = ServerAction::<ForceLogout>::new();
    let update = ServerAction::<UpdateSettings>::new();
    let users = Resource::new_blocking(
        move || (set_role.version().get(), force.version().get()),
        |_| admin_users(),
    );
    let error = move || set_role.value().get().and_then(Result::err);
    let forced = move || {
        force.value().get().map(|result| match result {
            Ok((username, counts)) => view! {
                <h2 class="forced">{(t.forced_logout_of)(&username)}</h2>
                <RevokedSummary counts/>
            }
            .into_any(),
            Err(err) => view! { <ErrorNote error=err/> }.into_any(),
        })
    };
    view! {
        <Suspense fallback=move || view! { <p>{t.loading}</p> }>
            {move || Suspend::new(async move {
                match users.await {
                    Ok(Some(users)) => view! {
                        <section class="admin" data-testid="admin-console">
                            <h1>{t.admin_title}</h1>
                            {move || error().map(|err| view! { <ErrorNote error=err/> })}
                            <UserTable users set_role force/>
                            {forced}
                            <SettingsCard update/>
                            <AllLogins force/>
                            <AuditTrail set_role force update/>
                        </section>
                    }
                        .into_any(),
                    Ok(None) => view! { <Redirect path="/login?next=/admin"/> }.into_any(),
                    Err(AppError::Forbidden(_)) => view! {
                        <section class="narrow" data-testid="forbidden">
                            <h1>{t.admins_only}</h1>
                            <p>{t.admins_only_text}</p>
                        </section>
                    }
                        .into_any(),
                    Err(err) => view! { <ErrorNote error=err/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn UserTable(
    users: Vec<UserSummary>,
    set_role: ServerAction<SetRole>,
    force: ServerAction<ForceLogout>,
) -> impl IntoView {
    let t = use_messages();
    view! {
        <div class="scroll" tabindex="0" role="region" aria-label=t.admin_title>
        <table class="users">
            <thead>
                <tr>
                    <th>{t.user}</th>
                    <th>{t.me_role}</th>
                    <th>{t.posts}</th>
                    <th>{t.last_login}</th>
                    <td></td>
                </tr>
            </thead>
            <tbody>
                {users
                    .into_iter()
                    .map(|user| {
                        let other_role = match user.role {
                            Role::User => Role::Admin,
                            Role::Admin => Role::User,
                        };
                        let label = (t.make_role)(other_role);
                        let username = user.username;
                        let (row_key, form_value, force_value) = (username.clone(), username.clone(), username.clone());
                        view! {
                            <tr data-testid="user-row" data-username=row_key>
                                <td>{username}</td>
                                <td data-testid="user-role" data-role=user.role.as_str()>{(t.role)(user.role)}</td>
                                <td>{user.post_count}</td>
                                <td><LocalTime unix=user.last_login_at/></td>
                                <td>
                                    <ActionForm action=set_role attr:class="inline">
                                        <input type="hidden" name="username" value=form_value/>
                                        <input type="hidden" name="role" value=other_role.as_str()/>
                                        <button type="submit" class="button-secondary" data-testid="set-role" data-role=other_role.as_str()>
                                            {label}
                                        </button>
                                    </ActionForm>
                                    " "
                                    <ActionForm action=force attr:class="inline">
                                        <input type="hidden" name="username" value=force_value/>
                                        <button type="submit" class="button-secondary" data-testid="force-logout">
                                            {t.force_logout}
                                        </button>
                                    </ActionForm>
                                </td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
        </div>
    }
}

#[component]
fn SettingsCard(update: ServerAction<UpdateSettings>) -> impl IntoView {
    let t = use_messages();
    let settings = Resource::new(move || update.version().get(), |_| admin_settings());
    let error = move || update.value().get().and_then(Result::err);
    view! {
        <article class="card settings" data-testid="settings">
            <h2>{t.revocation_settings}</h2>
            {move || error().map(|err| view! { <ErrorNote error=err/> })}
            <Transition fallback=move || view! { <p>{t.loading}</p> }>
                {move || Suspend::new(async move {
                    settings.await.map(|Settings { strict_revocation, max_logins_per_user }| view! {
                        <ActionForm action=update>
                            <span>
                                {(t.strict_is)(strict_revocation).0}
                                <strong data-testid="strict-state" data-on=strict_revocation.to_string()>
                                    {(t.strict_is)(strict_revocation).1}
                                </strong>
                            </span>
                            <input type="hidden" name="strict_revocation" value=(!strict_revocation).to_string()/>
                            <button type="submit" data-testid="toggle-strict">
                                {(t.turn_strict)(!strict_revocation)}
                            </button>
                        </ActionForm>
                        <p class="hint">{t.strict_hint}</p>
                        <ActionForm action=update>
                            <label>
                                {t.login_limit_label}
                                <input
                                    type="number"
                                    name="max_logins_per_user"
                                    min="0"
                                    max="1000"
                                    value=max_logins_per_user
                                    data-testid="max-logins"
                                />
                            </label>
                            <button type="submit" class="button-secondary" data-testid="save-limit">{t.save}</button>
                        </ActionForm>
                        <p class="hint">{t.login_limit_hint}</p>
                    })
                })}
            </Transition>
        </article>
    }
}

#[component]
fn AllLogins(force: ServerAction<ForceLogout>) -> impl IntoView {
    let t = use_messages();
    let logins = Resource::new(move || force.version().get(), |_| admin_logins());
    view! {
        <article class="card" data-testid="all-logins">
            <h2>{t.live_logins}</h2>
            <Transition fallback=move || view! { <p>{t.loading}</p> }>
                {move || Suspend::new(async move {
                    logins.await.map(|logins| view! { <LoginsTable logins show_user=true action=|_: &LoginView| ()/> })
                })}
            </Transition>
        </article>
    }
}

/// The audit trail, filtered by the page's query (`?user=&event=&outcome=`),
/// so a filtered view is a link that can be shared. The filter is a plain
/// GET form: it needs no script, and it keeps the router's form code out of
/// the bundle (37 KB).
#[component]
fn AuditTrail(
    set_role: ServerAction<SetRole>,
    force: ServerAction<ForceLogout>,
    update: ServerAction<UpdateSettings>,
) -> impl IntoView {
    let query = use_query_map();
    let filter = move || {
        let query = query.get();
        (query.get("user"), query.get("event"), query.get("outcome"))
    };
    let entries = Resource::new(
        move || {
            let versions = (set_role.version().get(), force.version().get(), update.version().get());
            (filter(), versions)
        },
        |((user, event, outcome), _)| admin_audit(user, event, outcome),
    );
    let current = move |key: &'static str| query.with(|query| query.get(key).unwrap_or_default());
    let t = use_messages();
    view! {
        <article class="card" data-testid="audit-trail">
            <h2>{t.audit_trail}</h2>
            <form method="get" action="/admin" class="filters">
                <label>
                    {t.user}
                    <input type="text" name="user" value=move || current("user") data-testid="audit-user"/>
                </label>
                <label>
                    {t.event}
                    <select name="event" data-testid="audit-event">
                        <option value="">{t.any}</option>
                        {AuditEvent::ALL
                            .into_iter()
                            .map(|event| {
                                let name = event.as_str();
                                view! {
                                    <option value=name selected=move || current("event") == name>{(t.audit_event)(name)}</option>
                                }
                            })
                            .collect_view()}
                    </select>
                </label>
                <label>
                    {t.outcome}
                    <select name="outcome" data-testid="audit-outcome">
                        <option value="">{t.any}</option>
                        {["ok", "failed", "denied"]
                            .into_iter()
                            .map(|outcome| view! {
                                <option value=outcome selected=move || current("outcome") == outcome>
                                    {(t.audit_outcome)(outcome)}
                                </option>
                            })
                            .collect_view()}
                    </select>
                </label>
                <button type="submit" class="button-secondary" data-testid="audit-filter">{t.filter}</button>
            </form>
            <Transition fallback=move || view! { <p>{t.loading}</p> }>
                {move || Suspend::new(async move {
                    entries.await.map(|entries| view! { <AuditTable entries show_user=true/> })
                })}
            </Transition>
        </article>
    }
}
