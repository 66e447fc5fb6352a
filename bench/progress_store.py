"""`tutor progress` with a large history: fills a temporary data home with transcripts
holding N evaluations spread over the course, then times `tutor progress --json` and
the table: the first run (which indexes every transcript into the store) and later
runs (which only check that nothing changed).

Usage: python bench/progress_store.py [--evaluations 10000] [--per-run 10] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tutor import transcript  # noqa: E402
from tutor.course import load_course  # noqa: E402
from tutor.dimensions import DIMENSIONS  # noqa: E402


def fill(home: Path, count: int, per_run: int) -> int:
    course = load_course()
    sessions = [lesson.id for lesson in course.ordered()]
    rng = random.Random(7)
    runs = 0
    for start in range(0, count, per_run):
        run = transcript.create(home, {"course": course.key, "session": rng.choice(sessions), "language": "English"})
        run.append("student", text="an answer " * 20)
        run.append("tutor", text="a reply " * 100, usage={"input_tokens": 5000, "cached_input_tokens": 4000, "output_tokens": 300}, cost_usd=0.002)
        for index in range(start, min(count, start + per_run)):
            run.append("evaluation", created=f"2026-{1 + index % 12:02d}-01T00:00:{index % 60:02d}.{index % 1000:03d}+00:00",
                       method="schema", scores={d: rng.randrange(0, 11) / 2 for d in DIMENSIONS}, report="report " * 200)
        runs += 1
    return runs


def timed(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--evaluations", type=int, default=10_000)
    parser.add_argument("--per-run", type=int, default=10)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        files = fill(home, args.evaluations, args.per_run)
        env = {**os.environ, "TUTOR_HOME": str(home), "TUTOR_CONFIG": str(home / "config.toml")}
        tutor = [sys.executable, "-m", "tutor"]
        first = timed([*tutor, "progress", "--json"], env)
        size = (home / "progress.db").stat().st_size / 1e6
        print(f"{args.evaluations} evaluations in {files} transcripts; store {size:.1f} MB")
        print(f"tutor progress --json, first run (indexes everything) {first * 1000:7.0f} ms")
        for command in (["progress", "--json"], ["progress"]):
            seconds = statistics.median(timed([*tutor, *command], env) for _ in range(args.runs))
            print(f"tutor {' '.join(command):18} median of {args.runs}       {seconds * 1000:7.0f} ms")


if __name__ == "__main__":
    main()
