use authlab::{config::Config, server};
use std::net::SocketAddr;
use tracing_subscriber::EnvFilter;

/// Two allocator settings, measured with `make bench`:
/// - argon2id takes 19 MiB per hash. glibc raises its mmap threshold after
///   the first such block is freed, and from then on serves them from
///   per-thread heaps that keep the memory: a login flood grew the server to
///   325 MB where 2 workers need 38 MiB. A fixed threshold keeps large blocks
///   mmapped, so each is given back when its hash is done (peak 37 MB).
/// - glibc gives a thread that finds every arena busy a new one, up to 8 per
///   core, and each keeps the freed memory it once held: the live heap of a
///   loaded server is under 2 MB, the rest of its anonymous RSS is such
///   memory. One arena per core bounds it. In probes under 64 connections
///   to `/me` it kept the idle RSS at 56 to 60 MB, at about the same req/s
///   (the default: 57 to 59 MB; a single arena: 51 MB and half the req/s).
///   Runs at 101 MB that first looked like a third arena were most likely
///   the nav's panic (`components::nav`).
fn tune_the_allocator() {
    #[cfg(target_env = "gnu")]
    {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        let arenas = libc::c_int::try_from(cores).unwrap_or(libc::c_int::MAX);
        // SAFETY: mallopt only sets allocator parameters; called before any
        // thread but this one exists.
        unsafe {
            libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
            libc::mallopt(libc::M_ARENA_MAX, arenas);
        }
    }
}

fn main() -> anyhow::Result<()> {
    tune_the_allocator();
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
    let leptos_options = server::leptos_options()?;
    let addr = leptos_options.site_addr;

    let state = server::build_state(config, leptos_options).await?;
    server::spawn_housekeeping(state.clone());
    let app = server::router(state.clone());

    let listener = tokio::net::TcpListener::bind(&addr).await?;
    // The race's and the Lab's demo clients send their requests here.
    state.address.set(listener.local_addr()?);
    let listener = server::without_nagle(listener);
    tracing::info!("Auth Lab listening on http://{addr}");
    axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(stopped(state.shutdown.clone()))
        .await?;
    Ok(())
}

/// Ctrl-C, SIGTERM (a service manager, the cluster runner) or a restart
/// asked of this instance: in-flight requests finish first.
async fn stopped(restart: std::sync::Arc<tokio::sync::Notify>) {
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
