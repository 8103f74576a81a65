use crate::{
    app::AuthEpoch,
    components::mode_badge::ModeBadge,
    error::AppError,
    model::{NavStatus, Role},
    pages::login::Logout,
};
use leptos::prelude::*;
use leptos_router::{components::A, hooks::use_location};

/// Who is logged in, for the nav bar; `None` for anonymous visitors.
#[server(prefix = "/rpc", endpoint = "current_user")]
pub async fn get_current_user() -> Result<Option<NavStatus>, AppError> {
    let ctx = crate::state::ServerFnContext::get()?;
    let Some(principal) = ctx.auth().principal else {
        return Ok(None);
    };
    let revoked_token_valid_for = crate::services::logins::revoked_token_valid_for(&ctx.state, &principal).await?;
    Ok(Some(NavStatus {
        user: principal.current_user(),
        revoked_token_valid_for,
    }))
}

#[component]
pub fn Nav() -> impl IntoView {
    let logout = ServerAction::<Logout>::new();
    // Logging in or out ends in a navigation, so asking again on every
    // navigation (or credential change) keeps the nav bar true without
    // wiring it to each action.
    let pathname = use_location().pathname;
    let epoch = expect_context::<AuthEpoch>();
    let user = Resource::new(move || (pathname.get(), epoch.get()), |_| get_current_user());

    view! {
        <nav class="nav">
            <A href="/" attr:class="brand">"Auth Lab"</A>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match user.await {
                        Ok(Some(NavStatus { user, revoked_token_valid_for })) => {
                            let is_admin = user.role == Role::Admin;
                            view! {
                                {revoked_token_valid_for.map(|seconds| view! { <RevokedBanner seconds/> })}
                                <A href="/me">"My page"</A>
                                <A href="/board">"Board"</A>
                                <Show when=move || is_admin>
                                    <A href="/admin" attr:data-testid="nav-admin">"Admin"</A>
                                </Show>
                                <span class="spacer"></span>
                                <span class="who" data-testid="nav-user">
                                    <strong>{user.username.clone()}</strong>
                                    " (" {user.role.as_str()} ") "
                                    <ModeBadge mode=user.mode/>
                                </span>
                                <ActionForm action=logout attr:class="inline">
                                    <button type="submit" class="button-secondary">"Log out"</button>
                                </ActionForm>
                            }
                                .into_any()
                        }
                        _ => {
                            view! {
                                <span class="spacer"></span>
                                <A href="/signup">"Sign up"</A>
                                <A href="/login" attr:class="button">"Log in"</A>
                            }
                                .into_any()
                        }
                    }
                })}
            </Transition>
        </nav>
    }
}

/// JWT mode after a revocation: the login is gone on the server, yet the
/// access token in the browser keeps working until its `exp`.
#[component]
fn RevokedBanner(seconds: i64) -> impl IntoView {
    // Counts down in the browser, so a demo can watch the token run out.
    let left = RwSignal::new(seconds);
    Effect::new(move |_| {
        let tick = move || left.update(|left| *left = (*left - 1).max(0));
        if let Ok(handle) = set_interval_with_handle(tick, std::time::Duration::from_secs(1)) {
            on_cleanup(move || handle.clear());
        }
    });
    view! {
        <div class="banner warn" role="status" data-testid="revoked-banner">
            "The server revoked this login, but your token is still valid for "
            <strong data-testid="revoked-seconds">{left}</strong>
            " s: the server cannot recall it. It stores nothing for an access token, so it accepts the "
            "signature until the token expires; then the refresh fails and you are logged out. "
            "(The server looked the login up only to tell you this; strict revocation would refuse the token.)"
        </div>
    }
}
