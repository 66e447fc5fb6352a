"""The five evaluation scores, and reading them back out of what a model wrote.

Models asked for a JSON block deviate from it in every way they can: broken JSON,
YAML, Markdown tables with a column per knowledge point or per session, bullet lists,
star ratings, a 0-10 or percentage scale, numbers in words, other languages, reworded
dimension names, scores given in a sentence. The parser reads them in order of trust (a
machine-readable block, then tables, then lines that name a dimension, then reworded
labels, then paragraphs that refer back to the dimension they are about) and takes each
dimension from the first layer that states it. A score it cannot read is None: it never
guesses. A number counts only where it is plainly the dimension's rating: right after the
name with only filler in between ("is", "a solid", "I'd give you"), and not followed by
what it counts ("3 of 5 examples", "80% of the time"); not in a rubric ("a 4 means ..."),
nor quoted from an earlier session ("Last time you scored ..."). Ids, dates, durations and
sizes are masked before it looks, and every read is bounded, so that hostile input stays fast.
"""

from __future__ import annotations

import bisect
import json
import math
import re
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, Iterator

from tutor import score_names as names
from tutor.dimensions import DIMENSION_TITLES, DIMENSIONS
from tutor.score_names import fold

__all__ = ["DIMENSIONS", "DIMENSION_TITLES", "Scores", "dimension_of", "fold", "parse_scores", "round_score", "scores_from_mapping"]

Found = dict[str, "float | None"]  # dimension -> score; a None value means "stated as none"
_REACH = 300  # a score sits within a few words of its name; reading no further keeps the work linear
_MAX_BLOCK, _MAX_BLOCKS = 30_000, 12  # JSON/YAML candidates tried: size and number (YAML is slow)
_NOT_READ = object()  # no score here, as opposed to a score stated out of range (None)


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
    folded = _csv_as_tables(_LEADER.sub(lambda m: ": ".ljust(len(m[0])), fold(text)))
    lines, originals = folded.splitlines(), text.splitlines()
    if len(originals) != len(lines):
        originals = lines
    scale, skipped = _declared_scale(folded), _skipped_sections(lines)
    found: Found = {}
    evidence: dict[str, str] = {}
    block = next(filter(None, map(_from_data, _structured_blocks(text))), None)
    if block:
        found, evidence = dict(block[0]), dict(block[1])
    lines_found, lines_evidence, revised = _from_lines(lines, originals, skipped, scale)
    prose = {**_from_initials(lines, skipped, scale), **_from_paragraphs(lines, skipped, scale),
             **_from_labels(lines, skipped, scale), **lines_found}
    revisions = {d: lines_found[d] for d in revised}  # "I revise Reflection down to 2" overrides the table above
    found = {**prose, **_from_tables(lines, skipped, scale), **revisions, **found}  # most trusted layer last
    if names.NO_SCORES_RE.search(folded):  # "I'm not assigning new scores for session 5": the rest is history,
        today = [line for line in lines if names.NOW_RE.search(line)]  # but for a score marked as today's
        found = _from_lines(today, today, [False] * len(today), scale)[0]
    evidence = {**lines_evidence, **evidence}
    return Scores({d: found.get(d) for d in DIMENSIONS}, {d: e for d, e in evidence.items() if found.get(d) is not None})


_LEADER = re.compile(r"[ \t]*(?:\.{4,}|…{2,}|·{4,})[ \t]*")  # "Critical Thinking .......... 4/5"
_CSV_FENCE = re.compile(r"^[ \t]*(?:`{3,}|~{3,})[ \t]*(?:csv|tsv)?[ \t]*\n((?:[^\n`~]*\n){2,50}?)[ \t]*(?:`{3,}|~{3,})", re.M)


def _csv_as_tables(text: str) -> str:
    """A fenced block of comma-, semicolon- or tab-separated lines, every line with the same
    number of fields, becomes a Markdown table ("Critical Thinking,3,5" is not 3.5)."""
    def table(m: re.Match) -> str:
        lines = m[1].splitlines()
        for separator in (",", ";", "\t"):
            counts = {line.count(separator) for line in lines if line.strip()}
            if len(counts) == 1 and counts != {0}:
                rows = "\n".join(f"| {' | '.join(line.split(separator))} |" if line.strip() else line for line in lines)
                return m[0].replace(m[1], rows + "\n", 1)
        return m[0]

    return _CSV_FENCE.sub(table, text)


def scores_from_mapping(data: Any) -> Scores:
    """Scores from already-parsed data: {"scores": {...}, "evidence": {...}} or a flat mapping."""
    found, evidence = _from_data(data) or ({}, {})
    return Scores({d: found.get(d) for d in DIMENSIONS}, evidence)


def round_score(value: float, scale: float = 5) -> float | None:
    """To 0-5 in steps of 0.5; None when out of range (never clamped into range)."""
    if scale != 5:
        if not 0 <= value <= scale:
            return None
        value = value * 5 / scale
    if not 0 <= value <= 5 or math.isnan(value):
        return None
    return math.floor(value * 2 + 0.5) / 2


def dimension_of(name: str) -> str | None:
    """The dimension a key or label names, if any: 'Critical Thinking', 'criticalThinking',
    'kritisches Denken', '批判性思维', 'Reflection (0-5)'; not 'reflection prompts answered'."""
    name = fold(re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name[:200]))
    name = re.sub(r"[(\[（][^()\[\]（）]*[)\]）]", " ", re.sub(r"[\s\-]+", " ", name))
    dimensions = {names.ALIAS_OF[m.group(1)][0] for m in names.ALIAS_RE.finditer(name)}
    if len(dimensions) != 1 or not _only_filler(names.ALIAS_RE.sub(" ", name), digits=True):
        return None
    return dimensions.pop()


_WORD = re.compile(r"[^\W\d_]+")
_SENTENCE_END, _CLAUSE = re.compile(r"[.!?;][\"'”’»)\]]*(?=\s|$)|[。!?;]|\n"), re.compile(r"[,;、—–]|\s-\s")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


def _only_filler(text: str, *, digits: bool = False) -> bool:
    """Whether `text` holds nothing but filler words (and no number, unless `digits`)."""
    if not digits and re.search(r"\d", text):
        return False
    return all(w in names.FILLER or w in names.VERBS or names.SCORE_WORD_RE.match(w)
               or (_CJK.match(w) and names.CJK_FILLER_RE.fullmatch(w)) for w in _WORD.findall(text))


def _has_verb(text: str) -> bool:
    return any(w in names.VERBS for w in _WORD.findall(text)) or bool(names.CJK_VERB_RE.search(text))


def _role(label: str) -> str | None:
    """'change', 'target', 'previous', 'current', 'overall' or 'score' for a column, row or key."""
    label = fold(label)
    role = next((r for r, pattern in names.ROLE_RE.items() if pattern.search(label)), None)
    return role or ("overall" if re.search(names.OVERALL_WORDS, label) else "score" if names.SCORE_WORD_RE.search(label) else None)


# --- machine-readable blocks ----------------------------------------------------

# An object nested at most four deep: enough for {"evaluation": {"scores": {"x": {"score": 4}}}},
# and a regex without unbounded nesting stays linear on hostile runs of braces.
_OBJECT = re.compile(r"\{(?:[^{}]|\{(?:[^{}]|\{(?:[^{}]|\{[^{}]*\})*\})*\})*\}")


def _structured_blocks(text: str) -> Iterator[Any]:
    """Parsed JSON/YAML candidates, last first (the post-prompt asks for the block at the end)."""
    fences = list(re.finditer(r"^[ \t]*(?:`{3,}|~{3,})[^\n]*$", text, re.M))
    bodies = [text[fences[i].end() : fences[i + 1].start()] for i in range(0, len(fences) - 1, 2)]
    objects = (m.group() for m in _OBJECT.finditer(text))
    objects = [o for o in objects if re.search(r"\d", o) and names.ALIAS_RE.search(fold(re.sub(r"(?<=[a-z])(?=[A-Z])", " ", o)))]
    for candidate in reversed(bodies[-_MAX_BLOCKS:] + objects[-_MAX_BLOCKS:]):
        data = _lenient_load(candidate) if len(candidate) <= _MAX_BLOCK else None
        if isinstance(data, (dict, list)):
            yield data


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
        except Exception:  # noqa: BLE001 - malformed or too deeply nested input is just not a block
            continue
    return None


def _from_data(data: Any, depth: int = 0) -> tuple[Found, dict[str, str]] | None:
    """Find scores in parsed data, however the model nested them; never under a previous,
    target or change key."""
    if depth > 4:
        return None
    if isinstance(data, list):
        return _from_records(data) or next(filter(None, (_from_data(item, depth + 1) for item in data[:50])), None)
    if not isinstance(data, dict):
        return None
    keyed = {str(k): v for k, v in data.items() if _role(str(k)) not in ("previous", "target", "change")}
    for key, value in keyed.items():
        if fold(key) in names.SCORES_KEYS and isinstance(value, (dict, list)):
            inner = _from_data(value, depth + 1)
            if inner:
                evidence = next((v for k, v in keyed.items() if fold(k) in names.EVIDENCE_KEYS), {})
                return inner[0], {**_evidence(evidence), **inner[1]}
    scale = next((top for k, v in keyed.items() if fold(k) in names.SCALE_KEYS and (top := _top_of_scale(v))), 5.0)
    found: Found = {}
    evidence: dict[str, str] = {}
    numbers = []
    short = sum(fold(k) in names.SHORT_KEY_OF for k in keyed) >= 3  # {"QD": 4, "CT": 3, "CM": 4, ...}
    for key, value in keyed.items():
        dimension = dimension_of(key) or (names.SHORT_KEY_OF.get(fold(key)) if short else None)
        if dimension is None or dimension in found:
            continue
        if isinstance(value, dict):
            evidence_text = next((v for k, v in value.items() if fold(str(k)) in names.EVIDENCE_KEYS), None)
            if isinstance(evidence_text, str):
                evidence[dimension] = evidence_text
            value = next((v for k, v in value.items() if fold(str(k)) in names.KEYS), None)
        numbers += [value] if isinstance(value, (int, float)) and not isinstance(value, bool) else []
        found[dimension] = _value(value, scale)
    if numbers and all(0 <= v <= 1 for v in numbers) and any(v * 2 % 1 for v in numbers):
        found = dict.fromkeys(found)  # 0.8 and 0.4: on a 0-1 scale, or a 0-5 one? Not guessed.
    if found:
        return found, evidence
    nested = [(k, v) for k, v in keyed.items() if isinstance(v, (dict, list)) and fold(k) not in names.EVIDENCE_KEYS]
    nested.sort(key=lambda item: _role(item[0]) != "current")  # {"previous": ..., "current": ...}
    return next(filter(None, (_from_data(v, depth + 1) for _, v in nested)), None)


def _top_of_scale(value: Any) -> float | None:
    """10 from 10, "0-10", "/10" or "0 to 10"."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value) if value > 0 else None
    m = re.fullmatch(r"\s*(?:[01]\s*(?:-|–|to)\s*|/\s*)?(\d{1,3})\s*", value) if isinstance(value, str) else None
    return float(m[1]) if m and int(m[1]) > 0 else None


def _from_records(items: list[Any]) -> tuple[Found, dict[str, str]] | None:
    """[{"dimension": "Critical Thinking", "score": 4, "evidence": "..."}, ...]"""
    found: Found = {}
    evidence: dict[str, str] = {}
    for item in items[:50]:
        if not isinstance(item, dict):
            return None
        dimension = next((d for d in (dimension_of(v) for v in item.values() if isinstance(v, str)) if d), None)
        if dimension is not None:
            found[dimension] = _value(next((v for k, v in item.items() if fold(str(k)) in names.KEYS), None), 5)
            if isinstance(item.get("evidence"), str):
                evidence[dimension] = item["evidence"]
    return (found, evidence) if found else None


def _value(value: Any, scale: float) -> float | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return round_score(float(value), scale)
    read = _score_in(fold(value), scale) if isinstance(value, str) else None
    return None if read is _NOT_READ else read


def _evidence(data: Any) -> dict[str, str]:
    pairs = ((dimension_of(str(k)), v) for k, v in data.items()) if isinstance(data, dict) else ()
    return {d: v for d, v in pairs if d and isinstance(v, str) and v.strip()}


# --- one score in a piece of text ---------------------------------------------------

def _digits(text: str) -> str:
    """Numbers in words to digits: 'three and a half' -> '3.5', 'drei von fünf' -> '3 von 5',
    '다섯 점 중 세 점' -> '5점 중 3점'."""
    def word(m: re.Match) -> str:
        value = float(m["digit"]) if m["digit"] else names.NUMBER_OF[m["word"] or m["ctx"]]
        return f"{value + 0.5 * bool(m['half']):g}"

    text = names.CJK_DECIMAL_RE.sub(lambda m: f"{names.CJK_DIGITS[m[1]]}.5", names.NUMBER_WORD_RE.sub(word, text))
    text = names.KO_NUMBER_RE.sub(lambda m: f"{names.KO_DIGITS[m[1]] + 0.5 * bool(m[2]):g}점", text)
    return names.CJK_NUMBER_RE.sub(lambda m: m[1] + "10" if m[1] else "10" if m[0] == "十" else str(names.CJK_DIGITS[m[2]]), text)


def _prepare(text: str, reach: int = _REACH, *, digits: bool = True) -> str:
    """Words to digits, then ids, dates, durations and counts blanked out (same length)."""
    text = _digits(text[:reach]) if digits else text
    return names.DISTRACTORS_RE.sub(lambda m: " " * len(m.group()), text).replace("**", "  ").replace("`", " ")


_LEVELS_DEFINED = re.compile(r"\b(?:level|band|niveau|nivel|stufe|score|note)\s*([0-5])\s*(?:[:：=]|\s[—–-]\s)"
                             r"|(?<![\d.,])([0-5])\s*(?:点|分|점|points?)?\s*=(?!=)")  # "5点＝自ら分解できる／3点＝..."


def _rubric(text: str, m: re.Match) -> bool:
    """Whether the number `m` says what a level means: 'a 4 here means ...', 'to reach 3 you need',
    'level 5: splits questions unaided; level 1: ...'."""
    return bool(names.RUBRIC_AFTER_RE.match(text, m.end()) or names.RUBRIC_BEFORE_RE.search(text[max(0, m.start() - 40) : m.start()])
                or len(set(_LEVELS_DEFINED.findall(text, max(0, m.start() - _REACH), m.end() + _REACH))) >= 2)


def _explicit(m: re.Match) -> bool:
    """A rating that says it is one: 3/5, 3 out of 5, 5点満点中4点, ★★★☆☆, 4分; not 4, 4 points."""
    return bool(m["stars"] or m["fm"] or m["gm"] or m["hm"] or m["om"] or (m["un"] and _CJK.search(m[0])))


def _follows_ok(rest: str) -> bool:
    """Whether what comes after a number lets it be a score: '4/5, because' but not
    '3 of 5 examples', '80% of the time', '3-gram', '3-4' or '3 → 4' (the 4 is the score)."""
    rest = rest.lstrip(" \t*_`")
    aside = re.match(r"[(\[（]([^()\[\]（）\d★⭐✪☆]{0,60})[)\]）]", rest)
    if aside and _past(aside[1]):
        return False  # "3/5 (last session)"
    while rest and not names.NOT_AFTER_RE.match(rest):
        if names.FOLLOW_PHRASE_RE.match(rest):
            return True
        word = _WORD.match(rest)
        if not word:
            return True  # punctuation
        if _CJK.match(word.group()):
            return word.group().startswith(names.CJK_AFTER)
        if word.group() not in names.UNITS_AFTER:  # "4 of 5 possible points, because"
            return word.group() in names.FOLLOW or word.group() in names.VERBS  # "3 von 5 Punkten bewerte ich"
        rest = rest[word.end():].lstrip(" \t*_`")
    return not rest


def _read(m: re.Match, scale: float) -> tuple[str, float | None] | None:
    """(kind, score) of a candidate: 'explicit' (4/5, 4分, ★★★★☆), 'percent' or 'bare'."""
    if m["stars"]:
        full, half, empty = sum(c in "★⭐✪" for c in m[0]), ".5" in m[0], sum(c in "☆✩" for c in m[0])
        return ("explicit", round_score(full + 0.5 * half, full + half + empty)) if full + half + empty in (5, 10) else None
    number = float(next(m[g] for g in ("fn", "gn", "hn", "on", "pn", "un", "bn") if m[g]).replace(",", "."))
    out_of = m["fm"] or m["gm"] or m["hm"] or m["om"]
    if out_of:
        return "explicit", round_score(number, float(out_of))
    if m["pn"]:
        return "percent", round_score(number, 100)
    return ("explicit" if m["un"] else "bare"), round_score(number + 0.5 * bool(m["uhalf"]), scale)


_SCALE_ASIDE = re.compile(r"\s*[(\[（]\s*(?:[01]\s*(?:-|–|to|~)\s*|/\s*|out of\s+)?(?P<top>5|10|20|100)\s*(?:points?|pts)?\s*[)\]）]")


def _score_in(text: str, scale: float = 5, *, tail: bool = False, weak: bool = False, verb: bool = False,
              bound: bool = False) -> Any:
    """The score stated at the start of `text` (folded): a table cell, a line, or what
    follows a dimension's name (`tail`: its first clause may only hold filler). A `weak`
    name needs a verb of scoring; a score `bound` to the next name ('a 4 for reflection')
    is that name's. None for a score out of range; _NOT_READ for none at all."""
    text = _prepare(text)
    if tail:  # an aside in brackets right after the name: "Critical thinking (KP 2): 4", "(0-10): 7"
        if aside := _SCALE_ASIDE.match(text):
            text, scale = text[aside.end():], float(aside["top"])
        text = re.sub(r"^\s*[(\[（][^()\[\]（）\d]{0,80}[)\]）]", "", text)
    old = names.OLD_VALUE_RE.match(text)
    text = " " * old.end() + text[old.end():] if old else text
    clause_start, first_end = 0, None
    for i, m in enumerate(names.SCORE_RE.finditer(text)):
        if i >= 12:
            break
        for end in names.CLAUSE_END_RE.finditer(text, clause_start, m.start()):
            clause_start, first_end = end.end(), end.start() if first_end is None else first_end
        prefix, before, read = text[clause_start : m.start()], text[: m.start()], _read(m, scale)
        if _rubric(text, m):
            return _NOT_READ
        first = text[: m.start() if first_end is None else first_end]  # the first clause: filler only
        if read is None or not _only_filler(prefix) or names.OVERALL_RE.search(prefix):
            continue
        change = re.search(r"(?:^|[\s(])-$", before) or re.search(r"[+−±↑↓▲▼]$", before.rstrip(" "))
        if change or not _follows_ok(text[m.end():]):
            continue  # a change ("-1", "+ 1"; "name - 2" separates) or a count ("3 of 5 examples")
        if (tail and (not _only_filler(first) or names.NOT_SCORED_RE.search(before) or names.OVERALL_RE.search(before))
                or names.NOT_SCORED_RE.search(prefix) or (weak and not (verb or _has_verb(before) or _explicit(m)))):
            continue
        kind, value = read
        if kind == "percent" and not all(names.SCORE_WORD_RE.match(w) for w in _WORD.findall(before)):
            continue  # a percentage only right after the name or a score label
        if kind == "bare" and not (_only_filler(before) or _has_verb(prefix) or names.SCORE_WORD_RE.search(prefix)):
            continue
        if bound and names.BOUND_RE.match(text, m.end()):
            return _NOT_READ
        if value == 0 and names.NOT_SCORED_RE.search(re.split(r"[.;]\s", text[m.end():], maxsplit=1)[0]):
            return None  # "0 (not enough evidence)" declines to score
        return value
    return _NOT_READ


def _score_before(before: str, scale: float, *, weak: bool, verb: bool) -> Any:
    """'I'd give you a 4 for critical thinking': the score just before a name."""
    before = before[-_REACH:]
    tail = names.BEFORE_NAME_RE.search(before)
    text = _prepare(before[: tail.start()]) if tail else ""
    text = text[max([m.end() for m in re.finditer(r"[,;:.!?]\s", text)] or [0]) :]
    last = next((m for m in names.SCORE_RE.finditer(text) if not text[m.end():].strip(" *_`")), None)
    read = _read(last, scale) if last else None
    if read is None or read[0] == "percent" or _rubric(text, last):
        return _NOT_READ
    prefix = text[: last.start()]
    verb = verb or _has_verb(prefix)
    verbs = [w for w in _WORD.finditer(prefix) if w.group() in names.VERBS]
    prefix = prefix[verbs[-1].end():] if verbs else prefix  # "That kind of scepticism earns you a 4 for ..."
    article = re.search(r"\b(?:a|an|eine|un|une|una|um|uma)\s*$", prefix)  # "a 4", a grade
    fits = _only_filler(prefix) and not names.NOT_SCORED_RE.search(prefix) and (verb or not weak)
    return read[1] if fits and (read[0] != "bare" or verb or article) else _NOT_READ


def _declared_scale(text: str, scale: float = 5, *, header: bool = False) -> float:
    """A scale the report states once for all its numbers ('(scale 0-10)', 'scores out of
    10'), or a column header for its cells ('Score /10', 'Rating (%)')."""
    ten, hundred = (names.HEADER_10, names.HEADER_100) if header else (names.SCALE_10, names.SCALE_100)
    return 10 if re.search(ten, text) else 100 if re.search(hundred, text) else scale


# --- tables -------------------------------------------------------------------

def _from_tables(lines: list[str], skipped: list[bool], scale: float) -> Found:
    found: Found = {}
    # The latest session the prose names ("Today (session 4) ..."): a table whose latest column
    # is an earlier one shows history, not this session.
    named = [_session_id(m) for line in lines if not _is_row(line) for m in names.SESSION_RE.finditer(line[:2000])]
    latest = max(named, default=None)
    starts = [n for n, line in enumerate(lines) if _is_row(line) and not (n and _is_row(lines[n - 1]))]
    for start in (s for s in starts if not skipped[s]):
        end = next((n for n in range(start, len(lines)) if not _is_row(lines[n])), len(lines))
        rows = [[c.strip(" *_`") for c in row.strip().strip("|").split("|")[:50]] for row in lines[start:end]]
        rows = [r for r in rows if not all(re.fullmatch(r":?-{2,}:?|", c) for c in r)]
        if not rows:
            continue
        header_dims = [dimension_of(c) if c else None for c in rows[0]]
        if sum(d is not None for d in header_dims) >= 2:
            found = {**_columns_are_dimensions(header_dims, rows[1:], scale, latest), **found}
        else:
            found = {**_rows_are_dimensions(rows[0], rows, scale, latest), **found}
    return found


def _session_id(m: re.Match) -> tuple[int, ...]:
    return tuple(map(int, m.group(1).split(".")))


def _is_row(line: str) -> bool:
    return line.lstrip().startswith("|") and line.count("|") >= 2


def _choose(labels: list[str], usable: list[bool], latest: tuple[int, ...] | None) -> tuple[int | None, list[int], bool]:
    """The column (or row) holding this session's scores: marked current, else overall,
    else the score column, else the latest of several sessions (unless the prose names a
    later one). Also the ones still allowed, and whether the table compares (then nothing
    is guessed)."""
    roles = [_role(label) for label in labels]
    comparison = any(r in ("previous", "target", "change") for r in roles)
    allowed = [i for i, r in enumerate(roles) if i and usable[i] and r not in ("previous", "target", "change")]
    allowed = next((chosen for w in ("current", "overall", "score") if (chosen := [i for i in allowed if roles[i] == w])), allowed)
    sessions = [(_session_id(n), i) for i in allowed if (n := names.SESSION_RE.search(fold(labels[i])))]
    if len(sessions) >= 2 and len(sessions) == len(allowed):
        return (None if latest and latest > max(sessions)[0] else max(sessions)[1]), allowed, comparison
    return (allowed[0] if len(allowed) == 1 and roles[allowed[0]] else None), allowed, comparison


def _rows_are_dimensions(header: list[str], rows: list[list[str]], scale: float, latest: tuple[int, ...] | None) -> Found:
    labelled: dict[str, list[str]] = {}  # each dimension's first row
    named = [dimension_of(row[0]) or (dimension_of(row[1]) if len(row) > 1 and re.fullmatch(r"\d*\.?", row[0]) else None)
             for row in rows]
    among_dimensions = sum(d is not None for d in named) >= 2  # then a reworded row is one of them too
    for row, dimension in zip(rows, named):
        if not dimension and (among_dimensions or any(_explicit_rating(c, scale) is not None for c in row[1:])):
            dimension = _label_dimension(row[0])  # "| Splitting the question up | 3/5 |"
        if dimension:
            labelled.setdefault(dimension, row)
    cells = {(d, i): _score_in(c, _declared_scale(header[i], scale, header=True) if i < len(header) else scale)
             for d, r in labelled.items() for i, c in enumerate(r) if i and dimension_of(c) is None}
    usable = [any(cells.get((d, i), _NOT_READ) is not _NOT_READ for d in labelled) for i in range(len(header))]
    column, allowed, comparison = _choose(header, usable, latest)
    found: Found = {}
    for dimension in labelled:
        if column is not None:
            value = cells.get((dimension, column), _NOT_READ)
        else:  # no score column: the row's one value, if it has exactly one and compares nothing
            values = [v for v in (cells.get((dimension, i), _NOT_READ) for i in allowed) if v is not _NOT_READ]
            if len(values) != 1 or comparison:
                continue  # one value per knowledge point, say: the prose may still state the session's
            value = values[0]
        found[dimension] = None if value is _NOT_READ else value
    return found


def _columns_are_dimensions(dims: list[str | None], body: list[list[str]], scale: float,
                            latest: tuple[int, ...] | None) -> Found:
    labels = [""] + [r[0] if r else "" for r in body]
    row, _, comparison = _choose(labels, [True] * len(labels), latest)
    row = 1 if row is None and not comparison and len(body) == 1 else row
    if row is None:
        return {}
    values = {d: _score_in(body[row - 1][i], scale) for i, d in enumerate(dims) if d and i < len(body[row - 1])}
    return {d: None if v is _NOT_READ else v for d, v in values.items()}


# --- prose: headings, bullets, sentences ------------------------------------------

_BOLD_LINE = re.compile(r"(\*\*|__)[^*_]{1,80}\1(?:\s*\([^()]{0,40}\))?:?")  # "**Targets** (scale 0-5)"


def _heading_level(line: str) -> int:
    """1-6 for Markdown headings, 7 for a bold line or a short line ending in a colon."""
    stripped = line.strip()
    if stripped.startswith("#"):
        return len(stripped) - len(stripped.lstrip("#"))
    return 7 if stripped and (_BOLD_LINE.fullmatch(stripped) or stripped.endswith(":") and len(stripped) <= 60) else 0


def _past(text: str) -> bool:
    """Whether `text` (a sentence's lead, a lead-in line) speaks of an earlier session, not comparing."""
    return bool(names.PAST_RE.search(text)) and not (names.COMPARED_RE.search(text) or names.NOW_RE.search(text))


def _title(line: str) -> str:
    """A heading's or label's words: '### 2. **Linking ideas:**' -> 'linking ideas'."""
    return re.sub(r"^[\s#>*_-]*(?:\d{1,2}[.)]\s*)?", "", line).strip(" *_:：")


def _skipped_sections(lines: list[str]) -> list[bool]:
    """Lines under a heading such as 'Last session' or 'Targets for next session', and the
    list after a lead-in such as 'Your scores from the previous session were:'. Sections for
    single knowledge points too, when there are several ('### KP 1', '### KP 2')."""
    skipped, level_skipped, past_list = [], None, None  # past_list: None, or whether the list has begun
    per_point = [bool(_heading_level(line) and names.KP_RE.match(_title(line))) for line in lines]
    per_point = per_point if sum(per_point) > 1 else [False] * len(lines)
    for number, line in enumerate(lines):
        if past_list is not None and (line.strip() or past_list):
            past_list = True if line.strip() and not _heading_level(line) else None
        if len(line) < 300 and line.strip(" *_").endswith(":") and (
                _past(line) and not names.ALIAS_RE.search(line) or names.SELF_RATED_RE.search(line)
                or names.NOT_THIS_SESSION_RE.search(line)):
            past_list = False  # "Your scores from the previous session were:", "Not re-assessed (for reference only):"
        level = _heading_level(line)
        if level and (level_skipped is None or level <= level_skipped):
            opening = " ".join(_WORD.findall(line)[:4])
            roles = {r for r, p in names.ROLE_RE.items() if p.search(opening)}
            past_or_future = (roles & {"previous", "target"} and "current" not in roles and not names.ALIAS_RE.search(line)
                              and not names.COMPARED_RE.search(opening))  # "Compared with last session" holds both
            level_skipped = level if past_or_future or per_point[number] else None
        skipped.append(level_skipped is not None or bool(past_list))
    return skipped


def _from_lines(lines: list[str], originals: list[str], skipped: list[bool],
                scale: float) -> tuple[Found, dict[str, str], set[str]]:
    """Scores on lines that name a dimension; also which of them revise an earlier score."""
    found: Found = {}
    revised: set[str] = set()
    evidence: dict[str, str] = {}
    tries = dict.fromkeys(DIMENSIONS, 0)  # a real report names a dimension a few dozen times at most
    final = False  # under "Final scores:": these replace what an earlier draft said
    for number, line in enumerate(lines):
        if _heading_level(line):
            final = bool(names.REVISION_RE.match(_title(line)))
        if not line or skipped[number] or line.lstrip().startswith("|"):
            continue
        matches = list(names.ALIAS_RE.finditer(line))
        if matches and (kp := names.KP_RE.search(line, 0, matches[0].start())) and kp.start() < 12:
            continue  # "**KP1 – Tokens:** decomposition 3 · critical thinking 3": one knowledge point's
        starts = [m.start() for m in matches]
        for j, match in enumerate(matches):
            dimension, strong = names.ALIAS_OF[match.group(1)]
            tries[dimension] += 1
            start, end = match.start(), matches[j + 1].start() if j + 1 < len(matches) else len(line)
            window = max(0, start - _REACH)
            sentence = max([b.end() for b in _SENTENCE_END.finditer(line, window, start)] or [window])
            revising = final or names.REVISION_RE.match(line, sentence, start) or names.REVISE_RE.search(line, sentence, start)
            if dimension in found and not revising or tries[dimension] > 60:  # "Revising: **Critical Thinking 3.5**"
                continue
            since = max(matches[j - 1].end() if j else 0, start - _REACH)
            since_name = line[since:start]
            lead = line[sentence : starts[bisect.bisect_left(starts, sentence)]]  # "Targets for this session: ..."
            this_sentence = line[max(since, sentence) : start]
            if any(names.ROLE_RE[role].search(text) for role in ("previous", "target") for text in (lead, this_sentence)):
                continue  # "Target for critical thinking: 4/5", "Last time your reflection was 3/5"
            if _past(lead):
                continue  # "Last time (s2.1) you scored Question Decomposition 3, Critical Thinking 3.5, ..."
            at_label = bool(start <= 40 and names.LABEL_LEAD_RE.fullmatch(line, 0, start)) or bool(
                j and names.AFTER_VALUE_RE.search(line, max(0, start - 12), start))
            weak = not strong and not at_label  # a generic word inside a sentence: only with a verb of scoring
            verb = _has_verb(re.split(r"[.!?;。！？；](?:\s|$)", line[max(0, start - _REACH) : start])[-1])
            value = _score_in(line[match.end() : end], scale, tail=True, weak=weak, verb=verb, bound=end < len(line))
            if value is _NOT_READ:
                value = _score_before(since_name, scale, weak=weak, verb=verb)
            if value is _NOT_READ and not j:
                value = _score_leading(line[:start], scale)
            if value is _NOT_READ and j + 1 == len(matches) and at_label and not _prepare(line[match.end():]).strip(" *_:#-—–.()"):
                value = _score_below(lines[number + 1 : number + 4], scale)
            if value is not _NOT_READ and value is not None:
                if revising:
                    revised.add(dimension)
                found[dimension] = value
                if len(line[match.end():].strip()) > 12:
                    evidence[dimension] = originals[number].strip(" \t-*#>").replace("**", "")
    return found, evidence, revised


def _score_leading(lead: str, scale: float) -> Any:
    """'4/5 — Critical Thinking', '★★★☆☆ Pensamento crítico': an explicit rating opens the
    line and the name follows it; nothing else before the name."""
    text = _prepare(lead)
    m = names.SCORE_RE.match(text, names.LABEL_LEAD_RE.match(text).end())
    if m is None or not _explicit(m) or not re.fullmatch(r"[\s*_:：|—–)\]】-]*", text[m.end():]):
        return _NOT_READ
    read = _read(m, scale)
    return _NOT_READ if read is None else read[1]


# A level of a rubric, one per line: "- 5 — Breaks questions down unprompted", "3 Punkte: zerlegt Fragen".
_LEVEL_LINE = re.compile(r"\s*(?:[-*+•]\s+)?[*_]*(?:(?:band|level|niveau|nivel|stufe)\s*)?(?P<level>[0-5])[*_]*\s*"
                         r"(?:(?:points?|pts|punkte?|puntos?|pontos?|点|分|점)\s*)?(?:[—–:=.)]|\s-\s)\s*[^\W\d]")


def _score_below(lines: list[str], scale: float) -> Any:
    """A heading alone on its line ('### Critical Thinking') with the score just below;
    not a rubric's levels listed below it."""
    levels = [m["level"] for m in map(_LEVEL_LINE.match, lines[:3]) if m]
    if len(set(levels)) >= 2:
        return _NOT_READ
    for line in lines:
        name = names.ALIAS_RE.search(line[:_REACH])
        if line.lstrip().startswith(("#", "|")) or (name and names.LABEL_LEAD_RE.fullmatch(line, 0, name.start())):
            return _NOT_READ
        value = _score_in(re.sub(r"^\s*(?:[-*+•]\s+|\d{1,2}[.)]\s+)", "", line), scale)
        if value is not _NOT_READ:
            return value
    return _NOT_READ


# --- reworded labels and paragraphs: explicit ratings only ---------------------------

def _label_dimension(label: str) -> str | None:
    """The one dimension a short label names, in its own words or by stems: 'Splitting the
    question up', 'Conexões entre ideias'; not 'Claims challenged', 'Reflection prompts answered'."""
    if names.LABEL_STEM_RE["connection_making"].search(label):
        label = names.ROLE_RE["previous"].sub(" ", label)  # "Linking new ideas to prior knowledge"
    if len(label) > 80 or len(_WORD.findall(label)) > 9 or re.search(r"\d", label) or names.NOT_LABEL_RE.search(label):
        return None
    dimensions = {names.ALIAS_OF[m.group(1)][0] for m in names.ALIAS_RE.finditer(label)}
    dimensions |= {d for d, stem in names.LABEL_STEM_RE.items() if stem.search(label)}
    dimensions = dimensions or ({"conceptual_understanding"} if names.CONCEPT_STEM_RE.search(label) else set())
    return dimensions.pop() if len(dimensions) == 1 else None


_AFTER_SCORE_LABEL = re.compile(r"[^\W\d_]+(?:[\s*_]*[:：=]|\s+(?=\d))[\s*_]*")  # "Score: ", "nota = ", "Level "


def _explicit_rating(text: str, scale: float) -> float | None:
    """The rating `text` starts with, if explicit (3/5, ★★★☆☆, 4分), perhaps after a label
    ("Nota: 8/10"); a bare number only as a rubric's level ("Niveau 4")."""
    text = _prepare(text)
    start = len(text) - len(text.lstrip(" *_"))
    label = names.SCORE_WORD_RE.match(text, start) and _AFTER_SCORE_LABEL.match(text, start)
    m = names.SCORE_RE.match(text, label.end() if label else start)
    explicit = m and (_explicit(m) or label and m["bn"])  # "Niveau 4 (maîtrisé)", "— nota 3,5"
    read = _read(m, scale) if explicit and _follows_ok(text[m.end():]) and not _rubric(text, m) else None
    return read and read[1]


def _from_labels(lines: list[str], skipped: list[bool], scale: float) -> Found:
    found: Found = {}
    for number, line in enumerate(lines):
        label = None if skipped[number] or len(line) > _REACH else names.LABEL_LINE_RE.match(line)
        dimension = label and _label_dimension(_title(label["bold"] or label["plain"] or label["topic"]))
        if dimension and dimension not in found and (value := _explicit_rating(label["rest"], scale)) is not None:
            found[dimension] = value
    return found


_INITIALS = re.compile(r"\b(qd|ct|cm|cu|rq)\b[\s*_]*[:=]?[\s*_]*(\d+(?:[.,]\d+)?)(?![\d/%.,])")


def _from_initials(lines: list[str], skipped: list[bool], scale: float) -> Found:
    """'QD 4 | CT 3 | CM 3 | CU 4 | RQ 3': the dimensions' initials, three or more on one line."""
    for number, line in enumerate(lines):
        if skipped[number]:
            continue
        found = {names.SHORT_KEY_OF[m[1]]: round_score(float(m[2].replace(",", ".")), scale)
                 for m in _INITIALS.finditer(line[:_REACH])}
        if len(found) >= 3:
            return found
    return {}


def _blocks(lines: list[str], skipped: list[bool]) -> Iterator[tuple[str, str, bool]]:
    """(heading, text, whether a heading's whole section) of prose: each paragraph and each
    section, without tables, code or skipped sections; a bounded number of them."""
    heading, section, paragraph, fenced, count = "", [], [], False, 0
    for number, line in enumerate([*lines, "#"]):
        fenced ^= bool(re.match(r"\s*(?:`{3}|~{3})", line))
        prose = number == len(lines) or not (fenced or skipped[number] or _is_row(line) or len(line) > 2000)
        titles = _heading_level(line) and not (_heading_level(line) == 7 and re.search(r"\d", line))  # not "**Score: 4/5**"
        ends = not line.strip() or not prose or titles
        for done, text, whole in ((paragraph and ends, paragraph, False), (section and prose and titles, section, True)):
            if done and count < 400:
                count += 1
                yield heading, "\n".join(text), whole
        if ends:
            paragraph = []
        if prose and titles:
            heading, section = line, []
        elif prose:
            section.append(line)
            paragraph += [line] if line.strip() else []


def _from_paragraphs(lines: list[str], skipped: list[bool], scale: float) -> Found:
    """A paragraph that names one dimension in its first sentence, or the section under a heading
    that names one, and then states one rating, referring back: '... I would put that at 2 out of 5.'"""
    found: Found = {}
    for head, block, whole in _blocks(lines, skipped):
        title = _title(head)
        scored = bool(re.search(r"\d", _prepare(title)))  # "### Reflection: 2/5"; not "### Feedback (Session 2.3)"
        titled = _label_dimension(title) if head and not scored else None
        if whole != bool(titled) or not titled and head and (scored or names.NOT_PROSE_HEADING_RE.search(head)):
            continue  # a dimension's section is read whole; nothing under 'Overall', 'Next steps' or 'KP 2'
        raw = _digits(block[:4000])
        text = _prepare(raw, 4000, digits=False)
        named = list(names.ALIAS_RE.finditer(text))
        dimensions = {names.ALIAS_OF[m.group(1)][0] for m in named} | ({titled} if titled else set())
        first_end = next((e.start() for e in _SENTENCE_END.finditer(text)), len(text))
        if len(dimensions) != 1 or not titled and (not named or named[0].start() > first_end):
            continue
        candidates = islice(names.SCORE_RE.finditer(text, 0 if titled else named[0].end()), 40)
        own = bool(titled) or bool(names.LABEL_LEAD_RE.fullmatch(text, 0, named[0].start()))  # "**Reflection.** ..."
        ratings = {_paragraph_rating(text, raw, m, named, scale, own) for m in candidates} - {_NOT_READ}
        if len(ratings) == 1 and isinstance(value := ratings.pop(), float):
            found.setdefault(dimensions.pop(), value)
    return found


def _paragraph_rating(text: str, raw: str, m: re.Match, named: list[re.Match], scale: float, own: bool) -> Any:
    """The rating `m` in a paragraph: its score; 'unfit' when it rates something else (the
    session, a quiz, an earlier session) or is a rubric; _NOT_READ when it is no rating at all.
    In a dimension's `own` paragraph or section, "Overall, ..." sums up the dimension."""
    read = _read(m, scale)
    change = re.search(r"[+−±-]\s*$", text[: m.start()][-3:])
    if read is None or read[0] == "percent" or change or not _follows_ok(text[m.end():]):
        return _NOT_READ  # no rating, a change ("+1") or a count ("3 of 5 examples")
    start = max([e.end() for e in _SENTENCE_END.finditer(text, max(0, m.start() - _REACH), m.start())] or [0])
    if own and (summing_up := names.SUMMING_UP_RE.match(text, start)):
        start = summing_up.end()
    end = next((e.start() for e in _SENTENCE_END.finditer(text, m.end())), len(text))
    sentence, here = text[start:end], [n for n in named if start <= n.start() < m.start()]
    clauses = [c.end() for c in _CLAUSE.finditer(text, start, m.start())]
    prefix = text[max([start, *(n.end() for n in here), *clauses]) : m.start()]  # from the name or the clause's start
    colon = max(prefix.rfind(":"), prefix.rfind("："))
    if colon >= 0 and _has_verb(prefix[colon:]):
        prefix = prefix[colon + 1 :]  # "..., même si je t'ai aidée : je te mets 3 sur 5"; not "prompts answered: 4/5"
    fits = (_only_filler(prefix) and not names.NOT_SCORED_RE.search(prefix) and not names.WHOLE_RE.search(prefix)
            and (_explicit(m) or _has_verb(prefix) or names.FOLLOW_PHRASE_RE.match(text, m.end())) and not _past(sentence) and not names.ROLE_RE["target"].search(sentence)
            and not names.KP_RE.search(raw, start, end) and not _rubric(text, m)
            and (here or names.BACK_REFERENCE_RE.search(sentence) or not names.WHOLE_OR_OVERALL_RE.search(sentence)))
    return read[1] if fits else "unfit" if _explicit(m) or _rubric(text, m) else _NOT_READ
