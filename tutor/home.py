"""The data home: transcripts, the progress store, input histories and the learner's
profile, private to the user.

$TUTOR_HOME, else the platform's user data directory. The home is created 0700 and
every file in it 0600; files an earlier version left readable by others are fixed the
first time this version opens the home. Each course has its own folder, so another
course never continues or overwrites a run of this one:

    transcripts/COURSE/SESSION/TIMESTAMP.jsonl
    history/COURSE/SESSION.txt
    progress.db, profile.json
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from pathlib import Path
from typing import Iterator

from tutor.errors import DataError

PERMISSIONS_MARK = ".private-v2"
# Transcripts of the first version sat in transcripts/SESSION/; they belong to the
# built-in course.
LEGACY_COURSE = "llm"


def data_home() -> Path:
    """$TUTOR_HOME, else the platform's user data directory for tutor; created private."""
    if os.environ.get("TUTOR_HOME"):
        home = Path(os.environ["TUTOR_HOME"]).expanduser()
    else:
        import platformdirs

        home = Path(platformdirs.user_data_dir("tutor", appauthor=False))
    return prepare(home)


def prepare(home: Path) -> Path:
    if home.exists() and not home.is_dir():
        raise DataError(f"The data home {home} is a file, not a folder.", "Move that file away, or set TUTOR_HOME to a folder.")
    try:
        home.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not (home / PERMISSIONS_MARK).exists():
            _make_private(home)
            _move_legacy_transcripts(home)
            private_file(home / PERMISSIONS_MARK).touch()
    except PermissionError as exc:
        raise DataError(f"The data home {home} is not writable ({exc.strerror}).", "Fix its permissions, or set TUTOR_HOME to a folder you can write.") from exc
    except OSError as exc:
        if exc.errno == errno.EROFS:
            raise DataError(f"The data home {home} is on a read-only file system.", "Set TUTOR_HOME to a writable folder.") from exc
        raise
    return home


def private_file(path: Path) -> Path:
    """Create `path` (and its folders) if needed, readable by the user alone."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    descriptor = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_APPEND, 0o600)
    os.close(descriptor)
    return path


def course_dir(home: Path, kind: str, course: str) -> Path:
    return home / kind / course


@contextlib.contextmanager
def session_lock(folder: Path, session: str) -> Iterator[None]:
    """One process per session run: a second `tutor start` (or `eval`) of the same
    session waits for nothing and explains instead. The OS releases the lock if the
    process dies."""
    from filelock import FileLock, Timeout

    lock_path = private_file(folder / f".{session}.lock")
    lock = FileLock(str(lock_path), timeout=0, mode=0o600)
    try:
        lock.acquire()
    except Timeout:
        raise DataError(
            f"Session {session} is open in another tutor process.",
            "Finish or quit that chat first (or close its terminal), then run the command again.",
        ) from None
    try:
        yield
    finally:
        lock.release()


def _make_private(home: Path) -> None:
    os.chmod(home, 0o700)
    for root, folders, files in os.walk(home):
        for name in folders:
            os.chmod(Path(root) / name, 0o700)
        for name in files:
            path = Path(root) / name
            if not path.is_symlink() and stat.S_IMODE(path.stat().st_mode) & 0o077:
                os.chmod(path, 0o600)


def _move_legacy_transcripts(home: Path) -> None:
    root = home / "transcripts"
    if not root.is_dir():
        return
    for folder in root.iterdir():
        if folder.is_dir() and folder.name.startswith("s") and any(folder.glob("*.jsonl")):
            target = root / LEGACY_COURSE / folder.name
            target.mkdir(parents=True, exist_ok=True, mode=0o700)
            for run in folder.glob("*.jsonl"):
                run.rename(target / run.name)
            with contextlib.suppress(OSError):
                folder.rmdir()
