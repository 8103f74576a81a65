//! Assembles state and router; used by `main` and by the integration tests.

use crate::{
    api,
    app::{shell, App},
    auth::{
        bus::{self, Bus, Caches},
        cache::{Cache, InstanceLock, UserCache},
        cookies::SESSION_COOKIE,
        instance::Instance,
        jwt,
        layer::resolve_credentials,
        now,
        password::{HashCost, PasswordPool},
        recent::{RecentTraces, KEPT_PER_MODE},
        session::{AppSessionStore, SharedLink},
    },
    build_files::BuildFiles,
    config::Config,
    db::{self, Db},
    model::Settings,
    page_head,
    services::{login_limit::LoginLimiter, logins, race::Race, refresh_grace::RefreshGrace, settings::RuntimeSettings},
    state::{AppState, SharedState},
};
use axum::serve::{ListenerExt, TapIo};
use axum::{
    extract::Request,
    http::{header, Method, StatusCode},
    middleware::{self, Next},
    response::Response,
    Router,
};
use leptos::prelude::*;
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use std::{
    net::SocketAddr,
    sync::{Arc, LazyLock},
    time::Duration,
};
use tower_http::limit::RequestBodyLimitLayer;
use tower_sessions::{cookie::SameSite, Expiry, SessionManagerLayer};
use tracing_subscriber::EnvFilter;

/// Bodies beyond this are refused before any handler runs.
const MAX_REQUEST_BODY_BYTES: usize = 64 * 1024;

/// The page routes, listed once per process. Leptos lists them by running
/// the app with a process-wide switch that parks every resource first
/// polled meanwhile, forever (leptos-rs/leptos#4773); so a router built
/// while another one renders a page (parallel tests) would hang that page.
static ROUTES: LazyLock<Vec<AxumRouteListing>> = LazyLock::new(|| generate_route_list(App));

/// The build's file names carry content hashes (`hash-files`), listed in a
/// file cargo-leptos writes next to the server binary. Without that file
/// (a binary built by plain `cargo`, a test) the pages name the files
/// without a hash (`page_head`), and the files are read from the folder.
fn with_hash_file_checked(mut options: LeptosOptions) -> LeptosOptions {
    if options.hash_files && !page_head::hash_file(&options).is_some_and(|path| path.exists()) {
        tracing::warn!(
            file = %options.hash_file,
            "no hash file beside the binary (build with cargo leptos): the pages name the files without hashes"
        );
        options.hash_files = false;
    }
    options
}

/// Leptos's settings: `[[workspace.metadata.leptos]]` of the Cargo.toml this
/// binary was built from (compiled in: a deployed server has no source
/// tree), each overridden by its `LEPTOS_*` variable (`LEPTOS_SITE_ROOT`,
/// `LEPTOS_SITE_ADDR`, ...).
pub fn leptos_options() -> anyhow::Result<LeptosOptions> {
    Ok(leptos::config::get_config_from_str(include_str!("../Cargo.toml"))?)
}

pub async fn build_state(config: Config, leptos_options: LeptosOptions) -> anyhow::Result<AppState> {
    let leptos_options = with_hash_file_checked(leptos_options);
    let secret = jwt::load_or_create_secret(config.jwt_secret.as_deref(), &config.data_dir)?;
    let previous = config.jwt_secret_previous.as_deref().map(str::as_bytes);
    let jwt = jwt::JwtKeys::rotated(&secret, previous)
        .map_err(anyhow::Error::msg)?
        .with_cache(config.jwt_cache);
    let db = Db::connect(&config.database_url).await?;
    let link = AppSessionStore::link(&config, &db).await?;
    // The bus rides on the session store when it is shared, else on a
    // PostgreSQL database: every instance then hears a role change.
    let bus_link = link
        .clone()
        .or_else(|| db.postgres().map(|pool| SharedLink::Postgres(pool.clone())));
    let bus = Arc::new(Bus::connect(bus_link.as_ref()).await?);
    let instance_lock = match db::file_of(&config.database_url)? {
        Some(file) => Some(Arc::new(InstanceLock::take(
            &file,
            config.session_cache > 0 && !bus.is_shared(),
        )?)),
        None => None,
    };
    let cost = HashCost {
        memory_kib: config.argon2_memory_kib,
        iterations: config.argon2_iterations,
    };
    if cost.below_owasp() {
        tracing::warn!(
            memory_kib = cost.memory_kib,
            iterations = cost.iterations,
            "new password hashes cost less than OWASP's minimum for argon2id (19456 KiB, 2 passes): for tests and benchmarks only"
        );
    }
    let passwords = PasswordPool::per_core(config.password_queue, cost).map_err(anyhow::Error::msg)?;
    let lab_sandbox = config.data_dir.join("lab");
    if config.demo_users && db::seed_demo_users(&db, &passwords, now()).await? {
        tracing::info!("seeded the demo accounts alice, bob and admin");
    }
    passwords.warm_up().await?;
    let instance = Instance::new(config.instance_name(), now());
    let sessions = AppSessionStore::new(
        config.session_store(),
        &db,
        link.as_ref(),
        config.session_absolute_ttl,
        Arc::new(Cache::new(config.session_cache)),
        bus.clone(),
        &instance.name,
    )
    .await?;
    let users = Arc::new(UserCache::new(config.session_cache, bus.clone()));
    if let Some(link) = &bus_link {
        let caches = Caches {
            sessions: sessions.cache().clone(),
            users: users.clone(),
        };
        bus::listen(link, caches, bus).await?;
    }
    let login_limiter = LoginLimiter::new(
        config.login_max_failures,
        config.login_max_failures_per_address,
        Duration::from_secs(config.login_failure_window),
    );
    let refresh_grace = RefreshGrace::new(Duration::from_secs(config.refresh_grace));
    let settings = RuntimeSettings::new(Settings {
        strict_revocation: config.jwt_strict_revocation,
        max_logins_per_user: config.max_logins_per_user,
    });
    Ok(AppState::new(SharedState {
        db,
        config: Arc::new(config),
        jwt: Arc::new(jwt),
        sessions,
        users,
        instance_lock,
        instance: Arc::new(instance),
        shutdown: Arc::default(),
        login_limiter: Arc::new(login_limiter),
        refresh_grace: Arc::new(refresh_grace),
        settings: Arc::new(settings),
        passwords,
        recent: Arc::new(RecentTraces::new(KEPT_PER_MODE, now())),
        race: Arc::new(Race::default()),
        lab: Arc::new(crate::lab::Lab::new(lab_sandbox)),
        address: Arc::default(),
        leptos_options,
    }))
}

/// The listener every connection of this server comes through, with
/// Nagle's algorithm off. With it on, a response written in two pieces
/// (head, then body) held its second piece until the client's delayed ACK:
/// 40 ms on Linux for every kept-alive request of a page or a file.
pub fn without_nagle(
    listener: tokio::net::TcpListener,
) -> TapIo<tokio::net::TcpListener, fn(&mut tokio::net::TcpStream)> {
    fn no_delay(stream: &mut tokio::net::TcpStream) {
        if let Err(err) = stream.set_nodelay(true) {
            tracing::debug!(%err, "could not set TCP_NODELAY");
        }
    }
    listener.tap_io(no_delay as fn(&mut tokio::net::TcpStream))
}

/// The server `main.rs` runs, on a multi-threaded runtime: logs, the
/// configuration from the command line, state, housekeeping, then serving
/// until stopped. A plain function here rather than code in the binary:
/// the binary's crate compiles after this one, and an `async` body it
/// polls (even one defined here) would be compiled again there, with all
/// that `axum::serve` instantiates (measured: 17 s of a clean build).
pub fn main() -> anyhow::Result<()> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(serve())
}

async fn serve() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")))
        .init();

    let config = Config::from_args(std::env::args_os()).unwrap_or_else(|err| err.exit());
    let leptos_options = leptos_options()?;
    let addr = leptos_options.site_addr;

    let state = build_state(config, leptos_options).await?;
    spawn_housekeeping(state.clone());
    let app = router(state.clone());

    let listener = tokio::net::TcpListener::bind(&addr).await?;
    // The race's and the Lab's demo clients send their requests here.
    state.address.set(listener.local_addr()?);
    let listener = without_nagle(listener);
    tracing::info!("Auth Lab listening on http://{addr}");
    axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(stopped(state.shutdown.clone()))
        .await?;
    Ok(())
}

/// Ctrl-C, SIGTERM (a service manager, the cluster runner) or a restart
/// asked of this instance: in-flight requests finish first.
async fn stopped(restart: Arc<tokio::sync::Notify>) {
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut terminate) => {
                terminate.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = terminate => {}
        _ = restart.notified() => {}
    }
}

pub fn router(state: AppState) -> Router {
    let config = &state.config;
    let session_layer = SessionManagerLayer::new(state.sessions.clone())
        .with_name(crate::auth::cookies::named(SESSION_COOKIE, config.secure_cookies))
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_path("/")
        .with_secure(config.secure_cookies)
        .with_expiry(Expiry::OnInactivity(time::Duration::seconds(
            config.session_idle_ttl as i64,
        )));

    let leptos_options = state.leptos_options.clone();
    let instance = axum::http::HeaderValue::from_str(&state.instance.name)
        .unwrap_or_else(|_| axum::http::HeaderValue::from_static("unnamed"));
    // Hashed names never change content: read once. Without hashes (a
    // plain cargo build, the tests) a rebuild may change a file in place.
    let build_files = BuildFiles::new(
        &std::path::Path::new(leptos_options.site_root.as_ref()).join(leptos_options.site_pkg_dir.as_ref()),
        leptos_options.hash_files,
    );
    tracing::debug!(
        files = build_files.held(),
        bytes = build_files.held_bytes(),
        "build files held in memory"
    );
    let app = Router::new()
        .merge(api::router())
        .leptos_routes_with_context(
            &state,
            ROUTES.clone(),
            {
                let state = state.clone();
                move || provide_context(state.clone())
            },
            move || shell(leptos_options.clone()),
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(middleware::from_fn(page_redirects_are_302))
        .layer(middleware::from_fn_with_state(state.clone(), resolve_credentials))
        .layer(session_layer)
        .layer(RequestBodyLimitLayer::new(MAX_REQUEST_BODY_BYTES))
        // Before the session layer: a forged request never touches a session.
        .layer(middleware::from_fn_with_state(
            state.clone(),
            crate::csrf::refuse_cross_site,
        ))
        // Watches the Lab's CSRF target, refusals of the rule above included.
        .layer(middleware::from_fn_with_state(
            state.clone(),
            crate::api::lab::observe_csrf_target,
        ))
        // Every answer, a refusal too, in the client's language.
        .layer(middleware::from_fn(crate::i18n::server::negotiate_locale))
        // Before anything that records or limits by address.
        .layer(middleware::from_fn_with_state(
            state.clone(),
            crate::client_address::name_client,
        ))
        .with_state(state);
    // The build's files are the same for everyone: no session, credential,
    // language or CSRF step has anything to do with them.
    Router::new()
        .nest_service(
            "/pkg",
            axum::routing::get(move |request: Request| build_files.clone().serve(request)),
        )
        .merge(app)
        .layer(middleware::from_fn(crate::headers::bound_request_headers))
        .layer(middleware::from_fn(crate::headers::security_headers))
        .layer(axum::middleware::map_response(move |mut response: Response| {
            let instance = instance.clone();
            async move {
                response.headers_mut().insert(INSTANCE_HEADER, instance);
                response
            }
        }))
}

/// Names the instance that served a response (several behind a balancer).
pub const INSTANCE_HEADER: &str = "x-authlab-instance";

/// Leptos answers a page's `<Redirect>` with a real 302 only when the
/// request accepts HTML; curl would get 200 plus a `Location`. A page
/// redirect is a redirect, whoever asks. (Server-function calls are POSTs
/// whose client follows the header itself, so they are left alone.)
async fn page_redirects_are_302(request: Request, next: Next) -> Response {
    let is_get = request.method() == Method::GET;
    let mut response = next.run(request).await;
    if is_get && response.status() == StatusCode::OK && response.headers().contains_key(header::LOCATION) {
        *response.status_mut() = StatusCode::FOUND;
    }
    response
}

/// Deletes expired sessions and refresh tokens once a minute. Nothing
/// expired is accepted in between: every lookup checks the expiry itself.
pub fn spawn_housekeeping(state: AppState) {
    tokio::spawn(async move {
        let mut every_minute = tokio::time::interval(Duration::from_secs(60));
        loop {
            every_minute.tick().await;
            match logins::delete_expired(&state, now()).await {
                Ok(deleted) if deleted != Default::default() => tracing::debug!(?deleted, "housekeeping"),
                Ok(_) => {}
                Err(err) => tracing::warn!(%err, "housekeeping failed"),
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use axum::serve::Listener;

    #[tokio::test]
    async fn every_accepted_connection_sends_without_delay() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let mut listener = super::without_nagle(listener);
        let (accepted, client) = tokio::join!(listener.accept(), tokio::net::TcpStream::connect(address));
        let (stream, _) = accepted;
        assert!(stream.nodelay().unwrap());
        // The client's side is its own; only the server's is set.
        assert!(!client.unwrap().nodelay().unwrap());
    }
}
