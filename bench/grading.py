"""How honest and stable are the grades? Grade a gold set of transcripts, each written
to show a designed level on each dimension, and compare.

Usage: python bench/grading.py [--backend NAME] [--model M] [--runs K] [--samples N]
                               [--gold DIR] [--with-report]

It uses your configured backends (the config file and keys, as `tutor eval` does), in a
throwaway data home. For each transcript in tests/data/graded/ it runs the grader K
times (each run: N structured samples, the median per dimension) and prints per
dimension: the median absolute error against the designed levels, how often a null
was designed and not given (or the other way round), the mean spread across the K
runs, and the rank correlation between designed and graded levels.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tutor.dimensions import DIMENSION_TITLES, DIMENSIONS  # noqa: E402

GOLD = Path(__file__).resolve().parent.parent / "tests" / "data" / "graded"


@dataclass
class GoldTranscript:
    name: str
    session: str
    language: str
    tier: str | None
    designed: dict[str, float | None]
    turns: list[tuple[str, str]]  # ("tutor" | "learner", text)


@dataclass
class Graded:
    gold: GoldTranscript
    runs: list[dict[str, float | None]] = field(default_factory=list)

    def median(self, dimension: str) -> float | None:
        values = [run[dimension] for run in self.runs if run[dimension] is not None]
        if not values or len(values) * 2 < len(self.runs):
            return None
        return statistics.median_low(values)

    def spread(self, dimension: str) -> float | None:
        values = [run[dimension] for run in self.runs if run[dimension] is not None]
        return max(values) - min(values) if values else None


def load_gold(folder: Path = GOLD) -> list[GoldTranscript]:
    import yaml

    gold = []
    for path in sorted(folder.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        turns = [(next(iter(turn)), str(next(iter(turn.values())))) for turn in data["turns"]]
        gold.append(GoldTranscript(path.stem, data["session"], data.get("language", "English"), data.get("tier"),
                                   {d: data["designed"][d] for d in DIMENSIONS}, turns))
    return gold


def grade(gold: GoldTranscript, backend, course, home: Path, *, samples: int, with_report: bool) -> dict[str, float | None]:
    """One grading of one gold transcript, through the same Grader as `tutor eval`."""
    from tutor import transcript
    from tutor.grading import Grader

    lesson = course.lesson(gold.session)
    run = transcript.create(home, {"course": course.key, "session": lesson.id, "language": gold.language, "tier": gold.tier})
    for role, text in gold.turns:
        run.append("student" if role == "learner" else "tutor", text=text)
    grader = Grader(lesson, backend, run, language=gold.language, tier=gold.tier, samples=samples)
    if with_report:
        for _ in grader.report():
            pass
    evaluation, _ = grader.score()
    return evaluation.scores


def measure(gold: list[GoldTranscript], backend, *, runs: int, samples: int, with_report: bool = False) -> list[Graded]:
    from tutor.course import load_course

    course = load_course()
    results = []
    with tempfile.TemporaryDirectory() as home:
        for item in gold:
            graded = Graded(item)
            for _ in range(runs):
                graded.runs.append(grade(item, backend, course, Path(home), samples=samples, with_report=with_report))
            results.append(graded)
    return results


def summarise(results: list[Graded]) -> dict[str, dict[str, float | None]]:
    """Per dimension: median absolute error (where both are numbers), null mismatches,
    mean spread across runs, and Spearman's rank correlation."""
    summary = {}
    for dimension in DIMENSIONS:
        pairs = [(r.gold.designed[dimension], r.median(dimension)) for r in results]
        both = [(d, g) for d, g in pairs if d is not None and g is not None]
        spreads = [s for s in (r.spread(dimension) for r in results) if s is not None]
        summary[dimension] = {
            "mae": statistics.median(abs(d - g) for d, g in both) if both else None,
            "null_mismatches": sum((d is None) != (g is None) for d, g in pairs),
            "spread": round(statistics.mean(spreads), 2) if spreads else None,
            "rank_correlation": spearman([d for d, _ in both], [g for _, g in both]),
            "compared": len(both),
        }
    return summary


def spearman(xs: list[float], ys: list[float]) -> float | None:
    """Spearman's rho with average ranks for ties; None when it is undefined."""
    if len(xs) < 3:
        return None

    def ranks(values: list[float]) -> list[float]:
        order = sorted(range(len(values)), key=values.__getitem__)
        result = [0.0] * len(values)
        start = 0
        while start < len(order):
            end = start
            while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
                end += 1
            for position in range(start, end + 1):
                result[order[position]] = (start + end) / 2 + 1
            start = end + 1
        return result

    rx, ry = ranks(xs), ranks(ys)
    mx, my = statistics.mean(rx), statistics.mean(ry)
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry))
    var = (sum((a - mx) ** 2 for a in rx) * sum((b - my) ** 2 for b in ry)) ** 0.5
    return round(cov / var, 2) if var else None


def render(summary: dict[str, dict[str, float | None]], results: list[Graded], label: str) -> str:
    lines = [f"{label}: {len(results)} gold transcripts x {len(results[0].runs) if results else 0} runs", ""]
    lines.append(f"{'dimension':26} {'median |err|':>12} {'null mismatch':>14} {'spread':>7} {'rank corr':>9} {'n':>3}")
    for dimension, row in summary.items():
        cells = ["—" if row[key] is None else f"{row[key]:g}" for key in ("mae", "null_mismatches", "spread", "rank_correlation", "compared")]
        lines.append(f"{DIMENSION_TITLES[dimension]:26} {cells[0]:>12} {cells[1]:>14} {cells[2]:>7} {cells[3]:>9} {cells[4]:>3}")
    lines += ["", f"{'transcript':40} designed -> graded (QD CT CM CU RQ)"]
    for result in results:
        designed = " ".join("–" if result.gold.designed[d] is None else f"{result.gold.designed[d]:g}" for d in DIMENSIONS)
        graded = " ".join("–" if result.median(d) is None else f"{result.median(d):g}" for d in DIMENSIONS)
        lines.append(f"{result.gold.name:40} {designed}  ->  {graded}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend")
    parser.add_argument("--model")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--samples", type=int, default=3)
    parser.add_argument("--gold", type=Path, default=GOLD)
    parser.add_argument("--with-report", action="store_true", help="stream the report first, as `tutor eval` does")
    args = parser.parse_args()

    from tutor.backends import choose_backend, open_backend
    from tutor.config import load_config

    spec, _ = choose_backend(load_config(), args.backend, args.model)
    backend = open_backend(spec)
    backend.prepare()
    results = measure(load_gold(args.gold), backend, runs=args.runs, samples=args.samples, with_report=args.with_report)
    print(render(summarise(results), results, f"{spec.name} / {spec.model}"))


if __name__ == "__main__":
    main()
