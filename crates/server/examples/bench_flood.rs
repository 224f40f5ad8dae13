//! A connection flood (issue 11; a benchmark, not a test): CONNECTIONS
//! clients, each on its own connection, send requests one after another for
//! SECS seconds, and the answers are told apart — admitted (2xx), shed (503),
//! anything else, and no answer within 5 s (a timeout) — each with its own
//! latency percentiles. wrk reports one latency for all answers, which hides
//! whether the shed requests were refused at once and the admitted ones kept
//! their pace; this is the split the flood budget is about.
//!
//! `bench_flood URL CONNECTIONS SECS [COOKIE]` (`bench/flood.sh` runs it);
//! with COOKIE (`name=value`) every request carries it: a signed-in page.
//!
//! Closed loop by default: each client sends its next request when the last
//! is answered, as fast as it can. With `RATE` (requests per second, all
//! clients together) it is an open loop instead: client *c*'s request *k* is
//! due at `start + (k + c / CONNECTIONS) / (RATE / CONNECTIONS)` and its
//! latency counts from then, so a client held up by a slow answer shows the
//! delay in the figures ("coordinated omission"). That is a flood of people
//! arriving at a set pace — a spike at several times the server's capacity —
//! where the closed loop measures how fast the generator and the server can
//! trade answers on the same cores.

mod bench_common;

use bench_common::percentile;
use std::time::{Duration, Instant};

use reqwest::Client;
use tokio::task::JoinSet;

/// What one client saw: latencies in microseconds by kind of answer.
#[derive(Default)]
struct Seen {
    admitted: Vec<u64>,
    shed: Vec<u64>,
    other: Vec<u64>,
    timeouts: u64,
    errors: u64,
}

impl Seen {
    fn merge(&mut self, other: Seen) {
        self.admitted.extend(other.admitted);
        self.shed.extend(other.shed);
        self.other.extend(other.other);
        self.timeouts += other.timeouts;
        self.errors += other.errors;
    }
}

/// When a client sends: back to back, or each request at its due time.
#[derive(Clone, Copy)]
enum Pace {
    Closed,
    /// The first request's due time and the interval between this client's requests.
    Open {
        first: Instant,
        every: Duration,
    },
}

impl Pace {
    /// When request `k` counts from (waiting until then in an open loop).
    async fn due(self, k: u32) -> Instant {
        match self {
            Pace::Closed => Instant::now(),
            Pace::Open { first, every } => {
                let due = first + every * k;
                tokio::time::sleep_until(due.into()).await;
                due
            }
        }
    }
}

/// One client: requests until `until`, on its own connection (a client per
/// task, one idle connection kept), paced by `pace`.
async fn client_loop(url: String, cookie: Option<String>, until: Instant, pace: Pace) -> Seen {
    let client =
        Client::builder().pool_max_idle_per_host(1).timeout(Duration::from_secs(5)).build().expect("http client");
    let mut seen = Seen::default();
    for k in 0.. {
        let sent = pace.due(k).await;
        if sent >= until {
            break;
        }
        let mut request = client.get(&url);
        if let Some(cookie) = &cookie {
            request = request.header("cookie", cookie);
        }
        let answer = match request.send().await {
            Ok(response) => {
                let status = response.status().as_u16();
                response.bytes().await.map(|_| status)
            }
            Err(e) => Err(e),
        };
        let micros = sent.elapsed().as_micros() as u64;
        match answer {
            Ok(200..=299) => seen.admitted.push(micros),
            Ok(503) => seen.shed.push(micros),
            Ok(_) => seen.other.push(micros),
            Err(e) if e.is_timeout() => seen.timeouts += 1,
            Err(_) => {
                seen.errors += 1;
                // A refused connection (no file descriptor left): back off a little.
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        }
    }
    seen
}

fn row(label: &str, latencies: &mut [u64], secs: f64) -> String {
    latencies.sort_unstable();
    format!(
        "| {label} | {} | {:.0} | {:.1} ms | {:.1} ms | {:.1} ms |",
        latencies.len(),
        latencies.len() as f64 / secs,
        percentile(latencies, 0.50),
        percentile(latencies, 0.99),
        percentile(latencies, 1.0),
    )
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (url, connections, secs, cookie) = match args.as_slice() {
        [_, url, connections, secs] => (url, connections, secs, None),
        [_, url, connections, secs, cookie] => (url, connections, secs, Some(cookie.clone())),
        _ => {
            eprintln!("usage: bench_flood URL CONNECTIONS SECS [COOKIE]");
            std::process::exit(2);
        }
    };
    let connections: usize = connections.parse().expect("CONNECTIONS");
    let secs: f64 = secs.parse().expect("SECS");
    let rate: Option<f64> = std::env::var("RATE").ok().map(|r| r.parse().expect("RATE"));
    let start = Instant::now();
    let until = start + Duration::from_secs_f64(secs);
    let mut clients = JoinSet::new();
    for c in 0..connections {
        let pace = match rate {
            None => Pace::Closed,
            Some(rate) => {
                let every = Duration::from_secs_f64(connections as f64 / rate);
                Pace::Open { first: start + every.mul_f64(c as f64 / connections as f64), every }
            }
        };
        clients.spawn(client_loop(url.clone(), cookie.clone(), until, pace));
    }
    let mut seen = Seen::default();
    while let Some(done) = clients.join_next().await {
        seen.merge(done.expect("client task"));
    }
    let signed_in = if cookie.is_some() { " (signed in)" } else { "" };
    let paced = rate.map_or(String::from("closed loop"), |r| format!("open loop, {r:.0} req/s offered"));
    println!("{url}{signed_in} at {connections} connections for {secs} s ({paced}):");
    println!("| answer | count | per second | p50 | p99 | max |");
    println!("|---|---|---|---|---|---|");
    println!("{}", row("admitted (2xx)", &mut seen.admitted, secs));
    println!("{}", row("shed (503)", &mut seen.shed, secs));
    if !seen.other.is_empty() {
        println!("{}", row("other status", &mut seen.other, secs));
    }
    println!("timeouts (no answer in 5 s): {}; connection errors: {}", seen.timeouts, seen.errors);
}
