//! Several instances behind one balancer (`make cluster`): each one's
//! session lookups, a few requests sent through the balancer to see which
//! instance knows the caller, and a real restart of any instance. Shown on
//! `/compare` and in the Lab.

use crate::{
    components::error_note::ErrorNote,
    error::AppError,
    i18n::use_messages,
    model::{
        cluster::{ClusterView, Hop, InstanceReport, PeerView},
        format_utc_time, Refusal,
    },
    pages::compare::poll_every,
};
use leptos::prelude::*;
use std::time::Duration;

/// Requests sent through the balancer per ask: two rounds of three.
pub const HOPS_PER_ASK: usize = 6;
const POLL: Duration = Duration::from_secs(2);

#[server(prefix = "/rpc", endpoint = "cluster")]
pub async fn get_cluster() -> Result<ClusterView, AppError> {
    let ctx = crate::state::ServerFnContext::get()?;
    Ok(crate::services::cluster::view(&ctx.state).await)
}

#[server(prefix = "/rpc", endpoint = "cluster_hop")]
pub async fn cluster_hop() -> Result<Hop, AppError> {
    let ctx = crate::state::ServerFnContext::get()?;
    Ok(crate::services::cluster::hop(&ctx.state, &ctx.auth()))
}

#[server(prefix = "/rpc", endpoint = "cluster_restart")]
pub async fn restart_instance(name: String) -> Result<(), AppError> {
    let ctx = crate::state::ServerFnContext::get()?;
    crate::services::cluster::restart(&ctx.state, &name).await
}

#[component]
pub fn SeveralServers() -> impl IntoView {
    let t = use_messages();
    let first = Resource::new_blocking(|| (), |_| get_cluster());
    view! {
        <article class="card" id="cluster" data-testid="cluster">
            <h2>{t.cluster_title}</h2>
            <Suspense fallback=move || view! { <p>{t.loading}</p> }>
                {move || Suspend::new(async move {
                    match first.await {
                        Ok(view) if view.peers.is_empty() => view! {
                            <p data-testid="cluster-single">{(t.cluster_single)(&view.here)}</p>
                        }
                        .into_any(),
                        Ok(initial) => view! { <ClusterLive initial/> }.into_any(),
                        Err(err) => view! { <ErrorNote error=err/> }.into_any(),
                    }
                })}
            </Suspense>
        </article>
    }
}

#[component]
fn ClusterLive(initial: ClusterView) -> impl IntoView {
    let t = use_messages();
    let data = RwSignal::new(initial);
    poll_every(POLL, move || async move {
        if let Ok(fresh) = get_cluster().await {
            data.set(fresh);
        }
    });
    let ask = Action::new(|_: &()| async move {
        let mut hops = Vec::with_capacity(HOPS_PER_ASK);
        for _ in 0..HOPS_PER_ASK {
            hops.push(cluster_hop().await);
        }
        hops
    });
    let restart = Action::new(|name: &String| {
        let name = name.clone();
        async move { restart_instance(name.clone()).await.map(|()| name) }
    });
    let reported = move |field: fn(&InstanceReport) -> &String| {
        data.with(|data| {
            data.peers
                .iter()
                .find_map(|peer| peer.report.as_ref())
                .map(|report| field(report).clone())
                .unwrap_or_default()
        })
    };
    let store = move || reported(|report| &report.session_store);
    let database = move || reported(|report| &report.database);
    view! {
        <p data-testid="cluster-lead">{move || data.with(|data| (t.cluster_lead)(&data.here, &store(), &database()))}</p>
        <p class="hint" data-testid="cluster-lesson">{move || (t.cluster_lesson)(&store())}</p>
        <div class="scroll" tabindex="0" role="region" aria-label=t.cluster_title>
            <table class="bench" data-testid="cluster-instances">
                <thead>
                    <tr>
                        <th scope="col">{t.cluster_instance}</th>
                        <th scope="col" class="num">{t.cluster_lookups}</th>
                        <th scope="col" class="num">{t.cluster_unknown}</th>
                        <th scope="col" class="num">{t.cluster_jwt_accepted}</th>
                        <th scope="col" class="num">{t.cluster_jwt_refused}</th>
                        <th scope="col">{t.cluster_started}</th>
                    </tr>
                </thead>
                <tbody>
                    {move || {
                        let (peers, restartable) = data.with(|data| (data.peers.clone(), data.restartable));
                        peers.into_iter().map(|peer| view! { <InstanceRow peer restartable restart/> }).collect_view()
                    }}
                </tbody>
            </table>
        </div>
        {move || restart.value().get().map(|result| match result {
            Ok(name) => view! { <p role="status" data-testid="cluster-restarted">{(t.cluster_restarting)(&name)}</p> }.into_any(),
            Err(error) => view! { <ErrorNote error/> }.into_any(),
        })}
        <p>
            <button type="button" data-testid="cluster-ask" disabled=move || ask.pending().get()
                on:click=move |_| { ask.dispatch(()); }>
                {t.cluster_ask}
            </button>
        </p>
        <p class="hint">{t.cluster_ask_hint}</p>
        <ol class="cluster-hops" data-testid="cluster-hops" aria-live="polite"
            data-asked=move || ask.version().get().to_string()>
            {move || ask.value().get().unwrap_or_default().into_iter().map(|hop| view! { <HopLine hop/> }).collect_view()}
        </ol>
    }
}

#[component]
fn InstanceRow(peer: PeerView, restartable: bool, restart: Action<String, Result<String, AppError>>) -> impl IntoView {
    let t = use_messages();
    let name = peer.name.clone();
    let restart_button = restartable.then(|| {
        let label = (t.cluster_restart_label)(&name);
        let name = name.clone();
        view! {
            <button type="button" class="small" aria-label=label data-testid="cluster-restart"
                disabled=move || restart.pending().get()
                on:click=move |_| { restart.dispatch(name.clone()); }>
                {t.cluster_restart}
            </button>
        }
    });
    match peer.report {
        Some(report) => view! {
            <tr data-testid="cluster-instance" data-name=name.clone() data-up="true"
                data-unknown=report.session_unknown.to_string() data-pid=report.pid.to_string()>
                <th scope="row">{name.clone()} " " {restart_button}</th>
                <td class="num">{report.session_lookups}</td>
                <td class="num">{report.session_unknown}</td>
                <td class="num">{report.jwt_accepted}</td>
                <td class="num">{report.jwt_refused}</td>
                <td class="num"><time>{format_utc_time(report.started_at)}</time></td>
            </tr>
        }
        .into_any(),
        None => view! {
            <tr data-testid="cluster-instance" data-name=name.clone() data-up="false">
                <th scope="row">{name.clone()}</th>
                <td colspan="5">{t.cluster_down}</td>
            </tr>
        }
        .into_any(),
    }
}

#[component]
fn HopLine(hop: Result<Hop, AppError>) -> impl IntoView {
    let t = use_messages();
    match hop {
        Ok(hop) => {
            let known = hop.username.is_some();
            let unknown_session = matches!(hop.refusal, Some(Refusal::NoSessionRecord { .. }));
            let who = match (&hop.username, hop.mode, &hop.refusal) {
                (Some(name), Some(mode), _) => (t.cluster_hop_known)(name, t.mode_label(mode)),
                (_, _, Some(refusal)) => (t.error)(&AppError::CredentialRefused(refusal.clone())),
                _ => t.cluster_hop_anonymous.to_owned(),
            };
            let state = match (known, &hop.refusal) {
                (true, _) => "known",
                (false, Some(_)) => "refused",
                (false, None) => "anonymous",
            };
            view! {
                <li data-testid="cluster-hop" data-instance=hop.instance.clone() data-known=known.to_string()
                    data-state=state class=format!("hop-{state}")>
                    <strong>{(t.cluster_served_by)(&hop.instance)}</strong> " " {who}
                    {unknown_session.then(|| view! { " " {t.cluster_cookie_deleted} })}
                </li>
            }
            .into_any()
        }
        Err(error) => view! { <li data-testid="cluster-hop"><ErrorNote error/></li> }.into_any(),
    }
}
