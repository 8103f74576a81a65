use authlab::{config::Config, server};
use leptos::prelude::get_configuration;
use std::net::SocketAddr;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")))
        .init();

    let config = Config::from_args(std::env::args_os()).unwrap_or_else(|err| err.exit());
    // Cargo.toml's [package.metadata.leptos], overridden by LEPTOS_* variables.
    let leptos_options = get_configuration(Some("Cargo.toml"))?.leptos_options;
    let addr = leptos_options.site_addr;

    let state = server::build_state(config, leptos_options).await?;
    server::spawn_housekeeping(state.clone());
    let app = server::router(state);

    let listener = tokio::net::TcpListener::bind(&addr).await?;
    tracing::info!("Auth Lab listening on http://{addr}");
    axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}
