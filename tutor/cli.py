"""The root command and the one error boundary.

`main` runs the Typer app and turns every failure into one or two lines on stderr and
an exit code (DESIGN.md): 0 success, 1 runtime failure, 2 bad input, 130 Ctrl-C.
Command modules keep their heavy imports inside the command functions, so `tutor
--help` never loads an LLM SDK.
"""

from __future__ import annotations

import errno
import os
import signal
import sqlite3
import sys
import warnings

import typer

from tutor import __version__
from tutor.commands import course, evaluate, journal, note, profile, progress, start, transcript, views
from tutor.errors import Terminated, TutorError
from tutor.text import sanitise

app = typer.Typer(
    name="tutor",
    help="Learn how large language models work, in guided chat sessions with an LLM tutor.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        print(f"tutor {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks for errors (or set TUTOR_DEBUG=1)."),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version and exit."),
) -> None:
    """Learn how large language models work, in guided chat sessions with an LLM tutor.

    Start with `tutor start s1.1`. Sessions are saved as you go; `tutor progress`
    shows how you are doing.
    """


app.command("start")(start.start)
app.command("eval")(evaluate.evaluate)
app.command("progress")(progress.progress)
app.command("list")(views.list_sessions)
app.command("show")(views.show)
app.command("transcript")(transcript.transcript)
app.command("note")(note.note)
app.command("journal")(journal.journal)
app.command("profile")(profile.profile)
app.command("courses")(views.courses)
app.add_typer(course.app, name="course")


def _debugging() -> bool:
    return "--debug" in sys.argv or os.environ.get("TUTOR_DEBUG", "") not in ("", "0")


def _arguments(args: list[str]) -> list[str]:
    """`--debug` is an option of `tutor` itself; accept it after the command too
    (`tutor start s1.1 --debug`), as the error messages suggest adding it."""
    end = args.index("--") if "--" in args else len(args)
    if "--debug" not in args[:end]:
        return args
    return ["--debug", *(a for a in args[:end] if a != "--debug"), *args[end:]]


def main() -> None:
    _prepare_process()
    try:
        code = app(args=_arguments(sys.argv[1:]), prog_name="tutor", standalone_mode=False)
    except Terminated as exc:
        sys.exit(128 + exc.signum)
    except TutorError as exc:
        if _debugging():
            raise
        _fail(exc.lines(), exc.exit_code)
    except typer.TyperException as exc:  # Typer's usage errors (its own click)
        if _debugging():
            raise
        _usage_error(exc)
    except (KeyboardInterrupt, typer.Abort):
        print(file=sys.stderr)
        sys.exit(130)
    except BrokenPipeError:
        # The reader of our output went away (e.g. `tutor list | head`); whatever a
        # chat received was saved on the way.
        _silence_stdout()
        sys.exit(0)
    except SystemExit as exc:
        if exc.code == 1 and type(sys.stdout).__name__ == "PacifyFlushWrapper":  # Click's own end to a broken pipe
            _silence_stdout()
            sys.exit(0)
        raise
    except (OSError, sqlite3.Error) as exc:
        if _debugging():
            raise
        _fail(_storage_failure(exc), 1)
    except Exception as exc:  # noqa: BLE001 - the last line of defence
        if _debugging():
            raise
        _fail([
            f"tutor failed unexpectedly: {type(exc).__name__}: {exc}",
            "Run again with --debug for the traceback, and please report it.",
        ], 1)
    # Without standalone mode, Typer returns the code of an Exit (e.g. after --help,
    # or 130 after a Ctrl-C it caught itself).
    sys.exit(code if isinstance(code, int) else 0)


def _prepare_process() -> None:
    """Text that cannot be encoded is replaced, never a crash; SIGTERM and SIGHUP stop
    a chat the way Ctrl-C does, so what arrived is saved; warnings are one plain line."""
    if sys.stdout is None:  # started with standard output closed (`tutor list >&-`)
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - lives as long as the process
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), _terminate)
    warnings.formatwarning = lambda message, *args, **kwargs: f"note: {sanitise(str(message))}\n"


def _terminate(signum: int, frame: object) -> None:
    raise Terminated(signum)


def _storage_failure(exc: BaseException) -> list[str]:
    """One wording for file-system and database failures, with the way out."""
    where = getattr(exc, "filename", None) or "the data home"
    if isinstance(exc, sqlite3.Error):
        return [f"The progress store failed: {exc}.", "Run `tutor progress --rebuild`; it refills the store from your transcripts."]
    if exc.errno == errno.ENOSPC:
        return [f"The disk is full (writing {where}).", "Free some space and run the command again; everything saved before is kept."]
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return [f"tutor may not write {where} ({exc.strerror}).", "Fix its permissions, or set TUTOR_HOME to a folder you can write."]
    return [f"tutor could not use {where}: {exc.strerror or exc}.", "Check the file or folder, or set TUTOR_HOME to another folder."]


def _usage_error(exc: typer.TyperException) -> None:
    """One line saying what is wrong, one naming the help to read; exit 2.
    `tutor` or `tutor course` alone print their help instead (exit 0)."""
    context = getattr(exc, "ctx", None)
    if type(exc).__name__ == "NoArgsIsHelpError" and context is not None:
        print(context.get_help())
        sys.exit(0)
    command = context.command_path if context is not None else "tutor"
    _fail([f"{command}: {exc.format_message()}", f"See `{command} --help`."], getattr(exc, "exit_code", 2))


def _fail(lines: list[str], code: int) -> None:
    for line in lines:
        print(sanitise(line), file=sys.stderr)
    sys.exit(code)


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
