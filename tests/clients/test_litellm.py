"""The LiteLLM proxy, with a mock model that calls our tool, against the engine and sandbox.

No LLM key is needed: the model is configured with `mock_tool_calls`, so LiteLLM lists our
tools over MCP, executes the mocked tool call through the engine, and returns the mocked
final answer together with the MCP call results.
"""

import json
import os
import pathlib
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

SERVER = "google_workspace"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def post(url, body, headers):
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json", **headers}
    )
    with urllib.request.urlopen(request, timeout=120) as reply:
        return json.load(reply)


@pytest.fixture(scope="module")
def litellm(engine, tmp_path_factory):
    config = tmp_path_factory.mktemp("litellm") / "config.yaml"
    arguments = json.dumps({"query": "from:carol@example.com", "page_size": 3})
    config.write_text(
        f"""
model_list:
  - model_name: mock-agent
    litellm_params:
      model: openai/mock-agent
      api_key: not-used
      mock_response: "You have mail from Carol."
      mock_tool_calls:
        - id: call_1
          type: function
          function:
            name: {SERVER}-search_gmail_messages
            arguments: '{arguments}'
mcp_servers:
  {SERVER}:
    url: "{engine.url}/mcp"
    transport: "http"
general_settings:
  master_key: os.environ/LITELLM_MASTER_KEY
"""
    )
    port = free_port()
    key = "sk-test-" + secrets.token_hex(16)
    env = {
        **os.environ,
        "LITELLM_LOCAL_MODEL_COST_MAP": "True",
        "LITELLM_MASTER_KEY": key,
        "LITELLM_TELEMETRY": "False",
        "NO_PROXY": "127.0.0.1,localhost",
    }
    litellm_bin = pathlib.Path(sys.executable).with_name("litellm")
    log = open(config.with_name("litellm.log"), "w")
    proc = subprocess.Popen(
        [str(litellm_bin), "--config", str(config), "--host", "127.0.0.1", "--port", str(port)],
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


def test_an_agent_turn_through_litellm_calls_the_tool_and_reaches_gmail(litellm, recorded):
    base, key = litellm

    reply = post(
        f"{base}/v1/chat/completions",
        {
            "model": "mock-agent",
            "messages": [{"role": "user", "content": "Any mail from Carol?"}],
            "tools": [
                {
                    "type": "mcp",
                    "server_label": SERVER,
                    "server_url": f"litellm_proxy/mcp/{SERVER}",
                    "require_approval": "never",
                }
            ],
        },
        {"Authorization": f"Bearer {key}"},
    )

    assert reply["choices"][0]["message"]["content"] == "You have mail from Carol."
    fields = reply["choices"][0]["message"].get("provider_specific_fields") or {}
    results = json.dumps(fields.get("mcp_call_results") or reply)
    assert "carol@example.com" in results
    listed = [r for r in recorded.requests() if r["path"] == "/gmail/v1/users/me/messages"]
    assert listed, recorded.requests()
    assert dict(listed[-1]["query"])["q"] == "from:carol@example.com"
    assert dict(listed[-1]["query"])["maxResults"] == "3"


def test_litellm_lists_our_tools_through_its_rest_api(litellm):
    base, key = litellm

    request = urllib.request.Request(
        f"{base}/mcp-rest/tools/list", headers={"Authorization": f"Bearer {key}"}
    )
    with urllib.request.urlopen(request, timeout=60) as reply:
        listed = json.load(reply)

    names = {tool["name"] for tool in listed["tools"]}
    assert any(name.endswith("search_gmail_messages") for name in names), names
    assert any(name.endswith("create_event") for name in names), names
