"""`tutor progress`: scores, status, confidence and cost across the course, and what next."""

from __future__ import annotations

import json

import typer

from tutor.commands import options

BAR_WIDTH = 20
SHORT = ["QD", "CT", "CM", "CU", "RQ"]


def progress(
    as_json: bool = typer.Option(False, "--json", help="Print the data as JSON for scripts."),
    rebuild: bool = typer.Option(False, "--rebuild", help="Rebuild the progress store from the transcripts first."),
    course: options.Course = None,
) -> None:
    """Show each session's status, scores, total /25, mastery, confidence and cost, and what to do next."""
    from tutor.course import load_course
    from tutor.home import data_home
    from tutor.progress import course_progress, course_usage, dimension_summary, recommendation, weakest
    from tutor.store import Store

    home = data_home()
    loaded = load_course(course)
    if rebuild:
        with Store(home) as store:
            store.rebuild()
    rows = course_progress(loaded, home)
    summary = dimension_summary(rows)
    weak = weakest(summary)
    usage = course_usage(rows)
    next_step = recommendation(loaded, rows)
    if as_json:
        print(json.dumps({
            "course": loaded.key, "title": loaded.title, "sessions": [r.to_json() for r in rows],
            "summary": summary, "weakest": weak, "usage": usage, "recommendation": next_step,
        }, ensure_ascii=False, indent=2))
        return
    _show(loaded, rows, summary, weak, usage, next_step)


def _show(loaded, rows, summary, weak, usage, next_step) -> None:
    from tutor.evaluation import mastery_band
    from tutor.render import make_screen, wants_plain
    from tutor.dimensions import DIMENSION_TITLES, DIMENSIONS

    screen = make_screen(wants_plain())
    table = []
    for row in rows:
        scores = [_fmt(row.latest.scores.get(d)) if row.latest else "" for d in DIMENSIONS]
        total = f"{row.total:g}" if row.total is not None else ""
        change = f"{row.change:+g}" if row.change is not None else ""
        confidence = "" if row.confidence is None else f"{row.confidence}/5" + {"over-confident": " ↑", "under-confident": " ↓"}.get(row.calibration or "", "")
        table.append([row.session, row.title, row.status, (row.last_activity or "")[:10], *scores, total, change,
                      mastery_band(row.total) or "", confidence, _cost(row.usage["cost_usd"], row.usage["input_tokens"])])
    screen.table(loaded.title, ["session", "title", "status", "last", *SHORT, "/25", "Δ", "mastery", "confidence", "cost"], table)
    screen.info(" · ".join(f"{s} {DIMENSION_TITLES[d]}" for s, d in zip(SHORT, DIMENSIONS)) + " · confidence ↑ above / ↓ below what the grade shows")
    for row in rows:
        if row.calibration:
            screen.info(f"{row.session}: you rated your confidence {row.confidence}/5 but scored {row.total:g}/25: {row.calibration}.")
    bars = [[DIMENSION_TITLES[d], _bar(v), "—" if v is None else f"{v:.2f}"] for d, v in summary.items()]
    screen.table("Across sessions (mean of latest evaluations)", ["dimension", "", "mean /5"], bars)
    cached = f", {usage['cached_input_tokens'] / usage['input_tokens']:.0%} of input from the cache" if usage["input_tokens"] else ""
    screen.info(f"Course total: {usage['input_tokens']:,} input and {usage['output_tokens']:,} output tokens{cached}; "
                f"cost {_cost(usage['cost_usd'], usage['input_tokens']) or '$0'}.")
    if weak:
        screen.info(f"Weakest dimension: {DIMENSION_TITLES[weak]}.")
    screen.info(next_step)


def _cost(cost: float | None, tokens: int) -> str:
    if not tokens:
        return ""
    return "unknown" if cost is None else f"${cost:.4f}"


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


def _bar(value: float | None) -> str:
    if value is None:
        return ""
    filled = round(value / 5 * BAR_WIDTH)
    return "█" * filled + "·" * (BAR_WIDTH - filled)
