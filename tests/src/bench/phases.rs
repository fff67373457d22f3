//! The measurements, one function each, in the order the run takes them.

use std::future::Future;
use std::net::SocketAddr;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use bytes::Bytes;
use hyper::http::{HeaderValue, Method};
use serde_json::{Value, json};
use tokio::runtime::Runtime;

use crate::http::{BoxError, Conn};
use crate::load::{self, Limits, Outcome};
use crate::mcp;
use crate::ops::{Call, Cycle, Upstream};
use crate::procs::{Paths, Server, TOKEN};
use crate::report::{Added, LoadRow, Spread, TierRow, millis};

/// How long the first good `initialize` may take before a cold start counts as failed.
const START_TIMEOUT: Duration = Duration::from_secs(10);

/// Spawns the engine `runs` times and times spawn → first good `initialize` answer.
pub fn cold_start(rt: &Runtime, paths: &Paths, api_root: &str, runs: usize) -> Spread {
    let mut samples = Vec::with_capacity(runs);
    for _ in 0..runs {
        let begin = Instant::now();
        let Ok(engine) = Server::engine(paths, api_root, None) else {
            continue;
        };
        if rt.block_on(first_initialize(engine.address)).is_ok() {
            samples.push(begin.elapsed());
        }
        drop(engine);
    }
    Spread::of(samples)
}

/// Sends `initialize` on fresh connections until one is answered well.
pub async fn first_initialize(address: SocketAddr) -> Result<(), BoxError> {
    let deadline = Instant::now() + START_TIMEOUT;
    loop {
        let attempt = async {
            let mut conn = Conn::open(address).await?;
            mcp::initialize(&mut conn).await.map(drop)
        };
        match attempt.await {
            Ok(()) => return Ok(()),
            Err(error) if Instant::now() > deadline => return Err(error),
            Err(_) => tokio::time::sleep(Duration::from_micros(200)).await,
        }
    }
}

/// Runs `gws-engine validate CATALOGUE` `runs` times; only clean runs count.
pub fn validate(paths: &Paths, runs: usize) -> Spread {
    let mut samples = Vec::with_capacity(runs);
    for _ in 0..runs {
        let begin = Instant::now();
        let status = Command::new(&paths.engine)
            .arg("validate")
            .arg(&paths.catalogue)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        if status.is_ok_and(|status| status.success()) {
            samples.push(begin.elapsed());
        }
    }
    Spread::of(samples)
}

/// Starts an engine with `TOOL_TIER=tier` and measures its `tools/list` answer.
pub fn tier(rt: &Runtime, paths: &Paths, api_root: &str, tier: &str) -> Result<TierRow, BoxError> {
    let engine = Server::engine(paths, api_root, Some(tier))?;
    let body = rt.block_on(async {
        first_initialize(engine.address).await?;
        mcp::cycle(engine.address, false).await
    })?;

    let text = std::str::from_utf8(&body)?;
    let reply: Value = serde_json::from_str(text)?;
    let tools = reply["result"]["tools"]
        .as_array()
        .cloned()
        .unwrap_or_default();

    // What LiteLLM hands the model per tool (MCP-CLIENTS.md §2.5): an OpenAI function of
    // name, description and parameters; title, annotations and outputSchema stay behind.
    let functions: Vec<Value> = tools
        .iter()
        .map(|tool| {
            json!({"type": "function", "function": {"name": tool["name"],
                "description": tool["description"], "parameters": tool["inputSchema"]}})
        })
        .collect();
    let function_text = serde_json::to_string(&functions)?;

    Ok(TierRow {
        tier: tier.to_string(),
        tools: tools.len(),
        bytes: body.len(),
        tokens: text.chars().count() / 4,
        model_tokens: function_text.chars().count() / 4,
    })
}

/// Runs `load` and measures the CPU time `server` spent on it.
fn measured(rt: &Runtime, server: &Server, load: impl Future<Output = Outcome>) -> Measured {
    let before = server.cpu_time();
    let outcome = rt.block_on(load);
    Measured {
        cpu: server.cpu_time().saturating_sub(before),
        outcome,
    }
}

/// A run and the server CPU time it cost.
#[derive(Default)]
struct Measured {
    outcome: Outcome,
    cpu: Duration,
}

impl Measured {
    fn absorb(&mut self, other: Measured) {
        self.outcome.absorb(other.outcome);
        self.cpu += other.cpu;
    }

    fn row(&self, name: &str, concurrency: usize) -> LoadRow {
        let mut row = LoadRow::new(name, concurrency, &self.outcome);
        let ops = (self.outcome.ok + self.outcome.errors).max(1);
        row.server_cpu_us_per_op = millis(self.cpu) * 1000.0 / ops as f64;
        row
    }
}

/// LiteLLM-shaped cycles from `concurrency` workers.
pub fn cycles(rt: &Runtime, engine: &Server, delete: bool, limits: Limits) -> LoadRow {
    let address = engine.address;
    let run = measured(rt, engine, load::run(limits, || Cycle { address, delete }));
    let name = if delete {
        "LiteLLM cycle, with DELETE"
    } else {
        "LiteLLM cycle, no DELETE"
    };
    run.row(name, limits.concurrency)
}

/// `tools/call` of `tool` with `arguments` from `concurrency` workers, one kept-alive
/// connection each.
pub fn calls(
    rt: &Runtime,
    engine: &Server,
    tool: &str,
    arguments: Value,
    limits: Limits,
) -> LoadRow {
    let (address, body) = (engine.address, mcp::call_body(tool, arguments));
    let run = measured(
        rt,
        engine,
        load::run(limits, || Call::new(address, body.clone())),
    );
    run.row(&format!("tools/call {tool}"), limits.concurrency)
}

/// The `get_events` arguments for the coming week: today (UTC) to seven days on.
pub fn week() -> Value {
    let today = chrono::Utc::now().date_naive();
    let end = today + chrono::Days::new(7);
    json!({"time_min": today.to_string(), "time_max": end.to_string()})
}

/// Finds the upstream request one `get_events` call with `arguments` makes, then times it
/// sent straight to the sandbox and the call through the engine at concurrency 1, in
/// alternating halves so that both see the same machine.
pub fn added_latency(
    rt: &Runtime,
    sandbox: &Server,
    engine: &Server,
    arguments: &Value,
    limits: Limits,
) -> Result<(Added, LoadRow, LoadRow), BoxError> {
    let (upstream, address) = (sandbox.address, engine.address);
    let call = mcp::call_body("get_events", arguments.clone());
    let request = rt.block_on(async {
        clear_requests(upstream).await?;
        mcp::call(&mut Conn::open(address).await?, &call).await?;
        last_request(upstream, "/events").await
    })?;

    let half = Limits {
        max_time: limits.max_time / 2,
        ..limits
    };
    let mut direct = Measured::default();
    let mut through = Measured::default();
    for _ in 0..2 {
        let straight = load::run(half, || Upstream::new(upstream, request.clone(), TOKEN));
        direct.absorb(measured(rt, sandbox, straight));
        let called = load::run(half, || Call::new(address, call.clone()));
        through.absorb(measured(rt, engine, called));
    }

    let added = Added {
        request: request.clone(),
        upstream_p50_ms: millis(direct.outcome.percentile(50.0)),
        upstream_p99_ms: millis(direct.outcome.percentile(99.0)),
        engine_p50_ms: millis(through.outcome.percentile(50.0)),
        engine_p99_ms: millis(through.outcome.percentile(99.0)),
    };
    let direct = direct.row("GET events straight to the sandbox", 1);
    let through = through.row("tools/call get_events (paired run)", 1);
    Ok((added, direct, through))
}

/// Forgets what the sandbox recorded, so its log stays small between phases.
pub async fn clear_requests(sandbox: SocketAddr) -> Result<(), BoxError> {
    let mut conn = Conn::open(sandbox).await?;
    conn.send(Method::DELETE, "/_sandbox/requests", &[], Bytes::new())
        .await?;
    Ok(())
}

/// The path and query of the last recorded request whose path ends with `suffix`.
async fn last_request(sandbox: SocketAddr, suffix: &str) -> Result<String, BoxError> {
    let mut conn = Conn::open(sandbox).await?;
    let answer = conn
        .send(Method::GET, "/_sandbox/requests", &[], Bytes::new())
        .await?;
    let recorded: Vec<Value> = serde_json::from_slice(&answer.body)?;

    let request = recorded
        .iter()
        .rev()
        .find(|r| r["path"].as_str().is_some_and(|p| p.ends_with(suffix)))
        .ok_or("the engine sent no such request")?;
    let mut query = form_urlencoded::Serializer::new(String::new());
    for pair in request["query"].as_array().into_iter().flatten() {
        query.append_pair(
            pair[0].as_str().unwrap_or(""),
            pair[1].as_str().unwrap_or(""),
        );
    }
    let path = request["path"].as_str().unwrap_or("/");

    // Checked here so a bad path fails the phase, not every request in it.
    HeaderValue::from_str(path)?;
    Ok(format!("{path}?{}", query.finish()))
}
