"""Ollama's native API against the loopback server: the window from /api/show, num_ctx
sized to what is sent, a warning when the server reports a cut prompt, compact lessons
for small windows, structured scores through `format`."""

from __future__ import annotations

import json

import pytest

from conftest import MINI_COURSE
from tutor.backends.base import estimate_tokens

COURSE = ("--course", str(MINI_COURSE))


@pytest.fixture
def ollama(fake_llm, write_config):
    write_config(f'backend = "ollama"\n[backends.ollama]\nbase_url = "{fake_llm.url}"\nmodel = "tiny-llm"\n')
    return fake_llm


def chats(server):
    return [r.body for r in server.requests if r.path == "/api/chat"]


def test_num_ctx_covers_what_is_sent_and_stays_within_the_window(tutor, ollama):
    ollama.ollama_model("tiny-llm", 16_384)
    ollama.reply("What would you count first?")
    ollama.reply("Why?")
    result = tutor("start", "s1.1", *COURSE, input="words\n")
    assert result.code == 0, result.err
    assert "What would you count first?" in result.out
    for body in chats(ollama):
        sent = sum(estimate_tokens(m["content"]) for m in body["messages"])
        assert body["messages"][0]["role"] == "system" and "Socratic tutor" in body["messages"][0]["content"]
        assert sent + body["options"]["num_predict"] <= body["options"]["num_ctx"] <= 16_384


def test_a_cut_prompt_is_reported(tutor, ollama):
    ollama.ollama_model("tiny-llm", 16_384)
    ollama.reply("Hello.", prompt_tokens=40)
    result = tutor("start", "s1.1", *COURSE)
    assert result.code == 0, result.err
    assert "cut the start of the prompt" in result.out + result.err


def test_small_window_gets_the_compact_lesson(tutor, ollama):
    ollama.ollama_model("tiny-llm", 2_200)
    ollama.reply("Compact hello.")
    result = tutor("start", "s1.1", *COURSE)
    assert result.code == 0, result.err
    assert "compact" in (result.out + result.err).lower()
    system = chats(ollama)[0]["messages"][0]["content"]
    assert "LONG-CORE-TEXT-1" not in system and "What would you count first in lesson 1?" in system
    assert chats(ollama)[0]["options"]["num_ctx"] <= 2_200


def test_configured_context_window_wins_over_api_show(tutor, ollama, write_config):
    write_config(f'backend = "ollama"\n[backends.ollama]\nbase_url = "{ollama.url}"\nmodel = "tiny-llm"\ncontext_window = 3000\n')
    ollama.reply("Hi.")
    assert tutor("start", "s1.1", *COURSE).code == 0
    assert not [r for r in ollama.requests if r.path == "/api/show"]
    assert chats(ollama)[0]["options"]["num_ctx"] <= 3000


def test_unknown_model_names_the_fix(tutor, ollama):
    result = tutor("start", "s1.1", *COURSE)
    assert result.code == 1
    assert "tiny-llm" in result.err and "--model" in result.err


def test_evaluation_uses_the_format_schema(tutor, ollama):
    ollama.ollama_model("tiny-llm", 16_384)
    ollama.reply("First question?")
    answer = "I would count every word in the text"
    assert tutor("start", "s1.1", *COURSE, input=answer + "\n").code == 0
    scores = {"question_decomposition": 2, "critical_thinking": 3, "connection_making": 3.5, "conceptual_understanding": 4, "reflection_quality": 1}
    grade = {d: {"evidence": [{"turn": 3, "quote": answer}], "score": v} for d, v in scores.items()}
    ollama.reply("A short report.")
    for _ in range(3):
        ollama.reply(json={**grade, "growth_areas": [], "readiness": "ready"})
    result = tutor("eval", "s1.1", *COURSE, "--json")
    assert result.code == 0, result.err
    assert json.loads(result.out)["scores"] == scores
    last = chats(ollama)[-1]
    assert last["format"]["type"] == "object" and last["stream"] is False and last["options"]["temperature"] == 0.7
