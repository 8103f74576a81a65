//! All configuration in one struct: each field is a flag and an environment
//! variable, with defaults that are safe for a local demo.

use clap::{ArgAction, Parser, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SessionStoreKind {
    /// Sessions in the app's SQLite database (survive a restart).
    Sqlite,
    /// Sessions in process memory (lost on restart; one server only).
    Memory,
    /// Sessions in PostgreSQL (`AUTHLAB_SESSION_DATABASE_URL`), shared by
    /// every instance.
    Postgres,
    /// Sessions in Redis (`AUTHLAB_REDIS_URL`), shared by every instance.
    Redis,
}

#[derive(Debug, Clone, Parser)]
#[command(name = "authlab", version, about = "Session cookies vs JWT, side by side")]
pub struct Config {
    /// Database URL: `sqlite://file` (created on first start) or
    /// `postgres://user@host:port/database` (which must exist; its tables
    /// are created on first start).
    #[arg(long, env = "AUTHLAB_DATABASE_URL", default_value = "sqlite://data/authlab.db")]
    pub database_url: String,

    /// Where server-side sessions live. Default: `sqlite` on a SQLite
    /// database, `postgres` on a PostgreSQL one.
    #[arg(long = "session-store", env = "AUTHLAB_SESSION_STORE", value_enum)]
    pub session_store_kind: Option<SessionStoreKind>,

    /// Redis of the `redis` session store; it also carries the caches'
    /// invalidations between instances.
    #[arg(long, env = "AUTHLAB_REDIS_URL", default_value = "redis://127.0.0.1:6379")]
    pub redis_url: String,

    /// PostgreSQL of the `postgres` session store (its table
    /// `tower_sessions.session`), e.g. `postgres://127.0.0.1:5432/authlab`;
    /// it also carries the caches' invalidations (`LISTEN/NOTIFY`).
    #[arg(long, env = "AUTHLAB_SESSION_DATABASE_URL", hide_env_values = true)]
    pub session_database_url: Option<String>,

    /// This server's name in a cluster: sent as `X-AuthLab-Instance` on
    /// every response and shown in the nav. Default: the host name.
    #[arg(long, env = "AUTHLAB_INSTANCE")]
    pub instance: Option<String>,

    /// Addresses of the reverse proxies in front (nginx), comma-separated:
    /// only a request from one of them may name the client's address in
    /// `X-Forwarded-For`; from anyone else the header is ignored.
    #[arg(long = "trusted-proxy", env = "AUTHLAB_TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxies: Vec<std::net::IpAddr>,

    /// The cluster's instances as `name=http://address:port`, comma-separated
    /// (`make cluster` sets it): `/compare` shows each one's lookups.
    #[arg(long = "peer", env = "AUTHLAB_PEERS", value_delimiter = ',', value_parser = parse_peer)]
    pub peers: Vec<Peer>,

    /// Shared by a cluster's instances (`make cluster` makes one): with it,
    /// an instance can be told to restart by another (the Lab's restart
    /// experiment), and the cluster runner starts it again.
    #[arg(long, env = "AUTHLAB_CLUSTER_SECRET", hide_env_values = true)]
    pub cluster_secret: Option<String>,

    /// Session records and users kept in this process's cache, so that a
    /// session request costs no query (0: off). Every forced logout and
    /// role change forgets its entries at once. One process per SQLite file
    /// while it is on.
    #[arg(long, env = "AUTHLAB_SESSION_CACHE", default_value_t = 10_000)]
    pub session_cache: usize,

    /// HS256 signing key, at least 32 bytes. Default: generated once and kept
    /// in `<data dir>/jwt_secret` (mode 0600).
    #[arg(long, env = "AUTHLAB_JWT_SECRET", hide_env_values = true)]
    pub jwt_secret: Option<String>,

    /// The secret before a rotation: tokens it signed (their header's `kid`
    /// names it) still verify, so logins survive the rotation; drop it one
    /// access lifetime later.
    #[arg(long, env = "AUTHLAB_JWT_SECRET_PREVIOUS", hide_env_values = true)]
    pub jwt_secret_previous: Option<String>,

    /// Access tokens this process has verified, kept by their exact text so
    /// that the next request with the same token checks only its `exp`
    /// (0: every request verifies the signature and every claim).
    #[arg(long, env = "AUTHLAB_JWT_CACHE", default_value_t = 10_000)]
    pub jwt_cache: usize,

    /// Folder for generated state (the JWT key file).
    #[arg(long, env = "AUTHLAB_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,

    /// Access token lifetime in seconds.
    #[arg(long, env = "AUTHLAB_ACCESS_TTL", default_value_t = 300, value_parser = clap::value_parser!(u64).range(1..))]
    pub access_ttl: u64,

    /// Refresh token lifetime in seconds (each rotation starts a new one).
    #[arg(long, env = "AUTHLAB_REFRESH_TTL", default_value_t = 7 * 24 * 3600, value_parser = clap::value_parser!(u64).range(1..))]
    pub refresh_ttl: u64,

    /// Seconds during which a browser's repeat of a just-rotated refresh
    /// token (parallel requests of one page) gets the same new pair instead
    /// of revoking the login. 0: every repeat counts as reuse.
    #[arg(long, env = "AUTHLAB_REFRESH_GRACE", default_value_t = 10)]
    pub refresh_grace: u64,

    /// Session idle timeout in seconds, extended by activity.
    #[arg(long, env = "AUTHLAB_SESSION_IDLE_TTL", default_value_t = 1800, value_parser = clap::value_parser!(u64).range(1..))]
    pub session_idle_ttl: u64,

    /// Session absolute lifetime in seconds, counted from login.
    #[arg(long, env = "AUTHLAB_SESSION_ABSOLUTE_TTL", default_value_t = 12 * 3600, value_parser = clap::value_parser!(u64).range(1..))]
    pub session_absolute_ttl: u64,

    /// Seed alice, bob and admin into an empty database.
    #[arg(long, env = "AUTHLAB_DEMO_USERS", default_value_t = true, action = ArgAction::Set)]
    pub demo_users: bool,

    /// Mark cookies `Secure` (turn on behind HTTPS).
    #[arg(long, env = "AUTHLAB_SECURE_COOKIES", default_value_t = false, action = ArgAction::Set)]
    pub secure_cookies: bool,

    /// Check each access token's login on every request, so that revoking a
    /// login takes effect at once (a lookup per JWT request). Admins can
    /// switch it at run time.
    #[arg(long, env = "AUTHLAB_JWT_STRICT_REVOCATION", default_value_t = false, action = ArgAction::Set)]
    pub jwt_strict_revocation: bool,

    /// Live logins per user (sessions and refresh families together); a new
    /// login past it revokes the oldest. 0: no limit. Admins can change it.
    #[arg(long, env = "AUTHLAB_MAX_LOGINS_PER_USER", default_value_t = 0, value_parser = clap::value_parser!(u32).range(0..=1000))]
    pub max_logins_per_user: u32,

    /// Failed logins allowed per account (the username typed) within the
    /// window, from all addresses together. 0: no limit.
    #[arg(long, env = "AUTHLAB_LOGIN_MAX_FAILURES", default_value_t = 10)]
    pub login_max_failures: u32,

    /// Failed logins allowed per client address within the window, for all
    /// usernames together (a classroom behind one NAT shares it). 0: no limit.
    #[arg(long, env = "AUTHLAB_LOGIN_MAX_FAILURES_PER_ADDRESS", default_value_t = 100)]
    pub login_max_failures_per_address: u32,

    /// Window of the failed-login limit, in seconds.
    #[arg(long, env = "AUTHLAB_LOGIN_FAILURE_WINDOW", default_value_t = 300)]
    pub login_failure_window: u64,

    /// Days the audit trail keeps an event; housekeeping deletes older ones.
    /// 0: keep every event.
    #[arg(long, env = "AUTHLAB_AUDIT_RETENTION_DAYS", default_value_t = 30)]
    pub audit_retention_days: u32,

    /// The latest `make bench` results, shown on `/compare` (absent: the
    /// page says how to make them).
    #[arg(long, env = "AUTHLAB_BENCH_RESULTS", default_value = "bench/results.json")]
    pub bench_results: PathBuf,

    /// argon2id memory per new password hash, in KiB. OWASP's minimum is
    /// 19456 (19 MiB) with 2 passes; the server warns below its settings.
    /// Existing hashes keep the cost they were made with.
    #[arg(long, env = "AUTHLAB_ARGON2_MEMORY_KIB", default_value_t = 19_456, value_parser = clap::value_parser!(u32).range(8..=1_048_576))]
    pub argon2_memory_kib: u32,

    /// argon2id passes over that memory per new password hash.
    #[arg(long, env = "AUTHLAB_ARGON2_ITERATIONS", default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..=64))]
    pub argon2_iterations: u32,

    /// Password hashes and verifications that may wait for a free worker
    /// (one per core); past them a login is answered 503 `busy` at once.
    #[arg(long, env = "AUTHLAB_PASSWORD_QUEUE", default_value_t = 32)]
    pub password_queue: usize,

    /// Origins besides the one the browser addresses (its `Host`) from which
    /// state-changing requests are accepted, e.g. `https://demo.example`
    /// behind a proxy that rewrites `Host`. Comma-separated.
    #[arg(long = "origin", env = "AUTHLAB_ORIGINS", value_delimiter = ',')]
    pub origins: Vec<String>,

    /// Access token lifetime of the race's demo user (`/compare/race`) and of
    /// the Lab's propagation runs, in seconds: short, so that a room sees a
    /// token run out within a minute.
    #[arg(long, env = "AUTHLAB_RACE_ACCESS_TTL", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..))]
    pub race_access_ttl: u64,

    /// A race stops when no presenter's page asked for it this many seconds.
    #[arg(long, env = "AUTHLAB_RACE_IDLE_SECS", default_value_t = 15, value_parser = clap::value_parser!(u64).range(1..))]
    pub race_idle_secs: u64,

    /// A race stops after this many seconds in any case.
    #[arg(long, env = "AUTHLAB_RACE_MAX_SECS", default_value_t = 600, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub race_max_secs: u64,
}

/// An instance of the same cluster (this one among them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Peer {
    pub name: String,
    /// Where it listens itself, not through the balancer.
    pub address: std::net::SocketAddr,
}

fn parse_peer(text: &str) -> Result<Peer, String> {
    let expected = || format!("`{text}`: expected name=http://address:port, e.g. a=http://127.0.0.1:3101");
    let (name, url) = text.split_once('=').ok_or_else(expected)?;
    let address = url
        .strip_prefix("http://")
        .map(|rest| rest.trim_end_matches('/'))
        .and_then(|rest| rest.parse().ok())
        .ok_or_else(expected)?;
    if name.is_empty() {
        return Err(expected());
    }
    Ok(Peer {
        name: name.to_owned(),
        address,
    })
}

/// The race's own user. Its name has a dot, which sign-up refuses, so no
/// real account can ever be taken over by a race.
pub const RACE_USERNAME: &str = "race.demo";

/// The user of the Lab's propagation runs (forced logout, role change),
/// kept apart from the Lab's other user so a run revokes nobody else's login.
pub const PROPAGATION_USERNAME: &str = "lab.propagation";

impl Config {
    /// The configured session store, else the one of the database's engine.
    pub fn session_store(&self) -> SessionStoreKind {
        self.session_store_kind
            .unwrap_or(if crate::db::is_postgres_url(&self.database_url) {
                SessionStoreKind::Postgres
            } else {
                SessionStoreKind::Sqlite
            })
    }

    /// The users of the race and of the Lab's propagation runs get short
    /// tokens, so that a token's whole life fits in a lesson; everyone else
    /// `access_ttl`.
    pub fn access_ttl_for(&self, username: &str) -> u64 {
        if username == RACE_USERNAME || username == PROPAGATION_USERNAME {
            self.race_access_ttl
        } else {
            self.access_ttl
        }
    }

    /// This instance's name (`AUTHLAB_INSTANCE`, else the host name).
    pub fn instance_name(&self) -> String {
        self.instance.clone().unwrap_or_else(|| {
            std::fs::read_to_string("/proc/sys/kernel/hostname")
                .map(|name| name.trim().to_owned())
                .ok()
                .filter(|name| !name.is_empty())
                .unwrap_or_else(|| "authlab".to_owned())
        })
    }

    /// Reads flags and environment; `args` starts with the program name.
    pub fn from_args<I, T>(args: I) -> Result<Self, clap::Error>
    where
        I: IntoIterator<Item = T>,
        T: Into<std::ffi::OsString> + Clone,
    {
        Config::try_parse_from(args)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_match_the_readme() {
        let config = Config::from_args(["authlab"]).unwrap();
        assert_eq!(config.access_ttl, 300);
        assert_eq!(config.refresh_ttl, 604_800);
        assert_eq!(config.session_idle_ttl, 1800);
        assert_eq!(config.session_absolute_ttl, 43_200);
        assert_eq!(config.session_store(), SessionStoreKind::Sqlite);
        assert_eq!(config.session_cache, 10_000);
        assert_eq!(config.jwt_cache, 10_000);
        assert!(!config.secure_cookies);
        assert!(!config.jwt_strict_revocation);
        assert_eq!(config.max_logins_per_user, 0);
        assert_eq!(config.audit_retention_days, 30);
        assert_eq!((config.argon2_memory_kib, config.argon2_iterations), (19_456, 2));
    }

    #[test]
    fn argon2_costs_argon2_cannot_run_are_refused() {
        let cost = |memory: &str, iterations: &str| {
            Config::from_args([
                "authlab",
                "--argon2-memory-kib",
                memory,
                "--argon2-iterations",
                iterations,
            ])
            .map(|config| (config.argon2_memory_kib, config.argon2_iterations))
        };
        assert_eq!(cost("1024", "1").unwrap(), (1024, 1));
        // argon2 needs 8 KiB per lane and one pass.
        assert!(cost("7", "2").is_err());
        assert!(cost("19456", "0").is_err());
        assert!(cost("lots", "2").is_err());
    }

    #[test]
    fn the_session_store_follows_the_database_unless_named() {
        let store = |url: &str, named: &[&str]| {
            let mut args = vec!["authlab", "--database-url", url];
            args.extend_from_slice(named);
            Config::from_args(args).unwrap().session_store()
        };
        assert_eq!(store("sqlite://data/x.db", &[]), SessionStoreKind::Sqlite);
        assert_eq!(store("postgres://127.0.0.1/authlab", &[]), SessionStoreKind::Postgres);
        assert_eq!(store("postgresql://127.0.0.1/authlab", &[]), SessionStoreKind::Postgres);
        let redis = ["--session-store", "redis"];
        assert_eq!(store("postgres://127.0.0.1/authlab", &redis), SessionStoreKind::Redis);
    }

    #[test]
    fn booleans_take_explicit_values() {
        let config = Config::from_args(["authlab", "--demo-users", "false"]).unwrap();
        assert!(!config.demo_users);
    }

    #[test]
    fn peers_and_proxies_parse() {
        let config = Config::from_args([
            "authlab",
            "--peer",
            "a=http://127.0.0.1:3101/,b=http://127.0.0.1:3102",
            "--trusted-proxy",
            "127.0.0.1,::1",
        ])
        .unwrap();
        assert_eq!(config.peers[0].address, "127.0.0.1:3101".parse().unwrap());
        assert_eq!(config.peers[1].name, "b");
        assert_eq!(config.trusted_proxies.len(), 2);
        assert!(Config::from_args(["authlab", "--peer", "http://127.0.0.1:3101"]).is_err());
        assert!(Config::from_args(["authlab", "--trusted-proxy", "nginx"]).is_err());
    }

    #[test]
    fn zero_ttl_is_refused() {
        assert!(Config::from_args(["authlab", "--access-ttl", "0"]).is_err());
    }
}
