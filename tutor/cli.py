"""The root command and the one error boundary.

`main` runs the Typer app and turns every failure into one or two lines on stderr and
an exit code (DESIGN.md): 0 success, 1 runtime failure, 2 bad input, 130 Ctrl-C.
Command modules keep their heavy imports inside the command functions, so `tutor
--help` never loads an LLM SDK.
"""

from __future__ import annotations

import os
import sys

import typer

from tutor import __version__
from tutor.commands import course, evaluate, progress, start, transcript, views
from tutor.errors import TutorError

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
app.add_typer(course.app, name="course")


def _debugging() -> bool:
    return "--debug" in sys.argv or os.environ.get("TUTOR_DEBUG", "") not in ("", "0")


def main() -> None:
    import click

    try:
        code = app(standalone_mode=False)
    except TutorError as exc:
        if _debugging():
            raise
        for line in exc.lines():
            print(line, file=sys.stderr)
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        print(file=sys.stderr)
        sys.exit(130)
    except KeyboardInterrupt:
        print(file=sys.stderr)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except BrokenPipeError:
        # The reader of our output went away (e.g. `tutor list | head`).
        sys.stderr.close()
        sys.exit(0)
    except Exception as exc:  # noqa: BLE001 - the last line of defence
        if _debugging():
            raise
        print(f"tutor failed unexpectedly: {type(exc).__name__}: {exc}", file=sys.stderr)
        print("Run again with --debug for the traceback, and please report it.", file=sys.stderr)
        sys.exit(1)
    # Without standalone mode, click returns the code of an Exit (e.g. after --help).
    sys.exit(code if isinstance(code, int) else 0)
