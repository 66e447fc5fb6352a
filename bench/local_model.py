"""The embedded model on this machine: load time, system context size, time to the
first token of a session's opening reply in a fresh process (the first time, and
again once the lesson's state is saved), later turns, generation speed and memory.

Usage: python bench/local_model.py [--session s1.1] [--tokens 64] [--full-lesson]

Each opening runs in a new process, as `tutor start` would, against a throwaway cache
folder: the first reads the whole system context, the second loads the saved state.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def opening(session: str, tokens: int, full_lesson: bool) -> dict:
    """One opening turn in this process; the figures as a dict."""
    from dataclasses import replace

    from tutor import transcript
    from tutor.backends.local import LocalBackend
    from tutor.backends.spec import PRESETS
    from tutor.course import load_course
    from tutor.engine import ChatEngine
    from tutor.streaming import TextDelta

    started = time.perf_counter()
    backend = LocalBackend(replace(PRESETS["local"], max_output_tokens=tokens))
    backend.prepare()
    if full_lesson:
        backend.parameters = lambda: None  # as a model of unknown size: the whole lesson
    loaded = time.perf_counter()
    course = load_course()
    lesson = course.lesson(session)
    with tempfile.TemporaryDirectory() as home:
        run = transcript.create(Path(home), {"course": course.key, "session": lesson.id, "language": "English"})
        engine = ChatEngine(lesson, backend, run)
        first = None
        pieces = 0
        begin = time.perf_counter()
        for event in engine.reply():
            if isinstance(event, TextDelta):
                first = first or time.perf_counter()
                pieces += 1
        end = time.perf_counter()
        second_begin = time.perf_counter()
        second_first = None
        for event in engine.reply("I think it picks the most likely next word."):
            if isinstance(event, TextDelta) and second_first is None:
                second_first = time.perf_counter()
        compact = any(e.get("kind") == "compact_lesson" for e in run.events)
        system_tokens = backend.count_tokens(engine.system(compact=compact))
    return {
        "load": loaded - started, "system_tokens": system_tokens, "compact": compact, "first_token": (first or end) - begin,
        "next_turn_first_token": (second_first or time.perf_counter()) - second_begin,
        "tokens_per_second": pieces / max(end - (first or end), 1e-9), "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--session", default="s1.1")
    parser.add_argument("--tokens", type=int, default=64)
    parser.add_argument("--full-lesson", action="store_true", help="send the whole lesson, as to a model of 1B parameters or more")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(opening(args.session, args.tokens, args.full_lesson)))
        return
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "XDG_CACHE_HOME": cache}
        command = [sys.executable, __file__, "--child", "--session", args.session, "--tokens", str(args.tokens)]
        command += ["--full-lesson"] if args.full_lesson else []
        runs = [json.loads(subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout) for _ in range(2)]
    first, again = runs
    lesson = "compact lesson" if first["compact"] else "whole lesson"
    why = " (the whole one does not fit the 8,192-token window)" if first["compact"] and args.full_lesson else " (a model under 1B parameters)" if first["compact"] else ""
    print(f"session {args.session}, {lesson}{why}: system context {first['system_tokens']} tokens")
    print(f"load                        {first['load']:6.2f} s")
    print(f"first token, first opening  {first['first_token']:6.2f} s (reads the system context, saves its state)")
    print(f"first token, next opening   {again['first_token']:6.2f} s (new process, loads the saved state): "
          f"{again['first_token'] / first['first_token']:.2f}x")
    print(f"first token, next turn      {first['next_turn_first_token']:6.2f} s (same process, cached prefix)")
    print(f"generation                  {first['tokens_per_second']:6.1f} tokens/s")
    print(f"peak memory                 {first['peak_mb']:6.0f} MB")


if __name__ == "__main__":
    main()
