"""Anthropic's Messages API, streaming, with prompt caching; structured output
through `output_config`'s JSON schema (current models refuse a forced tool call).

Caching: the system context carries a cache point, and a second one moves with the
conversation (on the newest message), so each turn reads everything before it from
the cache. The TTL is 5 minutes unless the backend sets cache_ttl = "1h". A stream
counts as complete only when message_stop arrives.
"""

from __future__ import annotations

import json
import re
from typing import Any, Iterator

import anthropic

from tutor.backends.base import (
    Chunk, Finish, Message, Request, StructuredMode, StructuredUnavailable, Usage, estimate_tokens, known_window,
    sdk_errors, stream_cut,
)
from tutor.backends.spec import BackendSpec

JSON_ONLY = "Reply with one JSON object only, no prose and no code fence, following this JSON schema:\n"


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

    def parameters(self) -> int | None:
        return None

    def stream(self, request: Request) -> Iterator[Chunk]:
        stopped = False
        with self._errors():
            with self.client.messages.stream(**self._body(request)) as stream:
                start: Any = None
                for event in stream:
                    if event.type == "message_start":
                        start = event.message.usage
                    elif event.type == "content_block_delta" and event.delta.type == "text_delta":
                        yield event.delta.text
                    elif event.type == "message_delta":
                        yield _usage(start, event.usage.output_tokens)
                        reason = event.delta.stop_reason
                        if reason:
                            yield Finish("length" if reason == "max_tokens" else "stop")
                    elif event.type == "message_stop":
                        stopped = True
        if not stopped:
            raise stream_cut(self.spec, ended=True)

    def structured(self, request: Request, schema: dict[str, Any], mode: StructuredMode) -> tuple[dict[str, Any], Usage | None]:
        body = self._body(request)
        if mode == "schema":
            body["extra_body"] = {"output_config": {"format": {"type": "json_schema", "schema": schema}}}
        else:
            body["system"] = [*body["system"], {"type": "text", "text": JSON_ONLY + json.dumps(schema)}]
        try:
            with self._errors():
                message = self.client.messages.create(**body)
        except Exception as exc:  # noqa: BLE001 - any failure of this mode moves to the next
            raise StructuredUnavailable(str(exc), refused=True) from exc
        text = "".join(block.text for block in message.content if block.type == "text")
        match = re.search(r"\{.*\}", text, re.S)
        try:
            data = json.loads(match.group(0) if match else text)
        except json.JSONDecodeError as exc:
            raise StructuredUnavailable("the reply is not JSON") from exc
        if not isinstance(data, dict):
            raise StructuredUnavailable("the reply is not a JSON object")
        return data, _usage(message.usage, message.usage.output_tokens)

    def context_window(self) -> int:
        return known_window(self.spec)

    def count_tokens(self, text: str) -> int:
        return estimate_tokens(text)

    def _body(self, request: Request) -> dict[str, Any]:
        """Cache points on the system block and on the newest message. Temperature is
        not sent: current Claude models refuse any but their default."""
        cache = {"type": "ephemeral", "ttl": self.spec.cache_ttl}
        return {
            "model": self.spec.model,
            "system": [{"type": "text", "text": request.system, "cache_control": cache}],
            "messages": _with_cache_point(request.messages, cache),
            "max_tokens": request.max_tokens,
        }

    def _errors(self):
        return sdk_errors(self.spec, str(self.client.base_url), anthropic)


def _with_cache_point(messages: list[Message], cache: dict[str, str]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = [dict(m) for m in messages]
    if out:
        last = out[-1]
        out[-1] = {"role": last["role"], "content": [{"type": "text", "text": last["content"], "cache_control": cache}]}
    return out


def _usage(start: Any, output_tokens: int | None) -> Usage:
    """Anthropic counts input outside the cache, cache reads and cache writes apart;
    our Usage counts all input together."""
    if start is None:
        return Usage(None, output_tokens)
    read = getattr(start, "cache_read_input_tokens", None) or 0
    written = getattr(start, "cache_creation_input_tokens", None) or 0
    total = (start.input_tokens or 0) + read + written
    return Usage(total, output_tokens, read, written)
