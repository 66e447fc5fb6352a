"""The embedded model on this machine: load time, prompt size, time to first token,
generation speed and peak memory for the opening turn of a session.

Usage: python bench/local_model.py [--session s1.1] [--tokens 200] [--model PATH.gguf]
"""

from __future__ import annotations

import argparse
import resource
import time
from dataclasses import replace

from tutor.backends.local import LocalBackend
from tutor.config import PRESETS
from tutor.context import fit_request, system_context
from tutor.course import load_course
from tutor.engine import OPENING_MESSAGE


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--session", default="s1.1")
    parser.add_argument("--tokens", type=int, default=200)
    parser.add_argument("--model", default=None)
    args = parser.parse_args()

    lesson = load_course().lesson(args.session)
    spec = replace(PRESETS["local"], model=args.model)
    started = time.perf_counter()
    backend = LocalBackend(spec)
    backend.prepare()
    loaded = time.perf_counter()

    request = fit_request(
        full_system=system_context(lesson, language="English", tier=None),
        compact_system=lambda: system_context(lesson, language="English", tier=None, compact=True),
        history=[{"role": "user", "content": OPENING_MESSAGE}],
        window=backend.context_window(),
        count=backend.count_tokens,
        max_reply=args.tokens,
    )
    prompt_tokens = backend.count_tokens(request.system)
    first = None
    pieces = 0
    begin = time.perf_counter()
    for chunk in backend.stream(request.system, request.messages, max_tokens=args.tokens):
        if isinstance(chunk, str):
            pieces += 1
            first = first or time.perf_counter()
    end = time.perf_counter()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"model            {backend.spec.model} (window {backend.context_window()} tokens)")
    print(f"load             {loaded - started:6.2f} s")
    print(f"system context   {prompt_tokens} tokens ({'compact' if request.compact else 'full'} lesson)")
    print(f"first token      {(first or end) - begin:6.2f} s")
    print(f"generation       {pieces / max(end - (first or end), 1e-9):6.1f} tokens/s over {pieces} tokens")
    print(f"peak memory      {peak_mb:6.0f} MB")


if __name__ == "__main__":
    main()
