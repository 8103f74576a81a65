//! `/compare/race`: the presenter's view. Two demo clients, one per mode,
//! ask `/api/me` once a second; the presenter acts on their user and the
//! room watches each stream react.

use crate::{
    components::{error_note::ErrorNote, mode_badge::ModeBadge, timeline::Timeline},
    error::AppError,
    i18n::use_messages,
    model::{
        race::{RaceAction, RaceView},
        AuthMode, Role,
    },
    pages::compare::poll_every,
};
use leptos::prelude::*;
use leptos_router::components::Redirect;
use std::time::Duration;

/// The race now; `None` for an anonymous visitor, 403 for users.
#[server(prefix = "/rpc", endpoint = "race")]
pub async fn get_race() -> Result<Option<RaceView>, AppError> {
    let ctx = crate::state::ServerFnContext::get()?;
    let auth = ctx.auth();
    if auth.principal.is_none() {
        return Ok(None);
    }
    let result = async { crate::services::race::watch(&ctx.state, auth.require_admin()?).await }.await;
    ctx.respond(result).map(Some)
}

#[server(prefix = "/rpc", endpoint = "race_start")]
pub async fn race_start() -> Result<(), AppError> {
    let ctx = crate::state::ServerFnContext::get()?;
    let auth = ctx.auth();
    let result = async {
        crate::services::race::start(&ctx.state, auth.require_admin()?)
            .await
            .map(drop)
    }
    .await;
    ctx.respond(result)
}

#[server(prefix = "/rpc", endpoint = "race_stop")]
pub async fn race_stop() -> Result<(), AppError> {
    let ctx = crate::state::ServerFnContext::get()?;
    let auth = ctx.auth();
    let result = async {
        crate::services::race::stop(&ctx.state, auth.require_admin()?)
            .await
            .map(drop)
    }
    .await;
    ctx.respond(result)
}

#[server(prefix = "/rpc", endpoint = "race_act")]
pub async fn race_act(action: String) -> Result<(), AppError> {
    let ctx = crate::state::ServerFnContext::get()?;
    let auth = ctx.auth();
    let result = async {
        let admin = auth.require_admin()?;
        let action = RaceAction::parse(&action).ok_or(AppError::BadRequest(crate::model::BadInput::UnknownAction))?;
        crate::services::race::act(&ctx.state, admin, &ctx.client(), action)
            .await
            .map(drop)
    }
    .await;
    ctx.respond(result)
}

#[component]
pub fn RacePage() -> impl IntoView {
    let t = use_messages();
    let first = Resource::new_blocking(|| (), |_| get_race());
    view! {
        <Suspense fallback=move || view! { <p>{t.loading}</p> }>
            {move || Suspend::new(async move {
                match first.await {
                    Ok(Some(initial)) => view! { <LiveRace initial/> }.into_any(),
                    Ok(None) => view! { <Redirect path="/login?next=/compare/race"/> }.into_any(),
                    Err(AppError::Forbidden(_)) => view! {
                        <section class="narrow" data-testid="forbidden">
                            <h1>{t.admins_only}</h1>
                            <p>{t.race_admins_only}</p>
                        </section>
                    }
                        .into_any(),
                    Err(err) => view! { <ErrorNote error=err/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The race, asked again every second. The controls are rendered once and
/// follow the race through their attributes, so a button never loses focus
/// or a click to a redraw; the status, timeline and table are redrawn.
#[component]
fn LiveRace(initial: RaceView) -> impl IntoView {
    let t = use_messages();
    let race = RwSignal::new(initial);
    let start = ServerAction::<RaceStart>::new();
    let stop = ServerAction::<RaceStop>::new();
    let act = ServerAction::<RaceAct>::new();
    let refresh = move || async move {
        if let Ok(Some(fresh)) = get_race().await {
            race.set(fresh);
        }
    };
    poll_every(Duration::from_secs(1), refresh);
    // Right after an action, not at the next tick of the poll.
    Effect::new(move |_| {
        let versions = (start.version().get(), stop.version().get(), act.version().get());
        if versions != (0, 0, 0) {
            leptos::task::spawn_local(refresh());
        }
    });
    let action_error = move || {
        [start.value().get(), stop.value().get(), act.value().get()]
            .into_iter()
            .flatten()
            .find_map(Result::err)
    };
    view! {
        <section
            class="race"
            data-testid="race"
            data-running=move || race.with(|race| race.running.to_string())
            data-elapsed-ms=move || race.with(|race| race.elapsed_ms)
        >
            <h1>{t.race_title}</h1>
            <p class="lead">
                {move || race.with(|race| (t.race_lead)(&race.username, race.access_ttl, race.leeway))}
            </p>
            <Controls race start stop act/>
            {move || action_error().map(|err| view! { <ErrorNote error=err testid="race-error"/> })}
            {move || race.with(|race| view! { <Status race=race.clone()/> }.into_any())}
            {move || race.with(|race| view! {
                <Timeline
                    session=race.session.clone()
                    jwt=race.jwt.clone()
                    events=race.events.clone()
                    elapsed_ms=race.elapsed_ms
                    tick_ms=race.tick_ms
                    shown_ms=60_000
                />
            }.into_any())}
            {move || race.with(|race| view! { <Reactions race=race.clone()/> }.into_any())}
        </section>
    }
}

#[component]
fn Controls(
    race: RwSignal<RaceView>,
    start: ServerAction<RaceStart>,
    stop: ServerAction<RaceStop>,
    act: ServerAction<RaceAct>,
) -> impl IntoView {
    let t = use_messages();
    let stopped = move || !race.with(|race| race.running);
    // What the two switching buttons do now.
    let role_action = move || {
        if race.with(|race| race.role == Some(Role::Admin)) {
            RaceAction::Demote
        } else {
            RaceAction::Promote
        }
    };
    let strict_action = move || {
        if race.with(|race| race.strict_revocation) {
            RaceAction::StrictOff
        } else {
            RaceAction::StrictOn
        }
    };
    let label = move |action: RaceAction| match action {
        RaceAction::ForceLogout => t.force_logout,
        RaceAction::Promote => t.race_promote,
        RaceAction::Demote => t.race_demote,
        RaceAction::StrictOn => (t.race_strict)(true),
        RaceAction::StrictOff => (t.race_strict)(false),
    };
    let action_button = move |action: Signal<RaceAction>, primary: bool| {
        view! {
            <ActionForm action=act attr:class="inline">
                <input type="hidden" name="action" value=move || action.get().as_str()/>
                <button
                    type="submit"
                    class=if primary { "button danger" } else { "button-secondary" }
                    disabled=stopped
                    data-testid="race-action"
                    data-action=move || action.get().as_str()
                >
                    {move || label(action.get())}
                </button>
            </ActionForm>
        }
    };
    view! {
        <div class="race-controls" role="group" aria-label=t.race_controls>
            <ActionForm action=start attr:class="inline">
                <button type="submit" class="button" data-testid="race-start">
                    {move || if stopped() { t.race_start } else { t.race_restart }}
                </button>
            </ActionForm>
            {action_button(Signal::derive(|| RaceAction::ForceLogout), true)}
            {action_button(Signal::derive(role_action), false)}
            {action_button(Signal::derive(strict_action), false)}
            <ActionForm action=stop attr:class="inline">
                <button type="submit" class="button-secondary" disabled=stopped data-testid="race-stop">
                    {t.race_stop}
                </button>
            </ActionForm>
        </div>
    }
}

#[component]
fn Status(race: RaceView) -> impl IntoView {
    let t = use_messages();
    let state = match (race.running, race.stopped) {
        (true, _) => (t.race_running)(race.elapsed_ms / 1000, race.max_secs),
        (false, Some(reason)) => (t.race_stopped)(reason),
        (false, None) => t.race_not_started.to_owned(),
    };
    let lanes = [&race.session, &race.jwt].map(|lane| {
        let last = lane.ticks.last().cloned();
        view! {
            <li
                data-testid="race-lane-status"
                data-mode=lane.mode.as_str()
                data-outcome=last.as_ref().map(|tick| tick.outcome.as_str()).unwrap_or_default()
                data-role=last.as_ref().and_then(|tick| tick.role).map(Role::as_str).unwrap_or_default()
                data-status=last.as_ref().map(|tick| tick.status).unwrap_or_default()
            >
                <ModeBadge mode=lane.mode/> " "
                {match &last {
                    Some(tick) => (t.race_last_tick)(tick),
                    None => t.race_no_ticks.to_owned(),
                }}
            </li>
        }
    });
    view! {
        <div class="card race-status" role="status">
            <p data-testid="race-state">{state}</p>
            <p>
                {(t.strict_is)(race.strict_revocation).0}
                <strong data-testid="race-strict" data-on=race.strict_revocation.to_string()>
                    {(t.strict_is)(race.strict_revocation).1}
                </strong>
                " · " {t.race_role_now} " "
                <strong data-testid="race-role" data-role=race.role.map(Role::as_str).unwrap_or_default()>
                    {race.role.map(|role| (t.role)(role)).unwrap_or(t.unknown)}
                </strong>
            </p>
            <ul class="race-lanes">{lanes.into_iter().collect_view()}</ul>
        </div>
    }
}

/// How long each stream took to show each action: measured, tick by tick.
#[component]
fn Reactions(race: RaceView) -> impl IntoView {
    let t = use_messages();
    let cell = move |reaction: Option<i64>, mode: AuthMode| match reaction {
        Some(ms) => view! { <td data-mode=mode.as_str() data-ms=ms>{(t.race_after)(ms)}</td> }.into_any(),
        None => view! { <td data-mode=mode.as_str()>{t.race_not_yet}</td> }.into_any(),
    };
    let rows = race
        .reactions
        .iter()
        .filter(|reaction| {
            matches!(
                reaction.event.action,
                RaceAction::ForceLogout | RaceAction::Promote | RaceAction::Demote
            )
        })
        .map(|reaction| {
            view! {
                <tr data-testid="race-reaction" data-action=reaction.event.action.as_str()>
                    <td>{(t.race_action)(reaction.event.action)}</td>
                    <td>{(t.race_at)(reaction.event.at_ms)}</td>
                    {cell(reaction.session_ms, AuthMode::Session)}
                    {cell(reaction.jwt_ms, AuthMode::Jwt)}
                </tr>
            }
        })
        .collect_view();
    view! {
        <article class="card">
            <h2>{t.race_reactions}</h2>
            <table data-testid="race-reactions">
                <thead>
                    <tr>
                        <th>{t.race_what}</th>
                        <th>{t.race_when}</th>
                        <th><ModeBadge mode=AuthMode::Session/></th>
                        <th><ModeBadge mode=AuthMode::Jwt/></th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
            <p class="hint">{(t.race_explained)(race.access_ttl, race.leeway)}</p>
        </article>
    }
}
