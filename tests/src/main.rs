//! `gws-sandbox [--port N] [--now RFC3339] [--delay-ms N] [--strict-tokens]`: serve the
//! Google sandbox on 127.0.0.1.
//!
//! Prints exactly one line to stdout once bound, `listening on http://127.0.0.1:PORT`,
//! then serves until Ctrl-C or SIGTERM. Exit codes: 0 after a clean stop, 1 when the
//! port cannot be bound, 2 for a bad command line.

use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

use gws_sandbox::{Clock, Sandbox};

/// The port used when `--port` is not given.
const DEFAULT_PORT: u16 = 8100;

const USAGE: &str = "usage: gws-sandbox [--port N] [--now RFC3339] [--delay-ms N]\n\
\x20                  [--strict-tokens]\n\
  --port N        port on 127.0.0.1 (default 8100, 0 picks a free one)\n\
  --now RFC3339   freeze the sandbox clock (default: the system clock)\n\
  --delay-ms N    add N milliseconds before every Google reply (default 0)\n\
  --strict-tokens accept only access tokens from the sandbox's token endpoint (and\n\
                  `sandbox-token`) on the Google routes; others get 401";

struct Options {
    port: u16,
    clock: Clock,
    delay: Duration,
    strict_tokens: bool,
}

fn main() -> ExitCode {
    let options = match parse_args(std::env::args().skip(1)) {
        Ok(Some(options)) => options,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("gws-sandbox: {message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };

    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("gws-sandbox: cannot start the runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(serve(options))
}

async fn serve(options: Options) -> ExitCode {
    let sandbox = match Sandbox::start_with_clock(options.port, options.clock).await {
        Ok(sandbox) => sandbox,
        Err(err) => {
            eprintln!(
                "gws-sandbox: cannot listen on 127.0.0.1:{}: {err}",
                options.port
            );
            return ExitCode::FAILURE;
        }
    };
    sandbox.set_delay(options.delay);
    sandbox.set_strict_tokens(options.strict_tokens);

    let mut stdout = std::io::stdout();
    let _ = writeln!(stdout, "listening on {}", sandbox.url());
    let _ = stdout.flush();

    shutdown_signal().await;
    sandbox.shutdown().await;
    ExitCode::SUCCESS
}

/// Parses the flags; `Ok(None)` means help was asked for.
fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Option<Options>, String> {
    let mut options = Options {
        port: DEFAULT_PORT,
        clock: Clock::System,
        delay: Duration::ZERO,
        strict_tokens: false,
    };

    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) => (flag.to_string(), Some(value.to_string())),
            None => (arg, None),
        };
        let mut value = |name: &str| {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or(format!("{name} needs a value"))
        };

        match flag.as_str() {
            "--port" => {
                let text = value("--port")?;
                options.port = text
                    .parse()
                    .map_err(|_| format!("not a port number: {text}"))?;
            }
            "--now" => options.clock = Clock::fixed_at(&value("--now")?)?,
            "--delay-ms" => {
                let text = value("--delay-ms")?;
                let millis = text
                    .parse()
                    .map_err(|_| format!("not a number of milliseconds: {text}"))?;
                options.delay = Duration::from_millis(millis);
            }
            "--strict-tokens" => options.strict_tokens = true,
            "-h" | "--help" => return Ok(None),
            other => return Err(format!("unknown argument: {other}")),
        }
    }

    Ok(Some(options))
}

/// Resolves on Ctrl-C, and on SIGTERM where there is one.
async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };

    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();

    tokio::select! {
        _ = interrupt => {}
        _ = terminate => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Option<Options>, String> {
        parse_args(args.iter().map(|arg| arg.to_string()))
    }

    #[test]
    fn delay_ms_is_read_in_both_spellings_and_defaults_to_none() {
        let spaced = parse(&["--delay-ms", "50"]).unwrap().unwrap();
        let inline = parse(&["--delay-ms=7", "--port", "0"]).unwrap().unwrap();
        let plain = parse(&[]).unwrap().unwrap();

        assert_eq!(spaced.delay, Duration::from_millis(50));
        assert_eq!((inline.delay, inline.port), (Duration::from_millis(7), 0));
        assert_eq!(plain.delay, Duration::ZERO);
        assert!(parse(&["--delay-ms", "soon"]).is_err());
    }
}
