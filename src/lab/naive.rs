//! The Lab's naive verifier: seven real-world ways to verify a JWT wrongly,
//! each its own function, for the Lab's experiments only.
//!
//! Fenced off: nothing outside the Lab calls it. The auth layer knows only
//! `auth::jwt`, and what a naive verifier accepts opens one thing, the
//! Lab's own protected page, which says whom it let in. Its files live in a
//! sandbox folder of its own, and the only key sets it fetches are this
//! server's own, on loopback.

use super::RsaKeyPair;
pub use crate::model::lab::Flaw;
use jsonwebtoken::{jwk::JwkSet, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::path::{Component, Path, PathBuf};

/// The dictionary the weak-secret experiment really searches.
pub const WORDLIST: &str = include_str!("wordlist.txt");

/// Why a naive verifier refused a token (it does refuse some).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NaiveRefusal {
    Malformed,
    BadSignature,
    NoKey,
}

/// The key file the `kid` experiment's verifier reads for its own tokens.
pub const OWN_KEY_ID: &str = "naive.key";

/// A naive verifier's keys, and its sandbox folder:
/// `<sandbox>/keys/naive.key` (its HMAC secret) and `<sandbox>/public/`
/// (files anyone can read, one of them empty).
pub struct NaiveVerifier {
    strong_secret: Vec<u8>,
    weak_secret: String,
    rsa: RsaKeyPair,
    sandbox: PathBuf,
}

fn part(token: &str, index: usize) -> Result<Value, NaiveRefusal> {
    super::token_part(token, index).ok_or(NaiveRefusal::Malformed)
}

/// The token's header as plain JSON: a naive verifier reads whatever is in it.
pub fn header_of(token: &str) -> Result<Value, NaiveRefusal> {
    part(token, 0)
}

fn claims_of(token: &str) -> Result<Value, NaiveRefusal> {
    part(token, 1)
}

/// Checks the signature (and nothing else: naive verifiers skip claims
/// too) with `key` under `algorithm`.
fn check_signature(token: &str, key: &DecodingKey, algorithm: Algorithm) -> Result<Value, NaiveRefusal> {
    let mut validation = Validation::new(algorithm);
    validation.validate_exp = false;
    validation.validate_aud = false;
    validation.required_spec_claims.clear();
    jsonwebtoken::decode::<Value>(token, key, &validation)
        .map(|data| data.claims)
        .map_err(|_| NaiveRefusal::BadSignature)
}

fn header_algorithm(header: &Value) -> Result<Algorithm, NaiveRefusal> {
    header["alg"]
        .as_str()
        .and_then(|alg| alg.parse().ok())
        .ok_or(NaiveRefusal::Malformed)
}

impl NaiveVerifier {
    /// A new verifier with fresh keys; `weak_secret` must be a word of the
    /// dictionary (the experiment recovers it), `sandbox` an empty folder.
    pub fn new(weak_secret: &str, sandbox: &Path) -> anyhow::Result<Self> {
        let mut strong_secret = vec![0u8; 32];
        getrandom::fill(&mut strong_secret).map_err(|err| anyhow::anyhow!("{err}"))?;
        let rsa = RsaKeyPair::generate()?;
        std::fs::create_dir_all(sandbox.join("keys"))?;
        std::fs::create_dir_all(sandbox.join("public"))?;
        std::fs::write(sandbox.join("keys").join(OWN_KEY_ID), &strong_secret)?;
        std::fs::write(sandbox.join("public").join("empty.txt"), b"")?;
        Ok(NaiveVerifier {
            strong_secret,
            weak_secret: weak_secret.to_owned(),
            rsa,
            sandbox: sandbox.to_owned(),
        })
    }

    /// The public key the algorithm-confusion verifier checks RS256 with;
    /// public by nature, so the Lab publishes it.
    pub fn public_key_pem(&self) -> &str {
        &self.rsa.public_pem
    }

    /// A token this verifier would issue itself, for `claims`: what a
    /// learner gets before attacking it.
    pub fn issue(&self, flaw: Flaw, claims: &Value) -> Result<String, jsonwebtoken::errors::Error> {
        let (header, key) = match flaw {
            Flaw::WeakSecret => (
                Header::new(Algorithm::HS256),
                EncodingKey::from_secret(self.weak_secret.as_bytes()),
            ),
            Flaw::KidPath => {
                let mut header = Header::new(Algorithm::HS256);
                header.kid = Some(OWN_KEY_ID.into());
                (header, EncodingKey::from_secret(&self.strong_secret))
            }
            Flaw::EmbeddedJwk | Flaw::Jku | Flaw::AlgConfusion => (
                Header::new(Algorithm::RS256),
                EncodingKey::from_rsa_der(&self.rsa.private_der),
            ),
            Flaw::DecodeOnly | Flaw::AlgNone => (
                Header::new(Algorithm::HS256),
                EncodingKey::from_secret(&self.strong_secret),
            ),
        };
        jsonwebtoken::encode(&header, claims, &key)
    }

    /// The claims `flaw`'s verifier accepts `token` with. `fetched_jwks` is
    /// the key set the token's `jku` named, fetched by the caller (who
    /// fetches only from this server's own lab, on loopback).
    pub fn verify(&self, flaw: Flaw, token: &str, fetched_jwks: Option<&str>) -> Result<Value, NaiveRefusal> {
        let header = header_of(token)?;
        match flaw {
            Flaw::DecodeOnly => claims_of(token),
            Flaw::AlgNone => {
                if header["alg"]
                    .as_str()
                    .is_some_and(|alg| alg.eq_ignore_ascii_case("none"))
                {
                    claims_of(token)
                } else {
                    check_signature(
                        token,
                        &DecodingKey::from_secret(&self.strong_secret),
                        header_algorithm(&header)?,
                    )
                }
            }
            Flaw::WeakSecret => check_signature(
                token,
                &DecodingKey::from_secret(self.weak_secret.as_bytes()),
                Algorithm::HS256,
            ),
            Flaw::EmbeddedJwk => {
                let key = match header.get("jwk") {
                    Some(jwk) => {
                        let jwk = serde_json::from_value(jwk.clone()).map_err(|_| NaiveRefusal::NoKey)?;
                        DecodingKey::from_jwk(&jwk).map_err(|_| NaiveRefusal::NoKey)?
                    }
                    None => self.public_key()?,
                };
                check_signature(token, &key, header_algorithm(&header)?)
            }
            Flaw::Jku => {
                let key = match fetched_jwks {
                    Some(jwks) => {
                        let set: JwkSet = serde_json::from_str(jwks).map_err(|_| NaiveRefusal::NoKey)?;
                        let jwk = match header["kid"].as_str() {
                            Some(kid) => set.find(kid),
                            None => set.keys.first(),
                        }
                        .ok_or(NaiveRefusal::NoKey)?;
                        DecodingKey::from_jwk(jwk).map_err(|_| NaiveRefusal::NoKey)?
                    }
                    None => self.public_key()?,
                };
                check_signature(token, &key, header_algorithm(&header)?)
            }
            Flaw::KidPath => {
                let kid = header["kid"].as_str().ok_or(NaiveRefusal::NoKey)?;
                let secret = self.read_key_file(kid)?;
                check_signature(token, &DecodingKey::from_secret(&secret), Algorithm::HS256)
            }
            Flaw::AlgConfusion => {
                let algorithm = header_algorithm(&header)?;
                let key = match algorithm {
                    Algorithm::HS256 | Algorithm::HS384 | Algorithm::HS512 => {
                        DecodingKey::from_secret(self.rsa.public_pem.as_bytes())
                    }
                    _ => self.public_key()?,
                };
                check_signature(token, &key, algorithm)
            }
        }
    }

    fn public_key(&self) -> Result<DecodingKey, NaiveRefusal> {
        DecodingKey::from_rsa_components(&self.rsa.n, &self.rsa.e).map_err(|_| NaiveRefusal::NoKey)
    }

    /// `keys/<kid>`, joined as the naive code does, without a check, so
    /// `../` climbs out of `keys/`. The Lab's own fence (not part of the
    /// lesson) keeps it inside the sandbox: nothing else on this machine is
    /// ever read.
    fn read_key_file(&self, kid: &str) -> Result<Vec<u8>, NaiveRefusal> {
        let mut path = self.sandbox.join("keys");
        for component in Path::new(kid).components() {
            match component {
                Component::Normal(name) => path.push(name),
                Component::ParentDir => {
                    path.pop();
                }
                _ => return Err(NaiveRefusal::NoKey),
            }
        }
        if !path.starts_with(&self.sandbox) {
            return Err(NaiveRefusal::NoKey);
        }
        std::fs::read(&path).map_err(|_| NaiveRefusal::NoKey)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lab::attacks;
    use serde_json::json;

    fn verifier() -> (NaiveVerifier, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        (NaiveVerifier::new("sunshine", dir.path()).unwrap(), dir)
    }

    fn alice() -> Value {
        json!({"sub": "1", "name": "alice", "role": "user"})
    }

    #[test]
    fn each_naive_verifier_accepts_its_own_tokens_and_refuses_a_stranger() {
        let (naive, _dir) = verifier();
        let stranger = jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            &alice(),
            &EncodingKey::from_secret(b"a key nobody here knows, long enough"),
        )
        .unwrap();
        for flaw in Flaw::ALL {
            let own = naive.issue(flaw, &alice()).unwrap();
            assert_eq!(naive.verify(flaw, &own, None).unwrap()["name"], "alice", "{flaw:?}");
            if flaw != Flaw::DecodeOnly {
                assert!(
                    naive.verify(flaw, &stranger, None).is_err(),
                    "{flaw:?} accepted a stranger"
                );
            }
        }
    }

    #[test]
    fn every_attack_gets_in_as_admin_against_its_naive_verifier() {
        let (naive, _dir) = verifier();
        let attacker = attacks::AttackerKeys::new().unwrap();
        for flaw in Flaw::ALL {
            let forged = attacks::forge(flaw, &naive, &attacker, &alice()).unwrap();
            let jwks = (flaw == Flaw::Jku).then(|| attacker.jwks());
            let claims = naive
                .verify(flaw, &forged.token, jwks.as_deref())
                .unwrap_or_else(|refusal| panic!("{flaw:?}: {refusal:?}"));
            assert_eq!(claims["role"], "admin", "{flaw:?}");
        }
    }

    /// The same forgeries, with this app's claims, against the app's real
    /// verifier: each refused, and by the rule the Lab names.
    #[test]
    fn every_attack_is_refused_by_the_real_verifier_and_its_rule() {
        use crate::auth::jwt::{JwtKeys, TokenRejection};
        let (naive, _dir) = verifier();
        let attacker = attacks::AttackerKeys::new().unwrap();
        let real = JwtKeys::new(b"the real key of this app, 32 bytes or more").unwrap();
        let now = jsonwebtoken::get_current_timestamp();
        let claims = json!({
            "sub": "1", "name": "alice", "role": "user", "iat": now, "exp": now + 300,
            "jti": "j", "iss": crate::auth::jwt::ISSUER, "aud": crate::auth::jwt::AUDIENCE, "sid": "s",
        });
        for flaw in Flaw::ALL {
            let forged = attacks::forge(flaw, &naive, &attacker, &claims).unwrap();
            let rejection = real.validate(&forged.token).unwrap_err();
            let expected = match flaw {
                Flaw::DecodeOnly | Flaw::WeakSecret | Flaw::AlgConfusion => TokenRejection::BadSignature,
                // The header's key is never used: RS256 is not on the list.
                Flaw::EmbeddedJwk => TokenRejection::WrongAlgorithm,
                // Only this app's own key ids are looked up; `jku` is never followed.
                Flaw::Jku | Flaw::KidPath => TokenRejection::UnknownKey,
                Flaw::AlgNone => rejection.clone(),
            };
            assert_eq!(rejection, expected, "{flaw:?}");
            if flaw == Flaw::AlgNone {
                assert!(matches!(rejection, TokenRejection::Malformed(_)), "{rejection:?}");
            }
        }
    }

    #[test]
    fn the_kid_path_never_leaves_the_sandbox() {
        let (naive, dir) = verifier();
        assert!(naive.read_key_file("../public/empty.txt").unwrap().is_empty());
        assert_eq!(naive.read_key_file(OWN_KEY_ID).unwrap().len(), 32);
        for outside in ["../../../../etc/passwd", "/etc/passwd", "../../x"] {
            assert_eq!(naive.read_key_file(outside), Err(NaiveRefusal::NoKey), "{outside}");
        }
        drop(dir);
    }
}
