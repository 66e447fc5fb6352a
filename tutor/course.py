"""The course: course.yaml, module overviews and lesson files, loaded and validated.

A lesson is Markdown with YAML front matter (see sessions/README.md). Loading stops at
the first broken file with an error naming the file and field; `tutor.course_check`
lists every problem for teachers.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tutor.errors import InputError

SESSION_ID = re.compile(r"^s(\d+)\.(\d+)$")
KP_HEADING = re.compile(r"^## Knowledge point (\d+):\s*(.+?)\s*$")
PART_HEADING = re.compile(r"^### (.+?)\s*$")
# A runnable example and the output block that records what it prints.
RUNNABLE_BLOCK = re.compile(r"^```python runnable[ \t]*\n(.*?)^```[ \t]*\n(?:[ \t]*\n)*(?:```output[ \t]*\n(.*?)^```)?", re.S | re.M)
KP_PARTS = ("Probing question", "Core concepts", "Hands-on implementation", "Advanced theory", "Understanding check")
REQUIRED_FIELDS = ("id", "title", "module", "primary_question", "prerequisites", "estimated_minutes", "knowledge_points")


@dataclass(frozen=True)
class Lesson:
    id: str
    title: str
    module: int
    primary_question: str
    prerequisites: list[str]
    estimated_minutes: int
    knowledge_points: list[str]
    text: str  # the whole file, front matter included: what the tutor model reads
    body: str
    path: Path

    def sections(self, kp: int) -> dict[str, str]:
        """The ### parts of knowledge point `kp` (1-based), by heading."""
        return split_knowledge_points(self.body).get(kp, {})


@dataclass(frozen=True)
class Example:
    """A `python runnable` block, its recorded output (None when missing) and its line."""

    code: str
    output: str | None
    line: int


def runnable_examples(text: str) -> list[Example]:
    return [
        Example(m.group(1), m.group(2), text.count("\n", 0, m.start()) + 1)
        for m in RUNNABLE_BLOCK.finditer(text)
    ]


@dataclass(frozen=True)
class Module:
    id: int
    title: str
    overview: str
    lessons: list[Lesson]


@dataclass(frozen=True)
class Course:
    title: str
    version: str
    root: Path
    modules: list[Module]
    content_hash: str
    lessons: dict[str, Lesson] = field(default_factory=dict)

    def lesson(self, session: str) -> Lesson:
        sid = normalise_session_id(session)
        if sid in self.lessons:
            return self.lessons[sid]
        nearest = difflib.get_close_matches(sid, list(self.lessons), n=3, cutoff=0.5)
        hint = f"Did you mean {', '.join(nearest)}? " if nearest else ""
        raise InputError(f"Unknown session {session!r}.", f"{hint}`tutor list` shows all sessions.")

    def ordered(self) -> list[Lesson]:
        return [lesson for module in self.modules for lesson in module.lessons]


def normalise_session_id(text: str) -> str:
    """`s1.1`, `S1.1` and `1.1` all name session s1.1."""
    text = text.strip().lower()
    return text if text.startswith("s") else f"s{text}"


def default_course_root() -> Path:
    from tutor.content import content_root

    return content_root() / "sessions"


def load_course(root: Path | None = None) -> Course:
    root = Path(root) if root else default_course_root()
    index = root / "course.yaml"
    data = _read_yaml(index)
    if not isinstance(data, dict) or not isinstance(data.get("modules"), list):
        raise InputError(f"{index}: field 'modules' is missing or not a list.", "See sessions/README.md for the course format.")
    digest = hashlib.sha256()
    modules: list[Module] = []
    lessons: dict[str, Lesson] = {}
    for number, entry in enumerate(data["modules"], start=1):
        if not isinstance(entry, dict) or not isinstance(entry.get("sessions"), list):
            raise InputError(f"{index}: module {number} needs 'title' and a 'sessions' list.", "See sessions/README.md for the course format.")
        module_lessons = []
        for relative in entry["sessions"]:
            path = root / str(relative)
            lesson = parse_lesson(path)
            if lesson.id in lessons:
                raise InputError(f"{path}: field 'id' repeats {lesson.id}, already used by {lessons[lesson.id].path.name}.", "Give every session its own id.")
            digest.update(lesson.text.encode())
            lessons[lesson.id] = lesson
            module_lessons.append(lesson)
        overview = ""
        if entry.get("overview"):
            overview = _read_text(root / str(entry["overview"]))
        modules.append(Module(int(entry.get("id", number)), str(entry.get("title", f"Module {number}")), overview, module_lessons))
    return Course(str(data.get("title", "Course")), str(data.get("version", "0")), root, modules, digest.hexdigest()[:16], lessons)


def parse_lesson(path: Path) -> Lesson:
    text = _read_text(path)
    meta, body = split_front_matter(text, path)
    for name in REQUIRED_FIELDS:
        if name not in meta:
            raise InputError(f"{path}: front matter field '{name}' is missing.", "See sessions/README.md for the lesson format.")
    sid = str(meta["id"])
    if not SESSION_ID.match(sid):
        raise InputError(f"{path}: field 'id' is {sid!r}, expected the form s1.2.", "Fix the id in the front matter.")
    kps = meta["knowledge_points"]
    if not isinstance(kps, list) or not kps or not all(isinstance(kp, str) for kp in kps):
        raise InputError(f"{path}: field 'knowledge_points' must be a non-empty list of titles.", "See sessions/README.md for the lesson format.")
    prereqs = meta["prerequisites"] or []
    if not isinstance(prereqs, list):
        raise InputError(f"{path}: field 'prerequisites' must be a list of session ids.", "For example: prerequisites: [s1.1]")
    try:
        module, minutes = int(meta["module"]), int(meta["estimated_minutes"])
    except (TypeError, ValueError) as exc:
        raise InputError(f"{path}: fields 'module' and 'estimated_minutes' must be whole numbers.", "For example: module: 1") from exc
    return Lesson(
        id=sid, title=str(meta["title"]), module=module, primary_question=str(meta["primary_question"]),
        prerequisites=[normalise_session_id(str(p)) for p in prereqs], estimated_minutes=minutes,
        knowledge_points=kps, text=text, body=body, path=path,
    )


def split_front_matter(text: str, path: Path) -> tuple[dict[str, Any], str]:
    if not text.startswith("---"):
        raise InputError(f"{path}: no YAML front matter (the file must start with a '---' line).", "See sessions/README.md for the lesson format.")
    end = text.find("\n---", 3)
    if end < 0:
        raise InputError(f"{path}: the front matter is not closed by a '---' line.", "Add a line with --- after the last field.")
    try:
        meta = _yaml().safe_load(text[3:end])
    except _yaml().YAMLError as exc:
        raise InputError(f"{path}: front matter is not valid YAML ({_yaml_where(exc, offset=1)}).", "Fix that line; quote values that contain a colon.") from exc
    if not isinstance(meta, dict):
        raise InputError(f"{path}: front matter must be a YAML mapping of fields.", "See sessions/README.md for the lesson format.")
    body = text[end + 4 :].lstrip("-\n")
    return meta, body


def split_knowledge_points(body: str) -> dict[int, dict[str, str]]:
    """Map knowledge point number -> {part heading -> text}; the KP title is under 'title'."""
    points: dict[int, dict[str, str]] = {}
    current: dict[str, str] | None = None
    part: str | None = None
    lines: list[str] = []

    def flush() -> None:
        if current is not None and part is not None:
            current[part] = "\n".join(lines).strip()

    for line in body.splitlines():
        kp = KP_HEADING.match(line)
        if kp or line.startswith("## "):
            flush()
            part, lines = None, []
            current = None
            if kp:
                current = points.setdefault(int(kp.group(1)), {"title": kp.group(2)})
            continue
        heading = PART_HEADING.match(line)
        if heading and current is not None:
            flush()
            part, lines = heading.group(1), []
            continue
        lines.append(line)
    flush()
    return points


def compact_lesson(lesson: Lesson) -> str:
    """The lesson cut to what a small context window must keep: the primary question,
    and for each knowledge point its title, probing question and understanding check."""
    out = [f"# Session {lesson.id[1:]}: {lesson.title}", "", f"Primary question: {lesson.primary_question}", ""]
    points = split_knowledge_points(lesson.body)
    for number, title in enumerate(lesson.knowledge_points, start=1):
        parts = points.get(number, {})
        out.append(f"## Knowledge point {number}: {title}")
        for name in ("Probing question", "Understanding check"):
            if parts.get(name):
                out += [f"{name}: {parts[name]}"]
        out.append("")
    return "\n".join(out).strip() + "\n"


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise InputError(f"Course file {path} does not exist.", "Check the path in course.yaml, or pass --course with the right folder.") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"Cannot read course file {path}: {exc}.", "Make it a readable UTF-8 text file.") from exc


def _read_yaml(path: Path) -> Any:
    try:
        return _yaml().safe_load(_read_text(path))
    except _yaml().YAMLError as exc:
        raise InputError(f"{path}: not valid YAML ({_yaml_where(exc)}).", "Fix that line.") from exc


def _yaml_where(exc: Exception, offset: int = 0) -> str:
    """'line N: problem', N counted in the file (`offset` lines precede the YAML)."""
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or "syntax error"
    return f"line {mark.line + 1 + offset}: {problem}" if mark else problem


def _yaml():
    import yaml  # PyYAML costs ~30 ms to import; only course commands need it

    return yaml
