"""Built-in courses: `tutor courses`, `--course NAME` on every command that works on
sessions, and the two courses' transcripts, scores and journals kept apart."""

from __future__ import annotations

import json

import pytest

from tutor.course import built_in_courses, load_course


def test_courses_lists_both_built_in_courses(tutor):
    result = tutor("courses")
    assert result.code == 0
    assert "llm (default)" in result.out and "How Large Language Models Work" in result.out and "14" in result.out
    assert "gpt" in result.out and "Build a GPT from Scratch" in result.out and "18" in result.out


def test_the_gpt_course_loads_with_eighteen_sessions_in_four_modules():
    course = load_course("gpt")
    assert course.key == "gpt" and [len(m.lessons) for m in course.modules] == [3, 6, 4, 5]
    assert (course.root / "data" / "genesis.txt").stat().st_size > 150_000
    assert set(built_in_courses()) == {"llm", "gpt"}


@pytest.mark.parametrize("command", [["list"], ["show", "s2.1"], ["show", "m3"], ["progress"], ["journal"], ["course", "check"]])
def test_commands_take_a_built_in_course_by_name(tutor, command):
    args = [*command, "gpt"] if command == ["course", "check"] else [*command, "--course", "gpt"]
    result = tutor(*args)
    assert result.code == 0, result.out + result.err


def test_the_two_courses_keep_their_runs_and_scores_apart(tutor, openai_backend, home, tmp_path):
    openai_backend.reply("Welcome to the GPT course.")
    assert tutor("start", "s1.1", "--course", "gpt", input="a language model assigns probabilities\n").code == 0
    openai_backend.reply("Welcome to the LLM course.")
    result = tutor("start", "s1.1", input="next words\n")
    assert result.code == 0 and "Continuing" not in result.out
    assert sorted(p.name for p in (home / "transcripts").iterdir()) == ["gpt", "llm"]
    report = tmp_path / "report.md"
    report.write_text("Critical Thinking: 4/5\n", encoding="utf-8")
    assert tutor("eval", "s1.1", "--course", "gpt", "--from-file", str(report)).code == 0
    gpt = json.loads(tutor("progress", "--json", "--course", "gpt").out)["sessions"][0]
    llm = json.loads(tutor("progress", "--json").out)["sessions"][0]
    assert gpt["status"] == "evaluated" and gpt["scores"]["critical_thinking"] == 4
    assert llm["status"] == "in progress" and llm["scores"]["critical_thinking"] is None
    assert "| s1.1 | What is a language model" in tutor("journal", "--course", "gpt").out
    assert "gpt" in tutor("transcript", "s1.1", "--course", "gpt", "--format", "json").out


def test_an_unknown_session_points_at_the_listing_of_its_own_course(tutor):
    result = tutor("start", "s3.5", "--course", "gpt")
    assert result.code == 2
    assert "Unknown session 's3.5' in course gpt." in result.err and "`tutor list --course gpt` shows all sessions" in result.err


def test_hints_of_another_course_name_it(tutor):
    """A hint copied from the GPT course's output runs the GPT course, not the default one."""
    assert "`tutor start s1.1 --course gpt`" in tutor("progress", "--course", "gpt").out
    assert "`tutor start s1.2 --course gpt`" in tutor("show", "s1.2", "--course", "gpt").out
    missing = tutor("transcript", "s1.2", "--course", "gpt")
    assert missing.code == 2 and "`tutor start s1.2 --course gpt`" in missing.err
    assert "`tutor start s1.1`" in tutor("progress").out  # the default course needs no --course
