"""`tutor progress` and `tutor list`: status, scores, change, weakest dimension."""

from __future__ import annotations

import json

from conftest import MINI_COURSE
from tutor import transcript
from tutor.scores import DIMENSIONS
from tutor.store import Evaluation, Store

COURSE = ("--course", str(MINI_COURSE))


def store_scores(home, session, created, **values):
    scores = {d: values.get(d, 3.0) for d in DIMENSIONS}
    with Store(home) as store:
        store.add(Evaluation(session=session, created=created, scores=scores, readable=True, method="imported"))


def test_progress_json_has_every_session_and_the_contract_keys(tutor, home):
    store_scores(home, "s1.1", "2026-11-01T00:00:00+00:00", reflection_quality=1.0)
    store_scores(home, "s1.1", "2026-11-02T00:00:00+00:00", reflection_quality=2.0, critical_thinking=4.5)
    result = tutor("progress", "--json", *COURSE)
    assert result.code == 0, result.err
    data = json.loads(result.out)
    first, second = data["sessions"]
    assert first["session"] == "s1.1" and first["status"] == "evaluated"
    assert set(first["scores"]) == set(DIMENSIONS)
    assert first["scores"]["critical_thinking"] == 4.5 and first["total"] == 15.5
    assert first["change"] == 2.5 and first["mastery"] == "proficient"
    assert second["status"] == "not started" and second["scores"] == {d: None for d in DIMENSIONS}
    assert data["weakest"] == "reflection_quality"


def test_a_started_session_is_in_progress(tutor, home):
    transcript.create(home, {"session": "s1.2"}).append("student", text="hi")
    rows = json.loads(tutor("progress", "--json", *COURSE).out)["sessions"]
    assert [r["status"] for r in rows] == ["not started", "in progress"]


def test_progress_table_names_the_weakest_dimension(tutor, home):
    store_scores(home, "s1.1", "2026-11-01T00:00:00+00:00", connection_making=0.5)
    result = tutor("progress", *COURSE)
    assert result.code == 0
    assert "Weakest dimension: Connection-Making" in result.out
    assert "█" in result.out


def test_progress_with_no_evaluations_says_what_to_do(tutor):
    result = tutor("progress", *COURSE)
    assert result.code == 0 and "tutor eval" in result.out


def test_list_marks_each_sessions_status(tutor, home):
    store_scores(home, "s1.1", "2026-11-01T00:00:00+00:00")
    result = tutor("list", *COURSE)
    assert result.code == 0
    assert "● s1.1" in result.out and "○ s1.2" in result.out and "15/25" in result.out


def test_show_prints_question_prerequisites_and_knowledge_points(tutor):
    result = tutor("show", "1.2", *COURSE)
    assert result.code == 0
    assert "How far can counting take us" in result.out
    assert "s1.1 (Counting words)" in result.out
    assert "1. First idea of lesson 2" in result.out and "2. Second idea of lesson 2" in result.out


def test_unknown_session_exits_2_and_suggests(tutor):
    result = tutor("show", "s1.3", *COURSE)
    assert result.code == 2
    assert "Unknown session 's1.3'" in result.err and "Did you mean" in result.err
