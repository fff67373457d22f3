//! The processes under test: the release engine and sandbox binaries, started on ephemeral
//! loopback ports, killed on drop, and their memory read from `/proc`.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::time::Duration;

use crate::http::BoxError;

/// The token the engine sends and the sandbox accepts.
pub const TOKEN: &str = "sandbox-token";

/// Where the binaries and the catalogue are.
#[derive(Clone, Debug)]
pub struct Paths {
    /// `gws-engine`, built with `--release`.
    pub engine: PathBuf,
    /// `gws-sandbox`, built with `--release`.
    pub sandbox: PathBuf,
    /// The shipped catalogue directory.
    pub catalogue: PathBuf,
}

/// A running child process that printed `listening on http://ADDRESS`.
pub struct Server {
    child: Child,
    // Kept open so a late write to stdout cannot kill the child with SIGPIPE.
    _stdout: BufReader<ChildStdout>,
    /// The address it listens on.
    pub address: SocketAddr,
}

/// Resident memory of a process, in kB, from `/proc/<pid>/status`.
#[derive(Clone, Copy, Debug, Default)]
pub struct Memory {
    /// `VmRSS`: resident now.
    pub rss_kb: u64,
    /// `VmHWM`: the most ever resident.
    pub hwm_kb: u64,
    /// `RssAnon`: the resident part that is the process's own (heap, stacks), as opposed
    /// to pages of the binary and libraries, which are shared and reclaimable.
    pub anon_kb: u64,
}

impl Server {
    /// `gws-sandbox --port 0 --delay-ms N`.
    pub fn sandbox(paths: &Paths, delay_ms: u64) -> Result<Server, BoxError> {
        let mut command = Command::new(&paths.sandbox);
        command.args(["--port", "0", "--delay-ms", &delay_ms.to_string()]);
        Server::start(command)
    }

    /// `gws-engine serve --port 0` against the sandbox at `api_root`, with `TOOL_TIER=tier`
    /// when given and the default logging.
    pub fn engine(paths: &Paths, api_root: &str, tier: Option<&str>) -> Result<Server, BoxError> {
        let mut command = Command::new(&paths.engine);
        command
            .args(["serve", "--host", "127.0.0.1", "--port", "0"])
            .env("GWS_API_ROOT", api_root)
            .env("GWS_ACCESS_TOKEN", TOKEN)
            .env("GWS_CATALOGUE_DIR", &paths.catalogue)
            .env_remove("GWS_CATALOGUE")
            .env_remove("TOOLS")
            .env_remove("RUST_LOG");
        match tier {
            Some(tier) => command.env("TOOL_TIER", tier),
            None => command.env_remove("TOOL_TIER"),
        };
        Server::start(command)
    }

    fn start(mut command: Command) -> Result<Server, BoxError> {
        command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        let mut child = command.spawn()?;

        let mut stdout = BufReader::new(child.stdout.take().ok_or("stdout is piped")?);
        let mut line = String::new();
        stdout.read_line(&mut line)?;
        let address = line
            .trim()
            .strip_prefix("listening on http://")
            .and_then(|address| address.parse().ok());
        let Some(address) = address else {
            let _ = child.kill();
            let _ = child.wait();
            let program = command.get_program().to_string_lossy().into_owned();
            let why = if line.is_empty() {
                "it exited before listening (for the engine: does `validate` pass?)".to_string()
            } else {
                format!("unexpected first line {line:?}")
            };
            return Err(format!("{program}: {why}").into());
        };

        Ok(Server {
            child,
            _stdout: stdout,
            address,
        })
    }

    /// The base URL, `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// The process's memory now.
    pub fn memory(&self) -> Memory {
        memory(self.child.id())
    }

    /// CPU time the process has used so far, user and system, all threads.
    pub fn cpu_time(&self) -> Duration {
        cpu_time(self.child.id())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Reads `VmRSS` and `VmHWM` of `pid`; zeros when `/proc` cannot be read.
pub fn memory(pid: u32) -> Memory {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    parse_memory(&status)
}

/// `utime + stime` of `pid` from `/proc/<pid>/stat`; zero when it cannot be read.
pub fn cpu_time(pid: u32) -> Duration {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    parse_cpu_time(&stat)
}

/// The fields after the command name, which is in parentheses and may hold spaces; `utime`
/// and `stime` are the 14th and 15th fields, in clock ticks of 1/100 s (Linux's `USER_HZ`).
fn parse_cpu_time(stat: &str) -> Duration {
    let Some((_, rest)) = stat.rsplit_once(')') else {
        return Duration::ZERO;
    };
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |index: usize| {
        fields
            .get(index)
            .and_then(|field| field.parse::<u64>().ok())
            .unwrap_or(0)
    };

    Duration::from_millis((ticks(11) + ticks(12)) * 10)
}

fn parse_memory(status: &str) -> Memory {
    let field = |name: &str| {
        status
            .lines()
            .find_map(|line| line.strip_prefix(name))
            .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0)
    };

    Memory {
        rss_kb: field("VmRSS:"),
        hwm_kb: field("VmHWM:"),
        anon_kb: field("RssAnon:"),
    }
}

/// The sibling binaries of this one (`target/release/`), and the catalogue next to the crate.
pub fn default_paths() -> Paths {
    let here = std::env::current_exe().unwrap_or_default();
    let dir = here.parent().unwrap_or(Path::new("target/release"));

    Paths {
        engine: dir.join("gws-engine"),
        sandbox: dir.join("gws-sandbox"),
        catalogue: Path::new(env!("CARGO_MANIFEST_DIR")).join("../catalogue"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rss_and_high_water_mark_are_read_from_proc_status() {
        let status = "Name:\tgws-engine\nVmHWM:\t   12000 kB\nVmRSS:\t    9876 kB\n\
                      RssAnon:\t    2828 kB\nRssFile:\t    7048 kB\n";

        let memory = parse_memory(status);

        assert_eq!((memory.rss_kb, memory.hwm_kb), (9876, 12000));
        assert_eq!(memory.anon_kb, 2828);
    }

    #[test]
    fn cpu_time_adds_user_and_system_ticks_after_the_command_name() {
        let stat = "42 (tokio rt) S 1 42 42 0 -1 4194560 100 0 0 0 250 30 0 0 20 0 4 0";

        assert_eq!(parse_cpu_time(stat), Duration::from_millis(2800));
        assert_eq!(parse_cpu_time("garbage"), Duration::ZERO);
    }

    #[test]
    fn this_process_has_a_resident_size() {
        let memory = memory(std::process::id());

        assert!(memory.rss_kb > 0 && memory.hwm_kb >= memory.rss_kb);
    }
}
