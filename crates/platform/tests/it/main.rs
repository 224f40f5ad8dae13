//! The platform's integration tests, as one test binary (one link instead of
//! one per file): the cache, mail and storage adapters against real servers,
//! and media serving. Run one former file with
//! `cargo test -p lyceum-platform --test it smtp::`.

// Shared with the server's tests, which include them by path.
mod s3;
mod smtp_server;

mod cache_redis;
mod media;
mod smtp;
mod storage_s3;
