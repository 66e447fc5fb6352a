"""Evaluation: the post-prompt over a whole session, a report for people and five
scores for the progress store.

The report streams first. Then, where the backend offers structured output (OpenAI
JSON schema, Anthropic tool use, Ollama format, llama.cpp grammar), the scores come
from a second, structured call; otherwise, and for imported texts, from parsing the
report. A report with no readable score is stored and flagged, never given invented
scores. Each evaluation is appended to the run's transcript, then to the store.
"""

from __future__ import annotations

from typing import Any, Iterator

from tutor.backends.base import Backend, Usage
from tutor.content import read_prompt, text_hash
from tutor.context import fit_request, system_context
from tutor.course import Lesson
from tutor.engine import ChatEngine, Event, ReplyDone, TextDelta, Waiting
from tutor.scores import DIMENSION_TITLES, DIMENSIONS, Scores, parse_scores, scores_from_mapping
from tutor.store import Evaluation, Store
from tutor.transcript import Transcript, now

SCORES_REQUEST = (
    "Now record the five scores you gave in your evaluation, exactly as you gave them (0 to 5, halves allowed), "
    "with one short piece of evidence from the conversation for each."
)


def score_schema() -> dict[str, Any]:
    """The structured-output schema: five numbers and an evidence string per dimension."""
    # An enum rather than a range: llama.cpp grammars and strict JSON schema both honour it.
    allowed = [step / 2 for step in range(11)]
    numbers = {d: {"type": "number", "enum": allowed, "description": f"{DIMENSION_TITLES[d]}, 0 to 5 in steps of 0.5"} for d in DIMENSIONS}
    evidence = {d: {"type": "string"} for d in DIMENSIONS}
    return {
        "type": "object",
        "properties": {
            "scores": {"type": "object", "properties": numbers, "required": list(DIMENSIONS), "additionalProperties": False},
            "evidence": {"type": "object", "properties": evidence, "required": list(DIMENSIONS), "additionalProperties": False},
        },
        "required": ["scores", "evidence"],
        "additionalProperties": False,
    }


def post_prompt(lesson: Lesson, language: str) -> str:
    points = "\n".join(f"{n}. {title}" for n, title in enumerate(lesson.knowledge_points, start=1))
    return (
        read_prompt("post-prompt.md").replace("{language}", language).strip()
        + f"\n\nThe session was {lesson.id}: {lesson.title}. Its knowledge points:\n{points}\n"
    )


class Evaluator:
    """Evaluates one run: `report()` streams the report, then `finish()` scores and stores it."""

    def __init__(self, lesson: Lesson, backend: Backend, run: Transcript, language: str) -> None:
        self.lesson = lesson
        self.backend = backend
        self.run = run
        self.language = language
        self.report_text = ""
        self.usage: Usage | None = None

    def report(self) -> Iterator[Event]:
        request = self._request([{"role": "user", "content": post_prompt(self.lesson, self.language)}])
        parts: list[str] = []
        yield Waiting()
        for chunk in self.backend.stream(request.system, request.messages, max_tokens=max(request.max_tokens, 1500)):
            if isinstance(chunk, str):
                parts.append(chunk)
                yield TextDelta(chunk)
            elif isinstance(chunk, Usage):
                self.usage = chunk
        self.report_text = "".join(parts)
        yield ReplyDone(self.report_text, self.usage)

    def finish(self, home) -> Evaluation:
        scores, method = self._structured_scores(), "structured"
        if scores is None or not scores.readable:
            scores, method = parse_scores(self.report_text), "parsed"
        evaluation = Evaluation(
            session=self.lesson.id, created=now(), scores=scores.values, readable=scores.readable, method=method,
            report=self.report_text, evidence=scores.evidence, transcript=str(self.run.path),
            backend=self.backend.spec.name, model=self.run.setting("model"), language=self.language,
            prompt_hash=text_hash(read_prompt("post-prompt.md")),
        )
        record(evaluation, self.run, home)
        return evaluation

    def _structured_scores(self) -> Scores | None:
        request = self._request([
            {"role": "user", "content": post_prompt(self.lesson, self.language)},
            {"role": "assistant", "content": self.report_text or "(no report)"},
            {"role": "user", "content": SCORES_REQUEST},
        ])
        data = self.backend.structured(request.system, request.messages, score_schema(), max_tokens=600)
        return scores_from_mapping(data) if data else None

    def _request(self, extra: list[dict[str, str]]):
        history = ChatEngine(self.lesson, self.backend, self.run).history()
        if history and history[-1]["role"] == "user":
            history.append({"role": "assistant", "content": "(no reply)"})
        settings = dict(language=self.language, tier=self.run.setting("tier"))
        return fit_request(
            full_system=system_context(self.lesson, **settings),
            compact_system=lambda: system_context(self.lesson, compact=True, **settings),
            history=history + extra,
            window=self.backend.context_window(),
            count=self.backend.count_tokens,
            max_reply=self.backend.spec.max_output_tokens,
        )


def import_report(session: str, text: str, run: Transcript, home) -> Evaluation:
    """Grade from an evaluation the learner got elsewhere (e.g. a web chatbot)."""
    scores = parse_scores(text)
    evaluation = Evaluation(
        session=session, created=now(), scores=scores.values, readable=scores.readable, method="imported",
        report=text, evidence=scores.evidence, transcript=str(run.path), backend="import",
    )
    record(evaluation, run, home)
    return evaluation


def record(evaluation: Evaluation, run: Transcript, home) -> None:
    """Transcript first (the source of truth), then the store."""
    run.append("evaluation", **evaluation.to_event())
    with Store(home) as store:
        store.add(evaluation)


def to_json(evaluation: Evaluation) -> dict[str, Any]:
    from tutor.progress import mastery_band

    return {
        "session": evaluation.session,
        "scores": {d: evaluation.scores.get(d) for d in DIMENSIONS},
        "total": evaluation.total,
        "mastery": mastery_band(evaluation.total),
        "readable": evaluation.readable,
        "method": evaluation.method,
        "evidence": evaluation.evidence or {},
        "backend": evaluation.backend,
        "model": evaluation.model,
        "language": evaluation.language,
        "created": evaluation.created,
        "report": evaluation.report,
    }
