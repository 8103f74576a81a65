//! The race of `/compare/race`: two demo clients, one per mode, asking
//! `/api/me` once a second while a presenter acts on their user.

use super::{AuthMode, Role};
use serde::{Deserialize, Serialize};

/// How one request of a demo client went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TickOutcome {
    Accepted,
    Refused,
    /// 200, although the server had already revoked this login: the access
    /// token carries everything, and nothing recalls it before `exp`.
    AcceptedAfterRevocation,
}

impl TickOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            TickOutcome::Accepted => "accepted",
            TickOutcome::Refused => "refused",
            TickOutcome::AcceptedAfterRevocation => "accepted_after_revocation",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RaceTick {
    /// Milliseconds since the race started.
    pub at_ms: i64,
    pub status: u16,
    pub outcome: TickOutcome,
    /// The role `/api/me` answered with.
    pub role: Option<Role>,
    /// The error code of a refusal (`unauthenticated`, `refresh_revoked`, ...).
    pub error: Option<String>,
    /// The JWT client spent its refresh token before this request.
    pub refreshed: bool,
}

/// What the presenter did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RaceAction {
    ForceLogout,
    Promote,
    Demote,
    StrictOn,
    StrictOff,
}

impl RaceAction {
    pub const ALL: [RaceAction; 5] = [
        RaceAction::ForceLogout,
        RaceAction::Promote,
        RaceAction::Demote,
        RaceAction::StrictOn,
        RaceAction::StrictOff,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RaceAction::ForceLogout => "force_logout",
            RaceAction::Promote => "promote",
            RaceAction::Demote => "demote",
            RaceAction::StrictOn => "strict_on",
            RaceAction::StrictOff => "strict_off",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        RaceAction::ALL.into_iter().find(|action| action.as_str() == value)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RaceEvent {
    pub at_ms: i64,
    pub action: RaceAction,
}

/// Why a race is no longer running.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RaceStop {
    ByPresenter,
    /// Nobody had looked at it for a while.
    Unwatched,
    /// It reached its longest allowed run.
    TimeUp,
    /// Its demo clients could not log in.
    Failed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RaceLane {
    pub mode: AuthMode,
    pub ticks: Vec<RaceTick>,
    /// JWT: when the client's access token stops being accepted
    /// (its `exp` plus the clock-skew leeway), in ms since the start.
    pub token_refused_from_ms: Option<i64>,
}

impl RaceLane {
    /// Milliseconds from `event` to this lane's first request that showed
    /// it: refused after a forced logout, the new role after a role change.
    pub fn reaction_ms(&self, event: &RaceEvent) -> Option<i64> {
        let shows_it = |tick: &RaceTick| match event.action {
            RaceAction::ForceLogout => tick.outcome == TickOutcome::Refused,
            RaceAction::Promote => tick.role == Some(Role::Admin),
            RaceAction::Demote => tick.role == Some(Role::User),
            RaceAction::StrictOn | RaceAction::StrictOff => false,
        };
        self.ticks
            .iter()
            .filter(|tick| tick.at_ms >= event.at_ms)
            .find(|tick| shows_it(tick))
            .map(|tick| tick.at_ms - event.at_ms)
    }
}

/// How long after a presenter's action each client first showed it
/// (`None`: not yet, or never for this action).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RaceReaction {
    pub event: RaceEvent,
    pub session_ms: Option<i64>,
    pub jwt_ms: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RaceView {
    pub running: bool,
    pub stopped: Option<RaceStop>,
    pub username: String,
    /// The demo user's role in the users table now.
    pub role: Option<Role>,
    pub elapsed_ms: i64,
    pub tick_ms: u64,
    pub access_ttl: u64,
    pub leeway: u64,
    pub strict_revocation: bool,
    /// A race stops when nobody watched it for this long, or after `max_secs`.
    pub idle_secs: u64,
    pub max_secs: u64,
    pub session: RaceLane,
    pub jwt: RaceLane,
    pub events: Vec<RaceEvent>,
    pub reactions: Vec<RaceReaction>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tick(at_ms: i64, outcome: TickOutcome, role: Role) -> RaceTick {
        RaceTick {
            at_ms,
            status: if outcome == TickOutcome::Refused { 401 } else { 200 },
            outcome,
            role: (outcome != TickOutcome::Refused).then_some(role),
            error: None,
            refreshed: false,
        }
    }

    #[test]
    fn reaction_is_the_first_request_after_the_event_that_shows_it() {
        let lane = RaceLane {
            mode: AuthMode::Jwt,
            ticks: vec![
                tick(0, TickOutcome::Accepted, Role::User),
                tick(1000, TickOutcome::Refused, Role::User),
                tick(2000, TickOutcome::AcceptedAfterRevocation, Role::User),
                tick(3000, TickOutcome::Accepted, Role::Admin),
                tick(4000, TickOutcome::Refused, Role::User),
            ],
            token_refused_from_ms: None,
        };
        let logout = RaceEvent {
            at_ms: 1500,
            action: RaceAction::ForceLogout,
        };
        assert_eq!(lane.reaction_ms(&logout), Some(2500));
        let promote = RaceEvent {
            at_ms: 100,
            action: RaceAction::Promote,
        };
        assert_eq!(lane.reaction_ms(&promote), Some(2900));
        let strict = RaceEvent {
            at_ms: 100,
            action: RaceAction::StrictOn,
        };
        assert_eq!(lane.reaction_ms(&strict), None);
    }
}
