//! The Lab's propagation cards: a forced logout and a role change made on
//! the server, and how long each mode's client takes to see it, measured
//! request by request (`services::lab::run_propagation`).

use super::{outcome, Guess, GuessGroup, RunButton, Score};
use crate::{
    components::{mode_badge::ModeBadge, timeline::Timeline},
    error::AppError,
    i18n::use_messages,
    model::{
        lab::{Propagation, PropagationRun},
        AuthMode,
    },
};
use leptos::prelude::*;

#[server(prefix = "/rpc", endpoint = "lab_propagation")]
pub async fn run_propagation(experiment: String) -> Result<PropagationRun, AppError> {
    let ctx = crate::state::ServerFnContext::get()?;
    let result = async {
        let experiment = Propagation::parse(&experiment).ok_or(AppError::NotFound)?;
        crate::services::lab::run_propagation(&ctx.state, experiment).await
    }
    .await;
    ctx.respond(result)
}

#[component]
pub(super) fn PropagationCard(experiment: Propagation, score: Score) -> impl IntoView {
    let t = use_messages();
    let run = ServerAction::<RunPropagation>::new();
    let session_guess = RwSignal::new(None::<Guess>);
    let jwt_guess = RwSignal::new(None::<Guess>);
    Effect::new(move |_| {
        if let Some(Ok(result)) = run.value().get() {
            for (mode, guess) in [(AuthMode::Session, session_guess), (AuthMode::Jwt, jwt_guess)] {
                if let Some(guess) = guess.get_untracked() {
                    let key = format!("propagation/{}/{}", experiment.as_str(), mode.as_str());
                    score.record(key, guess == Guess::of(result.at_once(mode)));
                }
            }
        }
    });
    let choices = [("at_once", t.lab_guess_at_once), ("later", t.lab_guess_later)];
    let result = outcome(
        move || run.value().get(),
        |result| view! { <PropagationResult result/> },
    );
    view! {
        <article
            class="card lab-card lab-card-wide"
            id=format!("propagation-{}", experiment.as_str())
            data-testid="propagation"
            data-experiment=experiment.as_str()
        >
            <h3>{(t.propagation_title)(experiment)}</h3>
            <p>{(t.propagation_claim)(experiment)}</p>
            <div class="guess-groups">
                <GuessGroup
                    group=format!("propagation-{}-session", experiment.as_str())
                    testid="session"
                    guess=session_guess
                    legend=t.lab_predict_session
                    choices
                />
                <GuessGroup
                    group=format!("propagation-{}-jwt", experiment.as_str())
                    testid="jwt"
                    guess=jwt_guess
                    legend=t.lab_predict_jwt
                    choices
                />
            </div>
            <RunButton testid="propagation-run" pending=run.pending() on_run=move || {
                run.dispatch(RunPropagation { experiment: experiment.as_str().to_owned() });
            }/>
            <p class="hint" role="status">
                {move || if run.pending().get() { t.lab_propagation_running } else { t.lab_propagation_takes }}
            </p>
            {result}
        </article>
    }
}

#[component]
fn PropagationResult(result: PropagationRun) -> impl IntoView {
    let t = use_messages();
    let row = move |mode: AuthMode, took: Option<i64>, at_once: bool| {
        let cell = match took {
            Some(ms) => (t.propagation_took)(ms, at_once),
            None => t.race_not_yet.to_owned(),
        };
        view! {
            <tr data-testid="propagation-took" data-mode=mode.as_str() data-ms=took data-at-once=at_once.to_string()>
                <th scope="row"><ModeBadge mode/></th>
                <td>{cell}</td>
            </tr>
        }
    };
    view! {
        <div class="attack-result" data-testid="propagation-result">
            <Timeline
                session=result.session.clone()
                jwt=result.jwt.clone()
                events=vec![result.event]
                elapsed_ms=result.elapsed_ms
                tick_ms=result.tick_ms
                // The whole run, in whole steps of the six-step axis.
                shown_ms=(result.elapsed_ms + 5_999) / 6_000 * 6_000
            />
            <table class="propagation-table">
                <caption>{(t.race_action)(result.event.action)}</caption>
                <tbody>
                    {row(AuthMode::Session, result.reaction.session_ms, result.at_once(AuthMode::Session))}
                    {row(AuthMode::Jwt, result.reaction.jwt_ms, result.at_once(AuthMode::Jwt))}
                </tbody>
            </table>
            <p>
                {(t.propagation_lesson)(result.experiment, result.strict_revocation, result.access_ttl, result.leeway)}
            </p>
        </div>
    }
}
