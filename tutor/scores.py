"""The five evaluation scores, and reading them back out of what a model wrote.

Models asked for a JSON block deviate from it in every way they can: broken JSON,
YAML, Markdown tables with a column per knowledge point, bullet lists, star ratings,
a 0-10 or percentage scale, other languages, reworded dimension names. The parser
reads them in order of trust (a machine-readable block, then tables, then prose) and
takes each dimension from the first layer that states it. A score it cannot read is
None: it never guesses, and numbers that are not scores (session ids, knowledge point
numbers, dates, durations, parameter counts) are masked before it looks.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from tutor.score_names import ALIASES, OVERALL_WORDS, SCORE_WORDS

DIMENSIONS = ("question_decomposition", "critical_thinking", "connection_making", "conceptual_understanding", "reflection_quality")
DIMENSION_TITLES = {
    "question_decomposition": "Question Decomposition",
    "critical_thinking": "Critical Thinking",
    "connection_making": "Connection-Making",
    "conceptual_understanding": "Conceptual Understanding",
    "reflection_quality": "Reflection Quality",
}

Found = dict[str, "float | None"]  # dimension -> score; a None value means "stated as none"


@dataclass(frozen=True)
class Scores:
    values: dict[str, float | None]
    evidence: dict[str, str] = field(default_factory=dict)

    @property
    def readable(self) -> bool:
        return any(v is not None for v in self.values.values())

    @property
    def total(self) -> float | None:
        """Out of 25; None unless all five were read."""
        values = list(self.values.values())
        return None if None in values else sum(values)


def parse_scores(text: str) -> Scores:
    folded = fold(text)
    found: Found = {}
    evidence: dict[str, str] = {}
    scale = _declared_scale(folded)
    for data in _structured_blocks(text):
        block = _from_data(data)
        if block:
            _merge(found, block[0])
            evidence = {**block[1], **evidence}
            break
    _merge(found, _from_tables(folded, scale))
    lines_found, lines_evidence = _from_lines(folded, text.splitlines(), scale)
    _merge(found, lines_found)
    evidence = {**lines_evidence, **evidence}
    return Scores({d: found.get(d) for d in DIMENSIONS}, {d: e for d, e in evidence.items() if found.get(d) is not None})


def scores_from_mapping(data: Any) -> Scores:
    """Scores from already-parsed data: {"scores": {...}, "evidence": {...}} or a flat mapping."""
    found, evidence = _from_data(data) or ({}, {})
    return Scores({d: found.get(d) for d in DIMENSIONS}, evidence)


# --- normalising -----------------------------------------------------------------

def fold(text: str) -> str:
    """Full-width digits and colons to ASCII, "½" to ".5", case folded, accents dropped,
    underscores to spaces, so that "４／５", "3½", "critical_thinking" and "Pensée
    critique" compare plainly."""
    text = unicodedata.normalize("NFKC", text.replace("½", ".5")).casefold()
    text = "".join(ch for ch in unicodedata.normalize("NFD", text) if unicodedata.category(ch) != "Mn")
    return unicodedata.normalize("NFC", text).replace("_", " ")


def round_score(value: float, scale: float = 5) -> float | None:
    """To 0-5 in steps of 0.5; None when out of range (never clamped into range)."""
    if scale != 5:
        if not 0 <= value <= scale:
            return None
        value = value * 5 / scale
    if not 0 <= value <= 5 or math.isnan(value):
        return None
    return math.floor(value * 2 + 0.5) / 2


def _merge(found: Found, more: Found) -> None:
    for dimension, value in more.items():
        found.setdefault(dimension, value)


_ALIAS_RE = re.compile("|".join(sorted((re.escape(fold(a)) for names in ALIASES.values() for a in names), key=len, reverse=True)))
_ALIAS_OF = {fold(a): d for d, names in ALIASES.items() for a in names}


def dimension_of(name: str) -> str | None:
    """The dimension a key or label names, if any: 'Critical Thinking', 'criticalThinking',
    'kritisches Denken', '批判性思维'."""
    name = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name)
    match = _ALIAS_RE.search(re.sub(r"[\s\-]+", " ", fold(name)))
    return _ALIAS_OF[match.group(0)] if match else None


# --- machine-readable blocks ----------------------------------------------------

_FENCE = re.compile(r"```[ \t]*(\w*)[^\n]*\n(.*?)```", re.S)


def _structured_blocks(text: str) -> list[Any]:
    """Parsed JSON/YAML candidates, last first (the post-prompt asks for the block at the end)."""
    candidates = [body for _, body in _FENCE.findall(text)]
    candidates += _bare_objects(text)
    parsed = []
    for candidate in reversed(candidates):
        data = _lenient_load(candidate)
        if isinstance(data, (dict, list)):
            parsed.append(data)
    return parsed


def _bare_objects(text: str) -> list[str]:
    """Unfenced {...} spans that mention scores."""
    spans = []
    for start in (m.start() for m in re.finditer(r"\{", text)):
        depth = 0
        for end in range(start, min(len(text), start + 4000)):
            depth += {"{": 1, "}": -1}.get(text[end], 0)
            if depth == 0:
                span = text[start : end + 1]
                if dimension_of(span) and re.search(r"\d", span):
                    spans.append(span)
                break
    return [s for s in spans if not any(s != o and s in o for o in spans)]


def _lenient_load(body: str) -> Any:
    import yaml

    repaired = body.replace("“", '"').replace("”", '"').replace("‘", "'").replace("’", "'")
    repaired = re.sub(r",\s*([}\]])", r"\1", repaired)
    repaired = re.sub(r"(:\s*)(\d+(?:[.,]\d+)?\s*/\s*\d+)", r'\1"\2"', repaired)
    repaired = re.sub(r"\b(None|NaN)\b", "null", repaired)
    attempts = [lambda: json.loads(body), lambda: json.loads(repaired),
                lambda: json.loads(re.sub(r"'([^'\n]*)'", r'"\1"', repaired)),
                lambda: yaml.safe_load(repaired), lambda: yaml.safe_load(body)]
    for attempt in attempts:
        try:
            return attempt()
        except (ValueError, yaml.YAMLError):
            continue
    return None


def _from_data(data: Any, depth: int = 0) -> tuple[Found, dict[str, str]] | None:
    """Find scores in parsed data, however the model nested them."""
    if depth > 4:
        return None
    if isinstance(data, list):
        return _from_records(data) or next(filter(None, (_from_data(item, depth + 1) for item in data)), None)
    if not isinstance(data, dict):
        return None
    keyed = {str(k): v for k, v in data.items()}
    for key, value in keyed.items():
        if fold(key) in ("scores", "score", "ratings", "bewertungen", "punktzahlen") and isinstance(value, (dict, list)):
            inner = _from_data(value, depth + 1)
            if inner:
                evidence = next((v for k, v in keyed.items() if fold(k) in ("evidence", "justification", "reasons", "belege")), {})
                return inner[0], {**_evidence(evidence), **inner[1]}
    scale = next((float(v) for k, v in keyed.items() if fold(k) in ("scale", "max", "out of", "max score") and isinstance(v, (int, float))), 5.0)
    found: Found = {}
    evidence: dict[str, str] = {}
    for key, value in keyed.items():
        dimension = dimension_of(key)
        if dimension is None or dimension in found:
            continue
        if isinstance(value, dict):
            evidence_text = next((v for k, v in value.items() if fold(str(k)) in ("evidence", "justification", "reason")), None)
            if isinstance(evidence_text, str):
                evidence[dimension] = evidence_text
            value = next((v for k, v in value.items() if fold(str(k)) in ("score", "value", "rating", "punkte", "note")), None)
        found[dimension] = _value(value, scale)
    if found:
        return found, evidence
    return next(filter(None, (_from_data(v, depth + 1) for v in keyed.values() if isinstance(v, (dict, list)))), None)


def _from_records(items: list[Any]) -> tuple[Found, dict[str, str]] | None:
    """[{"dimension": "Critical Thinking", "score": 4, "evidence": "..."}, ...]"""
    found: Found = {}
    evidence: dict[str, str] = {}
    for item in items:
        if not isinstance(item, dict):
            return None
        names = [v for v in item.values() if isinstance(v, str) and dimension_of(v)]
        if not names:
            continue
        dimension = dimension_of(names[0])
        score = next((v for k, v in item.items() if fold(str(k)) in ("score", "value", "rating")), None)
        found[dimension] = _value(score, 5)
        if isinstance(item.get("evidence"), str):
            evidence[dimension] = item["evidence"]
    return (found, evidence) if found else None


def _value(value: Any, scale: float) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return round_score(float(value), scale)
    if isinstance(value, str):
        return parse_value(fold(value), scale, bare=True)
    return None


def _evidence(data: Any) -> dict[str, str]:
    if not isinstance(data, dict):
        return {}
    pairs = ((dimension_of(str(k)), v) for k, v in data.items())
    return {d: v for d, v in pairs if d and isinstance(v, str) and v.strip()}


# --- one value in text ---------------------------------------------------------

_NUM = r"(\d+(?:[.,]\d+)?)"
_OUT_OF = r"(?:/|out of|of|von|sur|de|su|em|απο|από)"
_PATTERNS = [  # (regex, how to read it), most trustworthy first
    (re.compile(rf"{_NUM}\s*{_OUT_OF}\s*(5|10|100)(?!\d)(?![.,]\d)(?!\s*(?:knowledge|kps?\b|questions?|sessions?|wissens|知识点|知識点))"), lambda m: (m.group(1), m.group(2))),
    (re.compile(rf"(?:満点|満点中|满分|滿分)?\s*(5|10|100)\s*(?:点満点中|点満点で|点中|分中|分制|점\s*만점에?\s*|점\s*중)\s*{_NUM}"), lambda m: (m.group(2), m.group(1))),
    (re.compile(rf"(?:满分|滿分)\s*(5|10|100)\s*分?[,，;；:\s]*(?:得|得分)?\s*{_NUM}"), lambda m: (m.group(2), m.group(1))),
    (re.compile(rf"{_NUM}\s*%"), lambda m: (m.group(1), "100")),
]
_UNIT = re.compile(rf"{_NUM}\s*(?:分(?!钟|鐘)|点|점|points?|pts?|punkte?|puntos?|pontos?|βαθμ)")
_LABELLED = re.compile(rf"(?:{SCORE_WORDS})\s*[:=]?\s*{_NUM}(?![\d])")
_BARE = re.compile(rf"[\s*_:=\-–—|()\[\]>]*{_NUM}(?![\d.,]*\s*(?:[a-z%/]|\d))")
_STARS = re.compile(r"([★⭐]+)\s*(\.5)?\s*(☆*)")  # "½" is folded to ".5"
_DISTRACTORS = re.compile(
    r"\bs\d+\.\d+\b|session\s*\d+(?:\.\d+)?|sitzung\s*\d+(?:\.\d+)?"
    r"|(?:\bkp|knowledge point|wissenspunkt|point de connaissance|punto de conocimiento|ponto de conhecimento|知识点|知識点|지식\s*포인트|σημειο)\s*#?\s*\d+"
    r"|\d{4}-\d{2}-\d{2}|\d{1,2}[./]\d{1,2}[./]\d{2,4}|\b(?:19|20)\d{2}\b|\d+:\d{2}"
    r"|\d+(?:[.,]\d+)?\s*(?:minutes?|mins?\b|hours?|hrs?\b|seconds?|secs?\b|minuten|stunden|heures|horas|minutos|λεπτα|分钟|分鐘|分間|時間|시간|분\b|분간"
    r"|times|mal\b|fois|veces|vezes|φορες|次|回|번|billion|million|thousand|trillion|[bmkt]\b|parameters|params|tokens?|milliarden|millionen|milliards|亿|億|万|억|만|층|layers?|dimensions?|words?)"
    r"|[a-z]+-?\d+[a-z]*\d*"
)


def mask_distractors(text: str) -> str:
    return _DISTRACTORS.sub(lambda m: " " * len(m.group(0)), text)


def _value_in(text: str, scale: float) -> float | None:
    """The score in a table cell, a line, or the text after a dimension's name."""
    return parse_value(mask_distractors(text), scale, bare=True)


def parse_value(text: str, scale: float = 5, *, bare: bool = False) -> float | None:
    """The first score stated in `text` (already folded and masked): '4/5', '3,5 von 5',
    '5点中4点', '80%', '★★★★☆', '4分'; a bare number only when `bare`."""
    stars = _STARS.search(text)
    if stars and len(stars.group(1)) + len(stars.group(3)) + bool(stars.group(2)) in (5, 10):
        count = len(stars.group(1)) + 0.5 * bool(stars.group(2))
        return round_score(count, len(stars.group(1)) + len(stars.group(3)) + bool(stars.group(2)))
    best = None
    for pattern, read in _PATTERNS:
        match = pattern.search(text)
        if match and (best is None or match.start() < best[0] - 12):
            best = (match.start(), read(match))
    if best:
        value, out_of = best[1]
        return round_score(float(value.replace(",", ".")), float(out_of))
    for pattern in (_UNIT, _LABELLED):
        match = pattern.search(text)
        if match:
            return round_score(float(match.group(1).replace(",", ".")), scale)
    if bare:
        match = _BARE.match(text)
        if match:
            return round_score(float(match.group(1).replace(",", ".")), scale)
    return None


def _declared_scale(text: str) -> float:
    """A scale the report states once for all its numbers: '(scale 0-10)', 'out of 10'."""
    if re.search(r"(?:\b[01]\s*(?:-|–|to|bis|a|à|έως|~|〜)\s*10\b(?!\d))|(?:满分|滿分)\s*10|10\s*点満点|10\s*점\s*만점|out of 10\b|/\s*10\b", text):
        return 10
    if re.search(r"\b0\s*(?:-|–|to|bis|a|à|έως)\s*100\s*%?|percent|prozent|pourcentage|porcentaje|百分", text):
        return 100
    return 5


# --- tables -------------------------------------------------------------------

def _from_tables(text: str, scale: float) -> Found:
    found: Found = {}
    for table in re.findall(r"(?:^[ \t]*\|.*\|[ \t]*$\n?){2,}", text, re.M):
        rows = [[c.strip(" *_`") for c in line.strip().strip("|").split("|")] for line in table.splitlines()]
        rows = [r for r in rows if not all(re.fullmatch(r":?-{2,}:?|", c) for c in r)]
        header, body = rows[0], rows[1:]
        header_dims = [dimension_of(c) for c in header]
        if sum(d is not None for d in header_dims) >= 2:
            _merge(found, _columns_are_dimensions(header, header_dims, body, scale))
        else:
            _merge(found, _rows_are_dimensions(header, rows, scale))
    return found


def _rows_are_dimensions(header: list[str], rows: list[list[str]], scale: float) -> Found:
    column = _pick(header, OVERALL_WORDS) or _pick(header, SCORE_WORDS)
    column_scale = _declared_scale(header[column]) if column is not None else scale
    found: Found = {}
    for row in rows:
        dimension = dimension_of(row[0]) or (dimension_of(row[1]) if len(row) > 1 and not _value_in(row[0], scale) else None)
        if dimension is None or dimension in found:
            continue
        if column is not None and column < len(row):
            found[dimension] = _value_in(row[column], column_scale if column_scale != 5 else scale)
            continue
        values = [v for v in (_value_in(c, scale) for c in row[1:]) if v is not None]
        found[dimension] = values[0] if len(values) == 1 else None
    return found


def _columns_are_dimensions(header: list[str], dims: list[str | None], body: list[list[str]], scale: float) -> Found:
    overall = [r for r in body if r and re.search(OVERALL_WORDS, r[0])]
    row = overall[0] if overall else body[0] if len(body) == 1 else None
    if row is None:
        return {}
    return {d: _value_in(row[i], scale) for i, d in enumerate(dims) if d and i < len(row)}


def _pick(header: list[str], words: str) -> int | None:
    return next((i for i, cell in enumerate(header) if i and re.search(words, cell)), None)


# --- prose: headings, bullets, sentences ------------------------------------------

def _from_lines(text: str, originals: list[str], scale: float) -> tuple[Found, dict[str, str]]:
    found: Found = {}
    evidence: dict[str, str] = {}
    lines = text.splitlines()
    for number, line in enumerate(lines):
        if line.lstrip().startswith("|"):
            continue
        for match in _ALIAS_RE.finditer(line):
            dimension = _ALIAS_OF[match.group(0)]
            if dimension in found:
                continue
            after = line[match.end():]
            following = _ALIAS_RE.search(after)
            segment = after[: following.start()] if following else after
            value = _value_in(segment, scale)
            if value is None and not mask_distractors(segment).strip(" *_:#-—–.()"):
                value = _score_below(lines[number + 1 : number + 4], scale)
            if value is not None:
                found[dimension] = value
                original = originals[number].strip(" \t-*#>") if len(originals) == len(lines) else ""
                if len(after.strip()) > 12:
                    evidence[dimension] = original.replace("**", "")
    return found, evidence


def _score_below(lines: list[str], scale: float) -> float | None:
    """A heading alone on its line ('### Critical Thinking') with the score just below."""
    for line in lines:
        if _ALIAS_RE.search(line) or line.startswith("#"):
            return None
        value = _value_in(line, scale)
        if value is not None:
            return value
    return None
