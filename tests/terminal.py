"""Drive `tutor` in a pseudo-terminal, as a person at a keyboard would: type, paste,
press Ctrl-C, and read the screen. Standard library only (pty)."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time

ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07|\x1b[()][0-9A-B]|\x1b[=>]")
PASTE_START, PASTE_END = "\x1b[200~", "\x1b[201~"


def _own_terminal() -> None:
    """In the child: a new session whose controlling terminal is the pty, so that
    Ctrl-C typed into it raises SIGINT as at a real terminal."""
    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class Terminal:
    def __init__(self, args: list[str], env: dict[str, str], rows: int = 40, cols: int = 100, *, pipe_stdout: bool = False,
                 term: str = "xterm-256color") -> None:
        """`pipe_stdout`: standard output goes to a pipe (as in `tutor start | tee log`)
        while input and errors stay on the terminal."""
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tutor", *args], stdin=slave, stdout=subprocess.PIPE if pipe_stdout else slave, stderr=slave,
            env={**env, "TERM": term}, preexec_fn=_own_terminal, close_fds=True,
        )
        os.close(slave)
        self.raw = ""

    def read_until(self, pattern: str, timeout: float = 30.0) -> str:
        """Read output until `pattern` (a regex) appears in the screen text; return it all."""
        deadline = time.monotonic() + timeout
        while not re.search(pattern, self.text):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"{pattern!r} did not appear; screen so far:\n{self.text[-2000:]}")
            self._pump(min(remaining, 0.2))
        return self.text

    def settle(self, seconds: float = 0.5) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            self._pump(0.05)

    @property
    def text(self) -> str:
        return ANSI.sub("", self.raw).replace("\r", "")

    def type(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def paste(self, text: str) -> None:
        self.type(PASTE_START + text + PASTE_END)

    def wait(self, timeout: float = 30.0) -> int:
        deadline = time.monotonic() + timeout
        while self.process.poll() is None and time.monotonic() < deadline:
            self._pump(0.1)
        if self.process.poll() is None:
            self.process.kill()
            raise TimeoutError(f"tutor did not exit; screen:\n{self.text[-2000:]}")
        self._pump(0.1)
        return self.process.returncode

    def signal(self, number: int = signal.SIGTERM) -> None:
        self.process.send_signal(number)

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        os.close(self.master)

    def _pump(self, timeout: float) -> None:
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return
        try:
            data = os.read(self.master, 65536)
        except OSError:  # the child closed the terminal
            return
        self.raw += data.decode("utf-8", errors="replace")
        # Answer prompt_toolkit's cursor-position query as a terminal would.
        if "\x1b[6n" in data.decode("latin-1"):
            os.write(self.master, b"\x1b[1;1R")
