"""Runs a lesson's `python runnable` examples and compares or records their output.

The test suite uses `run_example`; lesson authors use the command line to fill in or
refresh the `output` block under every runnable example:

    python tests/lesson_runner.py sessions/module2/s2.2-*.md          # report mismatches
    python tests/lesson_runner.py --write sessions/module2/s2.2-*.md  # record outputs

Each example runs in a child forked from a process that has already imported NumPy and
PyTorch, so a lesson's dozen examples cost milliseconds each instead of seconds. The
working folder is the course's own (the one with course.yaml), so an example can read
the course's data files by a relative path such as data/genesis.txt.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import traceback
from contextlib import redirect_stdout
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tutor.course import RUNNABLE_BLOCK  # noqa: E402

TIMEOUT_SECONDS = 300


@dataclass(frozen=True)
class Ran:
    ok: bool
    stdout: str
    error: str


def preload() -> None:
    """Import the heavy libraries once in the parent; forked children inherit them."""
    # torch.optim pulls in torch._dynamo, several seconds on a busy machine: once, here.
    for name in ("numpy", "torch", "torch.nn.functional", "torch.optim"):
        try:
            __import__(name)
        except ImportError:
            pass


def run_example(code: str, cwd: Path | None = None) -> Ran:
    """Run `code` in a forked child with a fresh namespace; return what it printed."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(read_end)
        buffer = io.StringIO()
        status = 0
        try:
            if cwd:
                os.chdir(cwd)
            with redirect_stdout(buffer):
                exec(compile(code, "<example>", "exec"), {"__name__": "__main__"})
        except BaseException:  # noqa: BLE001 - report any failure of the example
            buffer.write("\n\x00" + traceback.format_exc())
            status = 1
        with os.fdopen(write_end, "w", encoding="utf-8") as pipe:
            pipe.write(buffer.getvalue())
        os._exit(status)
    os.close(write_end)
    with os.fdopen(read_end, encoding="utf-8") as pipe:
        text = pipe.read()
    _, status = os.waitpid(pid, 0)
    stdout, _, error = text.partition("\n\x00")
    return Ran(os.waitstatus_to_exitcode(status) == 0, stdout, error)


def normalise(text: str) -> str:
    """Outputs compare without trailing spaces or trailing blank lines."""
    return "\n".join(line.rstrip() for line in text.strip("\n").splitlines())


def course_root(path: Path) -> Path:
    """The folder of the course.yaml above a lesson: examples run there (they may read
    the course's data/ folder)."""
    for folder in path.resolve().parents:
        if (folder / "course.yaml").is_file():
            return folder
    return path.parent


def record(path: Path, *, write: bool) -> list[str]:
    """Run every example of the lesson at `path`; return the problems, and with
    `write` put each example's real output into its output block."""
    text = path.read_text(encoding="utf-8")
    cwd = course_root(path)
    problems: list[str] = []
    pieces: list[str] = []
    last = 0
    for match in RUNNABLE_BLOCK.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        ran = run_example(match.group(1), cwd=cwd)
        if not ran.ok:
            problems.append(f"{path}:{line}: the example fails:\n{ran.error}")
            continue
        if match.group(2) is None or normalise(match.group(2)) != normalise(ran.stdout):
            problems.append(f"{path}:{line}: recorded output differs from what the example prints")
        pieces.append(text[last : match.start()])
        tail = "" if match.group(2) is not None else "\n"  # a match without output ends after its newline
        pieces.append(f"```python runnable\n{match.group(1)}```\n```output\n{normalise(ran.stdout)}\n```{tail}")
        last = match.end()
    pieces.append(text[last:])
    if write:
        path.write_text("".join(pieces), encoding="utf-8")
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--write", action="store_true", help="record each example's real output in its output block")
    args = parser.parse_args()
    preload()
    problems = [problem for path in args.files for problem in record(path, write=args.write)]
    for problem in problems:
        print(problem)
    if args.write:
        failing = [p for p in problems if "fails" in p]
        print(f"recorded outputs; {len(failing)} example(s) fail")
        sys.exit(1 if failing else 0)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
