"""bench/grading.py, run against the loopback server: the gold set loads, every
transcript goes through the real grader, and the summary measures what it claims
(a grader that returns the designed levels scores zero error and full correlation;
one that does not, does not)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import grading  # noqa: E402
from fakellm import Reply  # noqa: E402
from tutor.backends import open_backend  # noqa: E402
from tutor.backends.spec import BackendSpec  # noqa: E402
from tutor.dimensions import DIMENSIONS  # noqa: E402

GOLD = grading.load_gold()


def test_the_gold_set_covers_every_level_and_both_nulls():
    assert len(GOLD) >= 8
    for dimension in DIMENSIONS:
        levels = {g.designed[dimension] for g in GOLD}
        assert {0, 5} <= levels, dimension
    assert any(g.designed[d] is None for g in GOLD for d in DIMENSIONS)
    assert {g.language for g in GOLD} >= {"English", "German", "Chinese"}


def grader_that_answers(shift: float):
    """A loopback grader: reads which gold transcript it was sent and answers its
    designed levels (plus `shift`), quoting the learner's first turn verbatim."""
    by_first_line = {g.turns[0][1][:60]: g for g in GOLD}

    def respond(body) -> Reply:
        document = body["messages"][-1]["content"]
        gold = next(g for first, g in by_first_line.items() if first in document)
        quote = re.search(r"\] LEARNER:\n(.+)", document).group(1)
        number = int(re.search(r"\[(\d+)\] LEARNER:", document).group(1))

        def dim(level):
            if level is None:
                return {"evidence": [{"turn": number, "quote": quote}], "score": None}
            value = min(5, max(0, level + shift)) if level else 0
            return {"evidence": [{"turn": number, "quote": quote}], "score": value}

        grade = {d: dim(gold.designed[d]) for d in DIMENSIONS} | {"growth_areas": [], "readiness": "ready"}
        return Reply(json=grade)

    return respond


@pytest.fixture
def loopback(fake_llm, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    monkeypatch.setenv("OPENAI_BASE_URL", fake_llm.openai_base_url)
    return open_backend(BackendSpec("openai", "openai", "grader-under-test", max_retries=0))


def test_a_grader_that_agrees_with_the_design_scores_no_error(fake_llm, loopback):
    fake_llm.responder = grader_that_answers(0)
    results = grading.measure(GOLD, loopback, runs=2, samples=1)
    summary = grading.summarise(results)
    for dimension in DIMENSIONS:
        assert summary[dimension]["mae"] == 0 and summary[dimension]["null_mismatches"] == 0
        assert summary[dimension]["rank_correlation"] == 1.0 and summary[dimension]["spread"] == 0
    text = grading.render(summary, results, "loopback")
    assert "01-decomposer-skips-reflection" in text and "median |err|" in text


def test_an_inflating_grader_shows_its_error(fake_llm, loopback):
    fake_llm.responder = grader_that_answers(1)
    summary = grading.summarise(grading.measure(GOLD[:4], loopback, runs=1, samples=1))
    assert any(summary[d]["mae"] and summary[d]["mae"] >= 0.5 for d in DIMENSIONS)


def test_spearman_handles_ties_and_degenerate_input():
    assert grading.spearman([1, 2, 3, 4], [10, 20, 30, 40]) == 1.0
    assert grading.spearman([1, 2, 3, 4], [4, 3, 2, 1]) == -1.0
    # ranks [1.5, 1.5, 3, 4] and [1, 2.5, 2.5, 4]: covariance 3.75 over variance 4.5
    assert grading.spearman([1, 1, 2, 3], [1, 2, 2, 3]) == 0.83
    assert grading.spearman([1, 2], [1, 2]) is None
    assert grading.spearman([2, 2, 2], [1, 2, 3]) is None
