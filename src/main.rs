use authlab::server;

/// mimalloc instead of glibc's malloc, measured with `make bench`. glibc
/// shares a few locked arenas between threads, and under 64 connections its
/// lock waits, context switches and `malloc_consolidate` were the largest
/// part of a page render's profile (perf). mimalloc gives each thread its
/// own heap. It is built to commit its arenas on demand
/// (`.cargo/config.toml`), which lowers what the server holds at start.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Everything else is in the library (`server::main`).
fn main() -> anyhow::Result<()> {
    server::main()
}
