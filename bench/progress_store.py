"""`tutor progress` with a large store: fills a temporary data home with N stored
evaluations spread over the course, then times `tutor progress --json` and the table.

Usage: python bench/progress_store.py [--evaluations 10000] [--runs 5]
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

from tutor.course import load_course
from tutor.scores import DIMENSIONS
from tutor.store import Evaluation, Store


def fill(home: Path, count: int) -> None:
    sessions = [lesson.id for lesson in load_course().ordered()]
    rng = random.Random(7)
    with Store(home) as store:
        with store.db:  # one transaction: the fill itself is not what is measured
            for index in range(count):
                scores = {d: rng.randrange(0, 11) / 2 for d in DIMENSIONS}
                store.add(Evaluation(
                    session=rng.choice(sessions), created=f"2026-{1 + index % 12:02d}-01T00:00:{index % 60:02d}+00:00",
                    scores=scores, readable=True, method="parsed", report="report " * 200, transcript=f"bench-{index}",
                ))


def timed(argv: list[str], env: dict[str, str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--evaluations", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        fill(home, args.evaluations)
        env = {**os.environ, "TUTOR_HOME": str(home), "TUTOR_CONFIG": str(home / "config.toml")}
        size = (home / "progress.db").stat().st_size / 1e6
        print(f"{args.evaluations} evaluations, store {size:.1f} MB, median of {args.runs} runs")
        for command in (["progress", "--json"], ["progress"]):
            seconds = timed([sys.executable, "-m", "tutor", *command], env, args.runs)
            print(f"tutor {' '.join(command):18} {seconds * 1000:7.0f} ms")


if __name__ == "__main__":
    main()
