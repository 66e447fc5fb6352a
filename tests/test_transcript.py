"""Transcripts: append-only JSONL, fsynced lines, torn lines skipped, Markdown view."""

from __future__ import annotations

import errno
import json
import os
import stat

import pytest

from tutor import transcript
from tutor.errors import DataError


def new_run(home):
    return transcript.create(home, {"course": "c", "session": "s1.1", "backend": "openai", "model": "m", "language": "English", "tier": None})


def test_header_then_one_line_per_event(home):
    run = new_run(home)
    run.append("student", text="hello")
    run.append("tutor", text="hi", usage={"input_tokens": 5, "output_tokens": 1})
    lines = [json.loads(line) for line in run.path.read_text().splitlines()]
    assert [line["type"] for line in lines] == ["header", "student", "tutor"]
    assert lines[0]["session"] == "s1.1" and lines[0]["started"]
    assert lines[2]["usage"] == {"input_tokens": 5, "output_tokens": 1}


def test_torn_last_line_is_skipped_with_a_warning(home):
    run = new_run(home)
    run.append("student", text="first")
    with run.path.open("a") as handle:
        handle.write('{"type": "tutor", "text": "half a rep')  # a crash mid-write
    with pytest.warns(transcript.TornLineWarning):
        back = transcript.read(run.path)
    assert [e["type"] for e in back.events] == ["student"]


def test_appending_after_a_torn_line_starts_a_fresh_line(home):
    run = new_run(home)
    with run.path.open("a") as handle:
        handle.write('{"type": "tutor", "te')
    with pytest.warns(transcript.TornLineWarning):
        back = transcript.read(run.path)
    back.append("student", text="still here")
    with pytest.warns(transcript.TornLineWarning):
        again = transcript.read(run.path)
    assert [e["text"] for e in again.events] == ["still here"]


def test_latest_unfinished_ignores_evaluated_runs(home):
    run = new_run(home)
    assert transcript.latest_unfinished(home, "c", "s1.1").path == run.path
    run.append("evaluation", scores={})
    assert transcript.latest_unfinished(home, "c", "s1.1") is None


def test_settings_events_override_the_header(home):
    run = new_run(home)
    assert run.setting("language") == "English"
    run.append("settings", language="French")
    assert transcript.read(run.path).setting("language") == "French"


def test_markdown_view_shows_turns_and_interruptions(home):
    run = new_run(home)
    run.append("student", text="Let's begin.", auto=True)
    run.append("tutor", text="What is a **token**?", interrupted=True)
    run.header["title"] = "Next-token prediction"
    text = transcript.to_markdown(run)
    assert text.startswith("# s1.1: Next-token prediction")
    assert "**Session start:** Let's begin." in text
    assert "What is a **token**?" in text and "*(interrupted)*" in text


def test_run_files_are_private(home):
    run = new_run(home)
    assert stat.S_IMODE(run.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(run.path.parent.stat().st_mode) == 0o700


def test_an_empty_or_headerless_run_is_skipped_not_fatal(home):
    good = new_run(home)
    empty = good.path.with_name("20991231T000000000000Z.jsonl")
    empty.write_text("")
    with pytest.warns(transcript.TornLineWarning):
        assert transcript.latest(home, "c", "s1.1").path == good.path
    with pytest.raises(DataError):
        transcript.read(empty)
    empty.write_text('{"type": "student", "text": "no header"}\n')
    with pytest.warns(transcript.TornLineWarning):
        assert [r.path for r in transcript.readable([empty, good.path])] == [good.path]


def test_a_full_disk_while_creating_a_run_leaves_no_file(home, monkeypatch):
    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(DataError) as error:
        new_run(home)
    assert "disk is full" in error.value.message
    assert transcript.runs(home, "c", "s1.1") == []


def test_text_that_cannot_be_encoded_is_stored_with_replacement_characters(home):
    run = new_run(home)
    run.append("tutor", text="split \ud83d emoji and a pair \ud83d\ude00")
    back = transcript.read(run.path)
    assert back.events[-1]["text"] == "split \ufffd emoji and a pair \U0001f600"


def test_usage_and_cost_add_up_and_an_unknown_price_makes_the_cost_unknown(home):
    run = new_run(home)
    run.append("tutor", text="a", usage={"input_tokens": 100, "cached_input_tokens": 80, "output_tokens": 10}, cost_usd=0.001)
    run.append("evaluation", calls=[{"usage": {"input_tokens": 50, "cached_input_tokens": 0, "output_tokens": 5}, "cost_usd": 0.002}])
    assert run.usage() == {"input_tokens": 150, "cached_input_tokens": 80, "output_tokens": 15, "cost_usd": 0.003}
    run.append("tutor", text="b", usage={"input_tokens": 10, "cached_input_tokens": 0, "output_tokens": 1}, cost_usd=None)
    assert run.usage()["cost_usd"] is None
