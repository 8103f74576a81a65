//! Types shared by the server and the wasm bundle: what pages display.

use serde::{Deserialize, Serialize};
use std::fmt;

pub mod cluster;
pub mod compare;
pub mod guide;
pub mod lab;
pub mod race;

/// How a request proved who it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum AuthMode {
    Session,
    Jwt,
}

impl AuthMode {
    pub fn as_str(self) -> &'static str {
        match self {
            AuthMode::Session => "session",
            AuthMode::Jwt => "jwt",
        }
    }

    /// Parses the value of the login form's mode field.
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "session" => Some(AuthMode::Session),
            "jwt" => Some(AuthMode::Jwt),
            _ => None,
        }
    }
}

impl fmt::Display for AuthMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Role {
    User,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::User => "user",
            Role::Admin => "admin",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "user" => Some(Role::User),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The logged-in person as the nav bar shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub username: String,
    pub role: Role,
    pub mode: AuthMode,
}

/// One step the auth layer took to resolve a request's credential.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TraceStep {
    pub step: Step,
    pub micros: u64,
}

/// How the server knew who made a request: what was presented, what was
/// checked, how long it took.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AuthTrace {
    /// The request this trace belongs to, e.g. `GET /me`.
    pub request: String,
    pub steps: Vec<TraceStep>,
    /// Bytes of the `Cookie` and `Authorization` request headers.
    pub credential_header_bytes: usize,
    pub total_micros: u64,
    /// Whether this request needed the server's own state (a store lookup).
    pub touched_server_state: bool,
    /// Which mode's credential the request presented, if any.
    pub mode: Option<AuthMode>,
    /// Bytes of all the request's headers: names, values, `: ` and line ends.
    pub request_header_bytes: usize,
}

/// A cookie the browser sent with this request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeldCookie {
    pub name: String,
    pub bytes: usize,
}

/// A JWT as anyone holding it can read it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DecodedJwt {
    pub header_json: String,
    pub payload_json: String,
    pub token_bytes: usize,
    /// Bytes of the header, the payload and the signature, base64url.
    pub part_bytes: [usize; 3],
    pub seconds_until_exp: i64,
}

/// What the server keeps for this login.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ServerRecord {
    Session {
        /// Only the first characters: the full id is the credential itself.
        id_prefix: String,
        store: String,
        data_json: String,
        idle_expires_in: i64,
        absolute_expires_in: i64,
    },
    Jwt {
        refresh_family: Option<RefreshFamilyView>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefreshFamilyView {
    pub family_id: String,
    pub created_at: i64,
    pub last_refreshed_at: i64,
    pub expires_in: i64,
    pub tokens_issued: i64,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

/// Everything `/me` shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MeView {
    pub user: CurrentUser,
    /// The role in the users table now. In JWT mode it can differ from the
    /// role claim until the token is re-issued.
    pub database_role: Option<Role>,
    pub browser_cookies: Vec<HeldCookie>,
    pub jwt: Option<DecodedJwt>,
    pub server_record: ServerRecord,
    pub trace: AuthTrace,
}

/// A post on the board, with what the viewer may do to it (decided by the
/// server's one ownership rule, so the UI never guesses).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Post {
    pub id: i64,
    pub author: String,
    pub body: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub can_edit: bool,
    pub can_delete: bool,
}

/// A row of the admin console.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct UserSummary {
    pub username: String,
    pub role: Role,
    pub post_count: i64,
    pub created_at: i64,
    pub last_login_at: Option<i64>,
}

/// Who is logged in, for the nav bar, and whether the server has already
/// revoked this login while the browser's access token lives on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NavStatus {
    pub user: CurrentUser,
    /// Seconds this JWT keeps working although its login was revoked.
    pub revoked_token_valid_for: Option<i64>,
}

/// What the nav bar shows: who is logged in (`None`: anonymous), and in a
/// cluster the instance that answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NavView {
    pub status: Option<NavStatus>,
    pub instance: Option<String>,
}

/// One live login: a session record, or a refresh-token family.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LoginView {
    /// A public id: never the session id itself, which is the credential.
    pub id: String,
    pub mode: AuthMode,
    pub username: String,
    pub created_at: i64,
    /// Session: last activity (to the minute). JWT: last refresh.
    pub last_seen_at: i64,
    pub expires_at: i64,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    /// The login this request was made with.
    pub current: bool,
}

/// What a revocation took back, per mode.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RevokedCounts {
    pub revoked: u64,
    pub sessions: u64,
    pub refresh_families: u64,
    /// The longest time an access token of a revoked family may still be
    /// accepted: it is nowhere on the server, so nothing can recall it
    /// (0 when strict revocation is on).
    pub access_tokens_valid_for: i64,
}

/// Settings an admin can change while the server runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Settings {
    /// Check every access token's login against the server: forced logout
    /// becomes immediate, and every JWT request touches server state.
    pub strict_revocation: bool,
    /// Live logins per user; a new login past it revokes the oldest. 0: no limit.
    pub max_logins_per_user: u32,
}

/// What the audit trail records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditEvent {
    Login,
    Logout,
    Refresh,
    RefreshReuse,
    ForcedLogout,
    LoginRevoked,
    LogoutOthers,
    LoginLimit,
    PasswordChange,
    RoleChange,
    Denied,
    SettingsChanged,
}

impl AuditEvent {
    pub const ALL: [AuditEvent; 12] = [
        AuditEvent::Login,
        AuditEvent::Logout,
        AuditEvent::Refresh,
        AuditEvent::RefreshReuse,
        AuditEvent::ForcedLogout,
        AuditEvent::LoginRevoked,
        AuditEvent::LogoutOthers,
        AuditEvent::LoginLimit,
        AuditEvent::PasswordChange,
        AuditEvent::RoleChange,
        AuditEvent::Denied,
        AuditEvent::SettingsChanged,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AuditEvent::Login => "login",
            AuditEvent::Logout => "logout",
            AuditEvent::Refresh => "refresh",
            AuditEvent::RefreshReuse => "refresh_reuse",
            AuditEvent::ForcedLogout => "forced_logout",
            AuditEvent::LoginRevoked => "login_revoked",
            AuditEvent::LogoutOthers => "logout_others",
            AuditEvent::LoginLimit => "login_limit",
            AuditEvent::PasswordChange => "password_change",
            AuditEvent::RoleChange => "role_change",
            AuditEvent::Denied => "denied",
            AuditEvent::SettingsChanged => "settings_changed",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        AuditEvent::ALL.into_iter().find(|event| event.as_str() == value)
    }
}

/// One row of the audit trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    pub id: i64,
    pub at: i64,
    pub username: Option<String>,
    pub mode: Option<AuthMode>,
    pub ip: Option<String>,
    pub event: String,
    /// `ok`, `failed` or `denied`.
    pub outcome: String,
    /// In English, as recorded.
    pub detail: String,
    /// The same, structured, for the page to tell in its language (absent
    /// on rows recorded before it was kept).
    #[cfg_attr(feature = "ssr", schema(value_type = Option<serde_json::Value>))]
    pub detail_data: Option<AuditDetail>,
    /// How many identical denied requests in a row this row stands for;
    /// `at` is the latest of them.
    pub repeats: i64,
}

/// Which audit rows to show; every field narrows the list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct AuditFilter {
    /// `?user=alice`
    #[serde(rename = "user")]
    pub username: Option<String>,
    pub event: Option<String>,
    pub outcome: Option<String>,
    pub limit: Option<u32>,
}

/// Why a presented access token was refused: each names the check that
/// refused it, so the trace, the error and the audit trail can say which.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenRejection {
    /// `exp` is in the past.
    Expired,
    /// `nbf` is in the future.
    NotYetValid,
    BadSignature,
    /// The header names another algorithm than HS256 (`none`, HS512, RS256, ...).
    WrongAlgorithm,
    WrongIssuer,
    WrongAudience,
    /// A required claim is absent; the detail names it.
    MissingClaim(String),
    TooLarge,
    /// The header's `kid` names neither the current nor the previous key.
    UnknownKey,
    /// Not three base64url parts of JSON; the detail is the parser's words.
    Malformed(String),
}

/// What went wrong with a refresh token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RefreshProblem {
    NotValid,
    Revoked,
    Expired,
    AccountGone,
    NoneHeld,
}

/// Why a refresh was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RefreshFailure {
    /// A replayed refresh token: its whole family is now revoked.
    Reused,
    Invalid(RefreshProblem),
    ServerError,
}

/// Why the auth layer refused the credential a request presented.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Refusal {
    NotBearer,
    Token(TokenRejection),
    SubjectNotUser,
    StrictRevoked,
    StrictLookupFailed,
    /// The browser's transparent refresh failed; `reused` when the refresh
    /// token was a replay (and its family is now revoked).
    RefreshFailed(RefreshFailure),
    NoSessionRecord {
        store: String,
    },
    SessionStoreUnreadable,
    SessionTooOld,
    SessionUserGone,
    UsersUnreadable,
}

/// One step the auth layer took, in words the catalogs give.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    Anonymous,
    ReadAuthorization {
        bytes: usize,
    },
    ReadCookie {
        name: String,
        bytes: usize,
    },
    /// Signature, `exp`, `iss` and `aud` checked; `lookup_follows` when strict
    /// revocation will look the login up next; `cached` when this process
    /// had verified this very token before and checked only `exp` again.
    VerifiedSignature {
        lookup_follows: bool,
        #[serde(default)]
        cached: bool,
    },
    StrictLookupLive,
    RefreshNeeded {
        cookie: String,
    },
    Rotated,
    /// `cached`: found in this process's cache, no query.
    SessionFound {
        store: String,
        #[serde(default)]
        cached: bool,
    },
    UserLoaded {
        #[serde(default)]
        cached: bool,
    },
    IdleExtended,
    Refused {
        refusal: Refusal,
    },
}

/// Why a logged-in person may not do something.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Denial {
    NeedsRole {
        role: Role,
    },
    NotYourPost {
        delete: bool,
    },
    /// Instance-to-instance requests of a cluster need its secret.
    NotInCluster,
}

/// A request whose content is wrong, in words the catalogs give.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BadInput {
    ChooseMode,
    UnknownRole,
    MissingCredentials,
    EmptyPost,
    PostTooLong(usize),
    UsernameLength(usize, usize),
    UsernameCharacters,
    PasswordLength(usize, usize),
    SamePassword,
    LoginLimitRange(u32),
    UnknownAuditEvent(String),
    UnknownLanguage(String),
    UnknownAction,
    /// A Lab run id: 8 to 64 letters, digits or `-`.
    RunId,
    /// The body, query or path could not be read; the detail is the parser's words.
    Unreadable(String),
}

/// Which page a request went for, as the audit trail records a denial.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeniedBecause {
    NotAllowed,
    NoCredential,
    Refused(Refusal),
}

/// What an audit row says happened, kept structured so that each language
/// can tell it; the English telling is stored beside it for the API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditDetail {
    WrongCredentials,
    TooManyFailures,
    NewSession,
    NewRefreshFamily,
    Rotated,
    RefreshRefused {
        failure: RefreshFailure,
    },
    LoggedOut {
        mode: AuthMode,
    },
    Revoked {
        counts: RevokedCounts,
    },
    ForcedLogout {
        by: String,
        counts: RevokedCounts,
    },
    PasswordChanged {
        counts: RevokedCounts,
    },
    WrongCurrentPassword,
    TooManyWrongPasswords,
    LoginLimit {
        limit: u32,
        mode: AuthMode,
        ip: Option<String>,
        created_at: i64,
        tokens_valid_for: i64,
    },
    SettingsChanged {
        before: Settings,
        after: Settings,
    },
    RoleChanged {
        from: Role,
        to: Role,
        by: String,
    },
    Denied {
        status: u16,
        request: String,
        because: DeniedBecause,
    },
}

impl AuditDetail {
    /// The English telling, which the audit table keeps for the API.
    pub fn english(&self) -> String {
        (crate::i18n::Locale::En.messages().audit_detail)(self)
    }
}

/// A `User-Agent` header, summarised for a login list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientSummary {
    /// `Chrome 156`, and the system when it is known.
    Browser {
        browser: String,
        system: Option<&'static str>,
    },
    /// Not a browser: its first product token (`curl/8.5.0`).
    Other(String),
    Unknown,
}

/// `2026-11-23 09:41 UTC` from Unix seconds (days-to-civil, Howard Hinnant).
pub fn format_utc(unix: i64) -> String {
    let days = unix.div_euclid(86_400);
    let seconds = unix.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02} UTC",
        seconds / 3600,
        seconds % 3600 / 60
    )
}

/// `HH:MM:SS UTC` of a Unix time, beside [`format_utc`] for what happens
/// within a minute (a restart).
pub fn format_utc_time(unix: i64) -> String {
    let seconds = unix.rem_euclid(86_400);
    format!(
        "{:02}:{:02}:{:02} UTC",
        seconds / 3600,
        seconds % 3600 / 60,
        seconds % 60
    )
}

/// `Chrome 156` on `Linux` from a `User-Agent` header, for a login list;
/// the whole header stays available as the element's title. Clients that
/// are not browsers keep their first product token (`curl/8.5.0`).
pub fn client_summary(user_agent: &str) -> ClientSummary {
    const BROWSERS: [(&str, &str); 7] = [
        ("Edg/", "Edge"),
        ("OPR/", "Opera"),
        ("Firefox/", "Firefox"),
        ("HeadlessChrome/", "Headless Chrome"),
        ("Chrome/", "Chrome"),
        ("CriOS/", "Chrome"),
        ("Version/", "Safari"),
    ];
    const SYSTEMS: [(&str, &str); 7] = [
        ("Windows", "Windows"),
        ("iPhone", "iOS"),
        ("iPad", "iPadOS"),
        ("Android", "Android"),
        ("CrOS", "ChromeOS"),
        ("Mac OS X", "macOS"),
        ("Linux", "Linux"),
    ];
    let browser = BROWSERS.iter().find_map(|(marker, name)| {
        let version = user_agent.split(marker).nth(1)?;
        let major: String = version.chars().take_while(char::is_ascii_digit).collect();
        Some(if major.is_empty() {
            name.to_string()
        } else {
            format!("{name} {major}")
        })
    });
    let system = SYSTEMS
        .iter()
        .find(|(marker, _)| user_agent.contains(marker))
        .map(|(_, name)| *name);
    match (browser, user_agent.split_whitespace().next()) {
        (Some(browser), _) => ClientSummary::Browser { browser, system },
        (None, Some(product)) => ClientSummary::Other(product.chars().take(40).collect()),
        (None, None) => ClientSummary::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::{client_summary, format_utc, format_utc_time, AuditEvent};

    #[test]
    fn summarises_user_agents() {
        for (user_agent, summary) in [
            (
                "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.0.0 Safari/537.36",
                "Headless Chrome 156 on Linux",
            ),
            (
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.86",
                "Edge 131 on Windows",
            ),
            (
                "Mozilla/5.0 (Macintosh; Intel Mac OS X 14.7; rv:133.0) Gecko/20100101 Firefox/133.0",
                "Firefox 133 on macOS",
            ),
            (
                "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
                "Safari 18 on iOS",
            ),
            (
                "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
                "Chrome 131 on Android",
            ),
            ("curl/8.5.0", "curl/8.5.0"),
            ("Mozilla/5.0 (X11; Linux) Firefox/nonsense", "Firefox on Linux"),
            ("", "unknown client"),
        ] {
            let text = (crate::i18n::Locale::En.basics().client)(&client_summary(user_agent));
            assert_eq!(text, summary, "{user_agent}");
        }
    }

    #[test]
    fn audit_events_round_trip_through_their_names() {
        for event in AuditEvent::ALL {
            assert_eq!(AuditEvent::parse(event.as_str()), Some(event));
            let json = serde_json::to_string(&event).unwrap();
            assert_eq!(json, format!("\"{}\"", event.as_str()), "the API and the table agree");
        }
        assert_eq!(AuditEvent::parse("nonsense"), None);
    }

    #[test]
    fn formats_unix_times_as_utc() {
        assert_eq!(format_utc(0), "1970-01-01 00:00 UTC");
        assert_eq!(format_utc(1_795_425_519), "2026-11-23 09:18 UTC");
        assert_eq!(format_utc(951_782_400), "2000-02-29 00:00 UTC");
        assert_eq!(format_utc_time(1_795_593_448), "07:57:28 UTC");
        assert_eq!(format_utc_time(0), "00:00:00 UTC");
    }
}
