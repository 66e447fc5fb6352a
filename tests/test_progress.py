"""`tutor progress`, `list`, `show`, `note`, `journal` and `profile`: status, scores,
change, confidence, learnings, cost, the recommendation, and what the tutor carries over."""

from __future__ import annotations

import json

import pytest

from conftest import COURSE, mini_key
from tutor import transcript
from tutor.dimensions import DIMENSIONS


def graded_run(home, session, created, readiness=None, growth=(), **values):
    """A run of the mini course with one evaluation event, as `tutor eval` writes it."""
    run = transcript.create(home, {"course": mini_key(), "session": session, "backend": "openai", "model": "m", "language": "English"})
    run.append("student", text="an answer of mine")
    run.append("evaluation", created=created, method="schema", scores={d: values.get(d, 3.0) for d in DIMENSIONS},
               readiness=readiness, growth_areas=list(growth))
    return run


def progress_json(tutor):
    result = tutor("progress", "--json", *COURSE)
    assert result.code == 0, result.err
    return json.loads(result.out)


def test_progress_json_has_every_session_and_the_contract_keys(tutor, home):
    graded_run(home, "s1.1", "2026-11-01T00:00:00+00:00", reflection_quality=1.0)
    graded_run(home, "s1.1", "2026-11-02T00:00:00+00:00", reflection_quality=2.0, critical_thinking=4.5)
    data = progress_json(tutor)
    first, second = data["sessions"]
    assert first["session"] == "s1.1" and first["status"] == "evaluated"
    assert set(first["scores"]) == set(DIMENSIONS)
    assert first["scores"]["critical_thinking"] == 4.5 and first["total"] == 15.5
    assert first["change"] == 2.5 and first["mastery"] == "proficient"
    assert set(first["usage"]) == {"input_tokens", "cached_input_tokens", "output_tokens", "cost_usd"}
    assert first["confidence"] is None and first["learnings"] == []
    assert second["status"] == "not started" and second["scores"] == {d: None for d in DIMENSIONS}
    assert data["weakest"] == "reflection_quality"


def test_a_started_session_is_in_progress(tutor, home):
    transcript.create(home, {"course": mini_key(), "session": "s1.2"}).append("student", text="hi")
    rows = progress_json(tutor)["sessions"]
    assert [r["status"] for r in rows] == ["not started", "in progress"]


def test_an_evaluation_written_while_the_store_was_away_is_picked_up(tutor, home):
    assert progress_json(tutor)["sessions"][0]["status"] == "not started"  # the store exists now
    graded_run(home, "s1.1", "2026-11-03T00:00:00+00:00", critical_thinking=5.0)
    assert progress_json(tutor)["sessions"][0]["scores"]["critical_thinking"] == 5.0


def test_usage_and_cost_are_summed_per_session_and_for_the_course(tutor, home):
    run = transcript.create(home, {"course": mini_key(), "session": "s1.1"})
    run.append("tutor", text="a", usage={"input_tokens": 1000, "cached_input_tokens": 900, "output_tokens": 100}, cost_usd=0.0015)
    run.append("tutor", text="b", usage={"input_tokens": 1000, "cached_input_tokens": 900, "output_tokens": 100}, cost_usd=0.0015)
    data = progress_json(tutor)
    assert data["sessions"][0]["usage"] == {"input_tokens": 2000, "cached_input_tokens": 1800, "output_tokens": 200, "cost_usd": 0.003}
    assert data["usage"]["cost_usd"] == 0.003
    table = tutor("progress", *COURSE).out
    assert "$0.0030" in table and "90% of input from the cache" in table


def test_progress_table_names_the_weakest_dimension_and_what_next(tutor, home):
    graded_run(home, "s1.1", "2026-11-01T00:00:00+00:00", connection_making=0.5)
    result = tutor("progress", *COURSE)
    assert result.code == 0
    assert "Weakest dimension: Connection-Making" in result.out and "█" in result.out
    assert "Next: s1.2" in result.out


@pytest.mark.parametrize(("values", "readiness", "words"), [
    (dict(question_decomposition=1, critical_thinking=1, connection_making=1, conceptual_understanding=1, reflection_quality=1), None, "below \"developing\""),
    ({}, "not ready", "not ready to move on"),
])
def test_a_weak_or_not_ready_session_is_recommended_for_review(tutor, home, values, readiness, words):
    graded_run(home, "s1.1", "2026-11-01T00:00:00+00:00", readiness=readiness, **values)
    recommendation = progress_json(tutor)["recommendation"]
    assert recommendation.startswith("Review s1.1") and words in recommendation


def test_progress_with_no_evaluations_says_what_to_do(tutor):
    result = tutor("progress", *COURSE)
    assert result.code == 0 and "tutor start s1.1" in result.out


def test_note_records_confidence_and_learnings_as_transcript_events(tutor, home):
    result = tutor("note", "s1.1", *COURSE, "--confidence", "4", "--learned", "counts become probabilities", "--challenge", "smoothing")
    assert result.code == 0, result.err
    kinds = [(e["kind"], e["value"]) for e in transcript.read(transcript.runs(home, mini_key(), "s1.1")[-1]).events if e["type"] == "note"]
    assert kinds == [("confidence", 4), ("learned", "counts become probabilities"), ("challenge", "smoothing")]
    row = progress_json(tutor)["sessions"][0]
    assert row["confidence"] == 4 and row["learnings"] == ["counts become probabilities"]


@pytest.mark.parametrize("args", [["--confidence", "6"], ["--confidence", "zero"], ["--learned", "  "], []])
def test_bad_notes_are_bad_input(tutor, args):
    result = tutor("note", "s1.1", *COURSE, *args)
    assert result.code == 2 and len(result.err.strip().splitlines()) <= 2


def test_over_confidence_is_pointed_out(tutor, home):
    graded_run(home, "s1.1", "2026-11-01T00:00:00+00:00", **{d: 1.0 for d in DIMENSIONS})
    tutor("note", "s1.1", *COURSE, "--confidence", "5")
    assert progress_json(tutor)["sessions"][0]["calibration"] == "over-confident"
    assert "over-confident" in tutor("progress", *COURSE).out


def test_journal_is_a_markdown_table_and_can_be_written_to_a_file(tutor, home, tmp_path):
    graded_run(home, "s1.1", "2026-11-01T00:00:00+00:00")
    tutor("note", "s1.1", *COURSE, "--confidence", "3", "--learned", "a | pipe stays in its cell")
    printed = tutor("journal", *COURSE)
    assert printed.code == 0
    lines = printed.out.splitlines()
    assert lines[2] == "| session | title | status | started | completed | confidence | key learnings | total /25 |"
    assert "| s1.1 | Counting words | evaluated |" in printed.out and "3/5" in printed.out and "a \\| pipe" in printed.out
    target = tmp_path / "journey.md"
    assert tutor("journal", *COURSE, "--output", str(target)).code == 0
    assert target.read_text(encoding="utf-8") == printed.out
    assert tutor("journal", *COURSE, "--output", "-").out == printed.out  # "-" is standard output, not a file named "-"


def test_profile_carries_growth_areas_notes_and_confidence_and_can_be_reset(tutor, home):
    graded_run(home, "s1.1", "2026-11-01T00:00:00+00:00", growth=["Name the assumption you rely on."], reflection_quality=1.0)
    tutor("note", "s1.1", *COURSE, "--confidence", "2")
    tutor("profile", *COURSE, "--add", "I know Python well")
    shown = tutor("profile", *COURSE).out
    assert "s1.2" in shown and "Name the assumption you rely on." in shown
    assert "weakest: Reflection Quality" in shown and "own confidence 2/5" in shown and "I know Python well" in shown
    assert tutor("profile", *COURSE, "--forget", "1").code == 0
    assert "I know Python well" not in tutor("profile", *COURSE).out
    assert tutor("profile", *COURSE, "--reset").code == 0
    assert "Name the assumption" not in tutor("profile", *COURSE).out
    assert tutor("profile", *COURSE, "--forget", "9").code == 2


@pytest.mark.parametrize("content", ['{"notes": "abc"}', '{"notes": [1, null, {"x": 1}]}', '["a note"]', '{"notes": [], "extra": 1}'])
def test_a_hand_edited_profile_that_is_not_valid_is_named_and_reset_repairs_it(tutor, home, content):
    home.mkdir(parents=True, exist_ok=True)
    (home / "profile.json").write_text(content, encoding="utf-8")
    shown = tutor("profile", *COURSE)
    assert shown.code == 1 and "profile.json is not a valid profile" in shown.err and "--reset" in shown.err
    assert tutor("profile", *COURSE, "--reset").code == 0
    assert tutor("profile", *COURSE).code == 0


def test_list_marks_each_sessions_status(tutor, home):
    graded_run(home, "s1.1", "2026-11-01T00:00:00+00:00")
    result = tutor("list", *COURSE)
    assert result.code == 0
    assert "● s1.1" in result.out and "○ s1.2" in result.out and "15/25" in result.out


def test_show_prints_question_prerequisites_and_knowledge_points(tutor):
    result = tutor("show", "1.2", *COURSE)
    assert result.code == 0
    assert "How far can counting take us" in result.out
    assert "s1.1 (Counting words)" in result.out
    assert "1. First idea of lesson 2" in result.out and "2. Second idea of lesson 2" in result.out


def test_show_a_module_prints_its_overview(tutor):
    result = tutor("show", "m1", *COURSE)
    assert result.code == 0 and "A tiny module" in result.out and "s1.2" in result.out


def test_unknown_session_exits_2_and_suggests(tutor):
    result = tutor("show", "s1.3", *COURSE)
    assert result.code == 2
    assert "Unknown session 's1.3'" in result.err and "Did you mean" in result.err
