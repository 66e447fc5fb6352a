"""Grading a session: a neutral grader, checked evidence, the median of samples.

The grader is not the tutor: its system prompt is the post-prompt with the rubric,
and it reads the session as one document (the lesson's knowledge points and
understanding checks, the learner's language and tier, every turn numbered, learner
turns marked). First it streams a report for the learner, which is saved at once.
Then N structured samples grade the same document; each mode falls back to the next
on any error (JSON schema, then JSON object, then parsing the report). Every score
above 0 must come with a verbatim learner quote; quotes are checked against the
transcript, and a dimension whose quotes are all unverified becomes null and is
flagged. Each dimension's score is the median of the samples, its spread the range.
"""

from __future__ import annotations

import re
import statistics
from typing import Any, Iterator, Literal, Optional

from pydantic import BaseModel, ConfigDict, ValidationError

from tutor.backends.base import Backend, Request, StructuredUnavailable, is_tiny
from tutor.content import read_prompt, text_hash
from tutor.course import Lesson
from tutor.dimensions import DIMENSIONS
from tutor.errors import BackendError
from tutor.evaluation import Evaluation
from tutor.streaming import Event, Note, Reply, ReplyDone, call_record, stream_reply
from tutor.transcript import Transcript, now

SAMPLE_TOKENS = 1_200
SAMPLING_TEMPERATURE = 0.7  # varied samples: their median is what makes the score stable
UNSTABLE_SPREAD = 1.0
MIN_QUOTE_CHARACTERS = 8  # after folding; shorter "quotes" ("ok", "yes, go") prove nothing
_FOLD = re.compile(r"[\W_]+")
_SENTENCE_END = re.compile(r"(?<=[.!?。！？])\s+|\n+")
MAX_QUOTE_CHARACTERS = 300
MAX_QUOTABLE, MAX_QUOTABLE_CHARACTERS = 150, 12_000
MODE_ATTEMPTS = 2  # a mode is given up after this many failures in a row
MAX_LISTED = 3  # quotes per dimension, growth areas
_REPORT_QUOTE = re.compile(r"turn\s*(\d+)\s*[:,]?\s*[\"“«„「]([^\"”»“」]{3,})[\"”»“」]", re.I)

HalfPoint = Literal[0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5]
Readiness = Literal["ready", "ready with review", "not ready"]


class _Closed(BaseModel):
    model_config = ConfigDict(extra="forbid")


class QuoteModel(_Closed):
    turn: int
    quote: str


class DimensionGrade(_Closed):
    # Evidence first: the grader quotes before it decides.
    evidence: list[QuoteModel]
    score: Optional[HalfPoint]


class GradeModel(_Closed):
    question_decomposition: DimensionGrade
    critical_thinking: DimensionGrade
    connection_making: DimensionGrade
    conceptual_understanding: DimensionGrade
    reflection_quality: DimensionGrade
    growth_areas: list[str]
    readiness: Readiness


def _normalised(data: dict[str, Any]) -> dict[str, Any]:
    """Scores a model wrote as "3" or 3.2 (JSON-object mode enforces no schema) read
    as the nearest half point; anything out of range stays and fails validation."""
    from tutor.scores import round_score

    data = dict(data)
    if isinstance(data.get("growth_areas"), list):
        data["growth_areas"] = data["growth_areas"][:MAX_LISTED]
    for dimension in DIMENSIONS:
        grade = data.get(dimension)
        if isinstance(grade, dict) and isinstance(grade.get("evidence"), list):
            grade = data[dimension] = {**grade, "evidence": grade["evidence"][:MAX_LISTED]}
        if isinstance(grade, dict) and isinstance(grade.get("score"), (int, float, str)) and not isinstance(grade.get("score"), bool):
            try:
                value = round_score(float(grade["score"]))
            except ValueError:
                continue
            if value is not None:  # 4.0 as 4: older pydantic matches Literal[4] only to an int
                data[dimension] = {**grade, "score": int(value) if value.is_integer() else value}
    return data


def grade_schema(quotable: list[str] | None = None) -> dict[str, Any]:
    """The structured-output schema, generated from GradeModel, with references
    inlined and titles dropped (grammar converters and strict modes want it plain).

    With `quotable` (the learner's own sentences), every quote must be one of them and
    every dimension must cite at least one: a grader that decodes under the schema
    cannot invent a quote, and the program still checks the turn it names."""
    schema = GradeModel.model_json_schema()
    definitions = schema.pop("$defs", {})

    def inline(node: Any) -> Any:
        if isinstance(node, dict):
            if "$ref" in node:
                return inline(definitions[node["$ref"].rsplit("/", 1)[-1]])
            node = {k: inline(v) for k, v in node.items() if k != "title"}
            if "enum" in node and "type" not in node and all(isinstance(v, (int, float)) for v in node["enum"]):
                node["type"] = "number"
            return node
        if isinstance(node, list):
            return [inline(item) for item in node]
        return node

    schema = inline(schema)
    schema["properties"]["growth_areas"]["maxItems"] = MAX_LISTED
    for dimension in DIMENSIONS:
        evidence = schema["properties"][dimension]["properties"]["evidence"]
        evidence["maxItems"] = MAX_LISTED  # a small model under a grammar would otherwise list forever
        if quotable:
            evidence["items"]["properties"]["quote"] = {"type": "string", "enum": quotable}
            evidence["minItems"] = 1
    return schema


def quotable_sentences(run: Transcript) -> list[str] | None:
    """The learner's sentences, for the schema's quote enum; None when there are too
    many for a schema to carry (the quotes are then checked after the fact only)."""
    sentences: list[str] = []
    for turn in run.learner_turns():
        for sentence in _SENTENCE_END.split(turn["text"]):
            sentence = sentence.strip()
            if len(fold_quote(sentence)) >= MIN_QUOTE_CHARACTERS and sentence not in sentences:
                sentences.append(sentence[:MAX_QUOTE_CHARACTERS])
    if not sentences or len(sentences) > MAX_QUOTABLE or sum(map(len, sentences)) > MAX_QUOTABLE_CHARACTERS:
        return None
    return sentences


# --- the document the grader reads ---------------------------------------------------

def session_document(lesson: Lesson, run: Transcript, language: str, tier: str | None, budget_chars: int = 60_000) -> str:
    """The session as the grader reads it. Turns are numbered from 1 in order; learner
    turns are marked LEARNER (commands and the automatic opening are shown as such,
    never as the learner's words). A session too long for the budget keeps its start
    and end, with the gap marked."""
    points = []
    for number, title in enumerate(lesson.knowledge_points, start=1):
        check = lesson.sections(number).get("Understanding check", "").strip()
        points.append(f"{number}. {title}\n   Understanding check: {check or '(none)'}")
    head = (
        f"# Session {lesson.id}: {lesson.title}\n"
        f"Primary question: {lesson.primary_question}\n"
        f"Learner's language: {language}. Tier: {tier or 'not set (all tiers)'}.\n\n"
        "## Knowledge points and understanding checks\n" + "\n".join(points) + "\n\n## The conversation\n"
    )
    lines = [_turn_line(number, turn) for number, turn in numbered_turns(run)]
    body = "\n\n".join(lines)
    if len(head) + len(body) > budget_chars:
        keep_start, kept = [], 0
        for line in lines:
            if kept + len(line) > budget_chars // 3:
                break
            keep_start.append(line)
            kept += len(line)
        keep_end: list[str] = []
        for line in reversed(lines[len(keep_start):]):
            if kept + len(line) > budget_chars - len(head) - 200:
                break
            keep_end.insert(0, line)
            kept += len(line)
        gap = len(lines) - len(keep_start) - len(keep_end)
        body = "\n\n".join([*keep_start, f"[... {gap} turns left out for length ...]", *keep_end])
    return head + body + "\n"


def numbered_turns(run: Transcript) -> list[tuple[int, dict[str, Any]]]:
    return list(enumerate(run.turns(), start=1))


def _turn_line(number: int, turn: dict[str, Any]) -> str:
    if turn["type"] == "tutor":
        cut = " (cut off)" if turn.get("interrupted") else ""
        return f"[{number}] TUTOR{cut}:\n{turn['text']}"
    if turn.get("auto"):
        return f"[{number}] (the program opened the session for the learner)"
    if turn.get("command"):
        return f"[{number}] (the learner used the navigation command /{turn['command']})"
    return f"[{number}] LEARNER:\n{turn['text']}"


def grader_system(language: str) -> str:
    return read_prompt("post-prompt.md").replace("{language}", language).strip() + "\n"


# --- evidence ------------------------------------------------------------------------

def fold_quote(text: str) -> str:
    """Case, whitespace and punctuation ignored."""
    return _FOLD.sub("", text.casefold())


def verify_quotes(quotes: list[dict[str, Any]], run: Transcript) -> list[dict[str, Any]]:
    """Each quote checked against the learner turn it names. A quote found verbatim in
    another learner turn is verified with that turn's number instead."""
    learner = {number: fold_quote(turn["text"]) for number, turn in numbered_turns(run)
               if turn["type"] == "student" and not turn.get("auto") and not turn.get("command")}
    checked: list[dict[str, Any]] = []
    for quote in quotes[:MAX_LISTED]:
        text = str(quote.get("quote", "")).strip()
        if any(text == seen["quote"] for seen in checked):
            continue
        folded = fold_quote(text)
        turn = quote.get("turn")
        long_enough = len(folded) >= MIN_QUOTE_CHARACTERS or (len(folded) >= 4 and not folded.isascii())
        found = long_enough and folded in learner.get(turn, "")
        if long_enough and not found:
            turn = next((n for n, said in learner.items() if folded in said), turn)
            found = folded in learner.get(turn, "")
        checked.append({"turn": turn, "quote": text, "verified": bool(found)})
    return checked


def checked_sample(data: dict[str, Any], run: Transcript) -> tuple[dict[str, float | None], dict[str, list[dict[str, Any]]], set[str]]:
    """A sample's scores after the evidence check: a score above 0 whose quotes are
    all unverified becomes None (and its dimension is returned as unverified)."""
    scores, evidence, unverified = {}, {}, set()
    for dimension in DIMENSIONS:
        grade = data.get(dimension) or {}
        score = grade.get("score")
        quotes = verify_quotes(grade.get("evidence") or [], run)
        evidence[dimension] = quotes
        if score is not None and score > 0 and not any(q["verified"] for q in quotes):
            unverified.add(dimension)
            score = None
        scores[dimension] = None if score is None else float(score)
    return scores, evidence, unverified


def combine(samples: list[dict[str, float | None]]) -> tuple[dict[str, float | None], dict[str, float | None]]:
    """Per dimension, the median of the samples that scored it (the lower middle when
    the count is even: when torn, the lower), or None when fewer than half did; and
    the spread (max - min)."""
    scores, spread = {}, {}
    for dimension in DIMENSIONS:
        values = [s[dimension] for s in samples if s.get(dimension) is not None]
        if not values or len(values) * 2 < len(samples):
            scores[dimension] = None
        else:
            scores[dimension] = statistics.median_low(values)
        spread[dimension] = (max(values) - min(values)) if values else None
    return scores, spread


# --- the flow --------------------------------------------------------------------------

class Grader:
    """Grades one run: `report()` streams and saves the report; `score()` takes the
    samples, combines them and appends the evaluation event."""

    def __init__(self, lesson: Lesson, backend: Backend, run: Transcript, *, language: str, tier: str | None, samples: int = 3) -> None:
        self.lesson, self.backend, self.run = lesson, backend, run
        self.language, self.tier, self.samples = language, tier, max(1, samples)
        self.reply = Reply()
        # The report may run to twice a chat reply (the backend's max_output_tokens).
        self.report_tokens = max(256, 2 * backend.spec.max_output_tokens)
        budget = max(4_000, (backend.context_window() - max(self.report_tokens, SAMPLE_TOKENS) - backend.count_tokens(grader_system(language))) * 3)
        self.document = session_document(lesson, run, language, tier, budget_chars=budget)
        self.system = grader_system(language)
        self.cache_key = f"tutor-grade-{run.course}-{lesson.id}"

    def report(self) -> Iterator[Event]:
        """Stream the report. It is saved as soon as it ends, or with what arrived
        (and the error) when the stream fails; the error is then raised."""
        request = Request(self.system, [{"role": "user", "content": self.document}], self.report_tokens, temperature=0.3, cache_key=self.cache_key)
        try:
            yield from stream_reply(self.backend, request, self.reply)
        except (BackendError, KeyboardInterrupt) as exc:
            self.run.append("report", text=self.reply.text, complete=False, error=getattr(exc, "message", "interrupted"),
                            **call_record(self.backend, self.reply.usage))
            raise
        self.run.append("report", text=self.reply.text, complete=True, **call_record(self.backend, self.reply.usage))
        yield ReplyDone(self.reply.text, self.reply.usage, self.reply.truncated)

    def score(self) -> tuple[Evaluation, list[Note]]:
        """Take the samples (falling back mode by mode), check their evidence, combine
        them, and append the evaluation to the transcript."""
        notes: list[Note] = []
        schema = grade_schema(quotable_sentences(self.run))
        temperature = SAMPLING_TEMPERATURE if self.samples > 1 else 0.0
        request = Request(self.system, [{"role": "user", "content": self.document}], SAMPLE_TOKENS, temperature=temperature, cache_key=self.cache_key)
        modes: list[str] = ["schema", "object"]
        samples, evidence_by_sample, unverified, calls, grades = [], [], [], [], []
        used, failures = None, 0
        while modes and len(samples) < self.samples:
            try:
                data, usage = self.backend.structured(request, schema, modes[0])
                grade = GradeModel.model_validate(_normalised(data)).model_dump()
            except (StructuredUnavailable, ValidationError) as exc:
                failures += 1
                if failures >= MODE_ATTEMPTS or getattr(exc, "refused", False):
                    modes.pop(0)  # this mode does not work here: the next one, for this and later samples
                    failures = 0
                continue
            used, failures = modes[0], 0
            calls.append(call_record(self.backend, usage))
            scores, evidence, flagged = checked_sample(grade, self.run)
            samples.append(scores)
            evidence_by_sample.append(evidence)
            unverified.append(flagged)
            grades.append(grade)
        if is_tiny(self.backend):
            notes.append(Note(f"{self.backend.spec.model} is a tiny model: its grades barely follow what you did (see the README's "
                              "measurements). For grades you rely on, run `tutor eval` with an API backend."))
        if samples:
            evaluation = self._combined(samples, evidence_by_sample, unverified, grades, used)
        else:
            notes.append(Note("This backend gave no structured grade; the scores are read from the report and checked against your words."))
            evaluation = self._parsed()
        self.run.append("evaluation", **{k: v for k, v in evaluation.to_json().items() if k not in ("session", "course")},
                        calls=[c for c in calls if c])
        return evaluation, notes

    def _combined(self, samples, evidence_by_sample, unverified, grades, method: str) -> Evaluation:
        scores, spread = combine(samples)
        flags: dict[str, str] = {}
        evidence: dict[str, list[dict[str, Any]]] = {}
        for dimension in DIMENSIONS:
            if scores[dimension] is None and any(dimension in u for u in unverified):
                flags[dimension] = "unverified"
            elif spread[dimension] is not None and spread[dimension] > UNSTABLE_SPREAD:
                flags[dimension] = "unstable"
            # The quotes of the sample nearest the median, verified ones first.
            nearest = min(range(len(samples)), key=lambda i: abs((samples[i][dimension] or 0) - (scores[dimension] or 0)))
            evidence[dimension] = sorted(evidence_by_sample[nearest][dimension], key=lambda q: not q["verified"])
        first = grades[0]
        return self._evaluation(scores, method, evidence=evidence, samples=samples, spread=spread, flags=flags,
                                growth_areas=[str(g) for g in first.get("growth_areas", [])][:3], readiness=first.get("readiness"))

    def _parsed(self) -> Evaluation:
        """The last fallback: the report's own scores, each kept only if the report
        quotes the learner verbatim for it (turn N: "...")."""
        from tutor.scores import parse_scores  # the parser compiles a large vocabulary: only when needed

        parsed = parse_scores(self.reply.text)
        scores, evidence, flags = {}, {}, {}
        for dimension in DIMENSIONS:
            line = parsed.evidence.get(dimension, "")
            quotes = [{"turn": int(t), "quote": q} for t, q in _REPORT_QUOTE.findall(line)]
            checked = verify_quotes(quotes, self.run)
            evidence[dimension] = checked
            value = parsed.values.get(dimension)
            if value is not None and value > 0 and not any(q["verified"] for q in checked):
                flags[dimension] = "unverified"
                value = None
            scores[dimension] = value
        return self._evaluation(scores, "parsed", evidence=evidence, samples=[dict(scores)],
                                spread={d: None for d in DIMENSIONS}, flags=flags)

    def _evaluation(self, scores: dict[str, float | None], method: str, **fields: Any) -> Evaluation:
        return Evaluation(
            session=self.lesson.id, course=self.run.course, created=now(), scores=scores, method=method,
            report=self.reply.text, backend=self.backend.spec.name, model=self.backend.spec.model,
            language=self.language, prompt_hash=text_hash(read_prompt("post-prompt.md")), **fields,
        )


def import_report(session: str, text: str, run: Transcript) -> Evaluation:
    """Grade from an evaluation the learner got elsewhere (e.g. a web chatbot). Its
    numbers are kept as given; its quotes, where it has any, are checked and shown."""
    from tutor.scores import parse_scores

    parsed = parse_scores(text)
    evidence = {}
    for dimension in DIMENSIONS:
        quotes = [{"turn": int(t), "quote": q} for t, q in _REPORT_QUOTE.findall(parsed.evidence.get(dimension, ""))]
        evidence[dimension] = verify_quotes(quotes, run) if quotes else []
    evaluation = Evaluation(
        session=session, course=run.course, created=now(), scores=dict(parsed.values), method="imported",
        evidence=evidence, samples=[dict(parsed.values)], spread={d: None for d in DIMENSIONS}, report=text, backend="import",
    )
    run.append("evaluation", **{k: v for k, v in evaluation.to_json().items() if k not in ("session", "course")})
    return evaluation
