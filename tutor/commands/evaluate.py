"""`tutor eval [SESSION]`: grade a session with the neutral grader, or import a grade."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from tutor.commands import options


def evaluate(
    session: Optional[str] = typer.Argument(None, help="Session id (default: the session you used most recently).", show_default=False),
    from_file: Optional[str] = typer.Option(None, "--from-file", help="Grade from an evaluation text you got elsewhere; - reads standard input.", show_default=False),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON for scripts."),
    samples: options.Samples = None,
    lang: options.Lang = None,
    tier: options.TierOption = None,
    backend: options.Backend = None,
    model: options.Model = None,
    course: options.Course = None,
) -> None:
    """Evaluate a session on five dimensions (0-5) and store the scores."""
    from tutor import transcript
    from tutor.config import load_config
    from tutor.course import load_course
    from tutor.errors import InputError
    from tutor.home import data_home, session_lock
    from tutor.render import make_screen, wants_plain
    from tutor.session import Choices, run_header

    loaded = load_course(course)
    home = data_home()
    lesson = loaded.lesson(session) if session else _most_recent(loaded, home)
    screen = make_screen(wants_plain() or as_json)
    try:
        with session_lock(transcript.sessions_dir(home, loaded.key), lesson.id):
            run = transcript.latest(home, loaded.key, lesson.id)
            if from_file is not None:
                from tutor.grading import import_report

                text = _read_report(from_file)
                if run is None:
                    run = transcript.create(home, {**run_header(loaded, lesson), "backend": "import", "model": None, "language": language_option(lang), "tier": None})
                evaluation = import_report(lesson.id, text, run)
                _sync(home, loaded.key, screen)
                show_result(evaluation, screen, as_json, loaded)
                return
            if run is None:
                raise InputError(f"Session {lesson.id} has no transcript to evaluate yet.", f"Chat first with `{loaded.command(f'start {lesson.id}')}`, or import a report with --from-file.")
            if not run.learner_turns():
                raise InputError(f"Session {lesson.id} has no answers from you yet, so there is nothing to evaluate.", f"Chat first with `{loaded.command(f'start {lesson.id}')}`.")
            config = load_config()
            choices = Choices(language_option(lang), tier.value if tier else None, backend, model)
            grade_run(loaded, lesson, run, config, choices, screen, home, samples=samples, as_json=as_json)
    finally:
        screen.close()


def grade_run(course, lesson, run, config, choices, screen, home, *, samples: int | None = None, as_json: bool = False) -> None:
    """Stream the grader's report, take the samples, store and show the result (also /eval)."""
    from tutor.backends import choose_backend, open_backend
    from tutor.chat import pump
    from tutor.grading import Grader

    spec, notice = choose_backend(config, choices.backend, choices.model)
    for text in [notice, *config.notices]:
        if text:
            screen.note(text)
    backend = open_backend(spec)
    with screen.spinner("Getting the model ready…"):
        backend.prepare()
    count = samples or config.data.eval_samples
    grader = Grader(lesson, backend, run, language=choices.language or run.setting("language") or "English",
                    tier=choices.tier or run.setting("tier"), samples=count)
    if as_json:
        for _ in grader.report():
            pass
    else:
        screen.info(f"Evaluating session {lesson.id}: {lesson.title} (report, then {count} independent grading{'s' * (count > 1)})")
        pump(grader.report(), screen.show)
    with screen.spinner(f"Grading ({count} sample{'s' * (count > 1)})…"):
        evaluation, notes = grader.score()
    for note in notes:
        screen.note(note.text)
    _sync(home, course.key, screen)
    show_result(evaluation, screen, as_json, course)


def show_result(evaluation, screen, as_json: bool, course) -> None:
    import json

    from tutor.errors import BackendError
    from tutor.evaluation import describe, mastery_band, to_json

    if as_json:
        print(json.dumps(to_json(evaluation), ensure_ascii=False, indent=2))
    else:
        rows = describe(evaluation)
        total = evaluation.total
        rows.append(["Total", f"{total:g}/25 ({mastery_band(total)})" if total is not None else "— (not every dimension scored)", "", "", ""])
        how = {"schema": "median of independent gradings", "object": "median of independent gradings",
               "parsed": "read from the report", "imported": "imported, not checked"}.get(evaluation.method, evaluation.method)
        screen.table(f"Scores for {evaluation.session} ({how})", ["dimension", "score", "spread", "flag", "evidence (your words)"], rows)
        if evaluation.flags:
            screen.info("unverified: no quote of yours backs the score, so it is not counted · unstable: the gradings disagreed by more than 1 point")
        if evaluation.readiness:
            screen.info(f"Readiness for the next session: {evaluation.readiness}.")
        for area in evaluation.growth_areas:
            screen.info(f"Growth area: {area}")
    if not evaluation.readable:
        raise BackendError(
            "No scores could be read from the evaluation; the report is stored and flagged.",
            f"Run `{course.command(f'eval {evaluation.session}')}` again (a stronger --backend helps), or import a report with --from-file.",
        )


def language_option(value: str | None) -> str | None:
    """--lang as given, or a clear error for text that is not a language name."""
    if value is None:
        return None
    from tutor.errors import InputError
    from tutor.text import check_language

    try:
        return check_language(value)
    except ValueError as exc:
        raise InputError(f"--lang {value[:40]!r}: {exc}.", "For example: --lang French, --lang zh or --lang Deutsch.") from None


def _sync(home, course_key: str, screen) -> None:
    """Index the new evaluation; a busy store catches up at the next command."""
    from tutor.errors import DataError
    from tutor.store import Store

    try:
        with Store(home) as store:
            store.sync(course_key)
    except DataError as exc:
        screen.note(f"{exc.message} The evaluation is saved in the transcript; `tutor progress` will pick it up.")


def _most_recent(course, home):
    from tutor import transcript
    from tutor.errors import InputError

    paths = transcript.all_runs(home, course.key)
    if not paths:
        first = course.ordered()[0].id
        raise InputError("There is no session to evaluate yet.",
                         f"Start one with `{course.command(f'start {first}')}`, or name a session and --from-file FILE.")
    newest = max(paths, key=lambda p: p.stat().st_mtime_ns)
    return course.lesson(newest.parent.name)


MAX_REPORT_BYTES = 256 * 1024  # a grader's report is a few KB; this bounds /dev/zero or `yes |`


def _read_report(source: str) -> str:
    """The report to import: UTF-8 text of at most MAX_REPORT_BYTES, from a file or stdin."""
    from tutor.errors import InputError

    where = "standard input" if source == "-" else source
    try:
        if source == "-":
            data = getattr(sys.stdin, "buffer", None)
            data = data.read(MAX_REPORT_BYTES + 1) if data is not None else sys.stdin.read(MAX_REPORT_BYTES + 1).encode()
        else:
            with Path(source).expanduser().open("rb") as handle:
                data = handle.read(MAX_REPORT_BYTES + 1)
    except OSError as exc:
        raise InputError(f"Cannot read evaluation file {source}: {exc.strerror or exc}.", "Pass a readable UTF-8 text file, or - to read standard input.") from exc
    if len(data) > MAX_REPORT_BYTES:
        raise InputError(f"The evaluation text from {where} is over {MAX_REPORT_BYTES // 1024} KB.", "Pass the evaluation report alone; it is a few KB of text.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"The evaluation text from {where} is not UTF-8 text (byte {exc.start}).", "Pass the report as a UTF-8 text file.") from exc
    if "\x00" in text:
        raise InputError(f"The evaluation text from {where} is binary, not text.", "Pass the report as a UTF-8 text file.")
    if not text.strip():
        raise InputError(f"The evaluation text from {where} is empty.", "Paste the whole evaluation report you got from the chatbot.")
    return text
