"""`tutor eval` end to end over HTTP on both protocols, through the structured-output
path and the text path; importing reports; `tutor progress`."""

from __future__ import annotations

import json

import pytest

from conftest import MINI_COURSE
from tutor import transcript
from tutor.scores import DIMENSIONS

COURSE = ("--course", str(MINI_COURSE))
REPORT = """## Evaluation
The learner reasoned carefully about counting.

| Dimension | Score |
|---|---|
| Question Decomposition | 3/5 |
| Critical Thinking | 4/5 |
| Connection-Making | 2.5/5 |
| Conceptual Understanding | 4/5 |
| Reflection Quality | 3/5 |
"""
STRUCTURED = {
    "scores": {"question_decomposition": 4, "critical_thinking": 4.5, "connection_making": 3, "conceptual_understanding": 5, "reflection_quality": 3.5},
    "evidence": {d: f"evidence for {d}" for d in DIMENSIONS},
}


@pytest.fixture(params=["openai", "anthropic"])
def backend(request, fake_llm, monkeypatch, write_config):
    name = request.param
    if name == "openai":
        monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
        monkeypatch.setenv("OPENAI_BASE_URL", fake_llm.openai_base_url)
    else:
        monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test")
        monkeypatch.setenv("ANTHROPIC_BASE_URL", fake_llm.anthropic_base_url)
    write_config(f"[backends.{name}]\nmax_retries = 0\n")
    fake_llm.name = name
    return fake_llm


@pytest.fixture
def chatted(tutor, backend):
    backend.reply("What would you count first?")
    backend.reply("Why divide by N?")
    assert tutor("start", "s1.1", *COURSE, input="words\n").code == 0
    return backend


def test_structured_scores_win_and_the_report_is_kept(tutor, chatted, home):
    chatted.reply(REPORT)
    chatted.reply(json=STRUCTURED)
    result = tutor("eval", "s1.1", *COURSE, "--json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["session"] == "s1.1" and data["method"] == "structured"
    assert data["scores"] == STRUCTURED["scores"] and data["total"] == 20 and data["mastery"] == "advanced"
    assert data["evidence"]["critical_thinking"] == "evidence for critical_thinking"
    assert "reasoned carefully" in data["report"]

    structured_request = [r for r in chatted.requests if r.path in ("/v1/chat/completions", "/v1/messages")][-1].body
    if chatted.name == "openai":
        assert structured_request["response_format"]["type"] == "json_schema"
    else:
        assert structured_request["tool_choice"]["type"] == "tool"
    run = transcript.read(transcript.runs(home, "s1.1")[-1])
    assert run.events[-1]["type"] == "evaluation" and run.events[-1]["scores"] == STRUCTURED["scores"]


def test_text_path_parses_the_report_when_structured_output_is_missing(tutor, chatted):
    chatted.reply(REPORT)
    if chatted.name == "openai":
        chatted.reply(status=400)  # a compatible server without JSON-schema support
    else:
        chatted.reply("I would rather not call the tool.")
    result = tutor("eval", "s1.1", *COURSE)
    assert result.code == 0, result.err
    assert "reasoned carefully" in result.out  # the report streamed for the learner
    progress = json.loads(tutor("progress", "--json", *COURSE).out)
    row = progress["sessions"][0]
    assert row["scores"] == {"question_decomposition": 3, "critical_thinking": 4, "connection_making": 2.5, "conceptual_understanding": 4, "reflection_quality": 3}
    assert row["status"] == "evaluated" and row["total"] == 16.5 and row["mastery"] == "proficient"


def test_unreadable_report_is_stored_flagged_and_explained(tutor, chatted, home):
    chatted.reply("The learner did fine overall.")
    if chatted.name == "openai":
        chatted.reply(status=400)
    else:
        chatted.reply("no tool")
    result = tutor("eval", "s1.1", *COURSE)
    assert result.code == 1
    assert "No scores could be read" in result.err and "tutor eval s1.1" in result.err
    run = transcript.read(transcript.runs(home, "s1.1")[-1])
    assert run.events[-1]["type"] == "evaluation" and run.events[-1]["readable"] is False


def test_eval_with_no_session_uses_the_most_recent(tutor, chatted):
    chatted.reply(REPORT)
    chatted.reply(json=STRUCTURED)
    result = tutor("eval", *COURSE, "--json")
    assert result.code == 0, result.err
    assert json.loads(result.out)["session"] == "s1.1"


def test_eval_chat_command_ends_the_chat_and_evaluates(tutor, backend, home):
    backend.reply("First question?")
    backend.reply("Good.")
    backend.reply(REPORT)
    backend.reply(json=STRUCTURED)
    result = tutor("start", "s1.1", *COURSE, input="an answer\n/eval\nnever read\n")
    assert result.code == 0, result.err
    assert "Scores for s1.1" in result.out
    run = transcript.read(transcript.runs(home, "s1.1")[-1])
    assert run.evaluated
    assert "never read" not in run.path.read_text()


def test_eval_report_follows_the_session_language(tutor, backend):
    backend.reply("Bonjour ?")
    backend.reply("Bien.")
    tutor("start", "s1.1", *COURSE, "--lang", "French", input="oui\n")
    backend.reply(REPORT)
    backend.reply(json=STRUCTURED)
    tutor("eval", "s1.1", *COURSE)
    report_request = [r for r in backend.requests if r.path in ("/v1/chat/completions", "/v1/messages")][-2].body
    last_user = [m for m in report_request["messages"] if m["role"] == "user"][-1]["content"]
    assert "in French" in last_user


def test_import_from_file_and_from_stdin(tutor, tmp_path):
    report = tmp_path / "report.md"
    report.write_text(REPORT, encoding="utf-8")
    first = tutor("eval", "s1.2", *COURSE, "--from-file", str(report), "--json")
    assert first.code == 0, first.err
    assert json.loads(first.out)["scores"]["critical_thinking"] == 4
    second = tutor("eval", "s1.2", *COURSE, "--from-file", "-", "--json", input=REPORT.replace("4/5", "5/5"))
    assert json.loads(second.out)["scores"]["critical_thinking"] == 5
    progress = json.loads(tutor("progress", "--json", *COURSE).out)
    row = next(r for r in progress["sessions"] if r["session"] == "s1.2")
    assert row["change"] == 2 and row["status"] == "evaluated"


def test_import_errors_are_bad_input(tutor, tmp_path):
    missing = tutor("eval", "s1.1", *COURSE, "--from-file", str(tmp_path / "nope.md"))
    assert missing.code == 2 and "Cannot read evaluation file" in missing.err
    empty = tutor("eval", "s1.1", *COURSE, "--from-file", "-", input="  \n")
    assert empty.code == 2 and "empty" in empty.err


def test_eval_without_a_transcript_is_bad_input(tutor):
    result = tutor("eval", "s1.1", *COURSE)
    assert result.code == 2 and "tutor start s1.1" in result.err
