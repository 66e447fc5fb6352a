"""Transcripts: append-only JSONL, fsynced lines, torn lines skipped, Markdown view."""

from __future__ import annotations

import json

import pytest

from tutor import transcript


def new_run(home):
    return transcript.create(home, {"session": "s1.1", "backend": "openai", "model": "m", "language": "English", "tier": None})


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
    assert transcript.latest_unfinished(home, "s1.1").path == run.path
    run.append("evaluation", scores={})
    assert transcript.latest_unfinished(home, "s1.1") is None


def test_settings_events_override_the_header(home):
    run = new_run(home)
    assert run.setting("language") == "English"
    run.append("settings", language="French")
    assert transcript.read(run.path).setting("language") == "French"


def test_markdown_view_shows_turns_and_interruptions(home):
    run = new_run(home)
    run.append("student", text="Let's begin.", auto=True)
    run.append("tutor", text="What is a **token**?", interrupted=True)
    text = transcript.to_markdown(run, "Next-token prediction")
    assert text.startswith("# s1.1: Next-token prediction")
    assert "**Session start:** Let's begin." in text
    assert "What is a **token**?" in text and "*(interrupted)*" in text
