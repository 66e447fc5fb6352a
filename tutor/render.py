"""Everything the learner sees: the only module that knows Rich.

Two screens share one interface: `TerminalScreen` renders Markdown with colour,
`PlainScreen` writes plain text for pipes, scripts and dumb terminals. Text that did
not come from our own code (model output, course files, server messages, flag values)
is sanitised (`tutor.text`) and rendered as Markdown or plain `Text`, never as Rich
markup; links are shown with their real target, never as hidden hyperlinks.

Streaming is linear: a reply is split into Markdown blocks at blank lines (and code
blocks into lines); each finished block is printed once into the scrollback and only
the unfinished one is live, re-rendered at most ten times a second and cut to its
newest lines so that the newest words are always on screen.
"""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from typing import Iterator, TextIO

from tutor.streaming import Event, Interrupted, Note, ReplyDone, TextDelta, Waiting
from tutor.text import sanitise


class PlainScreen:
    """Plain text on a stream: for pipes, scripts and tests."""

    def __init__(self, out: TextIO | None = None, err: TextIO | None = None) -> None:
        self.out = out or sys.stdout
        self.err = err or sys.stderr
        self._empty = True

    def show(self, event: Event) -> None:
        if isinstance(event, TextDelta):
            text = sanitise(event.text)
            self._empty = self._empty and not text.strip()
            self._write(text)
        elif isinstance(event, ReplyDone):
            self._write("(the tutor sent an empty reply; type /retry or rephrase)\n\n" if self._empty else "\n\n")
            self._empty = True
        elif isinstance(event, Interrupted):
            self._write("\n[reply interrupted]\n\n")
            self._empty = True
        elif isinstance(event, Note):
            self.note(event.text)

    def student(self, text: str) -> None:
        self._write(f"> {sanitise(text)}\n\n")

    def markdown(self, text: str) -> None:
        self._write(sanitise(text).rstrip() + "\n")

    def info(self, text: str) -> None:
        self._write(sanitise(text) + "\n")

    def note(self, text: str) -> None:
        print(f"note: {sanitise(text)}", file=self.err, flush=True)

    def error(self, lines: list[str]) -> None:
        for line in lines:
            print(sanitise(line), file=self.err, flush=True)

    def table(self, title: str, columns: list[str], rows: list[list[str]]) -> None:
        rows = [[sanitise(str(cell)).replace("\n", " ") for cell in row] for row in rows]
        widths = [max(len(str(c)) for c in column) for column in zip(columns, *rows)]
        lines = [sanitise(title), "  ".join(c.ljust(w) for c, w in zip(columns, widths)).rstrip()]
        lines += ["  ".join(str(c).ljust(w) for c, w in zip(row, widths)).rstrip() for row in rows]
        self._write("\n".join(lines) + "\n\n")

    @contextmanager
    def spinner(self, text: str) -> Iterator[None]:
        yield

    def close(self) -> None:
        pass

    def _write(self, text: str) -> None:
        self.out.write(text)
        self.out.flush()


class TerminalScreen:
    """Markdown with colour, for a person at a terminal."""

    def __init__(self, out: TextIO | None = None, width: int | None = None) -> None:
        """`out` and `width` let a benchmark or test stand in for the terminal."""
        from rich.console import Console

        terminal = {"file": out, "force_terminal": True, "width": width or 100, "height": 40} if out is not None else {}
        self.console = Console(highlight=False, emoji=False, **terminal)
        self.err = Console(stderr=True, highlight=False, emoji=False)
        self._live = None
        self._stream: _Blocks | None = None

    def show(self, event: Event) -> None:
        if isinstance(event, Waiting):
            self._live_start()
        elif isinstance(event, TextDelta):
            self._live_start()
            for finished in self._stream.add(sanitise(event.text)):
                self.console.print(finished)
        elif isinstance(event, (ReplyDone, Interrupted)):
            self._finish(interrupted=isinstance(event, Interrupted))
        elif isinstance(event, Note):
            self.note(event.text)

    def student(self, text: str) -> None:
        from rich.text import Text

        self.console.print(Text("you › ", style="bold cyan") + Text(sanitise(text)))

    def markdown(self, text: str) -> None:
        self.console.print(_markdown(sanitise(text)))

    def info(self, text: str) -> None:
        from rich.text import Text

        self.console.print(Text(sanitise(text), style="dim"))

    def note(self, text: str) -> None:
        from rich.text import Text

        self.err.print(Text(f"note: {sanitise(text)}", style="yellow"))

    def error(self, lines: list[str]) -> None:
        from rich.text import Text

        for line in lines:
            self.err.print(Text(sanitise(line), style="red"))

    def table(self, title: str, columns: list[str], rows: list[list[str]]) -> None:
        from rich.table import Table
        from rich.text import Text

        table = Table(title=Text(sanitise(title)), title_justify="left", header_style="bold")
        for column in columns:
            table.add_column(Text(sanitise(column)))
        for row in rows:
            table.add_row(*[Text(sanitise(str(cell))) for cell in row])
        self.console.print(table)

    @contextmanager
    def spinner(self, text: str) -> Iterator[None]:
        from rich.text import Text

        with self.console.status(Text(sanitise(text))):
            yield

    def close(self) -> None:
        """Stop any live view and show the cursor again (after an error or a signal)."""
        if self._live is not None:
            try:
                self._live.stop()
            finally:
                self._live = None
        self.console.show_cursor(True)

    def _live_start(self) -> None:
        """A spinner until the first words arrive, then the unfinished block in its place."""
        from rich.live import Live

        if self._live is None:
            self._stream = _Blocks(self.console)
            self._live = Live(self._stream, console=self.console, refresh_per_second=10, transient=True)
            self._live.start()

    def _finish(self, *, interrupted: bool) -> None:
        from rich.text import Text

        stream, self._stream = self._stream, None
        if self._live is not None:
            self._live.stop()
            self._live = None
        if stream is not None:
            for finished in stream.flush():
                self.console.print(finished)
            if stream.empty and not interrupted:
                self.console.print(Text("(the tutor sent an empty reply; type /retry or rephrase)", style="dim"))
        if interrupted:
            self.console.print(Text("[reply interrupted]", style="dim"))


class _Blocks:
    """A streaming reply cut into finished Markdown blocks and the live tail.

    `add` takes new text and returns the renderables finished by it; the object itself
    renders the unfinished tail (its newest lines only). Inside a fenced code block each
    finished line is printed as it completes, so a long code block costs no more than
    prose does."""

    def __init__(self, console) -> None:
        self.console = console
        self.tail = ""
        self.fence: str | None = None  # the language of the open code fence, if any
        self.empty = True
        self.checked = 0  # where the first line of the tail not yet looked at starts

    def add(self, text: str) -> list:
        self.empty = self.empty and not text.strip()
        self.tail += text
        finished = []
        # Each complete line is looked at once: it opens or closes a code fence, ends a
        # block (a blank line), or joins the unfinished block.
        while (line_end := self.tail.find("\n", self.checked)) >= 0:
            line = self.tail[self.checked:line_end]
            if self.fence is not None:
                closing = line.strip().startswith("```")
                finished.append(_blank() if closing else _code_line(line, self.fence))
                self.fence = None if closing else self.fence
                self.tail, self.checked = self.tail[line_end + 1:], 0
            elif line.strip().startswith("```") or not line.strip():
                block = self.tail[:self.checked]
                if block.strip():
                    finished.append(_markdown(block))
                if line.strip():
                    self.fence = line.strip()[3:].strip().split(" ")[0] or "text"
                self.tail, self.checked = self.tail[line_end + 1:], 0
            else:
                self.checked = line_end + 1
        return finished

    def flush(self) -> list:
        rest, self.tail = self.tail, ""
        if self.fence is not None:
            return [_code_line(line, self.fence) for line in rest.splitlines()]
        return [_markdown(rest)] if rest.strip() else []

    def __rich_console__(self, console, options):
        from rich.spinner import Spinner

        if not self.tail.strip():
            yield Spinner("dots", text="thinking…", style="dim")
            return
        renderable = _code_line(self.tail, self.fence) if self.fence is not None else _markdown(self.tail)
        lines = console.render_lines(renderable, options, pad=False)
        keep = max(1, (options.max_height or console.height) - 1)
        from rich.segment import Segment

        for line in lines[-keep:]:
            yield from line
            yield Segment.line()


def _markdown(text: str):
    from rich.markdown import Markdown

    # No hidden hyperlinks: a link shows its real target next to its text.
    return Markdown(text, hyperlinks=False)


def _code_line(line: str, language: str):
    from rich.syntax import Syntax

    return Syntax(line, language or "text", theme="ansi_dark", background_color="default", word_wrap=True, padding=(0, 2))


def _blank():
    from rich.text import Text

    return Text("")


def make_screen(plain: bool) -> PlainScreen | TerminalScreen:
    return PlainScreen() if plain else TerminalScreen()


def wants_plain() -> bool:
    """Plain output when standard output is not a terminal, or a dumb one."""
    return not sys.stdout.isatty() or os.environ.get("TERM") == "dumb"
