"""The score parser, table-driven over evaluation texts in tests/data/evaluations."""

from pathlib import Path

import pytest
import yaml

from tutor.scores import DIMENSIONS, parse_scores, round_score, scores_from_mapping

DATA = Path(__file__).parent / "data" / "evaluations"
EXPECTED = yaml.safe_load((DATA / "expected.yaml").read_text(encoding="utf-8"))


def test_every_text_has_an_expectation():
    texts = {p.name for p in DATA.glob("*.md")}
    assert texts == set(EXPECTED)
    assert len(texts) >= 30


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_parses_evaluation_text(name):
    scores = parse_scores((DATA / name).read_text(encoding="utf-8"))
    assert [scores.values[d] for d in DIMENSIONS] == EXPECTED[name]
    assert scores.readable == any(v is not None for v in EXPECTED[name])


def test_evidence_comes_from_the_json_block_and_from_bullets():
    block = parse_scores((DATA / "01-json-block.md").read_text(encoding="utf-8"))
    assert block.evidence["critical_thinking"] == "Challenged the zero-probability result."
    bullets = parse_scores((DATA / "08-bullets-bold.md").read_text(encoding="utf-8"))
    assert "bigger n" in bullets.evidence["critical_thinking"]


def test_total_needs_all_five():
    assert parse_scores((DATA / "04-table-simple.md").read_text(encoding="utf-8")).total == 18
    assert parse_scores((DATA / "29-partial-null.md").read_text(encoding="utf-8")).total is None


@pytest.mark.parametrize(("value", "scale", "expected"), [
    (3.74, 5, 3.5), (3.75, 5, 4.0), (8, 10, 4.0), (75, 100, 4.0), (5.5, 5, None), (-1, 5, None), (0, 5, 0.0),
])
def test_round_score(value, scale, expected):
    assert round_score(value, scale) == expected


@pytest.mark.parametrize("data", [
    {"scores": {"question_decomposition": 3, "critical_thinking": "4/5", "connection_making": None, "conceptual_understanding": 4.2, "reflection_quality": 9}},
    {"Question Decomposition": 3, "Critical Thinking": 4, "Conceptual Understanding": 4},
    {"evaluation": {"scores": {"questionDecomposition": {"score": 3}, "criticalThinking": {"score": 4}, "conceptualUnderstanding": 4}}},
])
def test_scores_from_mapping(data):
    scores = scores_from_mapping(data)
    assert scores.values == {
        "question_decomposition": 3, "critical_thinking": 4, "connection_making": None,
        "conceptual_understanding": 4, "reflection_quality": None,
    }
