use authlab::{config::Config, server};
use std::net::SocketAddr;
use tracing_subscriber::EnvFilter;

/// mimalloc instead of glibc's malloc, measured with `make bench`. glibc
/// shares a few locked arenas between threads, and under 64 connections its
/// lock waits, context switches and `malloc_consolidate` were the largest
/// part of a page render's profile (perf). mimalloc gives each thread its
/// own heap. It is built to commit its arenas on demand
/// (`.cargo/config.toml`), which lowers what the server holds at start.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> anyhow::Result<()> {
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
