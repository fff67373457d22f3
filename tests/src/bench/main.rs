//! `gws-bench`: the load harness behind `make bench`.
//!
//! Starts the release `gws-sandbox` and `gws-engine` on ephemeral loopback ports, measures
//! cold start, memory, LiteLLM-shaped cycles, tool-call rates, the latency the engine adds
//! over a direct upstream request, the `tools/list` size per tier and catalogue validation,
//! then prints a Markdown table and writes the numbers as JSON. Every phase is bounded in
//! count and time; all traffic stays on 127.0.0.1.
//!
//! Exit codes: 0 when the run finished (targets missed or not), 1 when it could not run,
//! 2 for a bad command line.

mod http;
mod load;
mod mcp;
mod ops;
mod phases;
mod procs;
mod report;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use serde_json::json;

use crate::http::BoxError;
use crate::load::Limits;
use crate::procs::{Paths, Server};
use crate::report::{Machine, Report};

const USAGE: &str = concat!(
    "usage: gws-bench [options]\n",
    "  --delay-ms N      upstream latency the sandbox adds to every Google reply (default 0)\n",
    "  --seconds N       length of each timed load phase (default 4)\n",
    "  --cycles N        cycles per memory batch, run twice (default 10000)\n",
    "  --cold-starts N   engine starts to time (default 20)\n",
    "  --out PATH        JSON report (default target/bench/latest.json)\n",
    "  --engine PATH, --sandbox PATH, --catalogue DIR   what to run (default: next to this \
     binary)",
);

/// The command line.
struct Options {
    delay_ms: u64,
    seconds: u64,
    cycles: u64,
    cold_starts: usize,
    out: PathBuf,
    paths: Paths,
}

fn main() -> ExitCode {
    let options = match parse_args(std::env::args().skip(1)) {
        Ok(Some(options)) => options,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("gws-bench: {message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };

    match run(&options) {
        Ok(report) => {
            let machine = &report.machine;
            println!(
                "\n{} CPUs ({}), {} MB, Linux {}, load average {} at start; upstream delay {} ms",
                machine.cpus,
                machine.model,
                machine.memory_mb,
                machine.kernel,
                machine.load_average,
                report.upstream_delay_ms
            );
            println!("\n{}", report.table());
            println!("JSON: {}", options.out.display());
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("gws-bench: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run(options: &Options) -> Result<Report, BoxError> {
    let begin = Instant::now();
    let paths = &options.paths;
    for binary in [&paths.engine, &paths.sandbox] {
        if !binary.exists() {
            let hint = "run `cargo build --release --workspace` first";
            return Err(format!("{} is missing: {hint}", binary.display()).into());
        }
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let mut report = Report {
        machine: machine(),
        upstream_delay_ms: options.delay_ms,
        ..Report::default()
    };
    let timed = |concurrency: usize| Limits {
        concurrency,
        max_ops: 1_000_000,
        max_time: Duration::from_secs(options.seconds),
    };

    let sandbox = Server::sandbox(paths, options.delay_ms)?;
    let api_root = sandbox.url();

    step("validate the catalogue");
    report.validate = phases::validate(paths, 10);
    step("cold starts");
    report.cold_start = phases::cold_start(&rt, paths, &api_root, options.cold_starts);
    step("tools/list per tier");
    for tier in ["core", "extended", "complete"] {
        report
            .tiers
            .push(phases::tier(&rt, paths, &api_root, tier)?);
    }

    step("idle memory");
    let engine = Server::engine(paths, &api_root, None)?;
    rt.block_on(phases::first_initialize(engine.address))?;
    std::thread::sleep(Duration::from_millis(500));
    let idle = engine.memory();
    (report.memory.idle_kb, report.memory.idle_anon_kb) = (idle.rss_kb, idle.anon_kb);

    step("LiteLLM cycles");
    report
        .load
        .push(phases::cycles(&rt, &engine, false, timed(1)));
    report
        .load
        .push(phases::cycles(&rt, &engine, true, timed(1)));
    let batch = Limits {
        concurrency: 16,
        max_ops: options.cycles,
        max_time: Duration::from_secs(90),
    };
    report.load.push(phases::cycles(&rt, &engine, false, batch));
    std::thread::sleep(Duration::from_secs(1));
    let after = engine.memory();
    report.memory.after_10k_cycles_kb = after.rss_kb;
    report.memory.after_10k_cycles_anon_kb = after.anon_kb;
    let second = phases::cycles(&rt, &engine, false, batch);
    std::thread::sleep(Duration::from_secs(1));
    let after = engine.memory();
    report.memory.after_20k_cycles_kb = after.rss_kb;
    report.memory.after_20k_cycles_anon_kb = after.anon_kb;
    if second.errors > 0 {
        report.load.push(second);
    }
    report
        .load
        .push(phases::cycles(&rt, &engine, true, timed(16)));

    step("tool calls");
    let search = json!({"query": "is:unread", "page_size": 10});
    let week = phases::week();
    for (tool, arguments) in [
        ("search_gmail_messages", search),
        ("get_events", week.clone()),
    ] {
        for concurrency in [1, 16] {
            rt.block_on(phases::clear_requests(sandbox.address))?;
            let row = phases::calls(&rt, &engine, tool, arguments.clone(), timed(concurrency));
            report.load.push(row);
        }
    }
    // Without a window the sandbox expands every series two years ahead for each call,
    // which costs it more than the engine spends: this row measures the sandbox.
    rt.block_on(phases::clear_requests(sandbox.address))?;
    let mut open = phases::calls(&rt, &engine, "get_events", json!({}), timed(16));
    open.name.push_str(", no window");
    report.load.push(open);

    step("added latency");
    rt.block_on(phases::clear_requests(sandbox.address))?;
    let (added, direct, through) = phases::added_latency(&rt, &sandbox, &engine, &week, timed(1))?;
    report.added = Some(added);
    report.load.extend([direct, through]);

    let memory = engine.memory();
    report.memory.peak_kb = memory.hwm_kb;
    report.memory.end_kb = memory.rss_kb;
    report.total_seconds = begin.elapsed().as_secs_f64();

    write_json(&options.out, &report)?;
    Ok(report)
}

fn step(what: &str) {
    eprintln!("gws-bench: {what}");
}

fn write_json(path: &Path, report: &Report) -> Result<(), BoxError> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(path, serde_json::to_string_pretty(report)? + "\n")?;
    Ok(())
}

/// CPUs, CPU model, memory and kernel, from `/proc`.
fn machine() -> Machine {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let field = |text: &str, name: &str| {
        text.lines()
            .find(|line| line.starts_with(name))
            .and_then(|line| line.split_once(':'))
            .map(|(_, value)| value.trim().to_string())
            .unwrap_or_default()
    };
    let memory_kb: u64 = field(&meminfo, "MemTotal")
        .trim_end_matches("kB")
        .trim()
        .parse()
        .unwrap_or(0);

    Machine {
        cpus: std::thread::available_parallelism().map_or(0, |n| n.get()),
        model: field(&cpuinfo, "model name"),
        memory_mb: memory_kb / 1024,
        kernel: std::fs::read_to_string("/proc/sys/kernel/osrelease")
            .unwrap_or_default()
            .trim()
            .to_string(),
        load_average: std::fs::read_to_string("/proc/loadavg")
            .unwrap_or_default()
            .split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" "),
    }
}

/// Parses the flags; `Ok(None)` means help was asked for.
fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Option<Options>, String> {
    let paths = procs::default_paths();
    let out = paths
        .engine
        .parent()
        .and_then(|release| release.parent())
        .map_or_else(|| PathBuf::from("target"), PathBuf::from)
        .join("bench/latest.json");
    let mut options = Options {
        delay_ms: 0,
        seconds: 4,
        cycles: 10_000,
        cold_starts: 20,
        out,
        paths,
    };

    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) => (flag.to_string(), Some(value.to_string())),
            None => (arg, None),
        };
        let mut value = || {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or(format!("{flag} needs a value"))
        };
        let number = |text: String| {
            text.parse::<u64>()
                .map_err(|_| format!("not a number: {text}"))
        };

        match flag.as_str() {
            "--delay-ms" => options.delay_ms = number(value()?)?,
            "--seconds" => options.seconds = number(value()?)?.max(1),
            "--cycles" => options.cycles = number(value()?)?.max(1),
            "--cold-starts" => options.cold_starts = number(value()?)?.max(1) as usize,
            "--out" => options.out = PathBuf::from(value()?),
            "--engine" => options.paths.engine = PathBuf::from(value()?),
            "--sandbox" => options.paths.sandbox = PathBuf::from(value()?),
            "--catalogue" => options.paths.catalogue = PathBuf::from(value()?),
            "-h" | "--help" => return Ok(None),
            other => return Err(format!("unknown argument: {other}")),
        }
    }

    Ok(Some(options))
}
