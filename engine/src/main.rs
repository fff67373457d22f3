//! The `gws-engine` command: serve the catalogue, validate it, or list its tools.
//!
//! Exit codes: 0 success; 1 the catalogue has problems; 2 the command could not run.

use std::{io::Write, path::PathBuf, process::ExitCode, sync::Arc, time::Instant};

use anyhow::Context as _;
use clap::{Parser, Subcommand};
use gws_engine::{
    auth,
    call::Engine,
    catalogue::{self, Catalogue, Fingerprint, Options, Problem, SignInHook},
    config::Config,
    google::Google,
    mcp::{self, AllowedHosts, CallerHeaders, Handler, Settings},
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
    ///
    /// Exit codes: 0 clean (warnings allowed), 1 problems found, 2 could not run.
    Validate {
        /// Catalogue directories or files; later ones overlay earlier ones.
        #[arg(default_value = "catalogue")]
        paths: Vec<PathBuf>,
        /// `text` (rustc-style, for people) or `json` (for machines).
        #[arg(long, default_value = "text")]
        format: Format,
    },
    /// List the tools the configuration serves.
    Tools {
        #[command(flatten)]
        config: Config,
        /// `text` or `json` (the tools as tools/list shows them).
        #[arg(long, default_value = "text")]
        format: Format,
        /// Print the OAuth scopes the served tools need instead.
        #[arg(long)]
        scopes: bool,
    },
    /// Run one tool and print its result; with --dry-run, print the requests instead.
    Call {
        /// The tool (or an alias).
        tool: String,
        /// The arguments, as a JSON object.
        #[arg(long, default_value = "{}")]
        args: String,
        /// (Also `--dry-run`: print each HTTP request, credential masked, and send nothing.)
        #[command(flatten)]
        config: Config,
    },
    /// Per Google API, which Discovery methods the catalogue reaches.
    Coverage {
        #[command(flatten)]
        config: Config,
        /// `text` or `json`.
        #[arg(long, default_value = "text")]
        format: Format,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Text,
    Json,
}

fn main() -> ExitCode {
    // The Python server also reads PORT (a platform convention); WORKSPACE_MCP_PORT wins.
    if std::env::var_os("WORKSPACE_MCP_PORT").is_none()
        && let Some(port) = std::env::var_os("PORT")
    {
        // SAFETY: no other thread exists yet; nothing reads the environment concurrently.
        unsafe { std::env::set_var("WORKSPACE_MCP_PORT", port) };
    }
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Serve(config) => serve(config.normalized()),
        Command::Validate { paths, format } => validate(&paths, format),
        Command::Tools {
            config,
            format,
            scopes,
        } => tools(&config.normalized(), format, scopes),
        Command::Call { tool, args, config } => call(&config.normalized(), &tool, &args),
        Command::Coverage { config, format } => coverage(&config.normalized(), format),
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

/// The catalogue the configuration serves, or the problems that stop it (already printed).
fn load(config: &Config) -> Result<Catalogue, ExitCode> {
    load_with(config, &SignInHook::default())
}

/// The same, with templates' `google_sign_in_url` answered by `sign_in`.
fn load_with(config: &Config, sign_in: &SignInHook) -> Result<Catalogue, ExitCode> {
    let options = options(config, sign_in);
    match catalogue::load(&config.catalogue_roots(), &options) {
        Ok(mut catalogue) => {
            if let Err(message) = check_names(config, &catalogue) {
                eprintln!("error: {message}");
                return Err(ExitCode::from(2));
            }
            catalogue.retain(|tool| config.enables(tool));
            Ok(catalogue)
        }
        Err(problems) => {
            report(&problems.0, Format::Text);
            Err(ExitCode::from(1))
        }
    }
}

/// Lets templates' `google_sign_in_url` start sign-ins through `engine`'s accounts.
fn wire_sign_in(sign_in: &SignInHook, engine: &Engine) {
    let auth = engine.auth().clone();
    sign_in.set(Arc::new(move |account| match auth.accounts() {
        Some(accounts) => Ok(accounts.sign_in_url(accounts.account(account).as_deref(), &[])),
        None => Err(
            "this server does not sign users in: it acts with a configured token, the \
                     caller's own token, or a service account"
                .to_owned(),
        ),
    }));
}

/// Service and tool names in `TOOLS`, `GWS_ENABLE_TOOLS` and `GWS_DISABLE_TOOLS` that the
/// catalogue does not have: a typo there would silently serve fewer tools.
fn check_names(config: &Config, catalogue: &Catalogue) -> Result<(), String> {
    let mut services: Vec<&str> = catalogue
        .tools()
        .iter()
        .map(|t| t.service.as_str())
        .collect();
    services.sort_unstable();
    services.dedup();
    if let Some(unknown) = config
        .services()
        .iter()
        .find(|s| !services.contains(&s.as_str()))
    {
        return Err(format!(
            "TOOLS names `{unknown}`, which is not a service; known: {}",
            services.join(", ")
        ));
    }
    let lists = [
        ("GWS_ENABLE_TOOLS", &config.enable_tools),
        ("GWS_DISABLE_TOOLS", &config.disable_tools),
    ];
    for (variable, names) in lists {
        let names = names
            .iter()
            .flat_map(|n| n.split([',', ' ']))
            .map(str::trim)
            .filter(|n| !n.is_empty());
        for name in names {
            if catalogue.tool(name).is_none() {
                return Err(format!(
                    "{variable} names `{name}`, which is not a tool; `gws-engine tools` lists them"
                ));
            }
        }
    }
    Ok(())
}

fn options(config: &Config, sign_in: &SignInHook) -> Options {
    Options {
        account_argument: !config.single_user,
        settings: config.settings(),
        sign_in: sign_in.clone(),
    }
}

fn report(problems: &[Problem], format: Format) {
    let mut err = std::io::stderr().lock();
    if format == Format::Json {
        let _ = writeln!(
            err,
            "{}",
            serde_json::to_string_pretty(problems).unwrap_or_default()
        );
        return;
    }
    for problem in problems {
        let _ = writeln!(err, "{}", problem.render());
    }
    let errors = problems.iter().filter(|p| p.is_error()).count();
    let _ = writeln!(
        err,
        "{errors} error(s), {} warning(s)",
        problems.len() - errors
    );
}

fn validate(paths: &[PathBuf], format: Format) -> anyhow::Result<ExitCode> {
    if let Some(missing) = paths.iter().find(|path| !path.exists()) {
        anyhow::bail!("{} does not exist: nothing to validate", missing.display());
    }
    let started = Instant::now();
    let options = Options {
        account_argument: true,
        ..Options::default()
    };
    match catalogue::load(paths, &options) {
        Ok(catalogue) => {
            if !catalogue.warnings().is_empty() || format == Format::Json {
                report(catalogue.warnings(), format);
            }
            let elapsed = started.elapsed().as_secs_f64() * 1000.0;
            let count = catalogue.tools().len();
            eprintln!("ok: {count} tools, no errors (checked in {elapsed:.0} ms)");
            Ok(ExitCode::SUCCESS)
        }
        Err(problems) => {
            report(&problems.0, format);
            Ok(ExitCode::from(1))
        }
    }
}

fn tools(config: &Config, format: Format, scopes: bool) -> anyhow::Result<ExitCode> {
    let catalogue = match load(config) {
        Ok(catalogue) => catalogue,
        Err(code) => return Ok(code),
    };
    let mut out = std::io::stdout().lock();
    if scopes {
        // Sign-in also asks who the user is.
        let identity = auth::IDENTITY_SCOPES.iter().map(|s| s.to_string());
        for scope in identity.chain(catalogue.scopes()) {
            writeln!(out, "{scope}")?;
        }
    } else if format == Format::Json {
        let listed = mcp::listed_tools(&catalogue);
        writeln!(out, "{}", serde_json::to_string_pretty(&listed)?)?;
    } else {
        for tool in catalogue.tools() {
            let line = format!(
                "{:<36} {:<9} {:<10} {}",
                tool.name, tool.tier, tool.service, tool.title
            );
            writeln!(out, "{}", line.trim_end())?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn call(config: &Config, tool: &str, args: &str) -> anyhow::Result<ExitCode> {
    let arguments: serde_json::Value = serde_json::from_str(args).context("--args is not JSON")?;
    let serde_json::Value::Object(arguments) = arguments else {
        anyhow::bail!("--args must be a JSON object");
    };
    let sign_in = SignInHook::default();
    let catalogue = match load_with(config, &sign_in) {
        Ok(catalogue) => catalogue,
        Err(code) => return Ok(code),
    };
    let engine = engine(config, catalogue)?;
    wire_sign_in(&sign_in, &engine);

    if config.dry_run {
        let Some(planned) = engine.plan(tool, arguments) else {
            anyhow::bail!("no tool `{tool}`; `gws-engine tools` lists them");
        };
        return match planned {
            Ok(requests) => {
                for request in requests {
                    println!("{request}");
                }
                Ok(ExitCode::SUCCESS)
            }
            Err(error) => {
                eprintln!("error: {error}");
                Ok(ExitCode::from(1))
            }
        };
    }

    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    let Some(outcome) = runtime.block_on(engine.call(tool, arguments, auth::Caller::default()))
    else {
        anyhow::bail!("no tool `{tool}`; `gws-engine tools` lists them");
    };
    match outcome {
        Ok(success) => {
            println!("{}", success.text);
            println!("{}", serde_json::to_string_pretty(&success.structured)?);
            Ok(ExitCode::SUCCESS)
        }
        Err(error) => {
            eprintln!("error: {error}");
            Ok(ExitCode::from(1))
        }
    }
}

fn coverage(config: &Config, format: Format) -> anyhow::Result<ExitCode> {
    let catalogue = match load(config) {
        Ok(catalogue) => catalogue,
        Err(code) => return Ok(code),
    };
    let report = catalogue::coverage(&catalogue);
    if format == Format::Json {
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "{:<14} {:>8} {:>8} {:>6}",
        "api", "methods", "reached", "share"
    );
    for api in &report {
        let share = 100.0 * api.reached.len() as f64 / api.methods.max(1) as f64;
        println!(
            "{:<14} {:>8} {:>8} {:>5.0}%",
            api.api,
            api.methods,
            api.reached.len(),
            share
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn engine(config: &Config, catalogue: Catalogue) -> anyhow::Result<Engine> {
    let google = Google::new(
        config.api_root.clone(),
        config.request_timeout(),
        config.max_reply_bytes,
    );
    let auth = auth::from_config(config, &catalogue.scopes(), google.http().clone())
        .map_err(anyhow::Error::msg)?;
    Ok(Engine::new(catalogue, google, auth, config.call_deadline())
        .with_dry_run(config.dry_run)
        .with_limits(config.limits()))
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

    // Taken before loading: an edit made while the catalogue loads is then seen as a change.
    let loaded_from = Fingerprint::of(&config.catalogue_roots());
    let sign_in = SignInHook::default();
    let catalogue = match load_with(&config, &sign_in) {
        Ok(catalogue) => catalogue,
        Err(code) => return Ok(code),
    };
    for warning in catalogue.warnings() {
        tracing::warn!(warning = ?warning.to_string(), "catalogue warning");
    }
    let tool_count = catalogue.tools().len();
    let engine = Arc::new(engine(&config, catalogue)?);
    wire_sign_in(&sign_in, &engine);
    if let Some(url) = engine
        .auth()
        .accounts()
        .and_then(|accounts| accounts.startup_sign_in())
    {
        tracing::warn!("Google sign-in is needed. Please visit this URL to authorize: {url}");
    }
    let instructions = config
        .user_google_email
        .as_ref()
        .map(|email| format!("Google Workspace tools acting for {email}."));
    let callers = CallerHeaders {
        passthrough: config.passthrough(),
        account: config.user_email_header.clone(),
    };
    let handler = Handler::new(engine.clone(), instructions, callers);

    let shutdown = CancellationToken::new();
    let settings = Settings {
        hosts: AllowedHosts::new(&config.allowed_host_names()),
        max_body_bytes: config.max_body_bytes,
        api_key: config.api_key.clone().filter(|k| !k.is_empty()),
        passthrough: config.passthrough(),
        callback_path: callback_path(&config.redirect_uri()),
        shutdown: shutdown.clone(),
    };
    if config.stdio {
        let reload = reload_on_change(
            config.clone(),
            engine.clone(),
            sign_in,
            loaded_from,
            shutdown,
        );
        return serve_stdio(handler.with_list_changed(), engine, reload);
    }
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

        let reload = reload_on_change(
            config.clone(),
            engine.clone(),
            sign_in,
            loaded_from,
            shutdown.clone(),
        );
        tokio::spawn(reload);

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

/// Serves MCP over standard input and output until the client closes them.
fn serve_stdio(
    handler: Handler,
    engine: Arc<Engine>,
    reload: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<ExitCode> {
    use rmcp::ServiceExt;

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async move {
        let mut changes = engine.changes();
        tokio::spawn(reload);
        let service = handler
            .serve(rmcp::transport::stdio())
            .await
            .context("the MCP handshake over stdio failed")?;
        // An open connection can be told when the catalogue changes.
        let peer = service.peer().clone();
        tokio::spawn(async move {
            while changes.changed().await.is_ok() {
                if peer.notify_tool_list_changed().await.is_err() {
                    break;
                }
            }
        });
        service
            .waiting()
            .await
            .context("the stdio session failed")?;
        Ok(ExitCode::SUCCESS)
    })
}

/// Reloads the catalogue on SIGHUP or when a catalogue file changes (polled every 2 s).
///
/// A catalogue with problems is not served: the old one stays, and each problem is logged.
/// Clients see the new tools on their next `tools/list` (the server is stateless, so there is
/// no open stream to push `notifications/tools/list_changed` on).
async fn reload_on_change(
    config: Config,
    engine: Arc<Engine>,
    sign_in: SignInHook,
    loaded_from: Fingerprint,
    shutdown: CancellationToken,
) {
    let roots = config.catalogue_roots();
    let mut seen = loaded_from;
    #[cfg(unix)]
    let mut hangup = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup()).ok();
    loop {
        let poll = tokio::time::sleep(std::time::Duration::from_secs(2));
        #[cfg(unix)]
        let signalled = async {
            match hangup.as_mut() {
                Some(signal) => signal.recv().await,
                None => std::future::pending().await,
            }
        };
        #[cfg(not(unix))]
        let signalled = std::future::pending::<Option<()>>();
        let forced = tokio::select! {
            () = shutdown.cancelled() => return,
            () = poll => false,
            _ = signalled => true,
        };

        let now = Fingerprint::of(&roots);
        if !forced && now == seen {
            continue;
        }
        seen = now;
        match catalogue::load(&roots, &options(&config, &sign_in)) {
            Ok(mut catalogue) => {
                catalogue.retain(|tool| config.enables(tool));
                tracing::info!(tools = catalogue.tools().len(), "catalogue reloaded");
                engine.replace_catalogue(catalogue);
            }
            Err(problems) => {
                for problem in &problems.0 {
                    tracing::error!(problem = ?problem.to_string(), "catalogue edit rejected; still serving the previous one");
                }
            }
        }
    }
}

/// The path part of the redirect URI, which the callback route must answer at.
fn callback_path(redirect_uri: &str) -> String {
    reqwest::Url::parse(redirect_uri)
        .map(|url| url.path().to_owned())
        .ok()
        .filter(|path| path.starts_with('/') && path.len() > 1 && !path.starts_with("/mcp"))
        .unwrap_or_else(|| "/oauth2callback".to_owned())
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
