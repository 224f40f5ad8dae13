//! A pool of worker tasks in this process, and its graceful shutdown.

use std::time::Duration;

use tokio::{sync::watch, task::JoinSet};

use super::{WAKE, Worker};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Phase {
    Run,
    /// Claim nothing more; finish the job in hand.
    Stop,
    /// Grace is over: drop the job in hand and release it.
    Abort,
}

/// Running worker tasks; stop them with [`Pool::shutdown`].
#[derive(Debug)]
pub struct Pool {
    pub(super) phase: watch::Sender<Phase>,
    pub(super) tasks: JoinSet<()>,
}

impl Worker {
    /// Starts `tasks` concurrent loops that claim and run jobs (0: none).
    pub fn spawn(self, tasks: usize) -> Pool {
        let (phase, _) = watch::channel(Phase::Run);
        let mut set = JoinSet::new();
        for _ in 0..tasks {
            set.spawn(work(self.clone(), phase.subscribe()));
        }
        Pool { phase, tasks: set }
    }
}

impl Pool {
    /// Stops claiming, waits up to `grace` for jobs in hand to finish, then
    /// releases those that did not (back to `queued`, attempt not counted).
    pub async fn shutdown(mut self, grace: Duration) {
        let _ = self.phase.send(Phase::Stop);
        let drained = tokio::time::timeout(grace, async { while self.tasks.join_next().await.is_some() {} }).await;
        if drained.is_err() {
            let _ = self.phase.send(Phase::Abort);
            while self.tasks.join_next().await.is_some() {}
        }
    }
}

/// Completes when the pool's grace is over (never, if the pool was dropped
/// without a shutdown: then the job in hand may finish).
pub(super) async fn aborted(mut phase: watch::Receiver<Phase>) {
    if phase.wait_for(|p| *p == Phase::Abort).await.is_err() {
        std::future::pending::<()>().await;
    }
}

async fn work(worker: Worker, mut phase: watch::Receiver<Phase>) {
    loop {
        if *phase.borrow_and_update() != Phase::Run {
            return;
        }
        // Registered before claiming, so an enqueue during the claim still wakes us.
        let woken = WAKE.notified();
        match worker.claim().await {
            Ok(Some(job)) => {
                if let Err(e) = worker.execute(job, aborted(phase.clone())).await {
                    tracing::warn!(error = %e, "could not record a job outcome");
                }
                continue;
            }
            Ok(None) => {}
            Err(e) => tracing::warn!(error = %e, "could not claim a job"),
        }
        tokio::select! {
            () = woken => {
                // The wake comes from inside the enqueuing transaction; give it a
                // moment to commit so the next claim usually sees the job.
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
            () = tokio::time::sleep(worker.poll) => {}
            changed = phase.changed() => if changed.is_err() { return },
        }
    }
}
