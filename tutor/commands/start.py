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
    from tutor.chat import ask_confidence, run_chat
    from tutor.commands.evaluate import grade_run, language_option
    from tutor.config import load_config
    from tutor.course import load_course
    from tutor.engine import ChatEngine
    from tutor.home import data_home, session_lock
    from tutor.line_editor import make_reader
    from tutor.render import make_screen, wants_plain
    from tutor.session import Choices, open_run
    from tutor.transcript import sessions_dir

    loaded = load_course(course)
    lesson = loaded.lesson(session)
    config = load_config()
    choices = Choices(language_option(lang), tier.value if tier else None, backend, model)
    home = data_home()
    screen = make_screen(wants_plain())
    try:
        with session_lock(sessions_dir(home, loaded.key), lesson.id):
            opened = open_run(loaded, lesson, config, choices, home, new=new)
            for notice in opened.notices:
                screen.note(notice)
            with screen.spinner(f"Getting {opened.transcript.setting('model') or 'the model'} ready…"):
                opened.backend.prepare()
            engine = ChatEngine(lesson, opened.backend, opened.transcript)
            screen.info(f"Session {lesson.id[1:]}: {lesson.title} · {opened.backend.spec.name} / {opened.transcript.setting('model')} · {engine.language}. Type /help for commands.")
            if opened.continued:
                _show_last_exchange(screen, engine)
            reader = make_reader(home / "history" / loaded.key / f"{lesson.id}.txt")
            outcome = run_chat(engine, screen, reader)
            if outcome == "quit":
                ask_confidence(engine, screen, reader)
            screen.info(usage_line(opened.transcript.usage()))
            if outcome == "eval":
                grade_run(loaded, lesson, opened.transcript, config, choices, screen, home)
                return
            screen.info(f"Saved. Continue with `{loaded.command(f'start {lesson.id}')}`; "
                        f"grade it with `{loaded.command(f'eval {lesson.id}')}`.")
    finally:
        screen.close()


def usage_line(usage: dict) -> str:
    """Tokens, the cached share of the input, and the cost (or that no price is known)."""
    total = usage["input_tokens"]
    share = f" ({usage['cached_input_tokens'] / total:.0%} cached)" if total else ""
    cost = "cost unknown (no price for this model; set prices in the config)" if usage["cost_usd"] is None else f"${usage['cost_usd']:.4f}"
    return f"This run: {total:,} input tokens{share}, {usage['output_tokens']:,} output tokens, {cost}."


def _show_last_exchange(screen, engine) -> None:
    turns = [t for t in engine.transcript.turns() if not t.get("auto")]
    screen.info(f"Continuing your session from {engine.transcript.last_activity()[:16].replace('T', ' ')}.")
    for turn in turns[-2:]:
        if turn["type"] == "student":
            screen.student(turn["text"])
        else:
            screen.markdown(turn["text"])
