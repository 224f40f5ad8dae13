//! Load shedding: at most `max_in_flight` requests are handled at once. Past
//! that, a request is answered 503 with `Retry-After` at once instead of
//! queueing behind the others, so under a flood the requests let in keep their
//! latency and the rest learn immediately to come back. Health checks and the
//! metrics scrape are never shed: an overloaded server must still say so.

use std::sync::Arc;

use axum::{
    extract::{Request, State},
    middleware::Next,
    response::{IntoResponse, Response},
};
use metrics::{Counter, Gauge};
use tokio::sync::Semaphore;

use crate::AppError;

/// Paths that are always served.
const NEVER_SHED: [&str; 3] = ["/livez", "/readyz", "/metrics"];

/// The middleware's state: the permits of the requests in flight.
#[derive(Clone, Debug)]
pub struct InFlight {
    permits: Arc<Semaphore>,
    max: usize,
    gauge: Gauge,
    shed: Counter,
}

impl InFlight {
    /// `max` requests at once; 0 means 64 per core, a level a 2-core machine
    /// keeps within its latency budget when the database is local.
    pub fn new(max: usize) -> Self {
        let max = if max == 0 { default_max() } else { max };
        super::metrics::handle(); // the recorder first: a handle taken before it counts nothing
        let gauge = metrics::gauge!("http_requests_in_flight");
        let shed = metrics::counter!("http_requests_shed_total");
        Self { permits: Arc::new(Semaphore::new(max)), max, gauge, shed }
    }

    /// `http_requests_in_flight`: the requests this process is handling now.
    fn report(&self) {
        self.gauge.set((self.max - self.permits.available_permits()) as f64);
    }
}

fn default_max() -> usize {
    64 * std::thread::available_parallelism().map_or(2, usize::from)
}

pub async fn admit(State(in_flight): State<InFlight>, req: Request, next: Next) -> Response {
    if NEVER_SHED.contains(&req.uri().path()) {
        return next.run(req).await;
    }
    let Ok(permit) = in_flight.permits.try_acquire() else {
        in_flight.shed.increment(1);
        let mut busy = AppError::unavailable("The server is busy right now. Try again in a moment.");
        busy.retry_after_secs = Some(1);
        return busy.into_response();
    };
    in_flight.report();
    let response = next.run(req).await;
    drop(permit);
    in_flight.report();
    response
}
