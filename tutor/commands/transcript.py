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
) -> None:
    """Print a stored session."""
    from tutor import transcript as transcripts
    from tutor.config import data_home
    from tutor.course import normalise_session_id
    from tutor.errors import InputError

    sid = normalise_session_id(session)
    paths = transcripts.runs(data_home(), sid)
    if not paths:
        raise InputError(f"No stored session {sid} yet.", f"Start it with `tutor start {sid}`.")
    if not (1 <= run <= len(paths) or -len(paths) <= run <= -1):
        raise InputError(f"Session {sid} has {len(paths)} run(s); --run {run} is not one of them.", "Use --run 1 for the first run or -1 for the latest.")
    path = paths[run - 1 if run > 0 else run]
    stored = transcripts.read(path)
    if format is Format.json:
        for record in [stored.header, *stored.events]:
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        return
    from tutor.render import make_screen, wants_plain

    make_screen(wants_plain()).markdown(transcripts.to_markdown(stored, stored.header.get("title", "")))
