//! The exam burst (issue 13; not a test), driven by `bench/burst.sh`: every
//! learner of `OUT_DIR/sessions.txt` (a browser session each: the session
//! cookie and the double-submit CSRF cookie and header a page sends) starts the quiz of `OUT_DIR/quiz.txt`
//! within START_SECS (10), then each saves one answer every SAVE_EVERY (15)
//! seconds for SAVE_SECS (120), then all submit within SUBMIT_SECS (10), the
//! attempts graded automatically. Open loop: each request is due at its time
//! whatever the server's pace, and its latency counts from that time (a slow
//! server is not let off by a generator that waits for it).
//!
//! `bench_burst BASE DATA_DIR` with `SERVER_PID` set prints, per step, the
//! requests, the rate answered, p50 / p99, failures and the server's CPU time
//! per request (from /proc).

mod bench_common;

use bench_common::{percentile, server_cpu_ms};
use std::{
    collections::HashMap,
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use tokio::sync::{Mutex, mpsc};

/// The double-submit CSRF value every learner's "browser" holds (a page's
/// cookie must be at least 32 characters).
const CSRF: &str = "burst-csrf-token-0123456789abcdefghij";

/// Requests waiting past this are failures and no more start.
const MAX_IN_FLIGHT: u64 = 6000;

struct Burst {
    client: Client,
    base: String,
    quiz: String,
    sessions: Vec<String>,
    /// Per learner: their attempt, once started.
    attempts: Mutex<Vec<Option<Started>>>,
    in_flight: AtomicU64,
}

/// A started attempt: its id and a valid answer per slot.
type Started = (String, Vec<Value>);

#[derive(Clone, Copy)]
enum Step {
    Start,
    Save,
    Submit,
}

/// A valid answer to a question as the attempt shows it.
fn answer_for(view: &Value) -> Value {
    let body = &view["body"];
    match body["type"].as_str().unwrap_or_default() {
        "multiple_choice" => json!({"type": "choices", "value": [0]}),
        "true_false" => json!({"type": "true_false", "value": true}),
        "short_answer" => json!({"type": "text", "value": "number1"}),
        "numerical" => json!({"type": "number", "value": "2"}),
        "matching" => {
            let stems = body["stems"].as_array().map_or(0, Vec::len);
            json!({"type": "matching", "value": (0..stems).collect::<Vec<_>>()})
        }
        _ => json!({"type": "unanswered"}),
    }
}

impl Burst {
    /// One request of `step` for learner `n` (the `k`-th save); the status, or None without an answer.
    async fn fire(&self, step: Step, n: usize, k: usize) -> Option<StatusCode> {
        let cookie = format!("lyceum_session={}; lyceum_csrf={CSRF}", self.sessions[n]);
        match step {
            Step::Start => {
                let url = format!("{}/api/v1/quizzes/{}/attempts", self.base, self.quiz);
                let reply =
                    self.client.post(url).header("cookie", &cookie).header("x-csrf-token", CSRF).send().await.ok()?;
                let status = reply.status();
                if status.is_success() {
                    let body: Value = reply.json().await.ok()?;
                    let id = body["attempt"]["id"].as_str()?.to_string();
                    let answers = body["slots"].as_array()?.iter().map(|s| answer_for(&s["view"])).collect();
                    self.attempts.lock().await[n] = Some((id, answers));
                }
                Some(status)
            }
            Step::Save => {
                let (id, answer, slot) = {
                    let attempts = self.attempts.lock().await;
                    let (id, answers) = attempts[n].as_ref()?;
                    let slot = (n + k) % answers.len();
                    (id.clone(), answers[slot].clone(), slot)
                };
                let url = format!("{}/api/v1/quizzes/attempts/{id}/answers", self.base);
                let body = json!({"answers": [{"slot": slot, "response": answer}]});
                let reply = self
                    .client
                    .put(url)
                    .header("cookie", &cookie)
                    .header("x-csrf-token", CSRF)
                    .json(&body)
                    .send()
                    .await
                    .ok()?;
                Some(reply.status())
            }
            Step::Submit => {
                let id = self.attempts.lock().await[n].as_ref()?.0.clone();
                let url = format!("{}/api/v1/quizzes/attempts/{id}/submit", self.base);
                let reply =
                    self.client.post(url).header("cookie", &cookie).header("x-csrf-token", CSRF).send().await.ok()?;
                Some(reply.status())
            }
        }
    }
}

#[derive(Default)]
struct Tally {
    latencies: Vec<u64>,
    failures: u64,
    by_status: HashMap<u16, u64>,
}

/// Runs `plan` (due offset in seconds, learner, save number) as an open loop.
async fn run(burst: &Arc<Burst>, step: Step, mut plan: Vec<(f64, usize, usize)>) -> Tally {
    plan.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (tx, mut rx) = mpsc::unbounded_channel();
    let start = tokio::time::Instant::now();
    let mut tally = Tally::default();
    for (offset, n, k) in plan {
        let due = start + Duration::from_secs_f64(offset);
        tokio::time::sleep_until(due).await;
        if burst.in_flight.load(Ordering::Relaxed) >= MAX_IN_FLIGHT {
            tally.failures += 1;
            continue;
        }
        burst.in_flight.fetch_add(1, Ordering::Relaxed);
        let (burst, tx) = (burst.clone(), tx.clone());
        tokio::spawn(async move {
            let status = burst.fire(step, n, k).await;
            burst.in_flight.fetch_sub(1, Ordering::Relaxed);
            let _ = tx.send((status, due.elapsed().as_micros() as u64));
        });
    }
    drop(tx);
    while let Some((status, micros)) = rx.recv().await {
        match status {
            Some(s) if s.is_success() => tally.latencies.push(micros),
            other => {
                tally.failures += 1;
                *tally.by_status.entry(other.map_or(0, |s| s.as_u16())).or_default() += 1;
            }
        }
    }
    tally
}

async fn measured(burst: &Arc<Burst>, pid: Option<u32>, label: &str, step: Step, plan: Vec<(f64, usize, usize)>) {
    let requests = plan.len();
    let (cpu0, t0) = (server_cpu_ms(pid), Instant::now());
    let mut tally = run(burst, step, plan).await;
    let (cpu1, elapsed) = (server_cpu_ms(pid), t0.elapsed().as_secs_f64());
    tally.latencies.sort_unstable();
    println!(
        "| {label} | {requests} | {:.0} | {:.1} ms | {:.1} ms | {} | {:.3} |",
        tally.latencies.len() as f64 / elapsed,
        percentile(&tally.latencies, 0.50),
        percentile(&tally.latencies, 0.99),
        tally.failures,
        (cpu1 - cpu0) / requests.max(1) as f64,
    );
    if !tally.by_status.is_empty() {
        eprintln!("    {label} failures by status (0 = no answer): {:?}", tally.by_status);
    }
}

fn env(name: &str, default: f64) -> f64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let base = args.get(1).cloned().unwrap_or_else(|| "http://127.0.0.1:18185".into());
    let data = std::path::PathBuf::from(args.get(2).cloned().unwrap_or_else(|| ".".into()));
    let pid = std::env::var("SERVER_PID").ok().and_then(|p| p.parse().ok());
    let sessions: Vec<String> =
        std::fs::read_to_string(data.join("sessions.txt"))?.lines().map(str::to_string).collect();
    let quiz = std::fs::read_to_string(data.join("quiz.txt"))?.trim().to_string();
    let n = sessions.len();
    let client = Client::builder().pool_max_idle_per_host(usize::MAX).timeout(Duration::from_secs(30)).build()?;
    let burst = Arc::new(Burst {
        client,
        base,
        quiz,
        sessions,
        attempts: Mutex::new(vec![None; n]),
        in_flight: AtomicU64::new(0),
    });
    let (start_secs, save_every, save_secs, submit_secs) =
        (env("START_SECS", 10.0), env("SAVE_EVERY", 15.0), env("SAVE_SECS", 120.0), env("SUBMIT_SECS", 10.0));
    println!("| step | requests | answered req/s | p50 | p99 | failed | server CPU ms/req |");
    println!("|---|---|---|---|---|---|---|");
    let spread = |secs: f64| (0..n).map(|i| (i as f64 * secs / n as f64, i, 0)).collect::<Vec<_>>();
    measured(&burst, pid, "start", Step::Start, spread(start_secs)).await;
    let saves = (save_secs / save_every) as usize;
    let plan = (0..n)
        .flat_map(|i| (0..saves).map(move |k| (i as f64 * save_every / n as f64 + k as f64 * save_every, i, k)))
        .collect();
    measured(&burst, pid, "save", Step::Save, plan).await;
    measured(&burst, pid, "submit + grade", Step::Submit, spread(submit_secs)).await;
    Ok(())
}
