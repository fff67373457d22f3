//! The `gws-engine` command: serve the catalogue, validate it, or list its tools.
//!
//! Exit codes: 0 success; 1 the catalogue has problems; 2 the command could not run.

use std::{io::Write, path::PathBuf, process::ExitCode, sync::Arc};

use anyhow::Context as _;
use clap::{Parser, Subcommand};
use gws_engine::{
    call::Engine,
    catalogue::{self, Catalogue, Options, Problems},
    config::Config,
    google::{Credentials, Google},
    mcp::{self, AllowedHosts, Handler, Settings},
};
use tokio_util::sync::CancellationToken;

#[derive(Parser)]
#[command(
    name = "gws-engine",
    version,
    about = "Google Workspace for AI agents, as an MCP server"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the catalogue as MCP over streamable HTTP at /mcp.
    Serve(Config),
    /// Check catalogue files or directories; every problem is listed with its place.
    Validate {
        /// Catalogue directories or files.
        #[arg(default_value = "catalogue")]
        paths: Vec<PathBuf>,
    },
    /// List the tools the configuration enables.
    Tools(Config),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Serve(config) => serve(config),
        Command::Validate { paths } => validate(&paths),
        Command::Tools(config) => tools(&config),
    };
    match outcome {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error}");
            for cause in error.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            ExitCode::from(2)
        }
    }
}

fn load(config: &Config) -> anyhow::Result<Result<Catalogue, Problems>> {
    let options = Options {
        account_argument: !config.single_user,
        settings: config.settings(),
    };
    Ok(
        catalogue::load(&config.catalogue_roots(), &options).map(|mut catalogue| {
            catalogue.retain(|tool| config.enables(tool));
            catalogue
        }),
    )
}

fn report(problems: &Problems) {
    let mut err = std::io::stderr().lock();
    for problem in &problems.0 {
        let _ = writeln!(err, "error: {problem}");
    }
    let _ = writeln!(err, "{} problem(s) found", problems.0.len());
}

fn validate(paths: &[PathBuf]) -> anyhow::Result<ExitCode> {
    match catalogue::load(
        paths,
        &Options {
            account_argument: true,
            ..Options::default()
        },
    ) {
        Ok(catalogue) => {
            println!("ok: {} tools, no problems", catalogue.tools().len());
            Ok(ExitCode::SUCCESS)
        }
        Err(problems) => {
            report(&problems);
            Ok(ExitCode::from(1))
        }
    }
}

fn tools(config: &Config) -> anyhow::Result<ExitCode> {
    let catalogue = match load(config)? {
        Ok(catalogue) => catalogue,
        Err(problems) => {
            report(&problems);
            return Ok(ExitCode::from(1));
        }
    };
    let mut out = std::io::stdout().lock();
    for tool in catalogue.tools() {
        writeln!(
            out,
            "{:<36} {:<9} {:<10} {}",
            tool.name, tool.tier, tool.service, tool.title
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

fn serve(config: Config) -> anyhow::Result<ExitCode> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,rmcp=warn".into()),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();

    let catalogue = match load(&config)? {
        Ok(catalogue) => catalogue,
        Err(problems) => {
            report(&problems);
            return Ok(ExitCode::from(1));
        }
    };
    let tool_count = catalogue.tools().len();
    let google = Google::new(
        config.api_root.clone(),
        config.request_timeout(),
        config.max_reply_bytes,
    );
    let credentials = Credentials::new(config.access_token.clone(), config.token_file.clone());
    let engine = Arc::new(Engine::new(
        catalogue,
        google,
        credentials,
        config.call_deadline(),
    ));
    let instructions = config
        .user_google_email
        .as_ref()
        .map(|email| format!("Google Workspace tools acting for {email}."));
    let handler = Handler::new(engine, instructions);

    let shutdown = CancellationToken::new();
    let settings = Settings {
        hosts: AllowedHosts::new(&config.allowed_host_names()),
        max_body_bytes: config.max_body_bytes,
        shutdown: shutdown.clone(),
    };
    let app = mcp::router(handler, &settings);

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async move {
        let address = format!("{}:{}", config.host, config.port);
        let listener = tokio::net::TcpListener::bind(&address)
            .await
            .with_context(|| format!("cannot listen on {address}"))?;
        let bound = listener.local_addr()?;
        tracing::info!(%bound, tools = tool_count, "serving MCP at /mcp");
        println!("listening on http://{bound}");
        std::io::stdout().flush()?;

        let signal = shutdown.clone();
        tokio::spawn(async move {
            wait_for_signal().await;
            tracing::info!("shutting down");
            signal.cancel();
        });
        axum::serve(listener, app)
            .with_graceful_shutdown(async move { shutdown.cancelled().await })
            .await
            .context("the server failed")?;
        Ok(ExitCode::SUCCESS)
    })
}

async fn wait_for_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            .expect("SIGTERM can be watched");
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
}
