"""Transcripts: one append-only JSONL file per session run, the source of truth.

The first line is a header (session, course version, prompt hashes, backend, model,
language, tier, start time); every later line is one event. Each line is flushed and
fsynced as it is written, so a crash loses at most the reply being streamed. A torn
line (a crash mid-write) is skipped with a warning when read back.
"""

from __future__ import annotations

import json
import os
import warnings
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

FORMAT_VERSION = 1


class TornLineWarning(UserWarning):
    """A transcript line could not be parsed and was skipped."""


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def transcripts_dir(home: Path, session: str) -> Path:
    return home / "transcripts" / session


@dataclass
class Transcript:
    path: Path
    header: dict[str, Any]
    events: list[dict[str, Any]]

    @property
    def session(self) -> str:
        return self.header["session"]

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
        return [e for e in self.events if e["type"] in ("student", "tutor")]

    def last_activity(self) -> str:
        stamps = [e.get("at") for e in self.events if e.get("at")]
        return stamps[-1] if stamps else self.header.get("started", "")

    def append(self, event_type: str, **fields: Any) -> dict[str, Any]:
        event = {"type": event_type, "at": now(), **fields}
        _append_line(self.path, event)
        self.events.append(event)
        return event


def create(home: Path, header: dict[str, Any]) -> Transcript:
    folder = transcripts_dir(home, header["session"])
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    path = folder / f"{stamp}.jsonl"
    header = {"type": "header", "format": FORMAT_VERSION, "started": now(), **header}
    _append_line(path, header)
    return Transcript(path, header, [])


def read(path: Path) -> Transcript:
    lines = list(_parse_lines(path))
    if not lines or lines[0].get("type") != "header":
        raise ValueError(f"{path} has no transcript header")
    return Transcript(path, lines[0], lines[1:])


def runs(home: Path, session: str) -> list[Path]:
    """Every run of a session, oldest first (file names are UTC timestamps)."""
    folder = transcripts_dir(home, session)
    return sorted(folder.glob("*.jsonl")) if folder.is_dir() else []


def all_runs(home: Path) -> list[Path]:
    root = home / "transcripts"
    return sorted(root.glob("*/*.jsonl")) if root.is_dir() else []


def latest_unfinished(home: Path, session: str) -> Transcript | None:
    """The newest run of `session` that has not been evaluated, if it is the newest run."""
    paths = runs(home, session)
    if not paths:
        return None
    transcript = read(paths[-1])
    return None if transcript.evaluated else transcript


def _parse_lines(path: Path) -> Iterator[dict[str, Any]]:
    with path.open("r", encoding="utf-8", errors="replace") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                warnings.warn(f"{path.name}: skipped unreadable line {number} (probably cut off by a crash)", TornLineWarning, stacklevel=2)
                continue
            if isinstance(record, dict) and "type" in record:
                yield record


def _append_line(path: Path, record: dict[str, Any]) -> None:
    line = json.dumps(record, ensure_ascii=False) + "\n"
    with path.open("a+b") as handle:
        # A torn last line has no newline; start ours on a fresh line so it stays readable.
        if handle.tell() > 0:
            handle.seek(-1, os.SEEK_END)
            if handle.read(1) != b"\n":
                line = "\n" + line
        handle.write(line.encode("utf-8"))
        handle.flush()
        os.fsync(handle.fileno())


def to_markdown(transcript: Transcript, title: str = "") -> str:
    """A readable rendering of a run for `tutor transcript`."""
    h = transcript.header
    out = [
        f"# {h['session']}{': ' + title if title else ''}",
        "",
        f"*Started {h.get('started', '?')} · {h.get('backend', '?')} / {h.get('model', '?')} · "
        f"language {h.get('language', '?')} · tier {h.get('tier') or 'any'}*",
        "",
    ]
    for event in transcript.events:
        kind = event["type"]
        if kind == "student":
            label = "Session start" if event.get("auto") else "You"
            out += [f"**{label}:** {event['text']}", ""]
        elif kind == "tutor":
            out += ["**Tutor:**", "", event["text"], ""]
            if event.get("interrupted"):
                out += ["*(interrupted)*", ""]
        elif kind == "evaluation":
            out += ["## Evaluation", "", event.get("report", ""), ""]
        elif kind in ("notice", "error"):
            out += [f"> {kind}: {event.get('text') or event.get('message', '')}", ""]
        elif kind == "settings":
            changed = ", ".join(f"{k} {v}" for k, v in event.items() if k not in ("type", "at"))
            out += [f"> settings: {changed}", ""]
    return "\n".join(out).rstrip() + "\n"
