"""Text that did not come from our own code, made safe to store and to show.

Model output, course files, server messages, file names and flag values can carry
terminal control sequences (a window title, a clipboard write through OSC 52, a
hidden hyperlink through OSC 8), bidirectional overrides that make text read
differently from what it is, and lone surrogates that cannot be encoded. `sanitise`
removes the first two and repairs the third; `clean` only repairs, for storage.
"""

from __future__ import annotations

import re

# CSI and OSC escape sequences, then any other ESC sequence.
_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-_]?")
# C0 and C1 controls but tab and newline; bidirectional embeddings, overrides and isolates.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# Anything sanitise would change: a quick test lets clean text (nearly all of it) through untouched.
_SUSPECT = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\r]")
_MAX_LANGUAGE = 40


def clean(text: str) -> str:
    """Lone surrogates (a character split across two stream chunks, bad input bytes
    decoded with surrogateescape) become U+FFFD; pairs are joined back into one character."""
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def sanitise(text: str) -> str:
    """Safe to write to a terminal: no escape sequences, no control or bidi characters."""
    if not _SUSPECT.search(text):
        return text
    return _CONTROLS.sub("", _ESCAPES.sub("", clean(text).replace("\r\n", "\n")))


def check_language(value: str) -> str:
    """A teaching language as the learner typed it (a name or a code, any script).
    Raises ValueError for text that is not a plausible language name."""
    value = " ".join(value.split())
    if not value or len(value) > _MAX_LANGUAGE or sanitise(value) != value or any(ch in value for ch in "{}[]<>`|\\"):
        raise ValueError(f"must be a language name or code of at most {_MAX_LANGUAGE} letters, such as French, zh or Deutsch")
    return value
