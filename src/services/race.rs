//! The race of `/compare/race`: two demo clients inside the server, one
//! logged in by session and one by JWT, each asking `GET /api/me` of this
//! very server once a second, while a presenter acts on their user.
//!
//! The clients send real HTTP/1.1 requests over loopback to the address
//! this server listens on, so they pass every layer a browser's request
//! passes, and keep only what a real client keeps: a cookie, or a token pair. A race uses its own user
//! ([`RACE_USERNAME`]), stops when no page asked for it for a while or after
//! its longest run, and ends its demo logins when it stops.

use crate::{
    auth::{guard::Admin, jwt, now, refresh, refresh::ClientInfo},
    config::RACE_USERNAME,
    db,
    error::AppError,
    model::{
        race::{RaceAction, RaceEvent, RaceLane, RaceReaction, RaceStop, RaceTick, RaceView, TickOutcome},
        AuthMode, Role,
    },
    services::{
        accounts, admin, logins,
        loopback::{send, Answer, Credential},
        settings::{self, SettingsChange},
    },
    state::AppState,
};
use axum::http::{Method, StatusCode};
use serde_json::Value;
use std::{
    net::SocketAddr,
    sync::{
        atomic::{AtomicU64, Ordering},
        Mutex,
    },
    time::{Duration, Instant},
};

/// Each client asks once per tick.
pub const TICK: Duration = Duration::from_secs(1);
/// What a view sends of each lane: the timeline shows the last two minutes.
const WINDOW_MS: i64 = 120_000;

#[derive(Default)]
pub struct Race {
    run: Mutex<Option<RaceRun>>,
    next_number: AtomicU64,
}

struct RaceRun {
    number: u64,
    started: Instant,
    last_watched: Instant,
    stopped: Option<RaceStop>,
    session: RaceLane,
    jwt: RaceLane,
    events: Vec<RaceEvent>,
    task: Option<tokio::task::AbortHandle>,
}

impl RaceRun {
    fn elapsed_ms(&self) -> i64 {
        self.started.elapsed().as_millis() as i64
    }
}

impl Race {
    fn lock(&self) -> std::sync::MutexGuard<'_, Option<RaceRun>> {
        // A panic while holding it cannot leave a half-written run behind:
        // every change is one assignment.
        self.run.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn is_running(&self) -> bool {
        self.lock().as_ref().is_some_and(|run| run.stopped.is_none())
    }

    /// Ends the run `number` (if it is still the current one and running)
    /// from outside its task, which is aborted.
    fn stop(&self, number: u64, reason: RaceStop) -> bool {
        self.end(number, reason, true)
    }

    /// Marks run `number` ended; `abort` its task unless the task itself asks.
    fn end(&self, number: u64, reason: RaceStop, abort: bool) -> bool {
        let mut guard = self.lock();
        match guard.as_mut() {
            Some(run) if run.number == number && run.stopped.is_none() => {
                run.stopped = Some(reason);
                if let Some(task) = run.task.take().filter(|_| abort) {
                    task.abort();
                }
                true
            }
            _ => false,
        }
    }

    /// Why run `number` should stop now, if it should (a run that another
    /// replaced stops at once).
    fn due_to_stop(&self, number: u64, idle: Duration, longest: Duration) -> Option<RaceStop> {
        let guard = self.lock();
        let Some(run) = guard.as_ref().filter(|run| run.number == number) else {
            return Some(RaceStop::ByPresenter);
        };
        if run.stopped.is_some() {
            return run.stopped;
        }
        if run.started.elapsed() >= longest {
            Some(RaceStop::TimeUp)
        } else if run.last_watched.elapsed() >= idle {
            Some(RaceStop::Unwatched)
        } else {
            None
        }
    }

    fn push(&self, number: u64, mode: AuthMode, tick: RaceTick, token_refused_from_ms: Option<i64>) {
        let mut guard = self.lock();
        if let Some(run) = guard
            .as_mut()
            .filter(|run| run.number == number && run.stopped.is_none())
        {
            let lane = match mode {
                AuthMode::Session => &mut run.session,
                AuthMode::Jwt => &mut run.jwt,
            };
            lane.ticks.push(tick);
            lane.token_refused_from_ms = token_refused_from_ms;
        }
    }

    fn record_event(&self, action: RaceAction) {
        if let Some(run) = self.lock().as_mut() {
            let at_ms = run.elapsed_ms();
            run.events.push(RaceEvent { at_ms, action });
        }
    }

    fn started_at_ms(&self, number: u64) -> Option<i64> {
        let guard = self.lock();
        let run = guard.as_ref().filter(|run| run.number == number)?;
        Some(now_ms() - run.elapsed_ms())
    }
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|elapsed| elapsed.as_millis() as i64)
        .unwrap_or_default()
}

/// Starts a race, ending the one before (a restart).
pub async fn start(state: &AppState, _admin: Admin<'_>) -> Result<RaceView, AppError> {
    let address = state
        .address
        .get()
        .ok_or_else(|| AppError::internal("the race does not know where this server listens"))?;
    let previous = state.race.lock().as_ref().map(|run| run.number);
    if let Some(previous) = previous {
        state.race.stop(previous, RaceStop::ByPresenter);
    }
    // Unique even when two admins start at once: the later run replaces the
    // earlier, whose task then finds itself no longer current and ends.
    let number = state.race.next_number.fetch_add(1, Ordering::Relaxed) + 1;
    let password = accounts::reset_demo_user(state, RACE_USERNAME).await?;
    {
        let started = Instant::now();
        let lane = |mode| RaceLane {
            mode,
            ticks: Vec::new(),
            token_refused_from_ms: None,
        };
        *state.race.lock() = Some(RaceRun {
            number,
            started,
            last_watched: started,
            stopped: None,
            session: lane(AuthMode::Session),
            jwt: lane(AuthMode::Jwt),
            events: Vec::new(),
            task: None,
        });
    }
    let task = tokio::spawn(run(state.clone(), address, number, password));
    if let Some(run) = state.race.lock().as_mut().filter(|run| run.number == number) {
        run.task = Some(task.abort_handle());
    }
    view(state).await
}

/// Stops the race now, and ends its demo logins.
pub async fn stop(state: &AppState, _admin: Admin<'_>) -> Result<RaceView, AppError> {
    let number = state
        .race
        .lock()
        .as_ref()
        .map(|run| run.number)
        .ok_or(AppError::NoRace)?;
    if state.race.stop(number, RaceStop::ByPresenter) {
        end_demo_logins(state).await;
    }
    view(state).await
}

/// What the presenter does to the demo user: the very actions of `/admin`,
/// with their audit entries.
pub async fn act(
    state: &AppState,
    admin: Admin<'_>,
    client: &ClientInfo,
    action: RaceAction,
) -> Result<RaceView, AppError> {
    if !state.race.is_running() {
        return Err(AppError::NoRace);
    }
    match action {
        RaceAction::ForceLogout => {
            logins::force_logout(state, admin, client, RACE_USERNAME).await?;
        }
        RaceAction::Promote | RaceAction::Demote => {
            let role = if action == RaceAction::Promote {
                Role::Admin
            } else {
                Role::User
            };
            admin::set_role(state, admin, client, RACE_USERNAME, role).await?;
        }
        RaceAction::StrictOn | RaceAction::StrictOff => {
            let change = SettingsChange {
                strict_revocation: Some(action == RaceAction::StrictOn),
                ..SettingsChange::default()
            };
            settings::update(state, admin, client, change).await?;
        }
    }
    state.race.record_event(action);
    view(state).await
}

/// The race as a presenter's page shows it; asking counts as watching.
pub async fn watch(state: &AppState, _admin: Admin<'_>) -> Result<RaceView, AppError> {
    if let Some(run) = state.race.lock().as_mut().filter(|run| run.stopped.is_none()) {
        run.last_watched = Instant::now();
    }
    view(state).await
}

async fn view(state: &AppState) -> Result<RaceView, AppError> {
    let role = db::find_user_by_name(&state.db, RACE_USERNAME)
        .await?
        .map(|user| user.role());
    let config = &state.config;
    let guard = state.race.lock();
    let window = |lane: &RaceLane, elapsed: i64| RaceLane {
        mode: lane.mode,
        ticks: lane
            .ticks
            .iter()
            .filter(|tick| tick.at_ms >= elapsed - WINDOW_MS)
            .cloned()
            .collect(),
        token_refused_from_ms: lane.token_refused_from_ms,
    };
    let empty = |mode| RaceLane {
        mode,
        ticks: Vec::new(),
        token_refused_from_ms: None,
    };
    let (running, stopped, elapsed_ms, session, jwt_lane, events, reactions) = match guard.as_ref() {
        Some(run) => {
            let elapsed = run.elapsed_ms();
            let reactions = run
                .events
                .iter()
                .map(|event| RaceReaction {
                    event: *event,
                    session_ms: run.session.reaction_ms(event),
                    jwt_ms: run.jwt.reaction_ms(event),
                })
                .collect();
            (
                run.stopped.is_none(),
                run.stopped,
                elapsed,
                window(&run.session, elapsed),
                window(&run.jwt, elapsed),
                run.events.clone(),
                reactions,
            )
        }
        None => (
            false,
            None,
            0,
            empty(AuthMode::Session),
            empty(AuthMode::Jwt),
            Vec::new(),
            Vec::new(),
        ),
    };
    Ok(RaceView {
        running,
        stopped,
        username: RACE_USERNAME.to_owned(),
        role,
        elapsed_ms,
        tick_ms: TICK.as_millis() as u64,
        access_ttl: config.race_access_ttl,
        leeway: jwt::LEEWAY_SECS,
        strict_revocation: state.settings.strict_revocation(),
        idle_secs: config.race_idle_secs,
        max_secs: config.race_max_secs,
        session,
        jwt: jwt_lane,
        events,
        reactions,
    })
}

async fn end_demo_logins(state: &AppState) {
    if let Ok(Some(user)) = db::find_user_by_name(&state.db, RACE_USERNAME).await {
        if let Err(err) = logins::end_demo_logins(state, user.id, RACE_USERNAME, "race over").await {
            tracing::warn!(%err, "could not end the race's demo logins");
        }
    }
}

async fn run(state: AppState, address: SocketAddr, number: u64, password: String) {
    let clients = DemoClients::log_in(address, RACE_USERNAME, &password).await;
    let Some(mut clients) = clients else {
        tracing::warn!("the race's demo clients could not log in");
        state.race.end(number, RaceStop::Failed, false);
        return;
    };
    let Some(started_at_ms) = state.race.started_at_ms(number) else {
        return;
    };
    let idle = Duration::from_secs(state.config.race_idle_secs);
    let longest = Duration::from_secs(state.config.race_max_secs);
    let mut ticks = tokio::time::interval(TICK);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        if let Some(reason) = state.race.due_to_stop(number, idle, longest) {
            // Not aborted: this task ends the demo logins itself.
            if state.race.end(number, reason, false) {
                end_demo_logins(&state).await;
            }
            return;
        }
        let at_ms = now_ms() - started_at_ms;
        let tick = clients.session_tick(at_ms).await;
        state.race.push(number, AuthMode::Session, tick, None);
        let at_ms = now_ms() - started_at_ms;
        let tick = clients.jwt_tick(&state, at_ms).await;
        let refused_from_ms = clients.jwt_exp.map(|exp| jwt::refused_from(exp) * 1000 - started_at_ms);
        state.race.push(number, AuthMode::Jwt, tick, refused_from_ms);
    }
}

/// Two clients of one demo user, one per mode: what each holds, as a real
/// client would. The Lab's propagation runs use them too.
pub struct DemoClients {
    address: SocketAddr,
    /// `name=value` of the session cookie.
    session_cookie: String,
    tokens: Option<(String, String)>,
    /// When the JWT client's access token expires (Unix seconds).
    pub jwt_exp: Option<i64>,
}

impl DemoClients {
    pub async fn log_in(address: SocketAddr, username: &str, password: &str) -> Option<Self> {
        let credentials = serde_json::json!({ "username": username, "password": password });
        let session = send(
            address,
            Method::POST,
            "/api/session/login",
            Credential::None,
            Some(credentials.clone()),
        )
        .await;
        let session_cookie = session.session_cookie()?;
        let token = send(
            address,
            Method::POST,
            "/api/jwt/login",
            Credential::None,
            Some(credentials),
        )
        .await;
        let mut clients = DemoClients {
            address,
            session_cookie,
            tokens: None,
            jwt_exp: None,
        };
        clients.keep_tokens(&token.body)?;
        Some(clients)
    }

    fn keep_tokens(&mut self, body: &Value) -> Option<()> {
        let access = body.get("access_token")?.as_str()?.to_owned();
        let refresh = body.get("refresh_token")?.as_str()?.to_owned();
        let expires_in = body.get("expires_in")?.as_i64()?;
        self.jwt_exp = Some(now() + expires_in);
        self.tokens = Some((access, refresh));
        Some(())
    }

    pub async fn session_tick(&mut self, at_ms: i64) -> RaceTick {
        let answer = send(
            self.address,
            Method::GET,
            "/api/me",
            Credential::Cookie(&self.session_cookie),
            None,
        )
        .await;
        tick(at_ms, &answer, TickOutcome::Accepted, false)
    }

    /// Asks with the access token; refused, it spends the refresh token once
    /// and asks again, as a real client does.
    pub async fn jwt_tick(&mut self, state: &AppState, at_ms: i64) -> RaceTick {
        let Some((access, refresh_token)) = self.tokens.clone() else {
            let answer = send(self.address, Method::GET, "/api/me", Credential::None, None).await;
            return tick(at_ms, &answer, TickOutcome::Accepted, false);
        };
        let answer = send(self.address, Method::GET, "/api/me", Credential::Bearer(&access), None).await;
        if answer.status == StatusCode::OK {
            return tick(at_ms, &answer, accepted_outcome(state, &access).await, false);
        }
        let refreshed = send(
            self.address,
            Method::POST,
            "/api/jwt/refresh",
            Credential::None,
            Some(serde_json::json!({ "refresh_token": refresh_token })),
        )
        .await;
        if refreshed.status != StatusCode::OK || self.keep_tokens(&refreshed.body).is_none() {
            self.tokens = None;
            return tick(at_ms, &refreshed, TickOutcome::Accepted, false);
        }
        let Some((access, _)) = self.tokens.clone() else {
            return tick(at_ms, &refreshed, TickOutcome::Accepted, false);
        };
        let answer = send(self.address, Method::GET, "/api/me", Credential::Bearer(&access), None).await;
        tick(at_ms, &answer, accepted_outcome(state, &access).await, true)
    }
}

/// Accepted, or accepted although the server already revoked the login
/// (the token's `sid` names it): the amber of the timeline.
async fn accepted_outcome(state: &AppState, access: &str) -> TickOutcome {
    let Ok(claims) = state.jwt.validate(access) else {
        return TickOutcome::Accepted;
    };
    match refresh::family_is_live(&state.db, &claims.sid, now()).await {
        Ok(false) => TickOutcome::AcceptedAfterRevocation,
        _ => TickOutcome::Accepted,
    }
}

fn tick(at_ms: i64, answer: &Answer, accepted: TickOutcome, refreshed: bool) -> RaceTick {
    let ok = answer.status == StatusCode::OK;
    RaceTick {
        at_ms,
        status: answer.status.as_u16(),
        outcome: if ok { accepted } else { TickOutcome::Refused },
        role: if ok {
            answer.body.get("role").and_then(Value::as_str).and_then(Role::parse)
        } else {
            None
        },
        error: if ok { None } else { answer.error_code() },
        refreshed,
    }
}
