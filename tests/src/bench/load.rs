//! Runs one operation from N workers at once, bounded in count and time, and keeps every
//! latency for percentiles.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use crate::http::BoxError;

/// The longest one operation may take before it counts as failed.
const OP_TIMEOUT: Duration = Duration::from_secs(10);

/// How much load to apply.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Workers running at once, each waiting for its reply before sending again.
    pub concurrency: usize,
    /// Operations to start at most.
    pub max_ops: u64,
    /// Time after which no operation is started.
    pub max_time: Duration,
}

/// One unit of work a worker repeats.
pub trait Op: Send + 'static {
    /// Runs the operation once.
    fn run(&mut self) -> impl Future<Output = Result<(), BoxError>> + Send;
}

/// What a run measured.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Operations that succeeded.
    pub ok: u64,
    /// Operations that failed or timed out.
    pub errors: u64,
    /// From the first start to the last finish.
    pub elapsed: Duration,
    /// Latencies of the successful operations, sorted.
    pub latencies: Vec<Duration>,
    /// The first failure, to show what went wrong.
    pub first_error: Option<String>,
}

impl Outcome {
    /// Successful operations per second.
    pub fn rate(&self) -> f64 {
        self.ok as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    /// Adds another run of the same operation to this one.
    pub fn absorb(&mut self, other: Outcome) {
        self.ok += other.ok;
        self.errors += other.errors;
        self.elapsed += other.elapsed;
        self.latencies.extend(other.latencies);
        self.latencies.sort_unstable();
        if self.first_error.is_none() {
            self.first_error = other.first_error;
        }
    }

    /// The `p`th percentile latency (0 to 100), by nearest rank.
    pub fn percentile(&self, p: f64) -> Duration {
        if self.latencies.is_empty() {
            return Duration::ZERO;
        }
        let rank = (p / 100.0 * self.latencies.len() as f64).ceil() as usize;
        self.latencies[rank.clamp(1, self.latencies.len()) - 1]
    }
}

/// Runs `limits.concurrency` workers made by `worker` until `max_ops` operations started or
/// `max_time` passed, whichever comes first.
pub async fn run<W: Op>(limits: Limits, mut worker: impl FnMut() -> W) -> Outcome {
    let started = Arc::new(AtomicU64::new(0));
    let begin = Instant::now();
    let deadline = begin + limits.max_time;

    let mut tasks = Vec::with_capacity(limits.concurrency);
    for _ in 0..limits.concurrency.max(1) {
        let mut op = worker();
        let started = Arc::clone(&started);
        tasks.push(tokio::spawn(async move {
            let mut own = Outcome::default();
            while Instant::now() < deadline
                && started.fetch_add(1, Ordering::Relaxed) < limits.max_ops
            {
                let at = Instant::now();
                let result = match tokio::time::timeout(OP_TIMEOUT, op.run()).await {
                    Ok(result) => result,
                    Err(_) => Err("no answer within the operation timeout".into()),
                };
                match result {
                    Ok(()) => {
                        own.ok += 1;
                        own.latencies.push(at.elapsed());
                    }
                    Err(error) => {
                        own.errors += 1;
                        own.first_error.get_or_insert_with(|| error.to_string());
                    }
                }
            }
            own
        }));
    }

    let mut total = Outcome::default();
    for task in tasks {
        let Ok(own) = task.await else {
            total.errors += 1;
            continue;
        };
        total.ok += own.ok;
        total.errors += own.errors;
        total.latencies.extend(own.latencies);
        if total.first_error.is_none() {
            total.first_error = own.first_error;
        }
    }
    total.elapsed = begin.elapsed();
    total.latencies.sort_unstable();

    total
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(millis: &[u64]) -> Outcome {
        Outcome {
            ok: millis.len() as u64,
            elapsed: Duration::from_secs(2),
            latencies: millis.iter().map(|&m| Duration::from_millis(m)).collect(),
            ..Outcome::default()
        }
    }

    #[test]
    fn percentiles_are_taken_by_nearest_rank() {
        let run = outcome(&(1..=100).collect::<Vec<_>>());

        assert_eq!(run.percentile(50.0), Duration::from_millis(50));
        assert_eq!(run.percentile(99.0), Duration::from_millis(99));
        assert_eq!(run.percentile(100.0), Duration::from_millis(100));
        assert_eq!(outcome(&[7]).percentile(99.0), Duration::from_millis(7));
        assert_eq!(outcome(&[]).percentile(50.0), Duration::ZERO);
    }

    #[test]
    fn the_rate_counts_successes_over_the_elapsed_time() {
        assert_eq!(outcome(&[1, 2, 3, 4]).rate(), 2.0);
    }

    struct Counting;

    impl Op for Counting {
        async fn run(&mut self) -> Result<(), BoxError> {
            Ok(())
        }
    }

    #[tokio::test]
    async fn a_run_stops_at_its_operation_count() {
        let limits = Limits {
            concurrency: 4,
            max_ops: 25,
            max_time: Duration::from_secs(5),
        };

        let run = run(limits, || Counting).await;

        assert_eq!((run.ok, run.errors), (25, 0));
    }
}
