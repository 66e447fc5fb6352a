"""The embedded model on this machine: load time, prompt size, time to first token,
generation speed and peak memory for the opening turn of a session.

Usage: python bench/local_model.py [--session s1.1] [--tokens 200] [--model PATH.gguf]
"""

from __future__ import annotations

import argparse
import resource
import time
from dataclasses import dataclass, replace

from tutor.backends.local import LocalBackend
from tutor.config import PRESETS
from tutor.context import fit_request, system_context
from tutor.course import load_course
from tutor.engine import OPENING_MESSAGE


@dataclass
class Timed:
    text: str
    first_token: float
    pieces: int
    tokens_per_second: float


def timed_reply(backend: LocalBackend, system: str, messages: list[dict[str, str]], max_tokens: int) -> Timed:
    parts: list[str] = []
    first = None
    begin = time.perf_counter()
    for chunk in backend.stream(system, messages, max_tokens=max_tokens):
        if isinstance(chunk, str):
            parts.append(chunk)
            first = first or time.perf_counter()
    end = time.perf_counter()
    first = first or end
    return Timed("".join(parts), first - begin, len(parts), len(parts) / max(end - first, 1e-9))


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
    opening = timed_reply(backend, request.system, request.messages, args.tokens)
    # The next turn resends the same system context and history: llama.cpp reuses
    # the cached prefix, so only the new tokens are processed.
    follow_up = [*request.messages, {"role": "assistant", "content": opening.text}, {"role": "user", "content": "I think it picks the most likely word."}]
    second = timed_reply(backend, request.system, follow_up, args.tokens)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"model            {backend.spec.model} (window {backend.context_window()} tokens)")
    print(f"load             {loaded - started:6.2f} s")
    print(f"system context   {prompt_tokens} tokens ({'compact' if request.compact else 'full'} lesson)")
    print(f"first token      {opening.first_token:6.2f} s (opening turn)")
    print(f"first token      {second.first_token:6.2f} s (next turn, cached prefix)")
    print(f"generation       {opening.tokens_per_second:6.1f} tokens/s over {opening.pieces} tokens")
    print(f"peak memory      {peak_mb:6.0f} MB")


if __name__ == "__main__":
    main()
