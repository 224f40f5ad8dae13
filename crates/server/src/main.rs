//! The `lyceum` binary: `serve` (default), `worker`, `migrate`, `admin`.

use std::{path::PathBuf, process::ExitCode};

use clap::{Parser, Subcommand};
use lyceum::{admin_cli, serve};
use lyceum_platform::config::Settings;

/// mimalloc instead of the C library's allocator: a request allocates and
/// frees hundreds of small objects, glibc's malloc was a quarter of the
/// server's CPU time under load, and its per-thread arenas kept memory a
/// flood had used (see docs/benchmarks.md). Built without transparent huge
/// pages (`no_thp`, Cargo.toml): with them the process's RSS counted whole
/// 2 MB pages that were mostly free.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "lyceum", version, about = "Lyceum — an open-source learning platform.", long_about = None)]
struct Cli {
    /// Configuration file (TOML). Default: ./lyceum.toml when it exists.
    /// Every setting can also be set as LYCEUM_<KEY> (nested keys joined with __).
    #[arg(long, short, global = true, value_name = "PATH")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web server (the default): applies migrations, creates the first
    /// administrator on an empty database, serves until SIGTERM/SIGINT.
    Serve {
        /// Also create demo accounts (an instructor and a learner) to click through.
        #[arg(long)]
        demo: bool,
    },
    /// Run only background-job workers (no web server) until SIGTERM/SIGINT;
    /// applies migrations first. `jobs.workers` sets how many jobs run at once.
    Worker,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Manage accounts from the command line.
    Admin {
        #[command(subcommand)]
        action: admin_cli::Action,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let settings = match Settings::load(cli.config.as_deref(), &lyceum::modules().settings_sections()) {
        Ok(s) => s,
        Err(e) => return fail(format_args!("configuration error: {e}")),
    };
    lyceum_platform::telemetry::init(&settings);
    let result = match cli.command.unwrap_or(Command::Serve { demo: false }) {
        Command::Serve { demo } => serve::run(settings, demo).await,
        Command::Worker => serve::worker(settings).await,
        Command::Migrate => serve::migrate_only(settings).await,
        Command::Admin { action } => admin_cli::run(settings, action).await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(format_args!("error: {e:#}")),
    }
}

/// One clear line on stderr, exit code 1; no panic, no backtrace.
fn fail(message: std::fmt::Arguments) -> ExitCode {
    eprintln!("lyceum: {message}");
    ExitCode::FAILURE
}
