//! The parts of `/me` that take things back: my devices, log out everywhere
//! else, password change, and my own audit trail.

use crate::{
    components::error_note::ErrorNote,
    components::{
        audit::AuditTable,
        logins::{LoginsTable, RevokedSummary},
    },
    error::AppError,
    i18n::use_messages,
    model::{AuditEntry, LoginView, MeView, RevokedCounts},
};
use leptos::{html, prelude::*};

#[server(prefix = "/rpc", endpoint = "my_logins")]
pub async fn my_logins() -> Result<Vec<LoginView>, AppError> {
    let ctx = crate::state::ServerFnContext::get()?;
    let auth = ctx.auth();
    let result = async {
        let principal = auth.require_user()?;
        crate::services::logins::list(&ctx.state, Some(principal.user_id), Some(principal)).await
    }
    .await;
    ctx.respond(result)
}

#[server(prefix = "/rpc", endpoint = "revoke_login")]
pub async fn revoke_login(id: String) -> Result<RevokedCounts, AppError> {
    let ctx = crate::state::ServerFnContext::get()?;
    let auth = ctx.auth();
    let result =
        async { crate::services::logins::revoke_mine(&ctx.state, auth.require_user()?, &ctx.client(), &id).await }
            .await;
    ctx.respond(result)
}

#[server(prefix = "/rpc", endpoint = "logout_others")]
pub async fn logout_others() -> Result<RevokedCounts, AppError> {
    let ctx = crate::state::ServerFnContext::get()?;
    let auth = ctx.auth();
    let result =
        async { crate::services::logins::logout_others(&ctx.state, auth.require_user()?, &ctx.client()).await }.await;
    ctx.respond(result)
}

#[server(prefix = "/rpc", endpoint = "change_password")]
pub async fn change_password(old_password: String, new_password: String) -> Result<RevokedCounts, AppError> {
    use crate::services::accounts::{self, PasswordChange};

    let ctx = crate::state::ServerFnContext::get()?;
    let auth = ctx.auth();
    let result = async {
        let change = PasswordChange {
            old_password,
            new_password,
        };
        accounts::change_password(
            &ctx.state,
            auth.require_user()?,
            ctx.session().as_ref(),
            &ctx.client(),
            change,
        )
        .await
    }
    .await;
    ctx.respond(result)
}

/// My newest audit events.
#[server(prefix = "/rpc", endpoint = "my_audit")]
pub async fn my_audit() -> Result<Vec<AuditEntry>, AppError> {
    let ctx = crate::state::ServerFnContext::get()?;
    let auth = ctx.auth();
    let result = async {
        let principal = auth.require_user()?;
        let filter = crate::model::AuditFilter {
            limit: Some(20),
            ..crate::model::AuditFilter::default()
        };
        crate::services::audit::list(&ctx.state.db, &filter, Some(principal.user_id)).await
    }
    .await;
    ctx.respond(result)
}

/// The outcome of a revoking action: what it took back, or why not.
fn revoked_outcome(result: Option<Result<RevokedCounts, AppError>>) -> Option<AnyView> {
    result.map(|result| match result {
        Ok(counts) => view! { <RevokedSummary counts/> }.into_any(),
        Err(err) => view! { <ErrorNote error=err/> }.into_any(),
    })
}

/// What `/me`'s own cards load, made once by the page outside its
/// `<Suspense>`. Suspense runs its children again until they settle
/// (leptos-rs/leptos#4688), and a resource made inside them started a
/// fetch on each run: one `/me` render asked the database for the logins
/// twice and for the audit trail three times.
#[derive(Clone, Copy)]
pub struct MyData {
    revoke: ServerAction<RevokeLogin>,
    others: ServerAction<LogoutOthers>,
    logins: Resource<Result<Vec<LoginView>, AppError>>,
    activity: Resource<Result<Vec<AuditEntry>, AppError>>,
}

impl MyData {
    /// Asks for nothing until `me` knows the visitor: an anonymous one is
    /// sent to the login page, not answered 401 by these.
    pub fn new(me: Resource<Result<Option<MeView>, AppError>>) -> Self {
        let revoke = ServerAction::<RevokeLogin>::new();
        let others = ServerAction::<LogoutOthers>::new();
        let signed_in = move || async move { matches!(me.await, Ok(Some(_))) };
        let logins = Resource::new(
            move || (revoke.version().get(), others.version().get()),
            move |_| async move {
                if signed_in().await {
                    my_logins().await
                } else {
                    Ok(Vec::new())
                }
            },
        );
        let activity = Resource::new(
            || (),
            move |_| async move {
                if signed_in().await {
                    my_audit().await
                } else {
                    Ok(Vec::new())
                }
            },
        );
        MyData {
            revoke,
            others,
            logins,
            activity,
        }
    }
}

#[component]
pub fn MyDevices(data: MyData) -> impl IntoView {
    let t = use_messages();
    let MyData {
        revoke, others, logins, ..
    } = data;
    // Whichever action finished last speaks. (`try_get` in the view: see
    // `components::nav`.)
    let last_outcome = RwSignal::new(None);
    Effect::new(move |_| {
        if let Some(result) = revoke.value().get() {
            last_outcome.set(Some(result));
        }
    });
    Effect::new(move |_| {
        if let Some(result) = others.value().get() {
            last_outcome.set(Some(result));
        }
    });
    view! {
        <article class="card" data-testid="my-devices">
            <div class="section-head">
                <h2>{t.my_devices}</h2>
                <ActionForm action=others attr:class="inline">
                    <button type="submit" data-testid="logout-others">{t.logout_others}</button>
                </ActionForm>
            </div>
            <p class="hint">{t.devices_hint}</p>
            {move || revoked_outcome(last_outcome.try_get().flatten())}
            <Transition fallback=move || view! { <p>{t.loading}</p> }>
                {move || Suspend::new(async move {
                    logins.await.map(|logins| view! {
                        <LoginsTable logins show_user=false action=move |login: &LoginView| {
                            let id = login.id.clone();
                            view! {
                                <ActionForm action=revoke attr:class="inline">
                                    <input type="hidden" name="id" value=id/>
                                    <button type="submit" class="button-secondary" data-testid="revoke-login">
                                        {t.revoke}
                                    </button>
                                </ActionForm>
                            }
                        }/>
                    })
                })}
            </Transition>
        </article>
    }
}

#[component]
pub fn PasswordForm() -> impl IntoView {
    let t = use_messages();
    let change = ServerAction::<ChangePassword>::new();
    let form = NodeRef::<html::Form>::new();
    // Passwords do not stay in the fields once they have done their job.
    Effect::new(move |_| {
        if let (Some(Ok(_)), Some(form)) = (change.value().get(), form.get()) {
            form.reset();
        }
    });
    view! {
        <article class="card" data-testid="password-change">
            <h2>{t.change_password}</h2>
            <p class="hint">{t.change_password_hint}</p>
            <ActionForm action=change node_ref=form attr:class="form narrow">
                <label>
                    {t.current_password}
                    <input type="password" name="old_password" autocomplete="current-password" required/>
                </label>
                <label>
                    {t.new_password}
                    <input type="password" name="new_password" autocomplete="new-password" minlength="8" required/>
                </label>
                <button type="submit" data-testid="change-password">{t.change_password}</button>
            </ActionForm>
            {move || revoked_outcome(change.value().try_get().flatten())}
        </article>
    }
}

#[component]
pub fn MyActivity(data: MyData) -> impl IntoView {
    let t = use_messages();
    let entries = data.activity;
    view! {
        <article class="card" data-testid="my-activity">
            <h2>{t.my_activity}</h2>
            <p class="hint">{t.my_activity_hint}</p>
            <Transition fallback=move || view! { <p>{t.loading}</p> }>
                {move || Suspend::new(async move {
                    entries.await.map(|entries| view! { <AuditTable entries show_user=false/> })
                })}
            </Transition>
        </article>
    }
}
