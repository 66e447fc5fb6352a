"""`tutor progress`: scores and status across the course."""

from __future__ import annotations

import json

import typer

from tutor.commands import options

BAR_WIDTH = 20


def progress(
    as_json: bool = typer.Option(False, "--json", help="Print the data as JSON for scripts."),
    rebuild: bool = typer.Option(False, "--rebuild", help="Rebuild the progress store from the transcripts first."),
    course: options.Course = None,
) -> None:
    """Show each session's status, scores, total /25 and mastery, and your weakest dimension."""
    from tutor.config import data_home
    from tutor.course import load_course
    from tutor.progress import course_progress, dimension_summary, weakest
    from tutor.scores import DIMENSION_TITLES, DIMENSIONS
    from tutor.store import Store

    home = data_home()
    if rebuild:
        with Store(home) as store:
            store.rebuild(home)
    loaded = load_course(course)
    rows = course_progress(loaded, home)
    summary = dimension_summary(rows)
    weak = weakest(summary)
    if as_json:
        print(json.dumps({"sessions": [r.to_json() for r in rows], "summary": summary, "weakest": weak}, ensure_ascii=False, indent=2))
        return

    from tutor.progress import mastery_band
    from tutor.render import make_screen, wants_plain

    screen = make_screen(wants_plain())
    short = ["QD", "CT", "CM", "CU", "RQ"]
    table = []
    for row in rows:
        scores = [_fmt(row.latest.scores.get(d)) if row.latest else "" for d in DIMENSIONS]
        total = f"{row.total:g}" if row.total is not None else ""
        change = f"{row.change:+g}" if row.change is not None else ""
        table.append([row.session, row.title, row.status, (row.last_activity or "")[:10], *scores, total, change, mastery_band(row.total) or ""])
    screen.table(loaded.title, ["session", "title", "status", "last", *short, "/25", "Δ", "mastery"], table)
    legend = " · ".join(f"{s} {DIMENSION_TITLES[d]}" for s, d in zip(short, DIMENSIONS))
    screen.info(legend)
    bars = [[DIMENSION_TITLES[d], _bar(v), "—" if v is None else f"{v:.2f}"] for d, v in summary.items()]
    screen.table("Across sessions (mean of latest evaluations)", ["dimension", "", "mean /5"], bars)
    if weak:
        screen.info(f"Weakest dimension: {DIMENSION_TITLES[weak]}. Ask the tutor for /deeper and explain your reasoning aloud to work on it.")
    else:
        screen.info("No evaluations yet: finish a session and run `tutor eval`.")


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


def _bar(value: float | None) -> str:
    if value is None:
        return ""
    filled = round(value / 5 * BAR_WIDTH)
    return "█" * filled + "·" * (BAR_WIDTH - filled)
