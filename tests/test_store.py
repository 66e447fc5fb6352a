"""The progress store: migrations, every evaluation kept, latest counts, rebuild."""

from __future__ import annotations

import sqlite3

import pytest

from tutor import transcript
from tutor.progress import mastery_band
from tutor.scores import DIMENSIONS
from tutor.store import MIGRATIONS, Evaluation, Store, migrate


def evaluation(session="s1.1", created="2026-11-01T10:00:00+00:00", value=3.0, **extra):
    return Evaluation(session=session, created=created, scores={d: value for d in DIMENSIONS}, readable=True, method="parsed", **extra)


def test_migrations_build_a_blank_database_and_are_recorded():
    db = sqlite3.connect(":memory:")
    migrate(db)
    applied = [row[0] for row in db.execute("SELECT name FROM migrations ORDER BY rowid")]
    assert applied == [m.__name__ for m in MIGRATIONS]
    columns = {row[1] for row in db.execute("PRAGMA table_info(evaluations)")}
    assert set(DIMENSIONS) <= columns
    migrate(db)  # running again changes nothing
    assert db.execute("SELECT COUNT(*) FROM migrations").fetchone()[0] == len(MIGRATIONS)


def test_every_evaluation_is_kept_and_the_latest_counts(home):
    with Store(home) as store:
        store.add(evaluation(created="2026-11-01T10:00:00+00:00", value=2.0))
        store.add(evaluation(created="2026-11-03T10:00:00+00:00", value=4.0))
        store.add(evaluation(created="2026-11-02T10:00:00+00:00", value=3.0))
        store.add(evaluation(session="s1.2", value=1.0))
        assert store.count() == 4
        latest = store.latest_two()
    assert [e.scores["critical_thinking"] for e in latest["s1.1"]] == [4.0, 3.0]
    assert [e.total for e in latest["s1.2"]] == [5.0]


def test_missing_scores_are_null_and_give_no_total(home):
    partial = Evaluation(session="s1.1", created="2026-11-01T00:00:00+00:00", scores={"critical_thinking": 4.0}, readable=True, method="parsed")
    with Store(home) as store:
        store.add(partial)
        stored = store.latest_two()["s1.1"][0]
    assert stored.scores["critical_thinking"] == 4.0 and stored.scores["reflection_quality"] is None
    assert stored.total is None


def test_rebuild_refills_the_store_from_transcripts(home):
    run = transcript.create(home, {"session": "s1.1"})
    run.append("evaluation", **evaluation(transcript=str(run.path), value=4.5).to_event())
    with Store(home) as store:
        assert store.rebuild(home) == 1
        assert store.rebuild(home) == 1  # idempotent
        assert store.latest_two()["s1.1"][0].scores["conceptual_understanding"] == 4.5


@pytest.mark.parametrize("total, band", [
    (0, "pre-introductory"), (4.5, "pre-introductory"), (5, "introductory"), (9.5, "introductory"),
    (10, "developing"), (14.5, "developing"), (15, "proficient"), (19.5, "proficient"), (20, "advanced"), (25, "advanced"),
    (None, None),
])
def test_mastery_bands(total, band):
    assert mastery_band(total) == band
