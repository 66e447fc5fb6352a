"""Start-up time of the commands that must stay fast, against the SDK imports they avoid.

Usage: python bench/startup.py [--runs N]
Prints the median wall time of each command over N fresh processes.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

COMMANDS = [
    ["tutor", "--help"],
    ["tutor", "progress"],
    ["tutor", "list"],
    ["tutor", "show", "s1.1"],
    ["tutor", "journal"],
    ["tutor", "courses"],
]
IMPORTS = ["openai", "anthropic", "llama_cpp", "prompt_toolkit"]


def median_seconds(argv: list[str], runs: int, env: dict[str, str]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=10)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "TUTOR_HOME": home, "TUTOR_CONFIG": os.path.join(home, "config.toml")}
        # As an installed copy runs: with compiled bytecode cached (pip writes it at install).
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        tutor = [sys.executable, "-m", "tutor"]
        for command in COMMANDS:  # warm-up: bytecode written, files in the page cache
            median_seconds([sys.executable, "-m", "tutor", *command[1:]], 1, env)
        print(f"median of {runs} runs, {sys.version.split()[0]}")
        for command in COMMANDS:
            print(f"{' '.join(command):28} {median_seconds(tutor + command[1:], runs, env) * 1000:7.0f} ms")
        baseline = median_seconds([sys.executable, "-c", "pass"], runs, env)
        print(f"{'python -c pass':28} {baseline * 1000:7.0f} ms")
        for module in IMPORTS:
            seconds = median_seconds([sys.executable, "-c", f"import {module}"], runs, env)
            print(f"{'import ' + module:28} {seconds * 1000:7.0f} ms")


if __name__ == "__main__":
    main()
