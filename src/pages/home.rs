use crate::{i18n::use_basics, model::Role};
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn HomePage() -> impl IntoView {
    let t = use_basics();
    let accounts = [("alice", Role::User), ("bob", Role::User), ("admin", Role::Admin)];
    view! {
        <section class="hero">
            <h1>"Auth Lab"</h1>
            <p class="lead">{t.home_lead}</p>
            <div class="modes">
                <article class="card mode-session">
                    <h2>{t.mode_session}</h2>
                    <p>{t.home_session_text}</p>
                    <A href="/login?mode=session" attr:class="button" attr:data-testid="login-session">
                        {t.home_login_session}
                    </A>
                </article>
                <article class="card mode-jwt">
                    <h2>"JWT"</h2>
                    <p>{t.home_jwt_text}</p>
                    <A href="/login?mode=jwt" attr:class="button" attr:data-testid="login-jwt">
                        {t.home_login_jwt}
                    </A>
                </article>
            </div>
            <p class="card home-study" data-testid="home-study">
                {t.home_study}
                " "
                <A href="/guide" attr:data-testid="home-guide">{t.nav_guide}</A>
                " · "
                <A href="/lab">{t.nav_lab}</A>
                " · "
                <A href="/compare">{t.nav_compare}</A>
            </p>
            <h2>{t.demo_accounts}</h2>
            <table class="accounts">
                <thead>
                    <tr>
                        <th>{t.username}</th>
                        <th>{t.password}</th>
                        <th>{t.me_role}</th>
                    </tr>
                </thead>
                <tbody>
                    {accounts
                        .into_iter()
                        .map(|(username, role)| view! {
                            <tr>
                                <td><code>{username}</code></td>
                                <td><code>{format!("{username}-password")}</code></td>
                                <td>{(t.role)(role)}</td>
                            </tr>
                        })
                        .collect_view()}
                </tbody>
            </table>
        </section>
    }
}
