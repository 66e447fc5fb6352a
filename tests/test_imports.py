"""Speed is a feature: commands that do not talk to an LLM never import an SDK."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

# The LLM SDKs, the HTTP client and the line editor: only `start` and `eval` may load them.
SDKS = ["openai", "anthropic", "llama_cpp", "httpx", "prompt_toolkit"]

# Runs one command in a fresh interpreter, then reports its exit code and which SDKs got imported.
PROBE = """
import json, sys
args, report = json.loads(sys.argv[1]), sys.argv[2]
sys.argv = ["tutor", *args]
from tutor.cli import main
code = 0
try:
    main()
except SystemExit as exc:
    code = exc.code
loaded = sorted({name.split(".")[0] for name in sys.modules} & set(%s))
with open(report, "w") as handle:
    json.dump({"code": code, "sdks": loaded}, handle)
""" % json.dumps(SDKS)


def run_probe(tmp_path, *args: str) -> dict:
    report = tmp_path / "report.json"
    subprocess.run([sys.executable, "-c", PROBE, json.dumps(list(args)), str(report)], capture_output=True, text=True, timeout=60)
    return json.loads(report.read_text())


def test_importing_the_cli_imports_no_sdk():
    result = subprocess.run(
        [sys.executable, "-c", "import sys, tutor.cli; print(sorted(m for m in sys.modules if m.split('.')[0] in %r))" % (SDKS,)],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize("args", [
    ["--help"], ["progress"], ["progress", "--json"], ["list"], ["show", "s1.1"], ["show", "m2"], ["journal"], ["profile"],
    ["courses"], ["start", "--help"], ["eval", "--help"],
])
def test_commands_that_need_no_model_import_no_sdk(tmp_path, args):
    assert run_probe(tmp_path, *args) == {"code": 0, "sdks": []}
