//! The Lab (`/lab`): experiments that really run against both modes, and a
//! deliberately naive verifier fenced off from the rest of the app (see
//! `naive`): nothing outside `services::lab` reaches it.

pub mod attacks;
pub mod naive;

use crate::{error::AppError, model::lab::CsrfAttempt};
use attacks::AttackerKeys;
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use naive::{NaiveVerifier, WORDLIST};
use serde_json::Value;
use std::{collections::VecDeque, path::PathBuf};
use tokio::sync::OnceCell;

/// Part `index` of a token (0 the header, 1 the payload) as JSON, read
/// the way anyone holding the token can read it.
pub fn token_part(token: &str, index: usize) -> Option<Value> {
    let bytes = URL_SAFE_NO_PAD.decode(token.split('.').nth(index)?).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// A JSON value as a token part.
pub fn encode_part(value: &Value) -> String {
    URL_SAFE_NO_PAD.encode(value.to_string())
}

/// An RSA key pair of the Lab's (the naive verifier's, the attacker's),
/// in the forms the experiments use.
pub struct RsaKeyPair {
    /// PKCS#1 DER, what `jsonwebtoken` signs RS256 with.
    pub private_der: Vec<u8>,
    pub public_pem: String,
    /// The modulus and exponent, base64url, as a JWK holds them.
    pub n: String,
    pub e: String,
}

impl RsaKeyPair {
    /// 1024 bits: enough for a lesson on a Lab-only key, quick to make.
    pub fn generate() -> anyhow::Result<Self> {
        use rsa::{
            pkcs1::EncodeRsaPrivateKey,
            pkcs8::{EncodePublicKey, LineEnding},
            traits::PublicKeyParts,
        };

        let private = rsa::RsaPrivateKey::new(&mut rsa::rand_core::OsRng, 1024)?;
        Ok(RsaKeyPair {
            private_der: private.to_pkcs1_der()?.as_bytes().to_vec(),
            public_pem: private.to_public_key().to_public_key_pem(LineEnding::LF)?,
            n: URL_SAFE_NO_PAD.encode(private.n().to_bytes_be()),
            e: URL_SAFE_NO_PAD.encode(private.e().to_bytes_be()),
        })
    }
}

/// How many requests to the CSRF target are kept (for every run together).
pub const CSRF_ATTEMPTS_KEPT: usize = 256;

/// The Lab's own user (a name sign-up refuses).
pub const LAB_USERNAME: &str = "lab.demo";

/// The Lab's keys, made on first use (RSA key generation takes a moment,
/// and most processes never open the Lab).
pub struct Lab {
    sandbox: PathBuf,
    keys: OnceCell<LabKeys>,
    demo_password: OnceCell<String>,
    /// Propagation runs share one demo user: one runs at a time.
    pub propagation: tokio::sync::Mutex<()>,
    /// The latest requests that reached the CSRF target, by run id.
    csrf_attempts: std::sync::Mutex<VecDeque<(String, CsrfAttempt)>>,
}

pub struct LabKeys {
    pub naive: NaiveVerifier,
    pub attacker: AttackerKeys,
    /// The word of the dictionary the weak-secret verifier signs with.
    pub weak_secret: String,
}

impl Lab {
    /// `sandbox`: a folder of the Lab's own; the naive `kid` verifier reads
    /// files in it and nowhere else.
    pub fn new(sandbox: PathBuf) -> Self {
        Lab {
            sandbox,
            keys: OnceCell::new(),
            demo_password: OnceCell::new(),
            propagation: tokio::sync::Mutex::new(()),
            csrf_attempts: std::sync::Mutex::new(VecDeque::new()),
        }
    }

    pub async fn keys(&self) -> Result<&LabKeys, AppError> {
        self.keys
            .get_or_try_init(|| async {
                let sandbox = self.sandbox.clone();
                tokio::task::spawn_blocking(move || make_keys(&sandbox))
                    .await
                    .map_err(AppError::internal)?
                    .map_err(AppError::internal)
            })
            .await
    }

    /// Files a request that reached the CSRF target under its run; the
    /// oldest go first beyond [`CSRF_ATTEMPTS_KEPT`].
    pub fn record_csrf(&self, run: String, attempt: CsrfAttempt) {
        let mut attempts = self
            .csrf_attempts
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if attempts.len() == CSRF_ATTEMPTS_KEPT {
            attempts.pop_front();
        }
        attempts.push_back((run, attempt));
    }

    /// The requests filed under `run`, oldest first.
    pub fn csrf_attempts(&self, run: &str) -> Vec<CsrfAttempt> {
        let attempts = self
            .csrf_attempts
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        attempts
            .iter()
            .filter(|(seen, _)| seen == run)
            .map(|(_, attempt)| attempt.clone())
            .collect()
    }

    /// The Lab user's password, set once per process.
    pub async fn demo_password<F, Fut>(&self, reset: F) -> Result<&str, AppError>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Result<String, AppError>>,
    {
        self.demo_password.get_or_try_init(reset).await.map(String::as_str)
    }
}

/// A random word of the shipped dictionary: the experiment has to search.
fn random_word() -> anyhow::Result<String> {
    let words: Vec<&str> = WORDLIST
        .lines()
        .map(str::trim)
        .filter(|word| !word.is_empty())
        .collect();
    let mut bytes = [0u8; 4];
    getrandom::fill(&mut bytes).map_err(|err| anyhow::anyhow!("{err}"))?;
    Ok(words[u32::from_le_bytes(bytes) as usize % words.len()].to_owned())
}

fn make_keys(sandbox: &std::path::Path) -> anyhow::Result<LabKeys> {
    let weak_secret = random_word()?;
    Ok(LabKeys {
        naive: NaiveVerifier::new(&weak_secret, sandbox)?,
        attacker: AttackerKeys::new()?,
        weak_secret,
    })
}
