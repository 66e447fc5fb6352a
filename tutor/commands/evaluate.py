"""`tutor eval [SESSION]`: grade a session with the post-prompt, or import a grade."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer

from tutor.commands import options


def evaluate(
    session: Optional[str] = typer.Argument(None, help="Session id (default: the session you used most recently).", show_default=False),
    from_file: Optional[str] = typer.Option(None, "--from-file", help="Grade from an evaluation text you got elsewhere; - reads standard input.", show_default=False),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON for scripts."),
    lang: options.Lang = None,
    tier: options.TierOption = None,
    backend: options.Backend = None,
    model: options.Model = None,
    course: options.Course = None,
) -> None:
    """Evaluate a session on five dimensions (0-5) and store the scores."""
    from tutor import transcript
    from tutor.config import data_home, load_config
    from tutor.course import load_course
    from tutor.errors import InputError
    from tutor.render import make_screen, wants_plain
    from tutor.session import Choices

    loaded = load_course(course)
    home = data_home()
    lesson = loaded.lesson(session) if session else _most_recent(loaded, home)
    runs = transcript.runs(home, lesson.id)
    screen = make_screen(wants_plain() or as_json)

    if from_file is not None:
        from tutor.evaluation import import_report
        from tutor.session import prompt_hashes

        text = _read_report(from_file)
        run = transcript.read(runs[-1]) if runs else transcript.create(home, {
            "session": lesson.id, "title": lesson.title, "course_version": loaded.version, "course_hash": loaded.content_hash,
            "prompt_hashes": prompt_hashes(lesson), "backend": "import", "model": None, "language": lang, "tier": None,
        })
        _report_result(import_report(lesson.id, text, run, home), screen, as_json)
        return

    if not runs:
        raise InputError(f"Session {lesson.id} has no transcript to evaluate yet.", f"Chat first with `tutor start {lesson.id}`, or import a report with --from-file.")
    run = transcript.read(runs[-1])
    if not any(t["type"] == "student" and not t.get("auto") for t in run.turns()):
        raise InputError(f"Session {lesson.id} has no answers from you yet, so there is nothing to evaluate.", f"Chat first with `tutor start {lesson.id}`.")
    choices = Choices(lang, tier.value if tier else None, backend, model)
    evaluate_run(loaded, run, load_config(), choices, screen, as_json=as_json)


def evaluate_run(course, run, config, choices, screen, *, as_json: bool = False) -> None:
    """Stream the report for `run`, score it and store the result (also used by /eval)."""
    from tutor.backends.base import open_backend
    from tutor.chat import pump
    from tutor.config import choose_backend, data_home
    from tutor.evaluation import Evaluator

    lesson = course.lesson(run.session)
    spec, notice = choose_backend(config, choices.backend, choices.model)
    if notice:
        screen.note(notice)
    backend = open_backend(spec)
    with screen.spinner("Getting the model ready…"):
        backend.prepare()
    evaluator = Evaluator(lesson, backend, run, choices.language or run.setting("language") or "English")
    if as_json:
        for _ in evaluator.report():
            pass
    else:
        screen.info(f"Evaluating session {lesson.id}: {lesson.title}")
        pump(evaluator.report(), screen.show)
    with screen.spinner("Reading the scores…"):
        evaluation = evaluator.finish(data_home())
    _report_result(evaluation, screen, as_json)


def _report_result(evaluation, screen, as_json: bool) -> None:
    from tutor.errors import BackendError
    from tutor.evaluation import to_json
    from tutor.progress import mastery_band
    from tutor.scores import DIMENSION_TITLES, DIMENSIONS

    if as_json:
        print(json.dumps(to_json(evaluation), ensure_ascii=False, indent=2))
    else:
        rows = [[DIMENSION_TITLES[d], _fmt(evaluation.scores.get(d))] for d in DIMENSIONS]
        total = evaluation.total
        rows.append(["Total", f"{total:g}/25 ({mastery_band(total)})" if total is not None else "—"])
        screen.table(f"Scores for {evaluation.session} ({evaluation.method})", ["dimension", "score"], rows)
    if not evaluation.readable:
        raise BackendError(
            "No scores could be read from the evaluation; the report is stored and flagged.",
            f"Run `tutor eval {evaluation.session}` again (a stronger --backend helps), or import a report with --from-file.",
        )


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:g}/5"


def _most_recent(course, home):
    from tutor import transcript
    from tutor.errors import InputError

    paths = transcript.all_runs(home)
    if not paths:
        raise InputError("There is no session to evaluate yet.", "Start one with `tutor start s1.1`, or name a session: tutor eval s1.1 --from-file FILE.")
    newest = max(paths, key=lambda p: p.stat().st_mtime_ns)
    return course.lesson(newest.parent.name)


def _read_report(source: str) -> str:
    from tutor.errors import InputError

    if source == "-":
        text = sys.stdin.read()
    else:
        try:
            text = Path(source).expanduser().read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"Cannot read evaluation file {source}: {getattr(exc, 'strerror', None) or exc}.", "Pass a readable UTF-8 text file, or - to read standard input.") from exc
    if not text.strip():
        raise InputError(f"The evaluation text from {'standard input' if source == '-' else source} is empty.", "Paste the whole evaluation report you got from the chatbot.")
    return text
