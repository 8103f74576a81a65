//! Access tokens: HS256 JWTs with an explicit, strict validation.

use super::cache::Cache;
pub use crate::model::TokenRejection;
use crate::{error::AppError, model::Role};
use jsonwebtoken::{errors::ErrorKind, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use std::path::Path;

pub const ISSUER: &str = "authlab";
pub const AUDIENCE: &str = "authlab-web";
/// Clock skew we forgive; the crate's default of 60 s is too generous.
pub const LEEWAY_SECS: u64 = 5;
/// The first second at which a token that expires at `exp` is refused. The
/// validation forgives `LEEWAY_SECS` of clock difference past `exp`, so that
/// a token issued by a server whose clock runs a little ahead (another
/// instance) is not refused early; for those seconds it is still accepted.
pub fn refused_from(exp: i64) -> i64 {
    exp + LEEWAY_SECS as i64 + 1
}

pub const MIN_SECRET_BYTES: usize = 32;
/// No real token of ours comes near this; larger input is refused unparsed.
pub const MAX_TOKEN_BYTES: usize = 4096;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// The user's id, as a string (RFC 7519).
    pub sub: String,
    pub name: String,
    pub role: Role,
    pub iat: u64,
    pub exp: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nbf: Option<u64>,
    pub jti: String,
    pub iss: String,
    pub aud: String,
    /// The refresh-token family this token was issued with: lets a Bearer
    /// client log out, and lets the server name the login it belongs to.
    pub sid: String,
}

impl Claims {
    pub fn user_id(&self) -> Option<i64> {
        self.sub.parse().ok()
    }
}

/// The signing key, and the previous one after a rotation. Each token names
/// its key in the header's `kid`; only these two ids are ever looked up.
pub struct JwtKeys {
    kid: String,
    encoding: EncodingKey,
    decoding: DecodingKey,
    previous: Option<(String, DecodingKey)>,
    validation: Validation,
    /// The tokens this process has verified, by their exact text, with
    /// their claims (what Envoy's `jwt_cache_config` keeps): a client sends
    /// the same access token on every request until it expires, and its
    /// signature, `iss` and `aud` cannot change, so they are checked once;
    /// `exp` is checked on every use. Only tokens that passed every check
    /// get in, so a forged or altered token (other bytes) is always
    /// verified in full. Revocation is not a property of the token: strict
    /// revocation still looks its login up every time.
    verified: Cache<Box<str>, Claims>,
}

/// A token that passed: its claims, and whether this process had verified
/// this very token before (`cached`), so that only `exp` was checked again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    pub claims: Claims,
    pub cached: bool,
}

/// A key's public name: the start of its SHA-256, which says nothing of it.
fn key_id(secret: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(secret)[..8]
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

fn check_length(secret: &[u8]) -> Result<(), String> {
    if secret.len() < MIN_SECRET_BYTES {
        return Err(format!(
            "a JWT secret must be at least {MIN_SECRET_BYTES} bytes, this one has {}",
            secret.len()
        ));
    }
    Ok(())
}

impl JwtKeys {
    pub fn new(secret: &[u8]) -> Result<Self, String> {
        JwtKeys::rotated(secret, None)
    }

    /// `previous` still verifies the tokens it signed (for at most one
    /// access lifetime, their `exp`); new tokens are signed with `secret`.
    pub fn rotated(secret: &[u8], previous: Option<&[u8]>) -> Result<Self, String> {
        check_length(secret)?;
        if let Some(previous) = previous {
            check_length(previous)?;
        }
        let mut validation = Validation::new(Algorithm::HS256);
        validation.algorithms = vec![Algorithm::HS256];
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.leeway = LEEWAY_SECS;
        validation.validate_exp = true;
        // Checked whenever a token carries `nbf`.
        validation.validate_nbf = true;
        Ok(JwtKeys {
            kid: key_id(secret),
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            previous: previous.map(|previous| (key_id(previous), DecodingKey::from_secret(previous))),
            validation,
            verified: Cache::new(0),
        })
    }

    /// Keeps up to `capacity` verified tokens (`AUTHLAB_JWT_CACHE`; 0: off).
    pub fn with_cache(mut self, capacity: usize) -> Self {
        self.verified = Cache::new(capacity);
        self
    }

    pub fn issue(&self, claims: &Claims) -> Result<String, AppError> {
        self.issue_with(Algorithm::HS256, claims)
    }

    /// A token signed with this server's key under another HMAC algorithm:
    /// the Lab shows that the algorithm list refuses it all the same.
    pub fn issue_with(&self, algorithm: Algorithm, claims: &Claims) -> Result<String, AppError> {
        let mut header = Header::new(algorithm);
        header.kid = Some(self.kid.clone());
        jsonwebtoken::encode(&header, claims, &self.encoding).map_err(AppError::internal)
    }

    /// The key a token names: ours or the previous one, nothing else
    /// (`jku`, `jwk` and `x5u` headers are never followed). A token without
    /// `kid` can only be checked against the current key.
    fn key_for(&self, token: &str) -> Result<&DecodingKey, TokenRejection> {
        let header = jsonwebtoken::decode_header(token).map_err(|err| TokenRejection::Malformed(err.to_string()))?;
        match header.kid.as_deref() {
            None => Ok(&self.decoding),
            Some(kid) if kid == self.kid => Ok(&self.decoding),
            Some(kid) => match &self.previous {
                Some((previous_kid, key)) if kid == previous_kid => Ok(key),
                _ => Err(TokenRejection::UnknownKey),
            },
        }
    }

    /// Checks signature, algorithm, `exp`, `nbf`, `iss` and `aud`.
    pub fn validate(&self, token: &str) -> Result<Claims, TokenRejection> {
        self.verify(token).map(|verified| verified.claims)
    }

    /// [`validate`](Self::validate), saying whether the token was one this
    /// process had already verified (then only `exp` was checked again).
    pub fn verify(&self, token: &str) -> Result<Verified, TokenRejection> {
        if token.len() > MAX_TOKEN_BYTES {
            return Err(TokenRejection::TooLarge);
        }
        if let Some(kept) = self.cached(token, jsonwebtoken::get_current_timestamp()) {
            return kept.map(|claims| Verified { claims, cached: true });
        }
        let claims = self.verify_in_full(token)?;
        if self.verified.is_on() {
            self.verified.put(token.into(), claims.clone());
        }
        Ok(Verified { claims, cached: false })
    }

    /// A token verified before, if this process keeps it: refused from the
    /// second its `exp` refuses it (and then forgotten).
    fn cached(&self, token: &str, now: u64) -> Option<Result<Claims, TokenRejection>> {
        let claims = self.verified.get(token)?;
        if now as i64 >= refused_from(claims.exp as i64) {
            self.verified.forget(token);
            return Some(Err(TokenRejection::Expired));
        }
        Some(Ok(claims))
    }

    fn verify_in_full(&self, token: &str) -> Result<Claims, TokenRejection> {
        jsonwebtoken::decode::<Claims>(token, self.key_for(token)?, &self.validation)
            .map(|data| data.claims)
            .map_err(|err| match err.kind() {
                ErrorKind::ExpiredSignature => TokenRejection::Expired,
                ErrorKind::InvalidSignature => TokenRejection::BadSignature,
                ErrorKind::InvalidAlgorithm => TokenRejection::WrongAlgorithm,
                ErrorKind::InvalidIssuer => TokenRejection::WrongIssuer,
                ErrorKind::InvalidAudience => TokenRejection::WrongAudience,
                ErrorKind::ImmatureSignature => TokenRejection::NotYetValid,
                ErrorKind::MissingRequiredClaim(claim) => TokenRejection::MissingClaim(claim.clone()),
                _ => TokenRejection::Malformed(err.to_string()),
            })
    }
}

/// The configured secret, or one generated once and kept in `data_dir`.
pub fn load_or_create_secret(configured: Option<&str>, data_dir: &Path) -> anyhow::Result<Vec<u8>> {
    if let Some(secret) = configured {
        return Ok(secret.as_bytes().to_vec());
    }
    let path = data_dir.join("jwt_secret");
    match std::fs::read(&path) {
        Ok(secret) => return Ok(secret),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
        Err(err) => return Err(anyhow::anyhow!("cannot read {}: {err}", path.display())),
    }
    std::fs::create_dir_all(data_dir)?;
    let secret = crate::auth::random_token(48).into_bytes();
    write_private_file(&path, &secret)?;
    tracing::info!(path = %path.display(), "generated a new JWT signing key");
    Ok(secret)
}

fn write_private_file(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)?.write_all(contents)
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
    use jsonwebtoken::get_current_timestamp;

    const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef";

    fn claims(exp_offset: i64) -> Claims {
        let now = get_current_timestamp();
        Claims {
            sub: "7".into(),
            name: "alice".into(),
            role: Role::User,
            iat: now,
            exp: (now as i64 + exp_offset) as u64,
            nbf: None,
            jti: "jti-1".into(),
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
            sid: "family-1".into(),
        }
    }

    fn keys() -> JwtKeys {
        JwtKeys::new(SECRET).unwrap()
    }

    /// Signs arbitrary JSON claims with the given algorithm and our secret.
    fn sign_json(alg: Algorithm, payload: serde_json::Value) -> String {
        jsonwebtoken::encode(&Header::new(alg), &payload, &EncodingKey::from_secret(SECRET)).unwrap()
    }

    #[test]
    fn short_secret_is_refused() {
        assert!(JwtKeys::new(b"too short").is_err());
    }

    const NEXT: &[u8] = b"fedcba9876543210fedcba9876543210";

    #[test]
    fn after_a_rotation_old_tokens_verify_by_their_kid_and_new_ones_use_the_new_key() {
        let before = keys();
        let old_token = before.issue(&claims(300)).unwrap();
        let header = jsonwebtoken::decode_header(&old_token).unwrap();
        assert_eq!(header.kid.as_deref(), Some(key_id(SECRET).as_str()));
        assert!(
            !key_id(SECRET).contains("0123456789"),
            "the kid reveals nothing of the key"
        );

        let after = JwtKeys::rotated(NEXT, Some(SECRET)).unwrap();
        assert!(after.validate(&old_token).is_ok(), "logins survive the rotation");
        let new_token = after.issue(&claims(300)).unwrap();
        assert_eq!(jsonwebtoken::decode_header(&new_token).unwrap().kid, Some(key_id(NEXT)));
        assert!(after.validate(&new_token).is_ok());
        assert_eq!(before.validate(&new_token), Err(TokenRejection::UnknownKey));

        let later = JwtKeys::new(NEXT).unwrap();
        assert_eq!(
            later.validate(&old_token),
            Err(TokenRejection::UnknownKey),
            "the previous key is dropped"
        );
        assert!(JwtKeys::rotated(NEXT, Some(b"short")).is_err());
    }

    #[test]
    fn a_kid_can_only_select_between_the_two_known_keys() {
        let keys = JwtKeys::rotated(NEXT, Some(SECRET)).unwrap();
        for kid in ["../../etc/passwd", "", "0000000000000000", "http://evil.example/key"] {
            let mut header = Header::new(Algorithm::HS256);
            header.kid = Some(kid.into());
            let token = jsonwebtoken::encode(&header, &claims(300), &EncodingKey::from_secret(NEXT)).unwrap();
            assert_eq!(keys.validate(&token), Err(TokenRejection::UnknownKey), "{kid:?}");
        }
        // A jku or jwk header pointing at the attacker's key is never followed.
        let attacker = b"attacker-attacker-attacker-attac";
        let mut header = Header::new(Algorithm::HS256);
        header.jku = Some("http://evil.example/jwks.json".into());
        let token = jsonwebtoken::encode(&header, &claims(300), &EncodingKey::from_secret(attacker)).unwrap();
        assert_eq!(keys.validate(&token), Err(TokenRejection::BadSignature));
    }

    #[test]
    fn issued_token_validates_with_all_claims() {
        let keys = keys();
        let original = claims(300);
        let token = keys.issue(&original).unwrap();
        assert_eq!(keys.validate(&token).unwrap(), original);
    }

    #[test]
    fn tampered_payload_is_refused() {
        let keys = keys();
        let token = keys.issue(&claims(300)).unwrap();
        let mut parts: Vec<String> = token.split('.').map(String::from).collect();
        let mut payload: serde_json::Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(&parts[1]).unwrap()).unwrap();
        payload["role"] = "admin".into();
        parts[1] = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&payload).unwrap());
        let forged = parts.join(".");
        assert_eq!(keys.validate(&forged), Err(TokenRejection::BadSignature));
    }

    #[test]
    fn alg_none_is_refused() {
        let keys = keys();
        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
        let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims(300)).unwrap());
        for token in [format!("{header}.{payload}."), format!("{header}.{payload}")] {
            assert!(keys.validate(&token).is_err(), "accepted {token}");
        }
    }

    #[test]
    fn other_algorithms_are_refused_even_with_our_key() {
        let keys = keys();
        let payload = serde_json::to_value(claims(300)).unwrap();
        for alg in [Algorithm::HS512, Algorithm::HS384] {
            let token = sign_json(alg, payload.clone());
            assert_eq!(keys.validate(&token), Err(TokenRejection::WrongAlgorithm), "{alg:?}");
        }
    }

    #[test]
    fn wrong_audience_or_issuer_is_refused() {
        let keys = keys();
        let mut payload = serde_json::to_value(claims(300)).unwrap();
        payload["aud"] = "someone-else".into();
        assert_eq!(
            keys.validate(&sign_json(Algorithm::HS256, payload)),
            Err(TokenRejection::WrongAudience)
        );
        let mut payload = serde_json::to_value(claims(300)).unwrap();
        payload["iss"] = "evil".into();
        assert_eq!(
            keys.validate(&sign_json(Algorithm::HS256, payload)),
            Err(TokenRejection::WrongIssuer)
        );
    }

    #[test]
    fn token_expired_ten_seconds_ago_is_refused_despite_leeway() {
        let keys = keys();
        let token = keys.issue(&claims(-10)).unwrap();
        assert_eq!(keys.validate(&token), Err(TokenRejection::Expired));
    }

    /// `refused_from` names the very second the validation starts refusing.
    #[test]
    fn refused_from_is_the_first_second_past_the_leeway() {
        let keys = keys();
        for offset in [-(LEEWAY_SECS as i64), -(LEEWAY_SECS as i64) - 1] {
            loop {
                let before = get_current_timestamp() as i64;
                let token_claims = claims(offset);
                let accepted = keys.validate(&keys.issue(&token_claims).unwrap()).is_ok();
                if get_current_timestamp() as i64 != before {
                    continue; // a second passed in between: ask again
                }
                let refused_from = refused_from(token_claims.exp as i64);
                assert_eq!(accepted, before < refused_from, "exp {offset} s from now");
                break;
            }
        }
    }

    #[test]
    fn missing_exp_is_refused() {
        let keys = keys();
        let mut payload = serde_json::to_value(claims(300)).unwrap();
        payload.as_object_mut().unwrap().remove("exp");
        let rejection = keys.validate(&sign_json(Algorithm::HS256, payload)).unwrap_err();
        // Our claims type requires `exp`, so the parser refuses it first.
        assert!(
            matches!(&rejection, TokenRejection::Malformed(detail) if detail.contains("`exp`")),
            "{rejection:?}"
        );
    }

    #[test]
    fn future_nbf_is_refused() {
        let keys = keys();
        let mut future = claims(300);
        future.nbf = Some(get_current_timestamp() + 60);
        assert_eq!(
            keys.validate(&keys.issue(&future).unwrap()),
            Err(TokenRejection::NotYetValid)
        );
    }

    #[test]
    fn signed_with_another_key_is_refused() {
        let other = JwtKeys::new(b"another-secret-another-secret-xx").unwrap();
        let token = other.issue(&claims(300)).unwrap();
        assert!(keys().validate(&token).is_err());
    }

    #[test]
    fn garbage_and_oversized_input_is_malformed_not_a_panic() {
        let keys = keys();
        for token in ["", "garbage", "a.b.c", "...."] {
            assert!(
                matches!(keys.validate(token), Err(TokenRejection::Malformed(_))),
                "{token:.20}"
            );
        }
        assert_eq!(
            keys.validate(&"x".repeat(MAX_TOKEN_BYTES + 1)),
            Err(TokenRejection::TooLarge)
        );
    }

    fn cached_entries(keys: &JwtKeys) -> usize {
        keys.verified.len()
    }

    #[test]
    fn a_token_is_verified_in_full_once_then_served_from_the_cache() {
        let keys = keys().with_cache(100);
        let token = keys.issue(&claims(300)).unwrap();
        let first = keys.verify(&token).unwrap();
        assert!(!first.cached);
        let second = keys.verify(&token).unwrap();
        assert!(second.cached);
        assert_eq!(first.claims, second.claims);
        assert_eq!(cached_entries(&keys), 1);

        let without = JwtKeys::new(SECRET).unwrap();
        assert!(!without.verify(&token).unwrap().cached);
        assert!(!without.verify(&token).unwrap().cached, "no cache unless asked for");
        let off = JwtKeys::new(SECRET).unwrap().with_cache(0);
        off.verify(&token).unwrap();
        assert!(!off.verify(&token).unwrap().cached, "0 turns it off");
    }

    #[test]
    fn an_altered_cached_token_is_verified_in_full_and_refused() {
        let keys = keys().with_cache(100);
        let token = keys.issue(&claims(300)).unwrap();
        keys.verify(&token).unwrap();
        // Same signature, another payload.
        let (_, signature) = token.rsplit_once('.').unwrap();
        let other = keys.issue(&Claims {
            role: Role::Admin,
            ..claims(300)
        });
        let (signed_part, _) = other.as_ref().unwrap().rsplit_once('.').unwrap();
        let forged = format!("{signed_part}.{signature}");
        assert_eq!(keys.verify(&forged), Err(TokenRejection::BadSignature));
        // A changed signature byte.
        let mut bytes = token.clone().into_bytes();
        let last = bytes.len() - 2;
        bytes[last] = if bytes[last] == b'A' { b'B' } else { b'A' };
        let tampered = String::from_utf8(bytes).unwrap();
        assert!(keys.verify(&tampered).is_err());
        assert!(keys.verify(&token).unwrap().cached, "the real one is still served");
        assert_eq!(cached_entries(&keys), 1, "refused tokens are never kept");
    }

    #[test]
    fn a_cached_token_is_refused_from_the_second_its_exp_refuses_it() {
        let keys = keys().with_cache(100);
        let token_claims = claims(300);
        let token = keys.issue(&token_claims).unwrap();
        keys.verify(&token).unwrap();
        let last_good = refused_from(token_claims.exp as i64) as u64 - 1;
        assert!(matches!(keys.cached(&token, last_good), Some(Ok(_))));
        assert_eq!(keys.cached(&token, last_good + 1), Some(Err(TokenRejection::Expired)));
        assert_eq!(cached_entries(&keys), 0, "an expired entry is dropped");
    }

    #[test]
    fn the_cache_stays_within_its_capacity() {
        let keys = keys().with_cache(32);
        for n in 0..1000 {
            let token = keys
                .issue(&Claims {
                    jti: format!("jti-{n}"),
                    ..claims(300)
                })
                .unwrap();
            keys.verify(&token).unwrap();
            assert!(cached_entries(&keys) <= 32);
        }
    }

    #[test]
    fn generated_secret_is_kept_private_and_reused() {
        let dir = tempfile::tempdir().unwrap();
        let first = load_or_create_secret(None, dir.path()).unwrap();
        assert!(first.len() >= MIN_SECRET_BYTES);
        assert_eq!(load_or_create_secret(None, dir.path()).unwrap(), first);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join("jwt_secret"))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
}
