//! Live logins and what a revocation took back, shown the same way on `/me`
//! and `/admin`.

use crate::{
    components::{local_time::LocalTime, mode_badge::ModeBadge},
    model::{client_summary, AuthMode, LoginView, RevokedCounts},
};
use leptos::prelude::*;

/// One row per live login. `action` renders the last cell of a row that is
/// not the viewer's own login (a Revoke button, say).
#[component]
pub fn LoginsTable<F, V>(logins: Vec<LoginView>, show_user: bool, action: F) -> impl IntoView
where
    F: Fn(&LoginView) -> V + 'static,
    V: IntoView + 'static,
{
    if logins.is_empty() {
        return view! { <p class="hint" data-testid="no-logins">"No live logins."</p> }.into_any();
    }
    let rows = logins
        .iter()
        .map(|login| {
            let last_cell = if login.current {
                view! { <strong class="ok">"this browser"</strong> }.into_any()
            } else {
                action(login).into_any()
            };
            let user_agent = login.user_agent.clone().unwrap_or_default();
            let server_holds = match login.mode {
                AuthMode::Session => "a session record",
                AuthMode::Jwt => "a refresh family; access tokens are not stored",
            };
            view! {
                <tr
                    class:current=login.current
                    data-testid="login-row"
                    data-mode=login.mode.as_str()
                    data-username=login.username.clone()
                >
                    {show_user.then(|| view! { <td>{login.username.clone()}</td> })}
                    <td>
                        <ModeBadge mode=login.mode/>
                        <br/>
                        <small>{server_holds}</small>
                    </td>
                    <td><LocalTime unix=Some(login.created_at)/></td>
                    <td><LocalTime unix=Some(login.last_seen_at)/></td>
                    <td><LocalTime unix=Some(login.expires_at)/></td>
                    <td>
                        {login.ip.clone().unwrap_or_else(|| "unknown".into())}
                        <br/>
                        <small data-testid="login-client" title=user_agent.clone()>{client_summary(&user_agent)}</small>
                    </td>
                    <td>{last_cell}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="scroll">
            <table class="logins">
                <thead>
                    <tr>
                        {show_user.then(|| view! { <th>"User"</th> })}
                        <th>"Mode"</th>
                        <th>"Logged in"</th>
                        <th>"Last seen"</th>
                        <th>"Expires"</th>
                        <th>"From"</th>
                        <th></th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}

/// What a revocation did, per mode, in words a study group can follow.
#[component]
pub fn RevokedSummary(counts: RevokedCounts) -> impl IntoView {
    let RevokedCounts {
        revoked,
        sessions,
        refresh_families,
        access_tokens_valid_for,
    } = counts;
    view! {
        <div class="notice" role="status" data-testid="revoked-summary" data-revoked=revoked>
            <p>
                <strong>{revoked}</strong> " login(s) revoked: " {sessions}
                " session record(s) deleted, which ends them at once; " {refresh_families}
                " refresh family(ies) revoked, so their next refresh fails."
            </p>
            <Show when=move || { access_tokens_valid_for > 0 }>
                <p data-testid="tokens-live-on">
                    "Their access tokens are not on the server and cannot be recalled: they stay valid for up to "
                    <strong>{access_tokens_valid_for}</strong> " s. Strict revocation would refuse them now."
                </p>
            </Show>
        </div>
    }
}
