"""The content that ships with tutor: the framework prompts and the course.

In a source checkout they sit beside the package; in an installed wheel they are
package data under tutor/_content (see pyproject.toml).
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from tutor.errors import InputError


@cache
def content_root() -> Path:
    package = Path(__file__).resolve().parent
    bundled = package / "_content"
    return bundled if bundled.is_dir() else package.parent


def read_prompt(name: str) -> str:
    """A framework prompt by file name, e.g. 'pre-prompt.md' or 'tiers/core.md'."""
    path = content_root() / "prompts" / name
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"Prompt file {path} is missing or unreadable.", "Reinstall tutor, or restore the file from the repository.") from exc


def text_hash(text: str) -> str:
    """A short stable fingerprint, stored in transcripts to tell which prompt a run used."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
