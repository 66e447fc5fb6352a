"""`tutor transcript SESSION`: a stored session as Markdown, or its raw events."""

from __future__ import annotations

import json
import sys
from enum import Enum

import typer

from tutor.commands import options


class Format(str, Enum):
    markdown = "markdown"
    json = "json"


def transcript(
    session: options.Session,
    format: Format = typer.Option(Format.markdown, "--format", help="markdown (readable) or json (the raw events, one per line)."),
    run: int = typer.Option(-1, "--run", help="Which run: -1 the latest (default), 1 the first, 2 the second..."),
    course: options.Course = None,
) -> None:
    """Print a stored session."""
    from tutor import transcript as transcripts
    from tutor.course import load_course
    from tutor.errors import InputError
    from tutor.home import data_home

    loaded = load_course(course)
    sid = loaded.lesson(session).id  # a known session id before any path is built
    paths = transcripts.runs(data_home(), loaded.key, sid)
    if not paths:
        raise InputError(f"No stored session {sid} yet.", f"Start it with `{loaded.command(f'start {sid}')}`.")
    if not (1 <= run <= len(paths) or -len(paths) <= run <= -1):
        raise InputError(f"Session {sid} has {len(paths)} run(s); --run {run} is not one of them.", "Use --run 1 for the first run or -1 for the latest.")
    stored = transcripts.read(paths[run - 1 if run > 0 else run])
    if format is Format.json:
        for record in [stored.header, *stored.events]:
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        return
    from tutor.render import make_screen, wants_plain

    make_screen(wants_plain()).markdown(transcripts.to_markdown(stored))
