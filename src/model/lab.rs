//! What the Lab shows: experiments that really ran, request by request.

use super::{AuthTrace, CurrentUser, Refusal};
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
