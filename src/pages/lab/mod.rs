//! `/lab`: predict, run, and see what was sent and what came back. Broken
//! tokens against this app's verifier, replays, how fast a change reaches
//! each mode, what page script can read, a cross-site form post, and seven
//! naive verifiers beside the real one. Server-side runs are real requests
//! over loopback (`services::lab`); the browser's own run in this browser.

use crate::{
    components::error_note::ErrorNote,
    error::AppError,
    i18n::{use_messages, Messages},
    model::{
        lab::{AttackRun, CheckRun, Exchange, Flaw, Propagation, Replay, ReplayRun, TokenCheck},
        Step,
    },
};
use browser::{CsrfCard, ScriptCard};
use leptos::prelude::*;
use propagation::PropagationCard;

mod browser;
mod propagation;

#[server(prefix = "/rpc", endpoint = "lab_attack")]
pub async fn run_attack(flaw: String) -> Result<AttackRun, AppError> {
    let ctx = crate::state::ServerFnContext::get()?;
    let result = async {
        let flaw = Flaw::parse(&flaw).ok_or(AppError::NotFound)?;
        crate::services::lab::run_attack(&ctx.state, flaw, ctx.locale()).await
    }
    .await;
    ctx.respond(result)
}

#[server(prefix = "/rpc", endpoint = "lab_check")]
pub async fn run_check(check: String) -> Result<CheckRun, AppError> {
    let ctx = crate::state::ServerFnContext::get()?;
    let result = async {
        let check = TokenCheck::parse(&check).ok_or(AppError::NotFound)?;
        crate::services::lab::run_check(&ctx.state, check, ctx.locale()).await
    }
    .await;
    ctx.respond(result)
}

#[server(prefix = "/rpc", endpoint = "lab_replay")]
pub async fn run_replay(replay: String) -> Result<ReplayRun, AppError> {
    let ctx = crate::state::ServerFnContext::get()?;
    let result = async {
        let replay = Replay::parse(&replay).ok_or(AppError::NotFound)?;
        crate::services::lab::run_replay(&ctx.state, replay, ctx.locale()).await
    }
    .await;
    ctx.respond(result)
}

/// The viewer's predictions, right or wrong, by experiment and verifier:
/// kept in this browser only (`localStorage`), so a group can compare.
#[derive(Clone, Copy)]
struct Score(RwSignal<Vec<(String, bool)>>);

const SCORE_KEY: &str = "authlab_lab_score";

impl Score {
    fn load() -> Self {
        let score = Score(RwSignal::new(Vec::new()));
        // In the browser only; the server renders an empty score.
        Effect::new(move |_| {
            if let Some(saved) = storage()
                .and_then(|storage| storage.get_item(SCORE_KEY).ok().flatten())
                .and_then(|json| serde_json::from_str(&json).ok())
            {
                score.0.set(saved);
            }
        });
        score
    }

    fn record(self, key: String, right: bool) {
        self.0.update(|answers| {
            answers.retain(|(seen, _)| *seen != key);
            answers.push((key, right));
        });
        if let (Some(storage), Ok(json)) = (storage(), serde_json::to_string(&self.0.get_untracked())) {
            let _ = storage.set_item(SCORE_KEY, &json);
        }
    }

    fn reset(self) {
        self.0.set(Vec::new());
        if let Some(storage) = storage() {
            let _ = storage.remove_item(SCORE_KEY);
        }
    }
}

#[cfg(feature = "hydrate")]
fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

#[cfg(not(feature = "hydrate"))]
fn storage() -> Option<NoStorage> {
    None
}

/// The server has no browser storage; this keeps one code path.
#[cfg(not(feature = "hydrate"))]
struct NoStorage;

#[cfg(not(feature = "hydrate"))]
impl NoStorage {
    fn get_item(&self, _: &str) -> Result<Option<String>, ()> {
        Ok(None)
    }
    fn set_item(&self, _: &str, _: &str) -> Result<(), ()> {
        Ok(())
    }
    fn remove_item(&self, _: &str) -> Result<(), ()> {
        Ok(())
    }
}

#[component]
pub fn LabPage() -> impl IntoView {
    let t = use_messages();
    let score = Score::load();
    let right = move || {
        score
            .0
            .with(|answers| answers.iter().filter(|(_, right)| *right).count())
    };
    let total = move || score.0.with(Vec::len);
    view! {
        <section class="lab" data-testid="lab">
            <h1>{t.lab_title}</h1>
            <p class="lead">{t.lab_lead}</p>
            <p class="card lab-score" role="status">
                <span data-testid="lab-score" data-right=right data-total=total>
                    {move || (t.lab_score)(right(), total())}
                </span>
                " "
                <button type="button" class="button-secondary" on:click=move |_| score.reset() data-testid="lab-score-reset">
                    {t.lab_score_reset}
                </button>
            </p>
            <h2 id="lab-checks">{t.lab_checks_title}</h2>
            <p>{t.lab_checks_lead}</p>
            <div class="lab-cards">
                {TokenCheck::ALL.into_iter().map(|check| view! { <CheckCard check score/> }).collect_view()}
            </div>
            <h2 id="lab-replays">{t.lab_replays_title}</h2>
            <p>{t.lab_replays_lead}</p>
            <div class="lab-cards">
                {Replay::ALL.into_iter().map(|replay| view! { <ReplayCard replay score/> }).collect_view()}
            </div>
            <h2 id="lab-propagation">{t.lab_propagation_title}</h2>
            <p>{t.lab_propagation_lead}</p>
            <div class="lab-cards">
                {Propagation::ALL
                    .into_iter()
                    .map(|experiment| view! { <PropagationCard experiment score/> })
                    .collect_view()}
            </div>
            <crate::pages::cluster::SeveralServers/>
            <h2 id="lab-browser">{t.lab_browser_title}</h2>
            <p>{t.lab_browser_lead}</p>
            <div class="lab-cards">
                <ScriptCard score/>
                <CsrfCard score/>
            </div>
            <h2 id="lab-naive">{t.lab_naive_title}</h2>
            <p>{t.lab_naive_lead}</p>
            <div class="lab-cards">
                {Flaw::ALL.into_iter().map(|flaw| view! { <AttackCard flaw score/> }).collect_view()}
            </div>
        </section>
    }
}

/// The viewer's prediction: the first or the second of a card's two
/// choices (let in / refuse, at once / later, yes / no).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Guess {
    First,
    Second,
}

impl Guess {
    fn of(first: bool) -> Self {
        if first {
            Guess::First
        } else {
            Guess::Second
        }
    }
}

/// A card's two choices: the value a test reads, the label a person reads.
type Choices = [(&'static str, &'static str); 2];

fn let_in_or_refuse(t: &Messages) -> Choices {
    [("let_in", t.lab_guess_let_in), ("refuse", t.lab_guess_refuse)]
}

#[component]
fn AttackCard(flaw: Flaw, score: Score) -> impl IntoView {
    let t = use_messages();
    let run = ServerAction::<RunAttack>::new();
    let naive_guess = RwSignal::new(None::<Guess>);
    let real_guess = RwSignal::new(None::<Guess>);
    // Scores each finished run against the predictions made before it.
    Effect::new(move |_| {
        if let Some(Ok(result)) = run.value().get() {
            for (verifier, guess, actual) in [
                ("naive", naive_guess.get_untracked(), Guess::of(result.naive_let_in)),
                ("real", real_guess.get_untracked(), Guess::of(result.real_let_in)),
            ] {
                if let Some(guess) = guess {
                    score.record(format!("{}/{verifier}", flaw.as_str()), guess == actual);
                }
            }
        }
    });
    let guess_group = move |name: &'static str, guess: RwSignal<Option<Guess>>, legend: &'static str| {
        view! { <GuessGroup group=format!("{}-{name}", flaw.as_str()) testid=name guess legend choices=let_in_or_refuse(t)/> }
    };
    let result = outcome(move || run.value().get(), |result| view! { <AttackResult result/> });
    view! {
        <article class="card lab-card" id=format!("attack-{}", flaw.as_str()) data-testid="attack" data-flaw=flaw.as_str()>
            <h3>{(t.flaw_title)(flaw)}</h3>
            <p>{(t.flaw_claim)(flaw)}</p>
            <div class="guess-groups">
                {guess_group("naive", naive_guess, t.lab_predict_naive)}
                {guess_group("real", real_guess, t.lab_predict_real)}
            </div>
            <RunButton testid="attack-run" pending=run.pending() on_run=move || {
                run.dispatch(RunAttack { flaw: flaw.as_str().to_owned() });
            }/>
            {result}
        </article>
    }
}

/// A run's outcome as its card shows it: nothing before the first run,
/// then the result, or what went wrong.
fn outcome<T, V>(
    latest: impl Fn() -> Option<Result<T, AppError>> + Send + Sync + 'static,
    shown: impl Fn(T) -> V + Send + Sync + 'static,
) -> impl Fn() -> Option<AnyView> + Send + Sync + 'static
where
    V: IntoView + 'static,
{
    move || {
        latest().map(|result| match result {
            Ok(result) => shown(result).into_any(),
            Err(err) => view! { <ErrorNote error=err/> }.into_any(),
        })
    }
}

/// A card's Run button, disabled while its run is under way.
#[component]
fn RunButton(
    testid: &'static str,
    #[prop(into)] pending: Signal<bool>,
    on_run: impl Fn() + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <button type="button" class="button" data-testid=testid disabled=pending on:click=move |_| on_run()>
            {use_messages().lab_run}
        </button>
    }
}

/// Two radio buttons, one per choice.
#[component]
fn GuessGroup(
    group: String,
    testid: &'static str,
    guess: RwSignal<Option<Guess>>,
    legend: &'static str,
    choices: Choices,
) -> impl IntoView {
    let option = move |value: Guess, (data, label): (&'static str, &'static str)| {
        view! {
            <label class="guess">
                <input
                    type="radio"
                    name=group.clone()
                    data-testid=format!("guess-{testid}")
                    data-guess=data
                    prop:checked=move || guess.get() == Some(value)
                    on:change=move |_| guess.set(Some(value))
                />
                {label}
            </label>
        }
    };
    view! {
        <fieldset class="guesses">
            <legend>{legend}</legend>
            {option(Guess::First, choices[0])}
            {option(Guess::Second, choices[1])}
        </fieldset>
    }
}

/// A broken token against this app's verifier.
#[component]
fn CheckCard(check: TokenCheck, score: Score) -> impl IntoView {
    let t = use_messages();
    let run = ServerAction::<RunCheck>::new();
    let guess = RwSignal::new(None::<Guess>);
    Effect::new(move |_| {
        if let Some(Ok(result)) = run.value().get() {
            let actual = Guess::of(result.accepted);
            if let Some(guess) = guess.get_untracked() {
                score.record(format!("check/{}", check.as_str()), guess == actual);
            }
        }
    });
    let result = outcome(move || run.value().get(), |result| view! { <CheckResult result/> });
    view! {
        <article class="card lab-card" id=format!("check-{}", check.as_str()) data-testid="check" data-check=check.as_str()>
            <h3>{(t.check_title)(check)}</h3>
            <p>{(t.check_claim)(check)}</p>
            <div class="guess-groups">
                <GuessGroup group=format!("check-{}", check.as_str()) testid="real" guess legend=t.lab_predict_real choices=let_in_or_refuse(t)/>
            </div>
            <RunButton testid="check-run" pending=run.pending() on_run=move || {
                run.dispatch(RunCheck { check: check.as_str().to_owned() });
            }/>
            {result}
        </article>
    }
}

/// A credential used again: every request of the run, the last one predicted.
#[component]
fn ReplayCard(replay: Replay, score: Score) -> impl IntoView {
    let t = use_messages();
    let run = ServerAction::<RunReplay>::new();
    let guess = RwSignal::new(None::<Guess>);
    Effect::new(move |_| {
        if let Some(Ok(result)) = run.value().get() {
            let actual = Guess::of(result.accepted);
            if let Some(guess) = guess.get_untracked() {
                score.record(format!("replay/{}", replay.as_str()), guess == actual);
            }
        }
    });
    let result = outcome(move || run.value().get(), |result| view! { <ReplayResult result/> });
    view! {
        <article class="card lab-card" id=format!("replay-{}", replay.as_str()) data-testid="replay" data-replay=replay.as_str()>
            <h3>{(t.replay_title)(replay)}</h3>
            <p>{(t.replay_claim)(replay)}</p>
            <div class="guess-groups">
                <GuessGroup group=format!("replay-{}", replay.as_str()) testid="real" guess legend=t.lab_predict_replay choices=let_in_or_refuse(t)/>
            </div>
            <RunButton testid="replay-run" pending=run.pending() on_run=move || {
                run.dispatch(RunReplay { replay: replay.as_str().to_owned() });
            }/>
            {result}
        </article>
    }
}

#[component]
fn ReplayResult(result: ReplayRun) -> impl IntoView {
    let t = use_messages();
    view! {
        <div class="attack-result" data-testid="replay-result" data-accepted=result.accepted.to_string()>
            <ol class="replay-steps">
                {result
                    .steps
                    .iter()
                    .map(|exchange| view! { <li><ExchangeView exchange=exchange.clone()/></li> })
                    .collect_view()}
            </ol>
            <p class=if result.accepted { "verdict side let-in" } else { "verdict side refused" } data-testid="replay-verdict">
                {if result.accepted { t.lab_replay_accepted } else { t.lab_replay_refused }}
                {result.token_valid_for.filter(|_| result.accepted).map(|seconds| {
                    view! { " " <span data-testid="replay-valid-for" data-seconds=seconds>{(t.lab_valid_for)(seconds)}</span> }
                })}
            </p>
            <p>{(t.replay_lesson)(result.replay, result.strict_revocation)}</p>
        </div>
    }
}

#[component]
fn CheckResult(result: CheckRun) -> impl IntoView {
    let t = use_messages();
    let pretty = |value: &serde_json::Value| serde_json::to_string_pretty(value).unwrap_or_default();
    let readable = !result.token_header.is_null();
    view! {
        <div class="attack-result" data-testid="check-result" data-accepted=result.accepted.to_string()>
            {readable.then(|| view! {
                <h4>{t.lab_sent_token}</h4>
                <pre data-testid="check-header">{pretty(&result.token_header)}</pre>
                <pre data-testid="check-payload">{pretty(&result.token_payload)}</pre>
            })}
            <section class=if result.accepted { "side let-in" } else { "side refused" }>
                <ExchangeView exchange=result.exchange.clone()/>
                <p class="verdict" data-testid="check-verdict">
                    {match (result.accepted, result.refusal.clone()) {
                        (true, _) => t.lab_accepted.to_owned(),
                        (false, Some(refusal)) => (t.step)(&Step::Refused { refusal }),
                        (false, None) => t.lab_refused.to_owned(),
                    }}
                </p>
            </section>
            <p>{(t.check_lesson)(result.check)}</p>
        </div>
    }
}

#[component]
fn AttackResult(result: AttackRun) -> impl IntoView {
    let t = use_messages();
    let flaw = result.flaw;
    let verdict = |let_in: bool| if let_in { "let_in" } else { "refused" };
    let pretty = |value: &serde_json::Value| serde_json::to_string_pretty(value).unwrap_or_default();
    view! {
        <div class="attack-result" data-testid="attack-result">
            <h4>{t.lab_forged}</h4>
            <pre data-testid="forged-header">{pretty(&result.token_header)}</pre>
            <pre data-testid="forged-payload">{pretty(&result.token_payload)}</pre>
            {result.recovered_secret.clone().map(|secret| view! {
                <p data-testid="recovered-secret" data-secret=secret.clone() data-tried=result.words_tried>
                    {(t.lab_recovered)(&secret, result.words_tried)}
                </p>
            })}
            <div class="attack-sides">
                <section
                    data-testid="naive-side"
                    data-verdict=verdict(result.naive_let_in)
                    class=if result.naive_let_in { "side let-in" } else { "side refused" }
                >
                    <h4>{t.lab_naive_side}</h4>
                    <ExchangeView exchange=result.naive.clone()/>
                    <p class="verdict">
                        {if result.naive_let_in { t.lab_let_in } else { t.lab_refused }}
                    </p>
                </section>
                <section
                    data-testid="real-side"
                    data-verdict=verdict(result.real_let_in)
                    class=if result.real_let_in { "side let-in" } else { "side refused" }
                >
                    <h4>{t.lab_real_side}</h4>
                    <ExchangeView exchange=result.real.clone()/>
                    <p class="verdict">
                        {match (result.real_let_in, result.real_refusal.clone()) {
                            (true, _) => t.lab_let_in.to_owned(),
                            // The auth layer's own words for the check that refused it.
                            (false, Some(refusal)) => (t.step)(&Step::Refused { refusal }),
                            (false, None) => t.lab_refused.to_owned(),
                        }}
                    </p>
                    <p class="hint" data-testid="real-rule">{(t.flaw_rule)(flaw)}</p>
                </section>
            </div>
            <p>{(t.flaw_lesson)(flaw)}</p>
        </div>
    }
}

/// A request as sent and its answer: the lines that matter.
#[component]
fn ExchangeView(exchange: Exchange) -> impl IntoView {
    let headers = exchange
        .request_headers
        .iter()
        .map(|(name, value)| {
            // A token is long; its start says enough here (it is shown above).
            let value = if value.len() > 60 {
                format!("{}…", &value[..60])
            } else {
                value.clone()
            };
            format!("{name}: {value}\n")
        })
        .collect::<String>();
    let body = exchange
        .request_body
        .as_ref()
        .map(|body| format!("{body}\n"))
        .unwrap_or_default();
    view! {
        <pre class="exchange" data-testid="exchange" data-status=exchange.status>
            {format!("{} {}\n{headers}{body}\n", exchange.method, exchange.path)}
            <strong>{format!("→ {}\n", exchange.status)}</strong>
            // A 204 has no body to show.
            {(!exchange.response_body.is_null())
                .then(|| serde_json::to_string_pretty(&exchange.response_body).unwrap_or_default())}
        </pre>
    }
}
