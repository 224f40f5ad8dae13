//! The learner-day mix (issue 11; a benchmark, not a test): an open-loop load
//! generator that replays what a school's learners do in a day — browse and
//! search the catalog, open course pages, read lessons, mark them complete,
//! enroll, look at their courses and notifications — against a running
//! server prepared by `bench_data` (`bench/mix.sh` does both).
//!
//! Open loop: request *n* is due at `start + n / rate` whatever happened to
//! the earlier ones, and its latency counts from when it was due, so a server
//! that falls behind shows it in p99 instead of quietly slowing the generator
//! down ("coordinated omission").
//!
//! `bench_mix BASE DATA_DIR ramp` — steps the rate up (START_RATE, ×STEP each
//! STEP_SECS seconds) until a step's p99 passes MAX_P99_MS or more than 0.1 %
//! of its requests fail, and prints one table row per step and the capacity:
//! the highest rate that held.
//! `bench_mix BASE DATA_DIR steady RATE SECS` — holds RATE for SECS seconds,
//! a row every 60 s, with the server's resident memory (SERVER_PID).

mod bench_common;

use bench_common::{percentile, server_cpu_ms, server_rss_mb};
use std::{
    collections::HashMap,
    sync::{
        Arc,
        atomic::{AtomicU64, AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use reqwest::{Client, Method, StatusCode};
use tokio::sync::mpsc;

/// What one request of the mix is, with its share of the day (per cent).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Action {
    Catalog,
    Search,
    Category,
    CoursePage,
    Lesson,
    MyCourses,
    Notifications,
    Complete,
    Enroll,
}

const MIX: [(Action, u32); 9] = [
    (Action::Catalog, 8),
    (Action::Search, 6),
    (Action::Category, 4),
    (Action::CoursePage, 14),
    (Action::Lesson, 40),
    (Action::MyCourses, 6),
    (Action::Notifications, 4),
    (Action::Complete, 15),
    (Action::Enroll, 3),
];
const SEARCHES: [&str; 8] = ["rust", "python", "sql", "statistics", "marketing", "calculus", "finance", "go+practice"];
const CATEGORIES: [&str; 6] = ["programming", "data-science", "design", "business", "languages", "mathematics"];

/// A signed-in learner: the browser's cookies and the CSRF token for writes,
/// the courses they are enrolled in (indexes into `Mix::outlines`).
struct Learner {
    cookies: String,
    csrf: String,
    courses: Vec<usize>,
    enrolled: AtomicUsize,
}

struct Outline {
    slug: String,
    lessons: Vec<String>,
}

struct Mix {
    client: Client,
    base: String,
    learners: Vec<Learner>,
    outlines: Vec<Outline>,
    slugs: Vec<String>,
    free_courses: Vec<String>,
    in_flight: AtomicU64,
}

/// A small deterministic generator: the same request numbers make the same day.
fn scramble(n: u64) -> u64 {
    let mut x = n.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

fn pick(n: u64) -> Action {
    let total: u32 = MIX.iter().map(|(_, w)| w).sum();
    let mut roll = (scramble(n) % u64::from(total)) as u32;
    for (action, weight) in MIX {
        if roll < weight {
            return action;
        }
        roll -= weight;
    }
    Action::Lesson
}

impl Mix {
    /// Sends request `n` of the day; the answer's status, or `None` when none came.
    async fn fire(&self, n: u64) -> (Action, Option<StatusCode>) {
        let action = pick(n);
        let r = scramble(n.rotate_left(17));
        let learner = &self.learners[(r % self.learners.len() as u64) as usize];
        // Half the catalog traffic is visitors who are not signed in.
        let visitor = r.is_multiple_of(2);
        let (method, path, body) = match action {
            Action::Catalog => (Method::GET, "/courses".to_string(), None),
            Action::Search => {
                (Method::GET, format!("/courses?q={}", SEARCHES[(r >> 8) as usize % SEARCHES.len()]), None)
            }
            Action::Category => {
                (Method::GET, format!("/courses?category={}", CATEGORIES[(r >> 8) as usize % CATEGORIES.len()]), None)
            }
            Action::CoursePage => {
                (Method::GET, format!("/courses/{}", self.slugs[(r >> 8) as usize % self.slugs.len()]), None)
            }
            Action::Lesson => {
                let outline = &self.outlines[learner.courses[(r >> 8) as usize % learner.courses.len()]];
                let lesson = &outline.lessons[(r >> 16) as usize % outline.lessons.len()];
                (Method::GET, format!("/learn/{}/lessons/{lesson}", outline.slug), None)
            }
            Action::MyCourses => (Method::GET, "/my/courses".to_string(), None),
            Action::Notifications => (Method::GET, "/notifications".to_string(), None),
            Action::Complete => {
                let outline = &self.outlines[learner.courses[(r >> 8) as usize % learner.courses.len()]];
                let lesson = &outline.lessons[(r >> 16) as usize % outline.lessons.len()];
                let completed = !(r >> 24).is_multiple_of(4);
                (
                    Method::PUT,
                    format!("/api/v1/progress/lessons/{lesson}"),
                    Some(format!("{{\"completed\":{completed}}}")),
                )
            }
            Action::Enroll => {
                let k = learner.enrolled.fetch_add(1, Ordering::Relaxed);
                let course = &self.free_courses[(k * 7 + (r as usize % 5)) % self.free_courses.len()];
                (Method::POST, "/api/v1/enrollments".to_string(), Some(format!("{{\"course_id\":\"{course}\"}}")))
            }
        };
        let anonymous =
            visitor && matches!(action, Action::Catalog | Action::Search | Action::Category | Action::CoursePage);
        let mut request = self.client.request(method, format!("{}{path}", self.base));
        if !anonymous {
            request = request.header("cookie", &learner.cookies);
        }
        if let Some(body) = body {
            request =
                request.header("x-csrf-token", &learner.csrf).header("content-type", "application/json").body(body);
        }
        let status = match request.send().await {
            Ok(response) => {
                let status = response.status();
                // Read the body as a browser would; a body that breaks off is a failure.
                response.bytes().await.ok().map(|_| status)
            }
            Err(_) => None,
        };
        (action, status)
    }
}

/// One step's answers: latency in microseconds from when each request was due.
#[derive(Default)]
struct Tally {
    latencies: Vec<u64>,
    failures: u64,
    by_status: HashMap<u16, u64>,
    per_action: HashMap<Action, Vec<u64>>,
}

/// Requests still waiting for an answer past this are counted as failures and
/// no more are started: the generator must not hold unbounded work.
const MAX_IN_FLIGHT: u64 = 4000;

/// Drives `rate` requests a second for `secs` seconds, numbering them from `first`.
async fn step(mix: &Arc<Mix>, first: u64, rate: f64, secs: f64) -> Tally {
    let (tx, mut rx) = mpsc::unbounded_channel();
    let total = (rate * secs) as u64;
    let start = tokio::time::Instant::now();
    let mut tally = Tally::default();
    for i in 0..total {
        let due = start + Duration::from_secs_f64(i as f64 / rate);
        tokio::time::sleep_until(due).await;
        if mix.in_flight.load(Ordering::Relaxed) >= MAX_IN_FLIGHT {
            tally.failures += 1;
            continue;
        }
        mix.in_flight.fetch_add(1, Ordering::Relaxed);
        let (mix, tx) = (mix.clone(), tx.clone());
        tokio::spawn(async move {
            let (action, status) = mix.fire(first + i).await;
            mix.in_flight.fetch_sub(1, Ordering::Relaxed);
            let _ = tx.send((action, status, due.elapsed().as_micros() as u64));
        });
    }
    drop(tx);
    while let Some((action, status, micros)) = rx.recv().await {
        match status {
            Some(s) if s.is_success() || s.is_redirection() => {
                tally.latencies.push(micros);
                tally.per_action.entry(action).or_default().push(micros);
            }
            other => {
                tally.failures += 1;
                *tally.by_status.entry(other.map_or(0, |s| s.as_u16())).or_default() += 1;
            }
        }
    }
    tally
}

struct Row {
    rate: f64,
    achieved: f64,
    p50: f64,
    p99: f64,
    failures: u64,
    cpu_ms: f64,
    rss: f64,
}

fn print_row(row: &Row) {
    println!(
        "| {:>6.0} | {:>8.0} | {:>7.1} ms | {:>7.1} ms | {:>5} | {:>6.3} | {:>5.0} MB |",
        row.rate, row.achieved, row.p50, row.p99, row.failures, row.cpu_ms, row.rss
    );
}

async fn measured_step(mix: &Arc<Mix>, pid: Option<u32>, first: u64, rate: f64, secs: f64) -> (Row, Tally) {
    let (cpu0, t0) = (server_cpu_ms(pid), Instant::now());
    let mut tally = step(mix, first, rate, secs).await;
    let (cpu1, elapsed) = (server_cpu_ms(pid), t0.elapsed().as_secs_f64());
    tally.latencies.sort_unstable();
    let answered = tally.latencies.len() as u64 + tally.failures;
    let row = Row {
        rate,
        achieved: tally.latencies.len() as f64 / elapsed,
        p50: percentile(&tally.latencies, 0.50),
        p99: percentile(&tally.latencies, 0.99),
        failures: tally.failures,
        cpu_ms: if answered == 0 { 0.0 } else { (cpu1 - cpu0) / answered as f64 },
        rss: server_rss_mb(pid),
    };
    (row, tally)
}

fn print_head() {
    println!("| rate req/s | answered req/s | p50 | p99 | failed | server CPU ms/req | server RSS |");
    println!("|---|---|---|---|---|---|---|");
}

fn print_actions(tally: &mut Tally) {
    let mut actions: Vec<_> = tally.per_action.iter_mut().collect();
    actions.sort_by_key(|(a, _)| **a);
    for (action, latencies) in actions {
        latencies.sort_unstable();
        eprintln!(
            "    {action:?}: {} answers, p50 {:.1} ms, p99 {:.1} ms",
            latencies.len(),
            percentile(latencies, 0.5),
            percentile(latencies, 0.99)
        );
    }
    if !tally.by_status.is_empty() {
        eprintln!("    failures by status (0 = no answer): {:?}", tally.by_status);
    }
}

async fn ramp(mix: Arc<Mix>, pid: Option<u32>) {
    let mut rate: f64 = env("START_RATE", 200.0);
    let (factor, secs, max_p99) = (env("STEP", 1.25), env("STEP_SECS", 15.0), env("MAX_P99_MS", 200.0));
    let mut first = 0;
    let mut capacity = None;
    print_head();
    loop {
        let (row, mut tally) = measured_step(&mix, pid, first, rate, secs).await;
        first += (rate * secs) as u64;
        print_row(&row);
        print_actions(&mut tally);
        let answered = tally.latencies.len() as u64 + row.failures;
        if row.p99 > max_p99 || row.failures * 1000 > answered {
            break;
        }
        capacity = Some(row.achieved);
        rate *= factor;
    }
    let think: f64 = env("THINK_SECS", 15.0);
    match capacity {
        Some(c) => println!(
            "\ncapacity: {c:.0} req/s with p99 under {max_p99} ms, about {:.0} learners active at once \
             (one action every {think} s each)",
            c * think
        ),
        None => println!("\ncapacity: below the starting rate"),
    }
}

async fn steady(mix: Arc<Mix>, pid: Option<u32>, rate: f64, secs: f64) {
    print_head();
    let mut peak: f64 = 0.0;
    let mut first = 0;
    let mut left = secs;
    while left > 0.0 {
        let chunk = left.min(60.0);
        let (row, _) = measured_step(&mix, pid, first, rate, chunk).await;
        first += (rate * chunk) as u64;
        peak = peak.max(row.rss);
        print_row(&row);
        left -= chunk;
    }
    println!("\nserver RSS: peak {peak:.0} MB (sampled each minute), at the end {:.0} MB", server_rss_mb(pid));
}

fn env(name: &str, default: f64) -> f64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// Signs in `count` learners (`learnerN@bench.example`) and spreads them over
/// the outlines the dataset enrolled them in (`active.txt`).
async fn sign_in(client: &Client, base: &str, count: usize, outlines: usize) -> anyhow::Result<Vec<Learner>> {
    let mut learners = Vec::with_capacity(count);
    for n in 0..count {
        let response = client
            .post(format!("{base}/api/v1/auth/login"))
            .json(&serde_json::json!({ "email": format!("learner{n}@bench.example"), "password": "bench password 1" }))
            .send()
            .await?
            .error_for_status()?;
        let cookies: Vec<String> = response
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok()?.split(';').next().map(str::to_string))
            .collect();
        let body: serde_json::Value = response.json().await?;
        let csrf = body["csrf_token"].as_str().unwrap_or_default().to_string();
        // `bench_data` enrolls active learner n in the first course and in course 1 + n % 9.
        let courses = vec![0, 1 + n % (outlines - 1).max(1)];
        learners.push(Learner { cookies: cookies.join("; "), csrf, courses, enrolled: AtomicUsize::new(n * 13) });
    }
    Ok(learners)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let base = args.get(1).cloned().unwrap_or_else(|| "http://127.0.0.1:18184".into());
    let data = std::path::PathBuf::from(args.get(2).cloned().unwrap_or_else(|| ".".into()));
    let pid = std::env::var("SERVER_PID").ok().and_then(|p| p.parse().ok());
    let client = Client::builder()
        .pool_max_idle_per_host(usize::MAX)
        .timeout(Duration::from_secs(5))
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let listing = std::fs::read_to_string(data.join("courses.txt"))?;
    let courses: Vec<Vec<&str>> = listing.lines().map(|l| l.split(' ').collect()).collect();
    let slugs = courses.iter().map(|c| c[1].to_string()).collect();
    let free_courses = courses.iter().filter(|c| c[2] == "0").map(|c| c[0].to_string()).collect();
    let outlines: Vec<Outline> = std::fs::read_to_string(data.join("active.txt"))?
        .lines()
        .map(|line| {
            let mut words = line.split(' ').map(str::to_string);
            Outline { slug: words.next().unwrap_or_default(), lessons: words.collect() }
        })
        .collect();
    let active = env("ACTIVE", 256.0) as usize;
    eprintln!("signing in {active} learners…");
    let learners = sign_in(&client, &base, active, outlines.len()).await?;
    let mix = Arc::new(Mix { client, base, learners, outlines, slugs, free_courses, in_flight: AtomicU64::new(0) });
    match args.get(3).map(String::as_str) {
        Some("steady") => {
            let rate = args.get(4).and_then(|r| r.parse().ok()).unwrap_or(500.0);
            let secs = args.get(5).and_then(|s| s.parse().ok()).unwrap_or(600.0);
            steady(mix, pid, rate, secs).await;
        }
        _ => ramp(mix, pid).await,
    }
    Ok(())
}
