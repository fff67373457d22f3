"""Runs the README's LiteLLM walkthrough exactly as written, and checks where it ends.

The shell block between the README's `walkthrough:start` and `walkthrough:end` markers is
extracted and run with bash from the repository root, as a new user would paste it. Its
background processes run in their own process group, which is killed afterwards. The block
uses fixed ports (8000, 8100, 4000), as the README does.
"""

import json
import os
import pathlib
import re
import signal
import subprocess

REPO = pathlib.Path(__file__).resolve().parents[2]


def walkthrough():
    readme = (REPO / "README.md").read_text()
    section = readme.split("<!-- walkthrough:start -->")[1].split("<!-- walkthrough:end -->")[0]
    return re.search(r"```bash\n(.*?)```", section, re.S).group(1)


def test_the_readme_walkthrough_takes_a_new_user_to_an_agent_reading_mail(tmp_path):
    script = "set -euo pipefail\n" + walkthrough()
    for leftover in [".gws-credentials"]:
        subprocess.run(["rm", "-rf", str(REPO / leftover)], check=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GWS_", "GOOGLE_", "TOOL"))}
    # Files, not pipes: the block's background servers keep inherited pipes open.
    stdout, stderr = tmp_path / "stdout", tmp_path / "stderr"
    with open(stdout, "w") as out_file, open(stderr, "w") as err_file:
        process = subprocess.Popen(
            ["bash", "-c", script],
            cwd=REPO,
            env=env,
            stdout=out_file,
            stderr=err_file,
            start_new_session=True,
        )
        try:
            process.wait(timeout=400)
        finally:
            try:
                os.killpg(process.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
    out, err = stdout.read_text(), stderr.read_text()

    assert process.returncode == 0, f"stdout:\n{out}\nstderr:\n{err}"
    assert '"status":"healthy"' in out
    assert "Signed in as user@example.com" in out
    reply = json.loads(out[out.rindex('{"id"'):])
    message = reply["choices"][0]["message"]
    assert message["content"] == "Here is your unread mail."
    results = json.dumps(message.get("provider_specific_fields", {}).get("mcp_call_results"))
    assert "From: " in results or "from" in results, results
    stored = REPO / ".gws-credentials" / "user@example.com.json"
    assert stored.exists() and oct(stored.stat().st_mode & 0o777) == "0o600"
