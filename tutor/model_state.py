"""The embedded model's saved state for a lesson, so it reads each lesson only once.

Reading a 5,000-token system context takes most of 20 seconds on two cores. After the
first reading, llama.cpp's state (its KV cache and the tokens it holds) is written to
the user cache directory, keyed by the model file, the window size and a hash of the
system text; the next opening of the same lesson, in any process, loads it in a
fraction of that time and llama.cpp reuses the matching prefix. Each file is checked
(header, size, SHA-256) before it is loaded; a bad one is deleted and rebuilt. The
folder is pruned, oldest first, to a size budget.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

MAGIC = b"TUTOR-LLAMA-STATE 1\n"
DEFAULT_BUDGET_BYTES = 1024**3


def cache_dir() -> Path:
    """The user cache directory (platformdirs; honours XDG_CACHE_HOME)."""
    import platformdirs

    path = Path(platformdirs.user_cache_dir("tutor", appauthor=False)) / "model-states"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def state_key(model_path: Path, window: int, system: str) -> str:
    info = model_path.stat()
    parts = [str(model_path.resolve()), str(info.st_size), str(info.st_mtime_ns), str(window), _llama_version(), system]
    return hashlib.sha256("\0".join(parts).encode("utf-8", "replace")).hexdigest()[:32]


def warm(llama: Any, model_path: Path, system: str, budget: int = DEFAULT_BUDGET_BYTES) -> bool:
    """Make `llama` hold `system` already read. Returns True when a saved state was
    loaded, False when it had to read the text (and saved the state for next time)."""
    key = state_key(model_path, int(llama.n_ctx()), system)
    path = cache_dir() / f"{key}.state"
    if load(llama, path, key):
        return True
    # Reading the system message with a one-token reply leaves llama.cpp holding the
    # exact tokens a real chat starts with; later prompts reuse the common prefix.
    llama.create_chat_completion(
        messages=[{"role": "system", "content": system}, {"role": "user", "content": "."}], max_tokens=1, temperature=0.0,
    )
    save(llama, path, key)
    prune(path.parent, budget)
    return False


def save(llama: Any, path: Path, key: str) -> None:
    state = llama.save_state()
    header = {
        "key": key,
        "n_tokens": int(state.n_tokens),
        "input_ids": [int(t) for t in state.input_ids[: state.n_tokens]],
        "size": int(state.llama_state_size),
        "sha256": hashlib.sha256(state.llama_state).hexdigest(),
        "seed": int(state.seed),
    }
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".partial-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(MAGIC + json.dumps(header).encode() + b"\n" + state.llama_state)
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    except OSError:
        Path(temporary).unlink(missing_ok=True)  # a full disk only costs the speed-up


def load(llama: Any, path: Path, key: str) -> bool:
    """Load a saved state after checking it; False (and the file gone) if it is not
    there or not sound."""
    import numpy as np
    from llama_cpp import LlamaState

    try:
        with path.open("rb") as handle:
            if handle.readline() != MAGIC:
                raise ValueError("not a state file")
            header = json.loads(handle.readline())
            data = handle.read()
    except FileNotFoundError:
        return False
    except (OSError, ValueError):
        path.unlink(missing_ok=True)
        return False
    n_ctx = int(llama.n_ctx())
    sound = (
        header.get("key") == key and len(data) == header.get("size")
        and 0 < header.get("n_tokens", 0) <= n_ctx and len(header.get("input_ids", [])) == header["n_tokens"]
        and hashlib.sha256(data).hexdigest() == header.get("sha256")
    )
    if not sound:
        path.unlink(missing_ok=True)
        return False
    input_ids = np.zeros(n_ctx, dtype=np.intc)
    input_ids[: header["n_tokens"]] = header["input_ids"]
    scores = np.zeros((1, int(llama.n_vocab())), dtype=np.single)  # not needed: the next prompt is decoded afresh
    try:
        llama.load_state(LlamaState(input_ids, scores, header["n_tokens"], data, len(data), header.get("seed", 0)))
    except (RuntimeError, ValueError):
        llama.reset()
        path.unlink(missing_ok=True)
        return False
    os.utime(path)  # recently used: pruned last
    return True


def prune(folder: Path, budget: int) -> None:
    files = sorted(folder.glob("*.state"), key=lambda p: p.stat().st_mtime)
    total = sum(p.stat().st_size for p in files)
    while files and total > budget:
        oldest = files.pop(0)
        total -= oldest.stat().st_size
        oldest.unlink(missing_ok=True)


def _llama_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("llama-cpp-python")
    except PackageNotFoundError:
        return "?"
