"""`tutor start SESSION`: chain the pre-prompt and the lesson, stream the tutor, chat."""

from __future__ import annotations

import typer

from tutor.commands import options


def start(
    session: options.Session,
    new: bool = typer.Option(False, "--new", help="Start the session afresh instead of continuing the unfinished run."),
    lang: options.Lang = None,
    tier: options.TierOption = None,
    backend: options.Backend = None,
    model: options.Model = None,
    course: options.Course = None,
) -> None:
    """Start a session (or continue its unfinished run) and chat with the tutor."""
    from tutor.chat import run_chat
    from tutor.config import data_home, load_config
    from tutor.course import load_course
    from tutor.engine import ChatEngine
    from tutor.line_editor import make_reader
    from tutor.render import make_screen, wants_plain
    from tutor.session import Choices, open_run

    loaded = load_course(course)
    lesson = loaded.lesson(session)
    config = load_config()
    choices = Choices(lang, tier.value if tier else None, backend, model)
    screen = make_screen(wants_plain())
    opened = open_run(loaded, lesson, config, choices, new=new)
    if opened.notice:
        screen.note(opened.notice)
    with screen.spinner(f"Getting {opened.transcript.setting('model') or 'the model'} ready…"):
        opened.backend.prepare()

    engine = ChatEngine(lesson, opened.backend, opened.transcript)
    screen.info(f"Session {lesson.id[1:]}: {lesson.title} · {opened.backend.spec.name} / {opened.transcript.setting('model')} · {engine.language}. Type /help for commands.")
    if opened.continued:
        _show_last_exchange(screen, engine)
    outcome = run_chat(engine, screen, make_reader(data_home() / "history" / f"{lesson.id}.txt"))
    if outcome == "eval":
        from tutor.commands.evaluate import evaluate_run

        evaluate_run(loaded, opened.transcript, config, choices, screen)
        return
    screen.info(f"Saved. Continue with `tutor start {lesson.id}`; grade it with `tutor eval {lesson.id}`.")


def _show_last_exchange(screen, engine) -> None:
    turns = [t for t in engine.transcript.turns() if not t.get("auto")]
    screen.info(f"Continuing your session from {engine.transcript.last_activity()[:16].replace('T', ' ')}.")
    for turn in turns[-2:]:
        if turn["type"] == "student":
            screen.student(turn["text"])
        else:
            screen.markdown(turn["text"])
