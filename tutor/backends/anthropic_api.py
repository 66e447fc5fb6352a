"""Anthropic's Messages API, streaming; structured output through a forced tool call."""

from __future__ import annotations

from typing import Any, Iterator

import anthropic

from tutor.backends.base import Chunk, Message, Usage, estimate_tokens, known_window, sdk_errors
from tutor.config import BackendSpec

TOOL_NAME = "record_result"


class AnthropicBackend:
    def __init__(self, spec: BackendSpec) -> None:
        self.spec = spec
        # base_url None lets the SDK honour ANTHROPIC_BASE_URL.
        self.client = anthropic.Anthropic(
            api_key=spec.resolve_key(),
            base_url=spec.base_url,
            timeout=spec.timeout,
            max_retries=spec.max_retries,
        )

    def prepare(self) -> None:
        pass

    def stream(self, system: str, messages: list[Message], *, max_tokens: int) -> Iterator[Chunk]:
        with self._errors():
            with self.client.messages.stream(model=self.spec.model, system=system, messages=messages, max_tokens=max_tokens) as stream:
                input_tokens = None
                for event in stream:
                    if event.type == "message_start":
                        input_tokens = event.message.usage.input_tokens
                    elif event.type == "content_block_delta" and event.delta.type == "text_delta":
                        yield event.delta.text
                    elif event.type == "message_delta":
                        yield Usage(input_tokens, event.usage.output_tokens)

    def structured(self, system: str, messages: list[Message], schema: dict[str, Any], *, max_tokens: int) -> dict[str, Any] | None:
        tool = {"name": TOOL_NAME, "description": "Record the result in structured form.", "input_schema": schema}
        with self._errors():
            message = self.client.messages.create(
                model=self.spec.model, system=system, messages=messages, max_tokens=max_tokens,
                tools=[tool], tool_choice={"type": "tool", "name": TOOL_NAME},
            )
        for block in message.content:
            if block.type == "tool_use" and isinstance(block.input, dict):
                return block.input
        return None

    def context_window(self) -> int:
        return known_window(self.spec)

    def count_tokens(self, text: str) -> int:
        return estimate_tokens(text)

    def _errors(self):
        return sdk_errors(self.spec, str(self.client.base_url), anthropic)
