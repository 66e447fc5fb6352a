"""Everything the learner sees: the only module that knows Rich.

Two screens share one interface: `TerminalScreen` renders Markdown live with colour,
`PlainScreen` writes plain text for pipes and scripts (no colour, no escape codes).
Model output is untrusted: it is rendered as Markdown, never as Rich markup, and
terminal control sequences in it are removed first.
"""

from __future__ import annotations

import os
import re
import sys
from contextlib import contextmanager
from typing import Iterator, TextIO

from tutor.engine import Event, Interrupted, Note, ReplyDone, TextDelta, Waiting

# CSI and OSC escape sequences, then any other C0/C1 control character but tab and newline.
_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-_]?")
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def sanitise(text: str) -> str:
    """Neutralise terminal control sequences in untrusted text."""
    return _CONTROLS.sub("", _ESCAPES.sub("", text.replace("\r\n", "\n")))


class PlainScreen:
    """Plain text on a stream: for pipes, scripts and tests."""

    def __init__(self, out: TextIO | None = None, err: TextIO | None = None) -> None:
        self.out = out or sys.stdout
        self.err = err or sys.stderr

    def show(self, event: Event) -> None:
        if isinstance(event, TextDelta):
            self._write(sanitise(event.text))
        elif isinstance(event, ReplyDone):
            self._write("\n\n")
        elif isinstance(event, Interrupted):
            self._write("\n[reply interrupted]\n\n")
        elif isinstance(event, Note):
            self.note(event.text)

    def student(self, text: str) -> None:
        self._write(f"> {sanitise(text)}\n\n")

    def markdown(self, text: str) -> None:
        self._write(sanitise(text).rstrip() + "\n")

    def info(self, text: str) -> None:
        self._write(text + "\n")

    def note(self, text: str) -> None:
        print(f"note: {text}", file=self.err, flush=True)

    def table(self, title: str, columns: list[str], rows: list[list[str]]) -> None:
        widths = [max(len(str(c)) for c in column) for column in zip(columns, *rows)]
        lines = [title, "  ".join(c.ljust(w) for c, w in zip(columns, widths)).rstrip()]
        lines += ["  ".join(str(c).ljust(w) for c, w in zip(row, widths)).rstrip() for row in rows]
        self._write("\n".join(lines) + "\n\n")

    @contextmanager
    def spinner(self, text: str) -> Iterator[None]:
        yield

    def _write(self, text: str) -> None:
        self.out.write(text)
        self.out.flush()


class TerminalScreen:
    """Live Markdown with colour, for a person at a terminal."""

    def __init__(self) -> None:
        from rich.console import Console

        self.console = Console(highlight=False)
        self.err = Console(stderr=True, highlight=False)
        self._live = None
        self._buffer: list[str] = []

    def show(self, event: Event) -> None:
        if isinstance(event, Waiting):
            self._live_start()
        elif isinstance(event, TextDelta):
            self._buffer.append(event.text)
            self._live_update()
        elif isinstance(event, (ReplyDone, Interrupted)):
            self._finish(interrupted=isinstance(event, Interrupted))
        elif isinstance(event, Note):
            self.note(event.text)

    def student(self, text: str) -> None:
        from rich.text import Text

        self.console.print(Text("you › ", style="bold cyan") + Text(sanitise(text)))

    def markdown(self, text: str) -> None:
        from rich.markdown import Markdown

        self.console.print(Markdown(sanitise(text)))

    def info(self, text: str) -> None:
        from rich.text import Text

        self.console.print(Text(text, style="dim"))

    def note(self, text: str) -> None:
        from rich.text import Text

        self.err.print(Text(f"note: {text}", style="yellow"))

    def table(self, title: str, columns: list[str], rows: list[list[str]]) -> None:
        from rich.table import Table

        table = Table(title=title, title_justify="left", header_style="bold")
        for column in columns:
            table.add_column(column)
        for row in rows:
            table.add_row(*[sanitise(str(cell)) for cell in row])
        self.console.print(table)

    @contextmanager
    def spinner(self, text: str) -> Iterator[None]:
        with self.console.status(text):
            yield

    def _live_start(self) -> None:
        """A spinner until the first words arrive, then the growing reply in its place.
        Transient: the live view is cropped to the screen; the finished reply is then
        printed once, whole."""
        from rich.live import Live
        from rich.spinner import Spinner

        if self._live is None:
            waiting = Spinner("dots", text="thinking…", style="dim")
            self._live = Live(waiting, console=self.console, refresh_per_second=10, transient=True, vertical_overflow="crop")
            self._live.start()

    def _live_update(self) -> None:
        from rich.markdown import Markdown

        self._live_start()
        self._live.update(Markdown(sanitise("".join(self._buffer))))

    def _finish(self, *, interrupted: bool) -> None:
        from rich.markdown import Markdown
        from rich.text import Text

        if self._live is not None:
            self._live.stop()
            self._live = None
        self.console.print(Markdown(sanitise("".join(self._buffer))))
        if interrupted:
            self.console.print(Text("[reply interrupted]", style="dim"))
        self._buffer = []


def make_screen(plain: bool) -> PlainScreen | TerminalScreen:
    return PlainScreen() if plain else TerminalScreen()


def wants_plain() -> bool:
    """Plain output when standard output is not a terminal, or a dumb one."""
    return not sys.stdout.isatty() or os.environ.get("TERM") == "dumb"
