use crate::{
    app::AuthEpoch,
    components::mode_badge::ModeBadge,
    error::AppError,
    i18n::{use_basics, Locale},
    model::{NavStatus, NavView, Role},
    pages::login::Logout,
};
use leptos::prelude::*;
use leptos_router::{components::A, hooks::use_location};

/// Who is logged in, for the nav bar (`None` for anonymous visitors), and
/// which instance answered when several serve behind a balancer.
#[server(prefix = "/rpc", endpoint = "current_user")]
pub async fn get_current_user() -> Result<NavView, AppError> {
    let ctx = crate::state::ServerFnContext::get()?;
    let state = &ctx.state;
    let instance = (!state.config.peers.is_empty()).then(|| state.instance.name.clone());
    let Some(principal) = ctx.auth().principal else {
        return Ok(NavView { status: None, instance });
    };
    let revoked_token_valid_for = crate::services::logins::revoked_token_valid_for(state, &principal).await?;
    Ok(NavView {
        status: Some(NavStatus {
            user: principal.current_user(),
            revoked_token_valid_for,
        }),
        instance,
    })
}

#[component]
pub fn Nav() -> impl IntoView {
    let t = use_basics();
    let logout = ServerAction::<Logout>::new();
    // Logging in or out ends in a navigation, so asking again on every
    // navigation (or credential change) keeps the nav bar true without
    // wiring it to each action.
    let pathname = use_location().pathname;
    let epoch = expect_context::<AuthEpoch>();
    let user = Resource::new(move || (pathname.get(), epoch.get()), |_| get_current_user());

    // Plain `<a>` inside the Transition: the router follows them all the
    // same. `<A>` asks for the router's context from inside the async
    // block, and under 64 connections to `/me` that lookup sometimes
    // failed and panicked ("use_resolved_path outside a <Router>"). Like
    // `<A>`, each marks itself `aria-current` on its page and those below.
    // `try_get`: on the server, the Suspense's effect may walk these once
    // more after the visitor has gone and the route with them. `get` then
    // panicked ("Tried to access a reactive value that has already been
    // disposed"; once in a `make bench` run, under wrk on `/me`). The page
    // is gone by then, so nothing is marked.
    let current = move |href: &'static str| {
        move || {
            let path = pathname.try_get()?;
            let here = path == href || path.strip_prefix(href).is_some_and(|rest| rest.starts_with('/'));
            here.then_some("page")
        }
    };
    view! {
        <nav class="nav" aria-label=t.nav_main>
            <A href="/" attr:class="brand">"Auth Lab"</A>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let (status, instance) = match user.await {
                        Ok(NavView { status, instance }) => (status, instance),
                        Err(_) => (None, None),
                    };
                    let instance = instance.map(|name| view! {
                        <span class="instance" data-testid="nav-instance" title=t.nav_instance_hint>
                            {(t.nav_instance)(&name)}
                        </span>
                    });
                    match status {
                        Some(NavStatus { user, revoked_token_valid_for }) => {
                            let is_admin = user.role == Role::Admin;
                            view! {
                                {revoked_token_valid_for.map(|seconds| view! { <RevokedBanner seconds/> })}
                                <a href="/me" aria-current=current("/me") data-testid="nav-me">{t.nav_me}</a>
                                <a href="/board" aria-current=current("/board") data-testid="nav-board">{t.nav_board}</a>
                                <a href="/compare" aria-current=current("/compare") data-testid="nav-compare">{t.nav_compare}</a>
                                <a href="/lab" aria-current=current("/lab") data-testid="nav-lab">{t.nav_lab}</a>
                                <a href="/guide" aria-current=current("/guide") data-testid="nav-guide">{t.nav_guide}</a>
                                <Show when=move || is_admin>
                                    <a href="/admin" aria-current=current("/admin") data-testid="nav-admin">{t.nav_admin}</a>
                                </Show>
                                <span class="spacer"></span>
                                {instance}
                                <span class="who" data-testid="nav-user" data-role=user.role.as_str()>
                                    <strong>{user.username.clone()}</strong>
                                    " (" {(t.role)(user.role)} ") "
                                    <ModeBadge mode=user.mode/>
                                </span>
                                <ActionForm action=logout attr:class="inline">
                                    <button type="submit" class="button-secondary" data-testid="logout">
                                        {t.nav_logout}
                                    </button>
                                </ActionForm>
                            }
                                .into_any()
                        }
                        _ => {
                            view! {
                                <a href="/compare" aria-current=current("/compare") data-testid="nav-compare">{t.nav_compare}</a>
                                <a href="/lab" aria-current=current("/lab") data-testid="nav-lab">{t.nav_lab}</a>
                                <a href="/guide" aria-current=current("/guide") data-testid="nav-guide">{t.nav_guide}</a>
                                <span class="spacer"></span>
                                {instance}
                                <a href="/signup" aria-current=current("/signup") data-testid="nav-signup">{t.nav_signup}</a>
                                <a href="/login" aria-current=current("/login") class="button" data-testid="nav-login">{t.nav_login}</a>
                            }
                                .into_any()
                        }
                    }
                })}
            </Transition>
            <LanguageSwitch/>
        </nav>
    }
}

/// A plain form post to `/lang`: it works without JavaScript, and the
/// redirect back lands on the same page (query included), still logged in.
#[component]
fn LanguageSwitch() -> impl IntoView {
    let t = use_basics();
    let other = use_context::<Locale>().unwrap_or_default().other();
    let location = use_location();
    let here = move || {
        let search = location.search.get();
        let separator = if search.is_empty() || search.starts_with('?') {
            ""
        } else {
            "?"
        };
        format!("{}{separator}{search}", location.pathname.get())
    };
    view! {
        <form method="post" action="/lang" class="inline lang-switch">
            <input type="hidden" name="lang" value=other.as_str()/>
            <input type="hidden" name="next" value=here/>
            <button
                type="submit"
                class="button-secondary"
                lang=other.as_str()
                title=t.switch_language
                data-testid="lang-switch"
                data-lang=other.as_str()
            >
                {other.messages().language_name}
            </button>
        </form>
    }
}

/// JWT mode after a revocation: the login is gone on the server, yet the
/// access token in the browser keeps working until its `exp`.
#[component]
fn RevokedBanner(seconds: i64) -> impl IntoView {
    let t = use_basics();
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
            {t.revoked_banner_before}
            <strong data-testid="revoked-seconds">{left}</strong>
            {t.revoked_banner_after}
        </div>
    }
}
