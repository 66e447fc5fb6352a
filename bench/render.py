"""Streaming render cost: one ~8 KB Markdown reply arriving in many small pieces
against the same reply in a few large ones, through the terminal screen.

Usage: python bench/render.py [--pieces 2000 20] [--seconds 2.0] [--repeat 5]

Both runs stream over the same wall time (the pieces are spaced evenly), so the live
view's refresh thread does the same work in both; what differs is the cost per piece.
What is measured is the screen's CPU time: the process's CPU time less what the
feeding loop itself spends outside the screen (waking up 2,000 times costs CPU that
receiving 2,000 chunks costs anyway, drawn or not). It prints that time for each run,
their ratio, and the bytes written to the (pseudo) terminal. A linear renderer keeps
the ratio near 1; re-parsing the whole reply on every piece makes it grow with the
number of pieces.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tutor.render import TerminalScreen  # noqa: E402
from tutor.streaming import ReplyDone, TextDelta, Waiting  # noqa: E402

PARAGRAPH = (
    "Attention lets each token **look back** at every earlier token and decide how much of it to use. "
    "The scores come from a dot product between a query and each key, scaled by the square root of the "
    "head size, and a softmax turns them into weights that sum to one. "
)
CODE = "\n".join(f"    scores_{i} = q @ k.T / d ** 0.5  # head {i}" for i in range(12))


def sample_reply(size: int = 8_000) -> str:
    blocks = []
    while sum(map(len, blocks)) < size:
        n = len(blocks)
        if n % 5 == 3:
            blocks.append("```python\n" + CODE + "\n```")
        elif n % 5 == 1:
            blocks.append("\n".join(f"- point {n}.{i}: a short list item about weights" for i in range(4)))
        else:
            blocks.append(f"### Step {n}\n\n" + PARAGRAPH * 2)
    return "\n\n".join(blocks)[:size]


def pieces_of(text: str, count: int) -> list[str]:
    size = max(1, -(-len(text) // count))
    return [text[i : i + size] for i in range(0, len(text), size)]


def stream(text: str, count: int, seconds: float) -> tuple[float, int]:
    """The screen's CPU seconds and the bytes it wrote for one reply in `count` pieces."""
    out = io.StringIO()
    screen = TerminalScreen(out=out)
    pieces = pieces_of(text, count)
    gap = seconds / len(pieces)
    in_screen = 0.0

    def show(event) -> None:
        nonlocal in_screen
        mark = time.thread_time()
        screen.show(event)
        in_screen += time.thread_time() - mark

    process, loop = time.process_time(), time.thread_time()
    show(Waiting())
    for piece in pieces:
        show(TextDelta(piece))
        time.sleep(gap)
    show(ReplyDone(text, None))
    feeding = (time.thread_time() - loop) - in_screen
    return time.process_time() - process - feeding, len(out.getvalue().encode())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pieces", type=int, nargs=2, default=[2000, 20], metavar=("MANY", "FEW"))
    parser.add_argument("--seconds", type=float, default=2.0, help="wall time each reply takes to arrive")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each; medians are reported")
    args = parser.parse_args()
    text = sample_reply()
    stream(text, 50, 0.1)  # warm up: imports and compiled patterns are paid once, not by the first run

    def rendering(count: int) -> tuple[float, int]:
        costs, written = [], 0
        for _ in range(args.repeat):
            cpu, written = stream(text, count, args.seconds)
            costs.append(cpu)
        return statistics.median(costs), written

    many_cpu, many_bytes = rendering(args.pieces[0])
    few_cpu, few_bytes = rendering(args.pieces[1])
    print(f"reply: {len(text.encode()):,} bytes of Markdown, streamed over {args.seconds:g} s")
    print(f"{args.pieces[0]:>5} pieces: {many_cpu * 1000:7.0f} ms CPU, {many_bytes:,} bytes to the terminal")
    print(f"{args.pieces[1]:>5} pieces: {few_cpu * 1000:7.0f} ms CPU, {few_bytes:,} bytes to the terminal")
    print(f"ratio: {many_cpu / few_cpu:.2f}x CPU")


if __name__ == "__main__":
    main()
