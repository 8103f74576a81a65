//! What the Lab shows: experiments that really ran, request by request.

use super::{
    race::{RaceAction, RaceEvent, RaceLane, RaceReaction},
    AuthMode, AuthTrace, CurrentUser, Refusal,
};
use serde::{Deserialize, Serialize};

/// How a naive verifier goes wrong (`lab::naive` has one of each).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Flaw {
    /// Decodes the payload and never checks the signature.
    DecodeOnly,
    /// Lets the token name its algorithm, `none` included.
    AlgNone,
    /// Checks HS256 properly, with a secret out of a dictionary.
    WeakSecret,
    /// Verifies with the key the token carries in its `jwk` header.
    EmbeddedJwk,
    /// Fetches the key set the token's `jku` header names.
    Jku,
    /// Reads the key from the file the token's `kid` names, unsanitised.
    KidPath,
    /// Verifies with its RSA public key in the algorithm the token names:
    /// under HS256 the public key becomes the HMAC secret.
    AlgConfusion,
}

impl Flaw {
    pub const ALL: [Flaw; 7] = [
        Flaw::DecodeOnly,
        Flaw::AlgNone,
        Flaw::WeakSecret,
        Flaw::EmbeddedJwk,
        Flaw::Jku,
        Flaw::KidPath,
        Flaw::AlgConfusion,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Flaw::DecodeOnly => "decode_only",
            Flaw::AlgNone => "alg_none",
            Flaw::WeakSecret => "weak_secret",
            Flaw::EmbeddedJwk => "embedded_jwk",
            Flaw::Jku => "jku",
            Flaw::KidPath => "kid_path",
            Flaw::AlgConfusion => "alg_confusion",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Flaw::ALL.into_iter().find(|flaw| flaw.as_str() == value)
    }
}

/// One request an experiment sent and what came back, as shown to the
/// learner: the headers that matter, the body, the status.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Exchange {
    pub method: String,
    pub path: String,
    pub request_headers: Vec<(String, String)>,
    #[cfg_attr(feature = "ssr", schema(value_type = Option<Object>))]
    pub request_body: Option<serde_json::Value>,
    pub status: u16,
    /// The JSON answer; `null` when there was none (a 204).
    #[cfg_attr(feature = "ssr", schema(value_type = Option<Object>))]
    pub response_body: serde_json::Value,
}

/// How the real auth layer treated a request: `GET /api/lab/probe`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Probe {
    #[cfg_attr(feature = "ssr", schema(value_type = Option<Object>))]
    pub principal: Option<CurrentUser>,
    /// The check that refused the credential, if one did.
    #[cfg_attr(feature = "ssr", schema(value_type = Option<Object>))]
    pub refusal: Option<Refusal>,
    #[cfg_attr(feature = "ssr", schema(value_type = Object))]
    pub trace: AuthTrace,
}

/// An attack on a naive verifier and on the real one, side by side.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AttackRun {
    pub flaw: Flaw,
    /// The forged token, and its two readable parts.
    pub token: String,
    /// `null` when the token is not a JWT at all.
    #[cfg_attr(feature = "ssr", schema(value_type = Option<Object>))]
    pub token_header: serde_json::Value,
    #[cfg_attr(feature = "ssr", schema(value_type = Option<Object>))]
    pub token_payload: serde_json::Value,
    /// The weak secret's dictionary attack: the word found, after how many.
    pub recovered_secret: Option<String>,
    pub words_tried: usize,
    /// The token sent to the naive verifier's protected page.
    pub naive: Exchange,
    pub naive_let_in: bool,
    /// The same forgery, with this app's claims, sent to the real auth layer.
    pub real: Exchange,
    pub real_let_in: bool,
    #[cfg_attr(feature = "ssr", schema(value_type = Option<Object>))]
    pub real_refusal: Option<Refusal>,
}

/// A forged or broken access token sent to this app's real verifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TokenCheck {
    /// `role: admin` written into the payload, the signature kept.
    TamperedPayload,
    /// `alg: none` and no signature.
    AlgNone,
    /// Signed with this server's own key, under HS512.
    Hs512SameKey,
    /// Signed under HS256 with a key that is not this server's.
    OtherKey,
    /// Properly signed, `exp` a minute ago (past the leeway).
    Expired,
    /// Properly signed, `nbf` an hour from now.
    NotYetValid,
    /// The refresh token presented as an access token.
    RefreshAsAccess,
}

impl TokenCheck {
    pub const ALL: [TokenCheck; 7] = [
        TokenCheck::TamperedPayload,
        TokenCheck::AlgNone,
        TokenCheck::Hs512SameKey,
        TokenCheck::OtherKey,
        TokenCheck::Expired,
        TokenCheck::NotYetValid,
        TokenCheck::RefreshAsAccess,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TokenCheck::TamperedPayload => "tampered_payload",
            TokenCheck::AlgNone => "alg_none",
            TokenCheck::Hs512SameKey => "hs512_same_key",
            TokenCheck::OtherKey => "other_key",
            TokenCheck::Expired => "expired",
            TokenCheck::NotYetValid => "not_yet_valid",
            TokenCheck::RefreshAsAccess => "refresh_as_access",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        TokenCheck::ALL.into_iter().find(|check| check.as_str() == value)
    }
}

/// One token sent to a protected route of this app, and the check that
/// refused it (told by the probe of the real auth layer).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CheckRun {
    pub check: TokenCheck,
    /// `null` when the token is not a JWT at all.
    #[cfg_attr(feature = "ssr", schema(value_type = Option<Object>))]
    pub token_header: serde_json::Value,
    #[cfg_attr(feature = "ssr", schema(value_type = Option<Object>))]
    pub token_payload: serde_json::Value,
    /// `GET /api/me` with the token.
    pub exchange: Exchange,
    pub accepted: bool,
    #[cfg_attr(feature = "ssr", schema(value_type = Option<Object>))]
    pub refusal: Option<Refusal>,
}

/// A credential used again when it should be dead, or planted before login.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Replay {
    /// Log out, then send the old session cookie again.
    SessionAfterLogout,
    /// Log out, then send the old access token again.
    JwtAfterLogout,
    /// Rotate a refresh token, then present the spent one again.
    RefreshReuse,
    /// Plant a session id before login: is it the logged-in session after?
    SessionFixation,
}

impl Replay {
    pub const ALL: [Replay; 4] = [
        Replay::SessionAfterLogout,
        Replay::JwtAfterLogout,
        Replay::RefreshReuse,
        Replay::SessionFixation,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Replay::SessionAfterLogout => "session_after_logout",
            Replay::JwtAfterLogout => "jwt_after_logout",
            Replay::RefreshReuse => "refresh_reuse",
            Replay::SessionFixation => "session_fixation",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Replay::ALL.into_iter().find(|replay| replay.as_str() == value)
    }
}

/// Every request of a replay experiment, in order; the last one is the
/// replay whose fate the viewer predicted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ReplayRun {
    pub replay: Replay,
    pub steps: Vec<Exchange>,
    /// Whether the last request (the replay) was accepted.
    pub accepted: bool,
    pub strict_revocation: bool,
    /// JWT after logout: seconds the server goes on accepting the token.
    pub token_valid_for: Option<i64>,
}

/// A change made on the server to a logged-in user: how long until each
/// mode's client sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Propagation {
    /// An admin logs the user out of every login.
    ForcedLogout,
    /// An admin promotes the user to admin.
    RoleChange,
}

impl Propagation {
    pub const ALL: [Propagation; 2] = [Propagation::ForcedLogout, Propagation::RoleChange];

    pub fn as_str(self) -> &'static str {
        match self {
            Propagation::ForcedLogout => "forced_logout",
            Propagation::RoleChange => "role_change",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Propagation::ALL.into_iter().find(|it| it.as_str() == value)
    }

    /// The admin action of `/admin` (and of the race) this experiment makes.
    pub fn action(self) -> RaceAction {
        match self {
            Propagation::ForcedLogout => RaceAction::ForceLogout,
            Propagation::RoleChange => RaceAction::Promote,
        }
    }
}

/// Two clients of one user, one per mode, asking `GET /api/me` every
/// `tick_ms` before and after the change, until both showed it or the
/// access token's life is over.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PropagationRun {
    pub experiment: Propagation,
    pub strict_revocation: bool,
    pub tick_ms: u64,
    pub access_ttl: u64,
    pub leeway: u64,
    pub elapsed_ms: i64,
    pub session: RaceLane,
    pub jwt: RaceLane,
    /// The change, on the lanes' time axis.
    pub event: RaceEvent,
    /// How long each client took to show it (`None`: not within the run).
    pub reaction: RaceReaction,
}

impl PropagationRun {
    /// Whether `mode`'s first request after the change already showed it.
    pub fn at_once(&self, mode: AuthMode) -> bool {
        let lane = match mode {
            AuthMode::Session => &self.session,
            AuthMode::Jwt => &self.jwt,
        };
        let first_after = lane.ticks.iter().find(|tick| tick.at_ms >= self.event.at_ms);
        first_after.is_some_and(|tick| lane.reaction_ms(&self.event) == Some(tick.at_ms - self.event.at_ms))
    }
}

/// A cookie a request carried, as the server saw it: its name, and whether
/// it is one of this app's HttpOnly credential cookies. Never its value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CookieSeen {
    pub name: String,
    pub http_only: bool,
}

/// A request that reached `/api/lab/csrf/target`, as the server saw it
/// before and after the one CSRF rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CsrfAttempt {
    pub method: String,
    /// What the browser said of where the request came from.
    pub sec_fetch_site: Option<String>,
    pub origin: Option<String>,
    /// The cookies the browser attached (SameSite decides, in the browser).
    pub cookies: Vec<CookieSeen>,
    pub status: u16,
    /// 403 `csrf`: the origin check refused it before anything else ran.
    pub refused_by_origin_check: bool,
}

impl CsrfAttempt {
    /// Whether the request carried a login cookie of this app.
    pub fn carried_login(&self) -> bool {
        self.cookies.iter().any(|cookie| cookie.http_only)
    }

    /// Sent by a page of another site (the browser says so).
    pub fn cross_site(&self) -> bool {
        self.sec_fetch_site.as_deref() == Some("cross-site")
    }
}

/// One CSRF experiment: its id (the attempts are filed under it) and the
/// address of the attacker's page on the second local origin, if the
/// viewer's host has one (`127.0.0.1` and `localhost` are each other's).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CsrfRun {
    pub run: String,
    pub attacker_url: Option<String>,
}

/// The page that stands for another site in the CSRF experiment.
pub const CSRF_ATTACKER_PATH: &str = "/lab/csrf/attacker";
/// The state-changing route the attacker's form posts to. It changes
/// nothing; it passes the one CSRF rule like every other route, and the
/// Lab files what reached it.
pub const CSRF_TARGET_PATH: &str = "/api/lab/csrf/target";

/// The other name of this loopback host, as another site: `127.0.0.1:P`
/// and `localhost:P` are different sites to a browser (a site is the
/// scheme and the registrable domain, or the IP address itself).
pub fn other_site(host: &str) -> Option<String> {
    let (name, port) = match host.rsplit_once(':') {
        Some((name, port)) if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => (name, Some(port)),
        _ => (host, None),
    };
    let other = match name.to_ascii_lowercase().as_str() {
        "127.0.0.1" | "[::1]" => "localhost",
        "localhost" => "127.0.0.1",
        _ => return None,
    };
    Some(match port {
        Some(port) => format!("{other}:{port}"),
        None => other.to_owned(),
    })
}

/// A valid CSRF run id: what the target files attempts under.
pub fn is_run_id(run: &str) -> bool {
    (8..=64).contains(&run.len()) && run.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_other_site_of_a_loopback_host() {
        assert_eq!(other_site("127.0.0.1:3000").as_deref(), Some("localhost:3000"));
        assert_eq!(other_site("LOCALHOST:8080").as_deref(), Some("127.0.0.1:8080"));
        assert_eq!(other_site("[::1]:3000").as_deref(), Some("localhost:3000"));
        assert_eq!(other_site("localhost").as_deref(), Some("127.0.0.1"));
        assert_eq!(other_site("authlab.example:443"), None);
        assert_eq!(other_site("10.0.0.2:3000"), None);
    }

    #[test]
    fn run_ids_are_short_and_plain() {
        assert!(is_run_id("0b6f0c7e-5f8a-4d51-9b8e-3b1f2a7c9d10"));
        assert!(!is_run_id("short"));
        assert!(!is_run_id("has spaces in it"));
        assert!(!is_run_id(&"a".repeat(65)));
    }
}
