"""Transcripts: one append-only JSONL file per session run, the source of truth.

The first line is a header (course, session, course version, prompt hashes, backend,
model, language, tier, the system context's course map and learner profile, start
time); every later line is one event. Each line is flushed and fsynced as it is
written, so a crash or `kill -9` loses at most the reply being streamed. A torn line
(a crash mid-write) is skipped with a warning when read back; a file with no header
(an empty file left by a full disk) is skipped too, never fatal. Text is repaired
before it is written (lone surrogates become U+FFFD), so no reply is lost to an
encoding error.
"""

from __future__ import annotations

import errno
import json
import os
import warnings
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

from tutor.errors import DataError
from tutor.home import private_file
from tutor.text import clean

FORMAT_VERSION = 2
TURNS = ("student", "tutor")


class TornLineWarning(UserWarning):
    """A transcript line, or a whole file, could not be read and was skipped."""


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def sessions_dir(home: Path, course: str) -> Path:
    return home / "transcripts" / course


def runs_dir(home: Path, course: str, session: str) -> Path:
    return sessions_dir(home, course) / session


@dataclass
class Transcript:
    path: Path
    header: dict[str, Any]
    events: list[dict[str, Any]] = field(default_factory=list)

    @property
    def session(self) -> str:
        return self.header["session"]

    @property
    def course(self) -> str:
        return self.header.get("course", "")

    @property
    def evaluated(self) -> bool:
        return any(e["type"] == "evaluation" for e in self.events)

    def setting(self, key: str) -> Any:
        """The current value of a setting the chat may change (language, backend, model)."""
        value = self.header.get(key)
        for event in self.events:
            if event["type"] == "settings" and key in event:
                value = event[key]
        return value

    def turns(self) -> list[dict[str, Any]]:
        return [e for e in self.events if e["type"] in TURNS]

    def learner_turns(self) -> list[dict[str, Any]]:
        """What the learner typed: no automatic openings, no navigation commands."""
        return [t for t in self.turns() if t["type"] == "student" and not t.get("auto") and not t.get("command")]

    def usage(self) -> dict[str, Any]:
        """Tokens and cost over every model call recorded in this run: tutor turns, the
        evaluation report and its samples. Cost is None when any call had no known price."""
        totals: dict[str, Any] = {"input_tokens": 0, "cached_input_tokens": 0, "output_tokens": 0, "cost_usd": 0.0}
        for event in self.events:
            for call in event.get("calls") or ([event] if event.get("usage") else []):
                counts = call.get("usage") or {}
                for key in ("input_tokens", "cached_input_tokens", "output_tokens"):
                    totals[key] += counts.get(key) or 0
                cost = call.get("cost_usd")
                totals["cost_usd"] = None if cost is None or totals["cost_usd"] is None else totals["cost_usd"] + cost
        return totals

    def last_activity(self) -> str:
        stamps = [e.get("at") for e in self.events if e.get("at")]
        return stamps[-1] if stamps else self.header.get("started", "")

    def append(self, event_type: str, **fields: Any) -> dict[str, Any]:
        event = {"type": event_type, "at": now(), **fields}
        _append_line(self.path, event)
        self.events.append(event)
        return event


def create(home: Path, header: dict[str, Any]) -> Transcript:
    """A new run file with its header. If the header cannot be written (a full disk),
    the file is removed again, so it cannot block the session later."""
    folder = runs_dir(home, header["course"], header["session"])
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    path = private_file(folder / f"{stamp}.jsonl")
    header = {"type": "header", "format": FORMAT_VERSION, "started": now(), **header}
    try:
        _append_line(path, header)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return Transcript(path, header, [])


def read(path: Path) -> Transcript:
    """Raises DataError for a file with no readable header."""
    lines = list(_parse_lines(path))
    if not lines or lines[0].get("type") != "header" or "session" not in lines[0]:
        raise DataError(f"Transcript {path} has no header (it may be empty after a crash or a full disk).", "It is skipped; delete the file if you no longer need it.")
    return Transcript(path, lines[0], lines[1:])


def runs(home: Path, course: str, session: str) -> list[Path]:
    """Every run of a session, oldest first (file names are UTC timestamps)."""
    folder = runs_dir(home, course, session)
    return sorted(folder.glob("*.jsonl")) if folder.is_dir() else []


def all_runs(home: Path, course: str | None = None) -> list[Path]:
    root = home / "transcripts"
    pattern = f"{course}/*/*.jsonl" if course else "*/*/*.jsonl"
    return sorted(root.glob(pattern)) if root.is_dir() else []


def readable(paths: list[Path]) -> Iterator[Transcript]:
    """The runs that can be read; the others are skipped with a warning."""
    for path in paths:
        try:
            yield read(path)
        except DataError as exc:
            warnings.warn(exc.message, TornLineWarning, stacklevel=2)


def latest(home: Path, course: str, session: str) -> Transcript | None:
    """The newest readable run of a session."""
    found = list(readable(runs(home, course, session)[-2:]))
    return found[-1] if found else None


def latest_unfinished(home: Path, course: str, session: str) -> Transcript | None:
    """The newest run of `session`, if it has not been evaluated."""
    newest = latest(home, course, session)
    return None if newest is None or newest.evaluated else newest


def _parse_lines(path: Path) -> Iterator[dict[str, Any]]:
    try:
        handle = path.open("r", encoding="utf-8", errors="replace")
    except OSError as exc:
        raise DataError(f"Cannot read transcript {path}: {exc.strerror}.", "Check the file's permissions.") from exc
    unreadable: list[int] = []
    with handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                unreadable.append(number)
                continue
            if isinstance(record, dict) and isinstance(record.get("type"), str):
                yield record
    if len(unreadable) == 1:
        warnings.warn(f"{path.name}: skipped unreadable line {unreadable[0]} (probably cut off by a crash)", TornLineWarning, stacklevel=2)
    elif unreadable:
        warnings.warn(f"{path.name}: skipped {len(unreadable)} unreadable lines (from line {unreadable[0]}); the file is damaged",
                      TornLineWarning, stacklevel=2)


def _append_line(path: Path, record: dict[str, Any]) -> None:
    line = clean(json.dumps(record, ensure_ascii=False)) + "\n"
    try:
        with path.open("a+b") as handle:
            # A torn last line has no newline; start ours on a fresh line so it stays readable.
            if handle.tell() > 0:
                handle.seek(-1, os.SEEK_END)
                if handle.read(1) != b"\n":
                    line = "\n" + line
            handle.write(line.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise DataError(f"The disk is full: could not save to {path}.", "Free some space and run the same command again; everything saved before is kept.") from exc
        raise


def to_markdown(transcript: Transcript) -> str:
    """A readable rendering of a run for `tutor transcript`."""
    h = transcript.header
    title = h.get("title", "")
    out = [
        f"# {h['session']}{': ' + title if title else ''}",
        "",
        f"*Started {h.get('started', '?')} · {h.get('backend') or '?'} / {h.get('model') or '?'} · "
        f"language {h.get('language') or '?'} · tier {h.get('tier') or 'any'}*",
        "",
    ]
    for event in transcript.events:
        kind = event["type"]
        if kind == "student":
            label = "Session start" if event.get("auto") else f"You (/{event['command']})" if event.get("command") else "You"
            out += [f"**{label}:** {event['text']}", ""]
        elif kind == "tutor":
            out += ["**Tutor:**", "", event["text"], ""]
            if event.get("interrupted"):
                out += ["*(interrupted)*", ""]
            elif event.get("truncated"):
                out += ["*(cut at the output limit)*", ""]
        elif kind == "report":
            out += ["## Evaluation report", "", event.get("text", ""), ""]
        elif kind == "evaluation":
            scores = ", ".join(f"{k.replace('_', ' ')} {'—' if v is None else v}" for k, v in (event.get("scores") or {}).items())
            out += [f"> scores: {scores}", ""]
        elif kind == "note":
            out += [f"> note ({event.get('kind')}): {event.get('value')}", ""]
        elif kind in ("notice", "error"):
            out += [f"> {kind}: {event.get('text') or event.get('message', '')}", ""]
        elif kind == "settings":
            changed = ", ".join(f"{k} {v}" for k, v in event.items() if k not in ("type", "at"))
            out += [f"> settings: {changed}", ""]
    return "\n".join(out).rstrip() + "\n"
