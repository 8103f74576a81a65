//! Live logins and what a revocation took back, shown the same way on `/me`
//! and `/admin`.

use crate::{
    components::{local_time::LocalTime, mode_badge::ModeBadge},
    i18n::use_messages,
    model::{client_summary, LoginView, RevokedCounts},
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
    let t = use_messages();
    if logins.is_empty() {
        return view! { <p class="hint" data-testid="no-logins">{t.no_logins}</p> }.into_any();
    }
    let rows = logins
        .iter()
        .map(|login| {
            let last_cell = if login.current {
                view! { <strong class="ok" data-testid="this-browser">{t.this_browser}</strong> }.into_any()
            } else {
                action(login).into_any()
            };
            let user_agent = login.user_agent.clone().unwrap_or_default();
            let server_holds = (t.server_holds)(login.mode);
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
                        {login.ip.clone().unwrap_or_else(|| t.unknown.into())}
                        <br/>
                        <small data-testid="login-client" title=user_agent.clone()>{(t.client)(&client_summary(&user_agent))}</small>
                    </td>
                    <td>{last_cell}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="scroll" tabindex="0" role="region" aria-label=t.live_logins>
            <table class="logins">
                <thead>
                    <tr>
                        {show_user.then(|| view! { <th>{t.user}</th> })}
                        <th>{t.mode}</th>
                        <th>{t.logged_in_at}</th>
                        <th>{t.last_seen}</th>
                        <th>{t.expires}</th>
                        <th>{t.from}</th>
                        <td></td>
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
    let t = use_messages();
    let RevokedCounts {
        revoked,
        sessions,
        refresh_families,
        access_tokens_valid_for,
    } = counts;
    view! {
        <div class="notice" role="status" data-testid="revoked-summary" data-revoked=revoked>
            <p>{(t.revoked_summary)(revoked, sessions, refresh_families)}</p>
            <Show when=move || { access_tokens_valid_for > 0 }>
                <p data-testid="tokens-live-on" data-seconds=access_tokens_valid_for>
                    {(t.tokens_live_on)(access_tokens_valid_for)}
                </p>
            </Show>
        </div>
    }
}
