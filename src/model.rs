//! Types shared by the server and the wasm bundle: what pages display.

use serde::{Deserialize, Serialize};
use std::fmt;

/// How a request proved who it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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

    pub fn label(self) -> &'static str {
        match self {
            AuthMode::Session => "Session",
            AuthMode::Jwt => "JWT",
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
    pub what: String,
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
pub struct UserSummary {
    pub username: String,
    pub role: Role,
    pub post_count: i64,
    pub created_at: i64,
    pub last_login_at: Option<i64>,
}
