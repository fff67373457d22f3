//! What one bench run found, as a Markdown table for people and JSON for tools.

use std::fmt::Write as _;
use std::time::Duration;

use serde::Serialize;

use crate::load::Outcome;

/// The Python `workspace-mcp` server's `tools/list`, in tokens: every tool, and core only.
const PYTHON_TOKENS_ALL: f64 = 62_000.0;
const PYTHON_TOKENS_CORE: f64 = 22_000.0;
/// Its tool counts (PARITY.md): 121 in the complete tier, 45 in core.
const PYTHON_TOOLS_ALL: f64 = 121.0;
const PYTHON_TOOLS_CORE: f64 = 45.0;

/// Everything one run measured.
#[derive(Debug, Default, Serialize)]
pub struct Report {
    /// The machine it ran on.
    pub machine: Machine,
    /// Milliseconds the sandbox added before every Google reply.
    pub upstream_delay_ms: u64,
    /// Spawn to the first good `initialize` answer.
    pub cold_start: Spread,
    /// `gws-engine validate catalogue`, as a whole process.
    pub validate: Spread,
    /// Resident memory of the engine, in kB.
    pub memory: MemoryReport,
    /// `tools/list` per tier.
    pub tiers: Vec<TierRow>,
    /// Load phases: LiteLLM cycles and tool calls.
    pub load: Vec<LoadRow>,
    /// The latency the engine adds over a direct upstream request.
    pub added: Option<Added>,
    /// Wall time of the whole run, in seconds.
    pub total_seconds: f64,
}

/// The machine, as `/proc` describes it.
#[derive(Debug, Default, Serialize)]
pub struct Machine {
    /// Logical CPUs available.
    pub cpus: usize,
    /// `model name` from `/proc/cpuinfo`.
    pub model: String,
    /// `MemTotal`, in MB.
    pub memory_mb: u64,
    /// The kernel release.
    pub kernel: String,
    /// `/proc/loadavg` (1, 5, 15 minutes) when the run started: other work skews results.
    pub load_average: String,
}

/// Median, min and max of repeated timings, in milliseconds.
#[derive(Debug, Default, Serialize)]
pub struct Spread {
    /// How many runs succeeded.
    pub runs: usize,
    /// The median.
    pub median_ms: f64,
    /// The fastest.
    pub min_ms: f64,
    /// The slowest.
    pub max_ms: f64,
}

/// The engine's resident memory at the points that matter, in kB: `VmRSS`, and `RssAnon`
/// (its own heap and stacks, without the shared pages of the binary).
#[derive(Debug, Default, Serialize)]
pub struct MemoryReport {
    /// Right after start and one `initialize`, before any load.
    pub idle_kb: u64,
    /// Anonymous part of `idle_kb`.
    pub idle_anon_kb: u64,
    /// After 10,000 cycles without `DELETE`, one second later.
    pub after_10k_cycles_kb: u64,
    /// Anonymous part of `after_10k_cycles_kb`.
    pub after_10k_cycles_anon_kb: u64,
    /// After 10,000 more.
    pub after_20k_cycles_kb: u64,
    /// Anonymous part of `after_20k_cycles_kb`.
    pub after_20k_cycles_anon_kb: u64,
    /// `VmHWM` at the end of the run: the peak under load.
    pub peak_kb: u64,
    /// Resident at the end of the run.
    pub end_kb: u64,
}

/// `tools/list` for one `TOOL_TIER`.
#[derive(Debug, Default, Serialize)]
pub struct TierRow {
    /// `core`, `extended` or `complete`.
    pub tier: String,
    /// Tools listed.
    pub tools: usize,
    /// The JSON-RPC answer's size.
    pub bytes: usize,
    /// Characters / 4 of the whole answer.
    pub tokens: usize,
    /// Characters / 4 of the part a model sees through LiteLLM: name, description and
    /// input schema per tool, as OpenAI functions.
    pub model_tokens: usize,
}

/// One load phase.
#[derive(Debug, Default, Serialize)]
pub struct LoadRow {
    /// What was repeated.
    pub name: String,
    /// Workers at once.
    pub concurrency: usize,
    /// Successful operations.
    pub ok: u64,
    /// Failed operations.
    pub errors: u64,
    /// Successful operations per second.
    pub per_second: f64,
    /// Median latency.
    pub p50_ms: f64,
    /// 99th percentile latency.
    pub p99_ms: f64,
    /// CPU time the serving process (the engine, or the sandbox for direct requests) spent
    /// per operation, in microseconds; 10 ms resolution over the whole phase.
    pub server_cpu_us_per_op: f64,
    /// The first failure seen.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_error: Option<String>,
}

/// The same `get_events` upstream request, direct and through the engine, at concurrency 1.
#[derive(Debug, Default, Serialize)]
pub struct Added {
    /// The request, path and query.
    pub request: String,
    /// Direct to the sandbox: p50 and p99.
    pub upstream_p50_ms: f64,
    /// Direct to the sandbox, p99.
    pub upstream_p99_ms: f64,
    /// `tools/call get_events` through the engine, p50.
    pub engine_p50_ms: f64,
    /// Through the engine, p99.
    pub engine_p99_ms: f64,
}

impl LoadRow {
    /// The row for `outcome`.
    pub fn new(name: &str, concurrency: usize, outcome: &Outcome) -> LoadRow {
        LoadRow {
            name: name.to_string(),
            concurrency,
            ok: outcome.ok,
            errors: outcome.errors,
            per_second: outcome.rate(),
            p50_ms: millis(outcome.percentile(50.0)),
            p99_ms: millis(outcome.percentile(99.0)),
            server_cpu_us_per_op: 0.0,
            first_error: outcome.first_error.clone(),
        }
    }
}

impl Spread {
    /// The spread of `samples`; all zero when there are none.
    pub fn of(mut samples: Vec<Duration>) -> Spread {
        samples.sort_unstable();
        let Some((first, last)) = samples.first().zip(samples.last()) else {
            return Spread::default();
        };
        let middle = samples.len() / 2;
        let median = if samples.len().is_multiple_of(2) {
            (samples[middle - 1] + samples[middle]) / 2
        } else {
            samples[middle]
        };

        Spread {
            runs: samples.len(),
            median_ms: millis(median),
            min_ms: millis(*first),
            max_ms: millis(*last),
        }
    }
}

/// A duration in milliseconds.
pub fn millis(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

fn mb(kb: u64) -> String {
    format!("{:.1} MiB", kb as f64 / 1024.0)
}

fn verdict(met: bool) -> &'static str {
    if met { "yes" } else { "**no**" }
}

impl Report {
    /// The Markdown table: measure, result, target, met.
    pub fn table(&self) -> String {
        let mut rows: Vec<[String; 4]> = Vec::new();
        let mut row = |measure: String, result: String, target: &str, met: Option<bool>| {
            let met = met.map_or("", verdict).to_string();
            rows.push([measure, result, target.to_string(), met]);
        };

        let start = &self.cold_start;
        row(
            format!(
                "cold start, spawn → first `initialize` (median of {})",
                start.runs
            ),
            format!(
                "{:.1} ms (min {:.1}, max {:.1})",
                start.median_ms, start.min_ms, start.max_ms
            ),
            "≤ 50 ms",
            Some(start.runs > 0 && start.median_ms <= 50.0),
        );
        let memory = &self.memory;
        row(
            "idle RSS after start (of which anonymous)".into(),
            format!("{} ({})", mb(memory.idle_kb), mb(memory.idle_anon_kb)),
            "≤ 20 MB (read as MiB)",
            Some(memory.idle_kb > 0 && memory.idle_kb <= 20 * 1024),
        );
        row(
            "peak RSS under load (VmHWM)".into(),
            mb(memory.peak_kb),
            "",
            None,
        );
        row(
            "RSS after 10,000 / 20,000 cycles without DELETE (anonymous)".into(),
            format!(
                "{} / {} ({} / {}); idle {} ({})",
                mb(memory.after_10k_cycles_kb),
                mb(memory.after_20k_cycles_kb),
                mb(memory.after_10k_cycles_anon_kb),
                mb(memory.after_20k_cycles_anon_kb),
                mb(memory.idle_kb),
                mb(memory.idle_anon_kb)
            ),
            "near idle",
            None,
        );

        for load in &self.load {
            let (target, met) = load_target(load);
            let mut result = format!(
                "{:.0}/s, p50 {:.2} ms, p99 {:.2} ms, server CPU {:.0} µs/op",
                load.per_second, load.p50_ms, load.p99_ms, load.server_cpu_us_per_op
            );
            if load.errors > 0 {
                let _ = write!(result, ", {} errors", load.errors);
            }
            row(
                format!("{} (c={})", load.name, load.concurrency),
                result,
                target,
                met,
            );
        }

        if let Some(added) = &self.added {
            let extra = added.engine_p50_ms - added.upstream_p50_ms;
            row(
                "latency added per `get_events` call at p50 (engine − direct upstream)".into(),
                format!(
                    "{extra:.3} ms ({:.3} vs {:.3} ms; p99 {:.3} vs {:.3} ms)",
                    added.engine_p50_ms,
                    added.upstream_p50_ms,
                    added.engine_p99_ms,
                    added.upstream_p99_ms
                ),
                "≤ 0.5 ms",
                Some(extra <= 0.5),
            );
        }

        for tier in &self.tiers {
            let (python, tools) = if tier.tier == "core" {
                (PYTHON_TOKENS_CORE, PYTHON_TOOLS_CORE)
            } else {
                (PYTHON_TOKENS_ALL, PYTHON_TOOLS_ALL)
            };
            let per_tool = tier.tokens as f64 / tier.tools.max(1) as f64;
            let model_per_tool = tier.model_tokens as f64 / tier.tools.max(1) as f64;
            let budget = python / tools / 2.0;
            row(
                format!("`tools/list`, TOOL_TIER={}", tier.tier),
                format!(
                    "{} tools, {} bytes, ~{} tokens ({per_tool:.0}/tool); \
                     model-visible ~{} ({model_per_tool:.0}/tool)",
                    tier.tools, tier.bytes, tier.tokens, tier.model_tokens
                ),
                &format!("≤ {budget:.0} tokens/tool (half of Python's {python:.0}/{tools:.0})"),
                Some(per_tool <= budget),
            );
        }

        let check = &self.validate;
        row(
            format!("`gws-engine validate catalogue` (median of {})", check.runs),
            format!(
                "{:.1} ms (min {:.1}, max {:.1})",
                check.median_ms, check.min_ms, check.max_ms
            ),
            "",
            None,
        );

        render(&rows)
    }
}

/// The target a load row is held to, if any.
fn load_target(load: &LoadRow) -> (&'static str, Option<bool>) {
    let is_cycle = load.name.starts_with("LiteLLM cycle");
    // The unbounded `get_events` row measures the sandbox's recurrence expansion.
    let events = load.name.contains("get_events") && !load.name.contains("no window");
    match (is_cycle, events, load.concurrency) {
        (true, _, 16) => (
            "≥ 1,500/s",
            Some(load.errors == 0 && load.per_second >= 1500.0),
        ),
        (false, true, 16) => (
            "≥ 2,000/s",
            Some(load.errors == 0 && load.per_second >= 2000.0),
        ),
        _ => ("", None),
    }
}

fn render(rows: &[[String; 4]]) -> String {
    let mut out = String::from("| measure | result | target | met |\n|---|---|---|---|\n");
    for [measure, result, target, met] in rows {
        let _ = writeln!(out, "| {measure} | {result} | {target} | {met} |");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_median_of_an_even_count_is_the_mean_of_the_middle_two() {
        let ms = |m: u64| Duration::from_millis(m);

        let spread = Spread::of(vec![ms(4), ms(1), ms(3), ms(2)]);

        assert_eq!(spread.median_ms, 2.5);
        assert_eq!((spread.min_ms, spread.max_ms, spread.runs), (1.0, 4.0, 4));
    }

    #[test]
    fn a_concurrent_cycle_row_is_held_to_the_cycle_target() {
        let row = LoadRow {
            name: "LiteLLM cycle, no DELETE".into(),
            concurrency: 16,
            per_second: 1600.0,
            ..LoadRow::default()
        };

        assert_eq!(load_target(&row), ("≥ 1,500/s", Some(true)));
    }
}
