//! Starting and stopping the server.

use std::{net::SocketAddr, time::Duration};

use crate::demo::Loaded;
use anyhow::Context;
use lyceum_platform::{
    AppState,
    config::Settings,
    jobs::{Pool, Worker, schedule},
};
use tokio::{net::TcpListener, sync::oneshot, task::JoinHandle};

/// `lyceum serve`: start, print the address, serve until SIGTERM/SIGINT.
pub async fn run(settings: Settings, demo: bool) -> anyhow::Result<()> {
    // Listen for signals before anything else, so a SIGTERM during start-up
    // is a clean stop rather than the default kill.
    let signals = Signals::install()?;
    let mut settings = settings;
    settings.demo |= demo;
    let running = start(settings).await?;
    if let Some(loaded) = &running.demo {
        print_demo(loaded);
    }
    println!("Lyceum is running at {}", running.state.settings.public_url);
    signals.recv().await;
    tracing::info!("shutting down: finishing in-flight requests");
    running.stop().await
}

/// `lyceum migrate`.
pub async fn migrate_only(settings: Settings) -> anyhow::Result<()> {
    let state = crate::build_state(settings).await?;
    println!("Database is up to date.");
    state.db.close().await;
    Ok(())
}

/// `lyceum worker`: run only job workers (at least one) until SIGTERM/SIGINT.
pub async fn worker(settings: Settings) -> anyhow::Result<()> {
    let signals = Signals::install()?;
    let state = crate::build_state(settings).await?;
    let tasks = state.settings.jobs.workers.max(1);
    let workers = start_workers(&state, tasks);
    println!("Lyceum worker is running ({tasks} concurrent jobs)");
    let source = if state.settings.amqp.enabled() { "rabbitmq" } else { "database" };
    tracing::info!(tasks, source, "job workers started");
    signals.recv().await;
    tracing::info!("shutting down: finishing jobs in hand");
    stop_workers(&state, workers).await;
    state.db.close().await;
    Ok(())
}

/// How often a process with workers checks the job schedules (a period is
/// claimed by one process only, so every process may check).
const SCHEDULER_TICK: Duration = Duration::from_secs(30);

/// The job workers of this process and, when there are any, the scheduler.
struct Workers {
    pool: Pool,
    scheduler: Option<JoinHandle<()>>,
}

/// With `amqp.url` set, a relay and broker consumers; otherwise workers polling
/// the database. The scheduler enqueues through the outbox either way.
fn start_workers(state: &AppState, tasks: usize) -> Workers {
    let worker = Worker::new(state.clone(), state.jobs.clone());
    let pool = if state.settings.amqp.enabled() { worker.spawn_amqp(tasks) } else { worker.spawn(tasks) };
    let scheduler = (tasks > 0).then(|| schedule::spawn(state.clone(), SCHEDULER_TICK));
    Workers { pool, scheduler }
}

async fn stop_workers(state: &AppState, workers: Workers) {
    if let Some(scheduler) = workers.scheduler {
        scheduler.abort();
    }
    workers.pool.shutdown(Duration::from_secs(state.settings.jobs.shutdown_grace_secs)).await;
}

/// A started server: its bound address, state and a handle to stop it.
pub struct Running {
    pub addr: SocketAddr,
    pub state: AppState,
    serving: Serving,
    housekeeping: JoinHandle<()>,
    workers: Workers,
    /// The `/metrics` listener of its own, when `metrics.bind` is set.
    pub metrics: Option<MetricsListener>,
    /// What the demo load did, when the `demo` setting asked for it.
    pub demo: Option<Loaded>,
}

/// `/metrics` served on `metrics.bind`, started and stopped with the server.
pub struct MetricsListener {
    pub addr: SocketAddr,
    serving: Serving,
}

impl MetricsListener {
    async fn start(state: &AppState) -> anyhow::Result<Option<Self>> {
        let Some(bind) = state.settings.metrics.own_listener() else { return Ok(None) };
        let listener = TcpListener::bind(bind)
            .await
            .with_context(|| format!("cannot listen on {bind} (LYCEUM_METRICS__BIND): is the port already in use?"))?;
        let addr = listener.local_addr()?;
        let router = lyceum_platform::http::metrics::own_listener_router(state.clone());
        let serving = Serving::spawn(listener, router, &state.settings);
        tracing::info!(%addr, "serving /metrics");
        Ok(Some(Self { addr, serving }))
    }
}

/// A listener served in the background until [`Serving::stop`], which lets
/// the requests in flight finish: the main port, and the metrics port.
struct Serving {
    shutdown: oneshot::Sender<()>,
    task: JoinHandle<std::io::Result<()>>,
}

impl Serving {
    fn spawn(listener: TcpListener, app: axum::Router, settings: &Settings) -> Self {
        let limits = crate::listener::Limits {
            max_connections: settings.max_connections,
            header_read_timeout: std::time::Duration::from_secs(settings.header_read_timeout_secs.max(1)),
        };
        let (shutdown, stop) = oneshot::channel::<()>();
        let task = tokio::spawn(crate::listener::serve(listener, app, limits, async {
            let _ = stop.await;
        }));
        Self { shutdown, task }
    }

    async fn stop(self, what: &'static str) -> anyhow::Result<()> {
        let _ = self.shutdown.send(());
        self.task.await.with_context(|| format!("{what} task"))?.context(what)
    }
}

/// Binds, migrates, bootstraps the first admin, loads the demo when the `demo`
/// setting asks for it, and serves in the background. Tests call this with
/// `bind = 127.0.0.1:0`; the listener is bound when it returns. Until the demo
/// is loaded, connections wait in the listen backlog: no request sees a
/// half-loaded demo or writes beside it.
pub async fn start(settings: Settings) -> anyhow::Result<Running> {
    let listener = TcpListener::bind(settings.bind)
        .await
        .with_context(|| format!("cannot listen on {} (LYCEUM_BIND): is the port already in use?", settings.bind))?;
    let addr = listener.local_addr()?;
    let mut settings = settings;
    if settings.bind.port() == 0 && settings.public_url.ends_with(":0") {
        settings.public_url = format!("http://{addr}");
    }
    let state = crate::build_state(settings).await?;
    if let Some((email, password)) = lyceum_accounts::service::admin::bootstrap_admin(&state).await? {
        print_first_admin(&email, &password);
    }
    let demo = if state.settings.demo { Some(load_demo(&state).await?) } else { None };
    let metrics = MetricsListener::start(&state).await?;
    let housekeeping = spawn_housekeeping(state.clone());
    let workers = start_workers(&state, state.settings.jobs.workers);
    let serving = Serving::spawn(listener, crate::router(state.clone()), &state.settings);
    tracing::info!(%addr, "listening");
    Ok(Running { addr, state, serving, housekeeping, workers, metrics, demo })
}

/// How many times a demo load that hit a passing database fault is run again
/// (each run completes what the previous one left).
const DEMO_ATTEMPTS: u32 = 3;

/// Loads the demo, retrying passing faults; any other failure stops the start
/// with a message naming the part that failed.
async fn load_demo(state: &AppState) -> anyhow::Result<Loaded> {
    let mut attempt = 1;
    loop {
        match crate::demo::seed(state).await {
            Ok(loaded) => return Ok(loaded),
            Err(e) if e.is_transient() && attempt < DEMO_ATTEMPTS => {
                tracing::warn!(attempt, error = %e, "loading the demo failed; trying again");
                tokio::time::sleep(Duration::from_secs(1)).await;
                attempt += 1;
            }
            Err(e) => {
                return Err(anyhow::Error::new(e).context(
                    "cannot load the demo (--demo), so the server did not start; what loaded is kept and \
                     the next start with --demo completes it",
                ));
            }
        }
    }
}

/// In-process housekeeping: each minute, drop rate-limit keys that have gone
/// idle (memory of this process; database purges are scheduled jobs).
fn spawn_housekeeping(state: AppState) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut every_minute = tokio::time::interval(Duration::from_secs(60));
        loop {
            every_minute.tick().await;
            state.limits.sweep();
        }
    })
}

impl Running {
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops accepting connections, lets in-flight requests finish, then stops
    /// the job workers (requests may still enqueue until then), closes the pool.
    pub async fn stop(self) -> anyhow::Result<()> {
        self.serving.stop("server").await?;
        if let Some(metrics) = self.metrics {
            metrics.serving.stop("metrics listener").await?;
        }
        self.housekeeping.abort();
        stop_workers(&self.state, self.workers).await;
        self.state.db.close().await;
        Ok(())
    }
}

/// SIGTERM and SIGINT (Ctrl-C), registered up front.
struct Signals {
    #[cfg(unix)]
    term: tokio::signal::unix::Signal,
    #[cfg(unix)]
    int: tokio::signal::unix::Signal,
}

impl Signals {
    #[cfg(unix)]
    fn install() -> anyhow::Result<Self> {
        use tokio::signal::unix::{SignalKind, signal};
        Ok(Self {
            term: signal(SignalKind::terminate()).context("installing the SIGTERM handler")?,
            int: signal(SignalKind::interrupt()).context("installing the SIGINT handler")?,
        })
    }

    #[cfg(not(unix))]
    fn install() -> anyhow::Result<Self> {
        Ok(Self {})
    }

    #[cfg(unix)]
    async fn recv(mut self) {
        tokio::select! { _ = self.term.recv() => {}, _ = self.int.recv() => {} }
    }

    #[cfg(not(unix))]
    async fn recv(self) {
        let _ = tokio::signal::ctrl_c().await;
    }
}

fn print_demo(loaded: &Loaded) {
    let Loaded { created, repaired, kept } = *loaded;
    match (created, repaired) {
        (0, 0) => println!("  Demo: the {kept} demo courses are already loaded."),
        (_, 0) => println!("  Demo: {created} demo courses loaded."),
        _ => println!(
            "  Demo: an earlier load was unfinished; {repaired} courses replaced, {created} created, {kept} kept."
        ),
    }
    println!("  Demo accounts (sign in at /login):");
    for a in loaded.accounts() {
        println!("    {:<11} {:<32} password: {}", a.role.as_str(), a.email, a.password);
    }
    println!();
}

fn print_first_admin(email: &str, password: &str) {
    println!();
    println!("  First start: an administrator account was created.");
    println!("    e-mail:   {email}");
    println!("    password: {password}");
    println!("  This password is shown only once and works once: at the first sign-in");
    println!("  you choose your own. (`lyceum admin set-password {email}` sets one too.)");
    println!();
}
