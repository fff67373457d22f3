"""The deployment files of the LiteLLM guide, checked without a Docker engine.

`Dockerfile`, `docker-compose.litellm.yml`, `litellm_config.yaml` and `.env.litellm.example`
are read as files: what the Dockerfile copies exists and is not excluded by `.dockerignore`,
the variables it and the compose file set are ones the engine reads, the compose services are
wired as the guide says. Last, the real LiteLLM proxy starts with the shipped
`litellm_config.yaml` (its MCP URL pointed at the test engine) and lists our tools.
"""

import fnmatch
import json
import os
import pathlib
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
import yaml

REPO = pathlib.Path(__file__).resolve().parents[2]

# Read by libraries rather than by the engine's own settings.
LIBRARY_VARIABLES = {"RUST_LOG"}


def dockerfile_instructions():
    """(INSTRUCTION, arguments) pairs, continuation lines joined, comments dropped."""
    instructions, current = [], ""
    for line in (REPO / "Dockerfile").read_text().splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        current += " " + stripped.rstrip("\\").strip()
        if not stripped.endswith("\\"):
            keyword, _, rest = current.strip().partition(" ")
            instructions.append((keyword.upper(), rest.strip()))
            current = ""
    return instructions


def engine_variables():
    """Every environment variable the engine's sources name in a flag or an env lookup."""
    names = set()
    pattern = re.compile(r'env\s*=\s*"([A-Z0-9_]+)"|env::var(?:_os)?\(\s*"([A-Z0-9_]+)"')
    for path in (REPO / "engine" / "src").rglob("*.rs"):
        for match in pattern.finditer(path.read_text()):
            names.add(match.group(1) or match.group(2))
    return names


def compose():
    return yaml.safe_load((REPO / "docker-compose.litellm.yml").read_text())


def defaults(text):
    """`text` with each `${NAME:-default}` replaced by its default, as with NAME unset."""
    return re.sub(r"\$\{[A-Z0-9_]+:-([^}]*)\}", r"\1", text)


def environ_names(value):
    """The NAMEs of every `os.environ/NAME` value in a parsed YAML document."""
    if isinstance(value, dict):
        return set().union(*map(environ_names, value.values()), set())
    if isinstance(value, list):
        return set().union(*map(environ_names, value), set())
    if isinstance(value, str) and value.startswith("os.environ/"):
        return {value.removeprefix("os.environ/")}
    return set()


def dockerignored(path):
    patterns = [
        line.strip().rstrip("/")
        for line in (REPO / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#") and not line.startswith("!")
    ]
    parts = pathlib.PurePosixPath(path).parts
    prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    return any(fnmatch.fnmatch(prefix, pattern) for pattern in patterns for prefix in prefixes)


def test_the_dockerfile_copies_only_paths_that_exist_and_are_not_dockerignored():
    copies = [args for keyword, args in dockerfile_instructions() if keyword == "COPY"]
    sources = [
        source
        for args in copies
        if "--from=" not in args
        for source in args.split()[:-1]
    ]

    assert {"Cargo.toml", "Cargo.lock", "engine", "schemas", "catalogue"} <= set(sources)
    for source in sources:
        assert (REPO / source).exists(), source
        assert not dockerignored(source), source
    for excluded in ["target", ".venv", ".git", ".env"]:
        assert dockerignored(excluded), excluded


def test_the_dockerfile_sets_only_variables_the_engine_reads():
    env = " ".join(args for keyword, args in dockerfile_instructions() if keyword == "ENV")
    names = {pair.split("=", 1)[0] for pair in env.split()}

    assert names == {
        "WORKSPACE_MCP_HOST",
        "WORKSPACE_MCP_PORT",
        "GWS_ALLOWED_HOSTS",
        "GWS_CATALOGUE_DIR",
        "WORKSPACE_MCP_CREDENTIALS_DIR",
    }
    assert names <= engine_variables(), names - engine_variables()


def test_the_dockerfile_builds_locked_on_rust_and_runs_unprivileged_with_a_health_check():
    instructions = dockerfile_instructions()
    args = dict(a.split("=", 1) for k, a in instructions if k == "ARG" and "=" in a)
    stages = [a for k, a in instructions if k == "FROM"]
    runs = " ".join(a for k, a in instructions if k == "RUN")
    user = [a for k, a in instructions if k == "USER"]
    health = [a for k, a in instructions if k == "HEALTHCHECK"]

    assert args["RUST_VERSION"] == "1.95"
    assert stages[0].startswith("rust:${RUST_VERSION}-${DEBIAN_RELEASE}")
    assert stages[-1] == "debian:${DEBIAN_RELEASE}-slim", "same Debian release, same glibc"
    assert "cargo build --release --locked -p gws-engine" in runs
    assert "curl" in runs, "the health check needs curl in the final image"
    assert user and user[-1].split(":")[0] not in {"0", "root"}
    assert health and "/health" in health[0]
    assert ("ENTRYPOINT", '["gws-engine"]') in instructions
    assert ("CMD", '["serve"]') in instructions


def test_the_compose_file_wires_gws_mcp_and_litellm_as_the_guide_describes():
    doc = compose()
    services = doc["services"]
    mcp, litellm = services["gws_mcp"], services["litellm"]

    assert "version" not in doc
    assert mcp["build"]["context"] == "."
    assert "gws_creds:/app/store_creds" in mcp["volumes"]
    assert any(port.endswith(":8000:8000") for port in mcp["ports"])
    assert {"TOOL_TIER", "TOOLS", "USER_GOOGLE_EMAIL"} <= set(mcp["environment"])
    assert mcp["environment"]["MCP_SINGLE_USER_MODE"] == "1"
    assert "/health" in " ".join(mcp["healthcheck"]["test"])

    image, _, tag = defaults(litellm["image"]).rpartition(":")
    assert image == "ghcr.io/berriai/litellm"
    assert tag and "latest" not in tag
    assert litellm["depends_on"]["gws_mcp"]["condition"] == "service_healthy"
    assert any(port.endswith(":4000") for port in litellm["ports"])
    mount = "./litellm_config.yaml:/app/config.yaml:ro"
    assert mount in litellm["volumes"]
    assert (REPO / "litellm_config.yaml").exists()
    assert litellm["command"][:2] == ["--config", "/app/config.yaml"]
    assert litellm["env_file"] == [".env"]

    assert services["postgres"]["profiles"] == ["db"]
    assert services["redis"]["profiles"] == ["cache"]
    assert doc["networks"]["litellm_network"]["name"] == "litellm_network"
    for name, service in services.items():
        assert service["networks"] == ["litellm_network"], name
    assert set(doc["volumes"]) == {"gws_creds", "postgres_data", "redis_data"}


def test_the_gws_mcp_environment_names_are_read_by_the_engine():
    names = set(compose()["services"]["gws_mcp"]["environment"]) - LIBRARY_VARIABLES

    missing = names - engine_variables()
    assert not missing, f"the engine does not read {sorted(missing)}"


def test_the_env_example_names_every_variable_the_compose_file_requires():
    text = (REPO / "docker-compose.litellm.yml").read_text()
    required = set(re.findall(r"\$\{([A-Z0-9_]+):\?", text))
    example = (REPO / ".env.litellm.example").read_text()
    defined = set(re.findall(r"^#?\s*([A-Z0-9_]+)=", example, re.MULTILINE))
    keys = environ_names(yaml.safe_load((REPO / "litellm_config.yaml").read_text()))

    assert required == {
        "GOOGLE_OAUTH_CLIENT_ID",
        "GOOGLE_OAUTH_CLIENT_SECRET",
        "USER_GOOGLE_EMAIL",
        "LITELLM_MASTER_KEY",
    }
    assert required <= defined, required - defined
    assert keys <= defined, keys - defined
    assert re.search(r"^LITELLM_MASTER_KEY=$", example, re.MULTILINE), "no usable default key"


def test_the_litellm_config_points_at_the_compose_service_over_http():
    config = yaml.safe_load((REPO / "litellm_config.yaml").read_text())

    server = config["mcp_servers"]["google_workspace"]
    assert server == {"url": "http://gws_mcp:8000/mcp", "transport": "http"}
    assert config["general_settings"]["master_key"] == "os.environ/LITELLM_MASTER_KEY"
    names = [model["model_name"] for model in config["model_list"]]
    assert {"gpt-4o-mini", "claude-3-5-sonnet-20241022", "llama3.2"} <= set(names)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url, key):
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {key}"})
    with urllib.request.urlopen(request, timeout=60) as reply:
        return json.load(reply)


@pytest.fixture(scope="module")
def shipped_litellm(engine, tmp_path_factory):
    """LiteLLM on loopback with the shipped config, the MCP URL pointed at the test engine."""
    text = (REPO / "litellm_config.yaml").read_text()
    assert "http://gws_mcp:8000/mcp" in text
    config = tmp_path_factory.mktemp("shipped") / "config.yaml"
    config.write_text(text.replace("http://gws_mcp:8000/mcp", f"{engine.url}/mcp"))
    port, key = free_port(), "sk-test-" + secrets.token_hex(16)
    env = {
        **os.environ,
        "LITELLM_LOCAL_MODEL_COST_MAP": "True",
        "LITELLM_TELEMETRY": "False",
        "LITELLM_MASTER_KEY": key,
        "NO_PROXY": "127.0.0.1,localhost",
        # Placeholders: no model is called, so no request leaves the machine.
        "OPENAI_API_KEY": "sk-unused",
        "ANTHROPIC_API_KEY": "sk-ant-unused",
        "GEMINI_API_KEY": "unused",
    }
    log = open(config.with_name("litellm.log"), "w")
    proc = subprocess.Popen(
        [
            str(pathlib.Path(sys.executable).with_name("litellm")),
            "--config",
            str(config),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 180
    while True:
        try:
            urllib.request.urlopen(f"{base}/health/liveliness", timeout=2).close()
            break
        except (urllib.error.URLError, ConnectionError, OSError):
            if proc.poll() is not None or time.time() > deadline:
                proc.kill()
                raise RuntimeError(config.with_name("litellm.log").read_text()[-4000:])
            time.sleep(0.5)
    yield base, key
    proc.terminate()
    proc.wait(timeout=20)
    log.close()


def test_litellm_loads_the_shipped_config_and_lists_our_tools(shipped_litellm):
    base, key = shipped_litellm

    models = {model["id"] for model in get(f"{base}/v1/models", key)["data"]}
    listed = get(f"{base}/mcp-rest/tools/list", key)

    assert {"gpt-4o-mini", "claude-3-5-sonnet-20241022", "llama3.2"} <= models
    names = {tool["name"] for tool in listed["tools"]}
    assert any(name.endswith("search_gmail_messages") for name in names), listed
    servers = {tool.get("mcp_info", {}).get("server_name") for tool in listed["tools"]}
    assert servers == {"google_workspace"}
