"""The terminal screen: a reply streamed in any number of pieces draws the same text
as the reply in one piece, finished blocks go to the scrollback once, and text that is
not ours never becomes markup or escape sequences."""

from __future__ import annotations

import io
import re

import pytest

from tutor.render import PlainScreen, TerminalScreen, _Blocks
from tutor.streaming import Interrupted, ReplyDone, TextDelta, Waiting

REPLY = """## Counting

A bigram model counts **pairs** of words.

- one
- two

```python
counts = {}
for word in words:
    counts[word] = counts.get(word, 0) + 1
```

Then divide by the total. See [the paper](https://example.org/paper)."""
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def drawn(pieces: list[str]) -> str:
    out = io.StringIO()
    screen = TerminalScreen(out=out, width=80)
    screen.show(Waiting())
    for piece in pieces:
        screen.show(TextDelta(piece))
    screen.show(ReplyDone("".join(pieces), None))
    return out.getvalue()


def scrollback(raw: str) -> str:
    """What stays on screen: the live view draws and erases itself; printed blocks stay."""
    return "\n".join(line.rstrip() for line in ANSI.sub("", raw).splitlines() if line.strip())


@pytest.mark.parametrize("size", [1, 3, 17, len(REPLY)])
def test_any_chunking_leaves_the_same_text_in_the_scrollback(size):
    pieces = [REPLY[i:i + size] for i in range(0, len(REPLY), size)]
    text = scrollback(drawn(pieces))
    for expected in ("Counting", "A bigram model counts pairs of words.", "one", "two",
                     "counts[word] = counts.get(word, 0) + 1", "Then divide by the total."):
        assert expected in text
    assert text.count("A bigram model counts pairs of words.") >= 1


def test_blocks_are_finished_at_blank_lines_and_code_line_by_line():
    blocks = _Blocks(console=None)
    assert blocks.add("First para") == [] and blocks.tail == "First para"
    assert len(blocks.add("graph.\n\nSecond")) == 1 and blocks.tail == "Second"
    assert blocks.add("\n```py") == []  # a fence line is not complete until its newline
    assert blocks.add("thon\nx = 1\n") and blocks.fence == "python"
    blocks.add("y = 2\n```\nafter")
    assert blocks.fence is None and blocks.tail == "after"


def test_a_link_shows_its_target_and_markup_is_text():
    raw = drawn(["Read [the paper](https://evil.example/x) and [bold]this[/bold] ", "\x1b]8;;https://x\x07hidden"])
    text = ANSI.sub("", raw)
    assert "https://evil.example/x" in text and "[bold]this[/bold]" in text
    assert "\x1b]8;" not in raw and "\x07" not in raw


def test_an_interrupted_reply_says_so_and_an_empty_one_says_so():
    out = io.StringIO()
    screen = TerminalScreen(out=out)
    for event in (Waiting(), TextDelta("half a"), Interrupted("half a")):
        screen.show(event)
    assert "[reply interrupted]" in out.getvalue()
    assert "empty reply" in drawn(["  ", "\n"])


def test_the_plain_screen_writes_text_without_escapes():
    out = io.StringIO()
    screen = PlainScreen(out=out, err=io.StringIO())
    for event in (TextDelta("plain \x1b[31mred\x1b[0m"), ReplyDone("", None)):
        screen.show(event)
    screen.table("Title [x]", ["a", "b"], [["\x1b]0;t\x07cell", "2"]])
    assert "\x1b" not in out.getvalue() and "plain red" in out.getvalue() and "Title [x]" in out.getvalue()
