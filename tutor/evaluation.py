"""An evaluation: the record of one grading of one session run, as the transcript's
evaluation event stores it, and how it is shown (score table, JSON, mastery band).

The grading itself (the neutral grader, checked evidence, the median of samples)
is in `tutor.grading`; this module stays light, for the commands that only show
scores.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from tutor.dimensions import DIMENSION_TITLES, DIMENSIONS
from tutor.transcript import Transcript

# Mastery bands over the total out of 25: (lowest total, name).
BANDS = ((20, "advanced"), (15, "proficient"), (10, "developing"), (5, "introductory"), (0, "pre-introductory"))


def mastery_band(total: float | None) -> str | None:
    if total is None:
        return None
    return next(name for floor, name in BANDS if total >= floor)


@dataclass
class Evaluation:
    """One grading of one run: what the transcript's evaluation event records."""

    session: str
    created: str
    scores: dict[str, float | None]
    method: str  # "schema", "object", "parsed" or "imported"
    evidence: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    samples: list[dict[str, float | None]] = field(default_factory=list)
    spread: dict[str, float | None] = field(default_factory=dict)
    flags: dict[str, str] = field(default_factory=dict)  # dimension -> "unverified" | "unstable"
    report: str = ""
    growth_areas: list[str] = field(default_factory=list)
    readiness: str | None = None
    backend: str | None = None
    model: str | None = None
    language: str | None = None
    prompt_hash: str | None = None
    course: str = ""

    @property
    def readable(self) -> bool:
        return any(v is not None for v in self.scores.values())

    @property
    def total(self) -> float | None:
        values = [self.scores.get(d) for d in DIMENSIONS]
        return None if any(v is None for v in values) else sum(values)

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "scores": {d: self.scores.get(d) for d in DIMENSIONS}}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Evaluation":
        known = {name: data[name] for name in cls.__dataclass_fields__ if name in data}
        return cls(**known)


def evaluation_from_event(run: Transcript, event: dict[str, Any]) -> Evaluation:
    fields = {k: v for k, v in event.items() if k not in ("type", "at", "calls")}
    fields.setdefault("created", event.get("at", ""))
    fields.setdefault("method", "parsed")
    evaluation = Evaluation.from_json({"session": run.session, "course": run.course, **fields})
    evaluation.scores = {d: (evaluation.scores or {}).get(d) for d in DIMENSIONS}
    if evaluation.evidence and any(isinstance(v, str) for v in evaluation.evidence.values()):
        evaluation.evidence = {}  # the first version stored one unchecked sentence per dimension
    return evaluation


def to_json(evaluation: Evaluation) -> dict[str, Any]:
    """What `tutor eval --json` prints (DESIGN.md: the score keys, evidence, samples, spread)."""
    return {
        "session": evaluation.session,
        "scores": {d: evaluation.scores.get(d) for d in DIMENSIONS},
        "total": evaluation.total,
        "mastery": mastery_band(evaluation.total),
        "readable": evaluation.readable,
        "method": evaluation.method,
        "evidence": {d: evaluation.evidence.get(d, []) for d in DIMENSIONS},
        "samples": evaluation.samples,
        "spread": {d: evaluation.spread.get(d) for d in DIMENSIONS},
        "flags": evaluation.flags,
        "growth_areas": evaluation.growth_areas,
        "readiness": evaluation.readiness,
        "backend": evaluation.backend,
        "model": evaluation.model,
        "language": evaluation.language,
        "created": evaluation.created,
        "report": evaluation.report,
    }


def describe(evaluation: Evaluation) -> list[list[str]]:
    """Rows of the score table: dimension, score, spread and flag, evidence."""
    rows = []
    for dimension in DIMENSIONS:
        value = evaluation.scores.get(dimension)
        spread = evaluation.spread.get(dimension)
        flag = evaluation.flags.get(dimension, "")
        verified = [q for q in evaluation.evidence.get(dimension, []) if q.get("verified")] if value is not None else []
        quote = f'turn {verified[0]["turn"]}: "{verified[0]["quote"]}"' if verified else ""
        rows.append([
            DIMENSION_TITLES[dimension],
            "—" if value is None else f"{value:g}/5",
            "" if spread is None or len(evaluation.samples) < 2 else f"±{spread:g}",
            flag,
            quote,
        ])
    return rows
