"""`tutor eval` end to end over HTTP on both protocols: the neutral grader, checked
evidence, the median of samples, the fallbacks, and nothing lost on the way."""

from __future__ import annotations

import json

import pytest

from conftest import COURSE, chat_requests, stored_run, system_text, user_texts
from tutor.dimensions import DIMENSIONS

ANSWER = "I would count how often each word follows the previous one"
REPORT = f"""## Overview
The learner reasoned carefully about counting.

## Scores
- Question Decomposition: 3/5 — turn 3: "{ANSWER}"
- Critical Thinking: 4/5 — turn 3: "count how often each word follows"
- Connection-Making: not scored — no opportunity in this session
- Conceptual Understanding: 4/5 — turn 3: "{ANSWER}"
- Reflection Quality: 2/5 — turn 3: "words I never typed"
"""


def grade(qd=3, ct=4, cm=None, cu=4, rq=2, quote=ANSWER, turn=3):
    def dim(score):
        evidence = [] if score in (None, 0) else [{"turn": turn, "quote": quote}]
        return {"evidence": evidence, "score": score}

    return {
        "question_decomposition": dim(qd), "critical_thinking": dim(ct), "connection_making": dim(cm),
        "conceptual_understanding": dim(cu), "reflection_quality": dim(rq),
        "growth_areas": ["Say what you are unsure about."], "readiness": "ready with review",
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
    assert tutor("start", "s1.1", *COURSE, input=ANSWER + "\n").code == 0
    return backend


def test_the_grader_is_neutral_and_reads_numbered_turns(tutor, chatted):
    chatted.reply(REPORT)
    for _ in range(3):
        chatted.reply(json=grade())
    assert tutor("eval", "s1.1", *COURSE, "--json").code == 0
    report_request = chat_requests(chatted)[2].body
    system = system_text(report_request)
    assert "independent grader" in system and "Socratic tutor" not in system and "LONG-CORE-TEXT-1" not in system
    document = user_texts(report_request)[0]
    assert "[1] (the program opened the session" in document
    assert f"[3] LEARNER:\n{ANSWER}" in document and "[2] TUTOR:" in document
    assert "Understanding check: Why does dividing by N matter for lesson 1?" in document


def test_three_samples_give_the_median_checked_evidence_and_the_spread(tutor, chatted, home):
    chatted.reply(REPORT)
    chatted.reply(json=grade(qd=3, ct=4))
    chatted.reply(json=grade(qd=4, ct=1))
    chatted.reply(json=grade(qd=3.5, ct=4.5))
    result = tutor("eval", "s1.1", *COURSE, "--json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["scores"] == {"question_decomposition": 3.5, "critical_thinking": 4, "connection_making": None,
                              "conceptual_understanding": 4, "reflection_quality": 2}
    assert data["spread"]["critical_thinking"] == 3.5 and data["flags"]["critical_thinking"] == "unstable"
    assert len(data["samples"]) == 3 and data["samples"][1]["critical_thinking"] == 1
    assert data["evidence"]["question_decomposition"][0] == {"turn": 3, "quote": ANSWER, "verified": True}
    assert data["readiness"] == "ready with review" and data["method"] == "schema"
    sample_requests = chat_requests(chatted)[3:]
    assert len(sample_requests) == 3
    if chatted.name == "openai":
        assert all(r.body["response_format"]["type"] == "json_schema" for r in sample_requests)
        assert sample_requests[0].body["temperature"] == 0.7
    else:
        assert all(r.body["output_config"]["format"]["type"] == "json_schema" for r in sample_requests)
    # One document for the report and every sample: the provider's cache serves the prefix.
    assert len({user_texts(r.body)[0] for r in chat_requests(chatted)[2:]}) == 1


def test_a_quote_the_learner_never_wrote_makes_the_score_null_and_flagged(tutor, chatted):
    chatted.reply(REPORT)
    invented = grade(quote="attention is all you need, obviously")
    chatted.reply(json=invented)
    chatted.reply(json=invented)
    chatted.reply(json=invented)
    data = json.loads(tutor("eval", "s1.1", *COURSE, "--json").out)
    assert all(data["scores"][d] is None for d in ("question_decomposition", "critical_thinking", "conceptual_understanding"))
    assert data["flags"]["critical_thinking"] == "unverified"
    assert data["evidence"]["critical_thinking"][0]["verified"] is False


def test_a_quote_with_the_wrong_turn_is_found_in_the_right_one(tutor, chatted):
    chatted.reply(REPORT)
    for _ in range(3):
        chatted.reply(json=grade(turn=7))
    data = json.loads(tutor("eval", "s1.1", *COURSE, "--json").out)
    assert data["evidence"]["critical_thinking"][0] == {"turn": 3, "quote": ANSWER, "verified": True}


def test_samples_one_asks_for_temperature_zero(tutor, chatted, backend):
    chatted.reply(REPORT)
    chatted.reply(json=grade())
    assert tutor("eval", "s1.1", *COURSE, "--json", "--samples", "1").code == 0
    if backend.name == "openai":
        assert chat_requests(chatted)[-1].body["temperature"] == 0.0


def test_a_model_that_refuses_a_temperature_is_asked_again_without(tutor, chatted, backend):
    if backend.name != "openai":
        pytest.skip("Anthropic requests never carry a temperature")
    chatted.reply(REPORT, reject_temperature=True)
    for _ in range(3):
        chatted.reply(json=grade(), reject_temperature=True)
    result = tutor("eval", "s1.1", *COURSE, "--json")
    assert result.code == 0, result.err
    assert "temperature" not in chat_requests(chatted)[-1].body


def test_schema_refused_with_500_falls_back_to_json_object(tutor, chatted):
    chatted.reply(REPORT)
    chatted.reply(status=500)  # as llama.cpp's server answers response_format json_schema
    for _ in range(3):
        chatted.reply(json=grade())
    result = tutor("eval", "s1.1", *COURSE, "--json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["method"] == "object" and data["scores"]["critical_thinking"] == 4
    if chatted.name == "openai":
        last = chat_requests(chatted)[-1].body["response_format"]
        assert last["type"] == "json_object" and "properties" in last["schema"]


def test_with_no_structured_output_the_report_is_parsed_and_its_quotes_checked(tutor, chatted, home):
    chatted.reply(REPORT)
    chatted.reply(status=400)
    chatted.reply("I would rather write prose.")
    result = tutor("eval", "s1.1", *COURSE, "--json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["method"] == "parsed"
    assert data["scores"]["question_decomposition"] == 3 and data["scores"]["critical_thinking"] == 4
    assert data["scores"]["reflection_quality"] is None and data["flags"]["reflection_quality"] == "unverified"
    assert data["scores"]["connection_making"] is None
    progress = json.loads(tutor("progress", "--json", *COURSE).out)
    row = progress["sessions"][0]
    assert row["status"] == "evaluated" and row["scores"]["critical_thinking"] == 4


def test_the_report_is_saved_before_the_structured_calls_and_kept_when_they_fail(tutor, chatted, home):
    chatted.reply("The learner did fine overall.")
    chatted.reply(status=500)
    chatted.reply(status=500)
    result = tutor("eval", "s1.1", *COURSE)
    assert result.code == 1
    assert "No scores could be read" in result.err and "tutor eval s1.1" in result.err
    events = stored_run(home).events
    report = next(e for e in events if e["type"] == "report")
    assert report["text"] == "The learner did fine overall." and report["complete"] is True
    assert events[-1]["type"] == "evaluation" and all(v is None for v in events[-1]["scores"].values())


def test_a_report_stream_that_breaks_keeps_what_arrived(tutor, chatted, home):
    chatted.reply("The learner reasoned well about counting", chunks=6, cut_after=3)
    result = tutor("eval", "s1.1", *COURSE)
    assert result.code == 1 and "broke" in result.err
    report = [e for e in stored_run(home).events if e["type"] == "report"][-1]
    assert report["complete"] is False and report["text"].startswith("The") and report["error"]


def test_eval_with_no_session_uses_the_most_recent(tutor, chatted):
    chatted.reply(REPORT)
    for _ in range(3):
        chatted.reply(json=grade())
    result = tutor("eval", *COURSE, "--json")
    assert result.code == 0, result.err
    assert json.loads(result.out)["session"] == "s1.1"


def test_eval_chat_command_ends_the_chat_and_evaluates(tutor, backend, home):
    backend.reply("First question?")
    backend.reply("Good.")
    backend.reply(REPORT)
    for _ in range(3):
        backend.reply(json=grade(quote="an answer with enough words"))
    result = tutor("start", "s1.1", *COURSE, input="an answer with enough words\n/eval\nnever read\n")
    assert result.code == 0, result.err
    assert "Scores for s1.1" in result.out and "evidence (your words)" in result.out
    run = stored_run(home)
    assert run.evaluated
    assert "never read" not in run.path.read_text()


def test_the_report_follows_the_session_language(tutor, backend):
    backend.reply("Bonjour ?")
    backend.reply("Bien.")
    tutor("start", "s1.1", *COURSE, "--lang", "French", input="oui\n")
    backend.reply(REPORT)
    for _ in range(3):
        backend.reply(json=grade())
    tutor("eval", "s1.1", *COURSE)
    report_request = chat_requests(backend)[2].body
    assert "Write in French" in system_text(report_request)
    assert "Learner's language: French" in user_texts(report_request)[0]


def test_evaluation_usage_and_cost_are_recorded(tutor, chatted, write_config, backend):
    write_config(f"[backends.{backend.name}]\nmax_retries = 0\nprices = {{ input = 1.0, cached_input = 0.1, output = 2.0 }}\n")
    chatted.reply(REPORT, usage=(1000, 100))
    for _ in range(3):
        chatted.reply(json=grade(), usage=(1000, 50), cached_tokens=800)
    assert tutor("eval", "s1.1", *COURSE).code == 0
    usage = json.loads(tutor("progress", "--json", *COURSE).out)["sessions"][0]["usage"]
    assert usage["cached_input_tokens"] >= 2400 and usage["output_tokens"] >= 250
    # The chat turns had no price when they ran (no prices then): the total is unknown, not guessed.
    assert usage["cost_usd"] is None


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
    assert row["status"] == "evaluated" and row["scores"]["critical_thinking"] == 5


def test_import_errors_are_bad_input(tutor, tmp_path, home):
    missing = tutor("eval", "s1.1", *COURSE, "--from-file", str(tmp_path / "nope.md"))
    assert missing.code == 2 and "Cannot read evaluation file" in missing.err
    empty = tutor("eval", "s1.1", *COURSE, "--from-file", "-", input="  \n")
    assert empty.code == 2 and "empty" in empty.err
    for name, data, words in [("latin1.md", "Critical Thinking: 4/5, très bien".encode("latin-1"), "not UTF-8"),
                              ("binary.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
                              ("huge.md", b"Critical Thinking: 4/5\n" * 20_000, "over 256 KB")]:
        (tmp_path / name).write_bytes(data)
        result = tutor("eval", "s1.1", *COURSE, "--from-file", str(tmp_path / name))
        assert result.code == 2 and words in result.err, (name, result.err)
    endless = tutor("eval", "s1.1", *COURSE, "--from-file", "/dev/zero")  # read up to the limit, not forever
    assert endless.code == 2 and "over 256 KB" in endless.err
    assert not list(home.rglob("*.jsonl"))  # nothing stored


def test_eval_without_a_transcript_is_bad_input(tutor):
    result = tutor("eval", "s1.1", *COURSE)
    assert result.code == 2 and "tutor start s1.1" in result.err


def test_every_json_score_key_is_a_dimension(tutor, chatted):
    chatted.reply(REPORT)
    for _ in range(3):
        chatted.reply(json=grade())
    data = json.loads(tutor("eval", "s1.1", *COURSE, "--json").out)
    assert set(data["scores"]) == set(DIMENSIONS) == set(data["spread"]) == set(data["evidence"])
