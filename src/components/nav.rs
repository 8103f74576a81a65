use crate::{
    components::mode_badge::ModeBadge,
    error::AppError,
    model::CurrentUser,
    pages::login::{Login, Logout},
};
use leptos::prelude::*;
use leptos_router::components::A;

/// Who is logged in, for the nav bar; `None` for anonymous visitors.
#[server(prefix = "/rpc", endpoint = "current_user")]
pub async fn get_current_user() -> Result<Option<CurrentUser>, AppError> {
    let ctx = crate::state::ServerFnContext::get()?;
    Ok(ctx.auth().principal.map(|principal| principal.current_user()))
}

/// The login and logout actions live here, above every page, so the nav
/// refreshes whenever either runs.
#[derive(Clone, Copy)]
pub struct AuthActions {
    pub login: ServerAction<Login>,
    pub logout: ServerAction<Logout>,
}

#[component]
pub fn Nav() -> impl IntoView {
    let actions = AuthActions {
        login: ServerAction::<Login>::new(),
        logout: ServerAction::<Logout>::new(),
    };
    provide_context(actions);
    let user = Resource::new(
        move || (actions.login.version().get(), actions.logout.version().get()),
        |_| get_current_user(),
    );

    view! {
        <nav class="nav">
            <A href="/" attr:class="brand">"Auth Lab"</A>
            <A href="/me">"My page"</A>
            <span class="spacer"></span>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match user.await {
                        Ok(Some(user)) => {
                            view! {
                                <span class="who" data-testid="nav-user">
                                    <strong>{user.username.clone()}</strong>
                                    " (" {user.role.as_str()} ") "
                                    <ModeBadge mode=user.mode/>
                                </span>
                                <ActionForm action=actions.logout attr:class="inline">
                                    <button type="submit" class="button-secondary">"Log out"</button>
                                </ActionForm>
                            }
                                .into_any()
                        }
                        _ => view! { <A href="/login" attr:class="button">"Log in"</A> }.into_any(),
                    }
                })}
            </Transition>
        </nav>
    }
}
