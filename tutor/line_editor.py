"""Reading the learner's turns: a real line editor at a terminal, one line per turn
from a pipe.

At a terminal, prompt_toolkit reads each turn: a pasted block (bracketed paste) is
one turn however many lines it has, Esc then Enter (or Alt-Enter) starts a new line,
Up and Down walk the session's own history. Ctrl-C clears a half-typed line and, on
an empty line, raises KeyboardInterrupt (the chat leaves with exit 130); Ctrl-D on an
empty line raises EOFError (the chat ends normally). When standard output is piped
(`tutor start s1.1 | tee log`), the prompt is drawn on standard error, which is
still the terminal. On a terminal that takes no escape codes (TERM=dumb) each turn is
one plain line. prompt_toolkit is imported only here, and only by `tutor start`.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


class TerminalReader:
    """prompt_toolkit, with history kept in `history_file` (created 0600)."""

    interactive = True

    def __init__(self, history_file: Path | None = None) -> None:
        self.history_file = history_file
        self._session = None

    def read(self, prompt: str) -> str:
        return self._prompt_session().prompt([("class:prompt", f"{prompt} › ")])

    def _prompt_session(self):
        if self._session is None:
            from prompt_toolkit import PromptSession
            from prompt_toolkit.history import FileHistory, InMemoryHistory
            from prompt_toolkit.output import create_output
            from prompt_toolkit.styles import Style

            history = InMemoryHistory()
            if self.history_file is not None:
                _touch_private(self.history_file)
                history = FileHistory(str(self.history_file))
            # Draw the prompt where the learner sees it, even when stdout is piped.
            stream = sys.stdout if sys.stdout.isatty() else sys.stderr
            self._session = PromptSession(
                history=history,
                key_bindings=_bindings(),
                style=Style.from_dict({"prompt": "bold ansicyan"}),
                output=create_output(stdout=stream),
                enable_open_in_editor=False,
            )
        return self._session


class PipeReader:
    """One turn per line of standard input; undecodable bytes become U+FFFD."""

    interactive = False

    def __init__(self) -> None:
        reconfigure = getattr(sys.stdin, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")

    def read(self, prompt: str) -> str:
        line = sys.stdin.readline()
        if not line:
            raise EOFError
        return line.rstrip("\n")


class DumbTerminalReader(PipeReader):
    """A terminal that takes no escape codes (TERM=dumb, an editor's shell buffer): the
    prompt as plain text, then one line per turn as from a pipe; still an interactive chat."""

    interactive = True

    def read(self, prompt: str) -> str:
        stream = sys.stdout if sys.stdout.isatty() else sys.stderr
        stream.write(f"{prompt} › ")
        stream.flush()
        return super().read(prompt)


def _bindings():
    from prompt_toolkit.key_binding import KeyBindings

    bindings = KeyBindings()

    @bindings.add("escape", "enter")
    def _new_line(event) -> None:
        event.current_buffer.insert_text("\n")

    @bindings.add("c-c")
    def _clear_or_leave(event) -> None:
        buffer = event.current_buffer
        if buffer.text:
            buffer.reset()
        else:
            event.app.exit(exception=KeyboardInterrupt())

    return bindings


def _touch_private(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    descriptor = os.open(path, os.O_CREAT | os.O_APPEND | os.O_WRONLY, 0o600)
    os.close(descriptor)
    os.chmod(path, 0o600)


def make_reader(history_file: Path | None = None) -> TerminalReader | DumbTerminalReader | PipeReader:
    """The line editor when standard input is a terminal, plain lines on a dumb one
    (TERM=dumb: no escape codes at all), else the pipe reader."""
    if not sys.stdin.isatty():
        return PipeReader()
    return DumbTerminalReader() if os.environ.get("TERM") == "dumb" else TerminalReader(history_file)
