use crate::{
    app::AuthEpoch,
    components::mode_badge::ModeBadge,
    error::AppError,
    model::{CurrentUser, Role},
    pages::login::Logout,
};
use leptos::prelude::*;
use leptos_router::{components::A, hooks::use_location};

/// Who is logged in, for the nav bar; `None` for anonymous visitors.
#[server(prefix = "/rpc", endpoint = "current_user")]
pub async fn get_current_user() -> Result<Option<CurrentUser>, AppError> {
    let ctx = crate::state::ServerFnContext::get()?;
    Ok(ctx.auth().principal.map(|principal| principal.current_user()))
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
                        Ok(Some(user)) => {
                            let is_admin = user.role == Role::Admin;
                            view! {
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
