use authlab::server;

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
        .block_on(server::serve(std::env::args_os()))
}
