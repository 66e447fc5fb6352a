"""`tutor journal`: the learning journey as a Markdown table, ready to paste into notes."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from tutor.commands import options


def journal(
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the table to this file instead of printing it.", show_default=False),
    course: options.Course = None,
) -> None:
    """Print your learning journey: status, dates, confidence, key learnings and total per session."""
    from tutor.course import load_course
    from tutor.errors import InputError
    from tutor.home import data_home
    from tutor.progress import course_progress

    loaded = load_course(course)
    rows = course_progress(loaded, data_home())
    text = journal_table(loaded.title, rows)
    if output is None or str(output) == "-":
        print(text, end="")
        return
    try:
        output.expanduser().write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"Cannot write {output}: {exc.strerror}.", "Pass --output with a path in a folder you can write.") from exc
    print(f"Wrote the journal of {len(rows)} sessions to {output}.")


def journal_table(title: str, rows) -> str:
    from tutor.text import sanitise

    def cell(text: str) -> str:
        return sanitise(text).replace("|", "\\|").replace("\n", " ")

    lines = [f"# Learning journey: {cell(title)}", "",
             "| session | title | status | started | completed | confidence | key learnings | total /25 |",
             "|---|---|---|---|---|---|---|---|"]
    for row in rows:
        lines.append("| " + " | ".join([
            row.session, cell(row.title), row.status, (row.started or "")[:10], (row.completed or "")[:10],
            "" if row.confidence is None else f"{row.confidence}/5", cell("; ".join(row.learnings)),
            "" if row.total is None else f"{row.total:g}",
        ]) + " |")
    return "\n".join(lines) + "\n"
