"""The project's error types: each carries an exit code and a message that names the fix.

Domain code raises these; only `tutor.cli` turns them into output on stderr.
"""

from __future__ import annotations


class TutorError(Exception):
    """A failure the user can act on. `hint` is the second line: how to fix it."""

    exit_code = 1

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def lines(self) -> list[str]:
        return [self.message] + ([self.hint] if self.hint else [])


class InputError(TutorError):
    """Bad input: unknown session, bad flag value, unreadable file, broken config or course."""

    exit_code = 2


class BackendError(TutorError):
    """No usable backend or key, backend unreachable, or the model failed."""

    exit_code = 1


class ContextTooSmall(BackendError):
    """Even the compact lesson does not fit the model's context window."""


class DataError(TutorError):
    """The data home, a transcript or the store cannot be read or written."""

    exit_code = 1


class Terminated(BaseException):
    """SIGTERM or SIGHUP arrived. Raised where the process is, like Ctrl-C, so that
    what a reply had streamed is saved on the way out; the process then exits with
    128 + the signal. Not a KeyboardInterrupt: that would end only the reply."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum
