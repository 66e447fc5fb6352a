"""Courses: course.yaml, module overviews and lesson files, loaded and validated.

A lesson is Markdown with YAML front matter (see sessions/README.md), checked by a
pydantic model; course.yaml too. Loading stops at the first broken file with an
error naming the file and field; `tutor.course_check` lists every problem. Course
files are untrusted input: their YAML may hold no more than a few aliases (a "billion
laughs" file is refused, not expanded), every path they name must stay inside the
course folder, and files over a size limit are refused.

A course is named by a built-in name (`llm`, the default) or by a folder. Its `key`
keeps its transcripts and scores apart from every other course's.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tutor import __version__
from tutor.errors import InputError

SESSION_ID = re.compile(r"^s(\d+)\.(\d+)$")
KP_HEADING = re.compile(r"^## Knowledge point (\d+):\s*(.+?)\s*$")
PART_HEADING = re.compile(r"^### (.+?)\s*$")
# A runnable example and the output block that records what it prints.
RUNNABLE_BLOCK = re.compile(r"^```python runnable[ \t]*\n(.*?)^```[ \t]*\n(?:[ \t]*\n)*(?:```output[ \t]*\n(.*?)^```)?", re.S | re.M)
KP_PARTS = ("Probing question", "Core concepts", "Hands-on implementation", "Advanced theory", "Understanding check")
DEFAULT_COURSE = "llm"
MAX_FILE_BYTES = 512 * 1024
MAX_YAML_ALIASES = 10
_TIER_LABELS = {"core": "Core", "hands-on": "Hands-on", "advanced": "Advanced"}


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


@dataclass(frozen=True)
class Module:
    id: int
    title: str
    overview: str
    lessons: list[Lesson]


@dataclass(frozen=True)
class Course:
    key: str  # names the course's folder of transcripts and its rows in the store
    title: str
    version: str
    root: Path
    modules: list[Module]
    content_hash: str
    description: str = ""
    lessons: dict[str, Lesson] = field(default_factory=dict)

    def lesson(self, session: str) -> Lesson:
        sid = normalise_session_id(session)
        if sid in self.lessons:
            return self.lessons[sid]
        nearest = difflib.get_close_matches(sid, list(self.lessons), n=3, cutoff=0.5)
        hint = f"Did you mean {', '.join(nearest)}? " if nearest else ""
        raise InputError(f"Unknown session {session[:40]!r} in course {self.key}.", f"{hint}`{self.command('list')}` shows all sessions.")

    def command(self, words: str) -> str:
        """A `tutor` command line for this course, to show in a hint: `tutor start s1.2`
        for the default course, `tutor start s1.2 --course gpt` for another."""
        if self.key == DEFAULT_COURSE:
            return f"tutor {words}"
        where = self.key if self.key in built_in_courses() else shlex.quote(str(self.root))
        return f"tutor {words} --course {where}"

    def module(self, text: str) -> Module | None:
        """`m2`, `M2` or `module2` name module 2."""
        match = re.fullmatch(r"(?:m|module)\s*(\d+)", text.strip().lower())
        return next((m for m in self.modules if match and m.id == int(match.group(1))), None)

    def ordered(self) -> list[Lesson]:
        return [lesson for module in self.modules for lesson in module.lessons]


def runnable_examples(text: str) -> list[Example]:
    return [Example(m.group(1), m.group(2), text.count("\n", 0, m.start()) + 1) for m in RUNNABLE_BLOCK.finditer(text)]


def normalise_session_id(text: str) -> str:
    """`s1.1`, `S1.1` and `1.1` all name session s1.1."""
    text = text.strip().lower()
    return text if text.startswith("s") else f"s{text}"


def built_in_courses() -> dict[str, Path]:
    """The courses that ship with tutor, by name."""
    from tutor.content import content_root

    return {DEFAULT_COURSE: content_root() / "sessions", "gpt": content_root() / "courses" / "gpt"}


def resolve_course(name: str | Path | None) -> tuple[str | None, Path]:
    """A built-in name, or a folder with a course.yaml: (built-in name or None, folder)."""
    courses = built_in_courses()
    if name is None or str(name) in courses:
        chosen = DEFAULT_COURSE if name is None else str(name)
        return chosen, courses[chosen]
    root = Path(name).expanduser()
    if not (root / "course.yaml").is_file():
        raise InputError(f"No course {str(name)[:80]!r}: not a built-in course and not a folder with a course.yaml.",
                         f"Use one of: {', '.join(courses)} (see `tutor courses`), or a folder that `tutor course check` accepts.")
    return None, root


def load_course(name: str | Path | None = None) -> Course:
    built_in, root = resolve_course(name)
    index = course_index(root)
    digest = hashlib.sha256()
    modules: list[Module] = []
    lessons: dict[str, Lesson] = {}
    for entry in index["modules"]:
        module_lessons = []
        for session in entry["sessions"]:
            lesson = _lesson(Path(session["path"]), session["meta"])
            if lesson.id in lessons:
                raise InputError(f"{lesson.path}: field 'id' repeats {lesson.id}, already used by {lessons[lesson.id].path.name}.", "Give every session its own id.")
            digest.update(lesson.text.encode())
            lessons[lesson.id] = lesson
            module_lessons.append(lesson)
        overview = _read_text(Path(entry["overview"])) if entry["overview"] else ""
        modules.append(Module(entry["id"], entry["title"], overview, module_lessons))
    key = built_in or course_key(index["title"], root)
    return Course(key, index["title"], index["version"], root, modules, digest.hexdigest()[:16], index["description"], lessons)


def course_index(root: Path) -> dict[str, Any]:
    """course.yaml and every lesson's front matter, validated: from the cache when no
    file changed since they were last validated (by size and modification time),
    else validated now and cached. The cache only saves time; it is rebuilt at will."""
    cache = _index_cache(root)
    try:
        cached = json.loads(cache.read_text(encoding="utf-8"))
        if cached["tutor"] == __version__ and cached["stamp"] == _stamp(cached["files"]):
            return cached["index"]
    except (OSError, ValueError, KeyError, TypeError):
        pass
    index, files = _validate_index(root)
    try:
        cache.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        cache.write_text(json.dumps({"tutor": __version__, "files": files, "stamp": _stamp(files), "index": index}), encoding="utf-8")
    except OSError:
        pass  # a read-only cache only costs the speed-up
    return index


def _validate_index(root: Path) -> tuple[dict[str, Any], list[str]]:
    from tutor.course_schema import CourseIndex, LessonMeta, validate_file

    path = root / "course.yaml"
    data = validate_file(CourseIndex, read_yaml(path), path)
    files = [str(path)]
    modules = []
    for entry in data.modules:
        sessions = []
        for relative in entry.sessions:
            lesson_path = inside(root, relative, path)
            raw, _ = split_front_matter(_read_text(lesson_path), lesson_path)
            sessions.append({"path": str(lesson_path), "meta": validate_file(LessonMeta, raw, lesson_path).model_dump()})
            files.append(str(lesson_path))
        overview = str(inside(root, entry.overview, path)) if entry.overview else None
        files += [overview] if overview else []
        modules.append({"id": entry.id, "title": entry.title, "overview": overview, "sessions": sessions})
    index = {"title": data.title, "version": data.version, "description": data.description, "modules": modules}
    return index, files


def _stamp(files: list[str]) -> list[list[int]]:
    stamps = []
    for name in files:
        try:
            info = os.stat(name)
        except OSError:
            return []
        stamps.append([info.st_size, info.st_mtime_ns])
    return stamps


def _index_cache(root: Path) -> Path:
    import platformdirs

    folder = Path(platformdirs.user_cache_dir("tutor", appauthor=False)) / "course-index"
    return folder / f"{hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:24]}.json"


def course_key(title: str, root: Path) -> str:
    """A teacher's course: its title as a slug plus a hash of its folder, so two
    courses with one title never share transcripts."""
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:40] or "course"
    return f"{slug}-{hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:8]}"


def inside(root: Path, relative: str, named_in: Path) -> Path:
    """`relative` under `root`, refusing any path that leaves the course folder."""
    path = (root / relative).resolve()
    if not path.is_relative_to(root.resolve()):
        raise InputError(f"{named_in}: path {relative!r} leaves the course folder.", "Name files inside the course folder, relative to course.yaml.")
    return path


def parse_lesson(path: Path) -> Lesson:
    """A lesson file, validated (what `course check` and a cache miss do)."""
    from tutor.course_schema import LessonMeta, validate_file

    text = _read_text(path)
    raw, _ = split_front_matter(text, path)
    return _lesson(path, validate_file(LessonMeta, raw, path).model_dump(), text)


def _lesson(path: Path, meta: dict[str, Any], text: str | None = None) -> Lesson:
    text = _read_text(path) if text is None else text
    body = text[text.find("\n---", 3) + 4 :].lstrip("-\n")
    return Lesson(
        id=meta["id"], title=meta["title"], module=meta["module"], primary_question=meta["primary_question"],
        prerequisites=[normalise_session_id(p) for p in meta["prerequisites"]], estimated_minutes=meta["estimated_minutes"],
        knowledge_points=meta["knowledge_points"], text=text, body=body, path=path,
    )


def split_front_matter(text: str, path: Path) -> tuple[dict[str, Any], str]:
    if not text.startswith("---"):
        raise InputError(f"{path}: no YAML front matter (the file must start with a '---' line).", "See sessions/README.md for the lesson format.")
    end = text.find("\n---", 3)
    if end < 0:
        raise InputError(f"{path}: the front matter is not closed by a '---' line.", "Add a line with --- after the last field.")
    meta = _load_yaml(text[3:end], path, offset=1)
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


def compact_lesson(lesson: Lesson, tier: str | None = None) -> str:
    """The lesson cut to what a small context window must keep: the primary question,
    and for each knowledge point its title, probing question and understanding check
    (only the learner's tier's line of it, when a tier is set)."""
    out = [f"# Session {lesson.id[1:]}: {lesson.title}", "", f"Primary question: {lesson.primary_question}", ""]
    points = split_knowledge_points(lesson.body)
    for number, title in enumerate(lesson.knowledge_points, start=1):
        parts = points.get(number, {})
        out.append(f"## Knowledge point {number}: {title}")
        for name in ("Probing question", "Understanding check"):
            text = parts.get(name, "")
            if name == "Understanding check" and tier:
                text = tier_check(text, tier)
            if text:
                out += [f"{name}: {text}"]
        out.append("")
    return "\n".join(out).strip() + "\n"


def tier_check(check: str, tier: str) -> str:
    """The `- Core:` / `- Hands-on:` / `- Advanced:` line of an understanding check
    (the whole check when it has no such lines)."""
    label = _TIER_LABELS.get(tier, "")
    lines = [line.strip() for line in check.splitlines() if line.strip().startswith(f"- {label}:")]
    return lines[0][2:] if lines else check


def _read_text(path: Path) -> str:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise InputError(f"Course file {path} is over {MAX_FILE_BYTES // 1024} KB.", "Split it; a lesson is a few dozen KB.")
        return path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise InputError(f"Course file {path} does not exist.", "Check the path in course.yaml, or pass --course with the right folder.") from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"Course file {path} is not UTF-8 text (byte {exc.start}).", "Save it as UTF-8.") from exc
    except OSError as exc:
        raise InputError(f"Cannot read course file {path}: {exc.strerror}.", "Make it a readable file.") from exc


def read_yaml(path: Path) -> Any:
    return _load_yaml(_read_text(path), path)


def _load_yaml(text: str, path: Path, offset: int = 0) -> Any:
    import yaml  # PyYAML costs ~30 ms to import; only course commands need it

    class BoundedLoader(yaml.SafeLoader):
        """A safe loader that refuses more than a few aliases: a nested-alias file
        would otherwise expand to gigabytes when walked."""

        aliases = 0

        def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
            if self.check_event(yaml.AliasEvent):
                BoundedLoader.aliases += 1
                if BoundedLoader.aliases > MAX_YAML_ALIASES:
                    raise yaml.YAMLError(f"more than {MAX_YAML_ALIASES} YAML aliases")
            return super().compose_node(parent, index)

    try:
        return yaml.load(text, Loader=BoundedLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        raise InputError(f"{path}: not valid YAML ({_yaml_where(exc, offset)}).", "Fix that line; quote values that contain a colon.") from exc


def _yaml_where(exc: Exception, offset: int = 0) -> str:
    """'line N: problem', N counted in the file (`offset` lines precede the YAML)."""
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc) or "syntax error"
    return f"line {mark.line + 1 + offset}: {problem}" if mark else problem
