"""Fixtures that start the real binaries on ephemeral loopback ports.

The sandbox stands in for Google; the engine serves the shipped catalogue against it. Both
binaries come from the Cargo target directory (built by `make test` before pytest runs).
"""

import json
import os
import pathlib
import subprocess
import urllib.request

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
TARGET = pathlib.Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target")) / "debug"
TOKEN = "sandbox-token"


class Process:
    """A child process that printed `listening on URL` on its first stdout line."""

    def __init__(self, args, env=None):
        self.proc = subprocess.Popen(
            args,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, **(env or {})},
            cwd=REPO,
        )
        line = self.proc.stdout.readline().strip()
        if not line.startswith("listening on "):
            self.stop()
            raise RuntimeError(f"{args[0]} did not start: {line!r} {self.proc.stderr.read()}")
        self.url = line.removeprefix("listening on ")

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


class Sandbox(Process):
    def __init__(self):
        super().__init__([str(TARGET / "gws-sandbox"), "--port", "0"])

    def requests(self):
        with urllib.request.urlopen(f"{self.url}/_sandbox/requests") as reply:
            return json.load(reply)

    def clear(self):
        request = urllib.request.Request(f"{self.url}/_sandbox/requests", method="DELETE")
        urllib.request.urlopen(request).close()


@pytest.fixture(scope="session")
def sandbox():
    process = Sandbox()
    yield process
    process.stop()


@pytest.fixture(scope="session")
def engine(sandbox):
    process = Process(
        [str(TARGET / "gws-engine"), "serve", "--port", "0"],
        env={
            "GWS_API_ROOT": sandbox.url,
            "GWS_ACCESS_TOKEN": TOKEN,
            "GWS_CATALOGUE_DIR": str(REPO / "catalogue"),
            "RUST_LOG": "warn",
        },
    )
    yield process
    process.stop()


@pytest.fixture
def recorded(sandbox):
    """The sandbox's request log, emptied before the test."""
    sandbox.clear()
    return sandbox
