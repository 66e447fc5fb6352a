"""The progress store: an index of the transcripts that cannot drift from them,
atomic migrations, a one-transaction rebuild, and recovery from a corrupt file."""

from __future__ import annotations

import sqlite3
import stat
import threading

import pytest

from tutor import transcript
from tutor.evaluation import mastery_band
from tutor.dimensions import DIMENSIONS
from tutor.store import MIGRATIONS, Store, migrate


def graded(home, session="s1.1", created="2026-11-01T10:00:00+00:00", value=3.0, course="c"):
    run = transcript.create(home, {"course": course, "session": session})
    run.append("evaluation", created=created, method="schema", scores={d: value for d in DIMENSIONS})
    return run


def test_migrations_build_a_blank_database_and_are_recorded():
    db = sqlite3.connect(":memory:", isolation_level=None)
    migrate(db)
    applied = [row[0] for row in db.execute("SELECT name FROM migrations ORDER BY rowid")]
    assert applied == [m.__name__ for m in MIGRATIONS]
    columns = {row[1] for row in db.execute("PRAGMA table_info(evaluations)")}
    assert set(DIMENSIONS) <= columns and "course" in columns
    migrate(db)  # running again changes nothing
    assert db.execute("SELECT COUNT(*) FROM migrations").fetchone()[0] == len(MIGRATIONS)


def test_a_failing_migration_leaves_nothing_half_done(monkeypatch):
    db = sqlite3.connect(":memory:", isolation_level=None)

    def broken(connection):
        connection.execute("CREATE TABLE half (x)")
        raise RuntimeError("power cut")

    monkeypatch.setattr("tutor.store.MIGRATIONS", [*MIGRATIONS, broken])
    with pytest.raises(RuntimeError):
        migrate(db)
    assert db.execute("SELECT name FROM sqlite_master WHERE name = 'half'").fetchone() is None
    assert "broken" not in {row[0] for row in db.execute("SELECT name FROM migrations")}


def test_concurrent_first_opens_all_succeed(home):
    errors = []

    def open_once():
        try:
            with Store(home) as store:
                store.sync()
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=open_once) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


def test_every_evaluation_is_kept_and_the_latest_counts(home):
    graded(home, created="2026-11-01T10:00:00+00:00", value=2.0)
    graded(home, created="2026-11-03T10:00:00+00:00", value=4.0)
    graded(home, created="2026-11-02T10:00:00+00:00", value=3.0)
    graded(home, session="s1.2", value=1.0)
    with Store(home) as store:
        store.sync("c")
        assert store.count() == 4
        latest = store.latest_two("c")
    assert [e.scores["critical_thinking"] for e in latest["s1.1"]] == [4.0, 3.0]
    assert [e.total for e in latest["s1.2"]] == [5.0]


def test_courses_are_kept_apart(home):
    graded(home, course="one", value=1.0)
    graded(home, course="two", value=5.0)
    with Store(home) as store:
        store.sync()
        assert store.latest_two("one")["s1.1"][0].total == 5.0
        assert store.latest_two("two")["s1.1"][0].total == 25.0


def test_missing_scores_are_null_and_give_no_total(home):
    run = transcript.create(home, {"course": "c", "session": "s1.1"})
    run.append("evaluation", created="2026-11-01T00:00:00+00:00", method="parsed", scores={"critical_thinking": 4.0})
    with Store(home) as store:
        store.sync("c")
        stored = store.latest_two("c")["s1.1"][0]
    assert stored.scores["critical_thinking"] == 4.0 and stored.scores["reflection_quality"] is None
    assert stored.total is None


def test_a_changed_transcript_is_indexed_again_and_a_deleted_one_forgotten(home):
    run = graded(home, value=2.0)
    with Store(home) as store:
        store.sync("c")
        run.append("evaluation", created="2026-11-05T00:00:00+00:00", method="schema", scores={d: 5.0 for d in DIMENSIONS})
        store.sync("c")
        assert store.latest_two("c")["s1.1"][0].total == 25.0
        run.path.unlink()
        store.sync("c")
        assert store.count() == 0


def test_rebuild_refills_the_store_from_transcripts(home):
    graded(home, value=4.5)
    with Store(home) as store:
        assert store.rebuild() == 1
        assert store.rebuild() == 1  # idempotent
        assert store.latest_two("c")["s1.1"][0].scores["conceptual_understanding"] == 4.5


def test_a_corrupt_store_is_moved_aside_and_rebuilt(home):
    graded(home, value=4.0)
    (home / "progress.db").write_bytes(b"this is not a database at all" * 100)
    with Store(home) as store:
        assert store.repaired and "rebuilt" in store.repaired
        store.sync("c")
        assert store.latest_two("c")["s1.1"][0].total == 20.0
    assert list(home.glob("progress.db.corrupt-*"))


def test_the_store_is_private(home):
    with Store(home) as store:
        store.sync()
    assert stat.S_IMODE((home / "progress.db").stat().st_mode) == 0o600


@pytest.mark.parametrize("total, band", [
    (0, "pre-introductory"), (4.5, "pre-introductory"), (5, "introductory"), (9.5, "introductory"),
    (10, "developing"), (14.5, "developing"), (15, "proficient"), (19.5, "proficient"), (20, "advanced"), (25, "advanced"),
    (None, None),
])
def test_mastery_bands(total, band):
    assert mastery_band(total) == band
