"""A loopback LLM server for the tests: it speaks the streaming protocols of OpenAI's
Chat Completions, Anthropic's Messages and Ollama's native chat, so the tests drive the
real SDKs (and httpx) over real HTTP. Replies are queued with `reply()`; faults are
options of a reply: an HTTP status, a stream cut after some chunks, a slow first byte.

    with FakeLLM() as server:
        server.reply("Hello!", chunks=3, usage=(120, 4))
        server.reply(status=429, retry_after=0.1)
        ... point OPENAI_BASE_URL at server.openai_base_url ...
        server.requests[-1].body["messages"]
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable

ERROR_TYPES = {400: "invalid_request_error", 401: "authentication_error", 404: "not_found_error", 429: "rate_limit_error"}


@dataclass
class Reply:
    text: str = ""
    chunks: int | None = None              # how many pieces to stream the text in (default: per word)
    usage: tuple[int, int] | None = None   # (input tokens, output tokens)
    json: dict[str, Any] | None = None     # structured output: JSON content (OpenAI, Ollama) or a tool call (Anthropic)
    status: int = 200
    retry_after: float | None = None
    cut_after: int | None = None           # close the connection after this many chunks
    first_byte_delay: float = 0.0
    chunk_delay: float = 0.0
    prompt_tokens: int | None = None       # Ollama: the prompt_eval_count to report (a cut prompt reports fewer)
    finish: str = "stop"                   # "length": the reply was cut at max_tokens
    end_after: int | None = None           # end the stream cleanly after this many chunks, with no finish marker
    cached_tokens: int | None = None       # input tokens the server reports as served from its prompt cache
    echo_auth: bool = False                # an error body that echoes the request's Authorization header
    reject_temperature: bool = False       # HTTP 400 for a request that sets a temperature (reasoning models)

    def pieces(self) -> list[str]:
        if not self.chunks:
            words = self.text.split(" ")
            return [w + (" " if i < len(words) - 1 else "") for i, w in enumerate(words)] if self.text else []
        size = max(1, -(-len(self.text) // self.chunks))
        return [self.text[i : i + size] for i in range(0, len(self.text), size)]


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: Any


@dataclass
class FakeLLM:
    name: str = "fake"
    default_reply: Reply = field(default_factory=lambda: Reply("Default reply."))
    requests: list[Recorded] = field(default_factory=list)
    responder: Callable[[Any], Reply] | None = None  # builds a reply from the request body when none is queued

    def __post_init__(self) -> None:
        self._queue: deque[Reply] = deque()
        self._lock = threading.Lock()
        self._models: dict[str, int] = {}
        self._server = _QuietServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def openai_base_url(self) -> str:
        return self.url + "/v1"

    @property
    def anthropic_base_url(self) -> str:
        return self.url

    def reply(self, text: str = "", **options: Any) -> Reply:
        queued = Reply(text, **options)
        with self._lock:
            self._queue.append(queued)
        return queued

    def ollama_model(self, name: str, context_length: int) -> None:
        """What /api/show reports for `name`."""
        self._models[name] = context_length

    def requeue(self, reply: Reply) -> None:
        """Put a reply back at the front (a refused request did not consume it)."""
        with self._lock:
            self._queue.appendleft(replace(reply, reject_temperature=False))

    def next_reply(self, body: Any = None) -> Reply:
        with self._lock:
            if self._queue:
                return self._queue.popleft()
        return self.responder(body) if self.responder else self.default_reply

    def __enter__(self) -> FakeLLM:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hung up mid-reply (a test of exactly that) is no server error."""


def _handler_for(server: FakeLLM) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:  # keep test output clean
            pass

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            try:
                body = json.loads(raw or b"null")
            except json.JSONDecodeError:
                body = raw.decode(errors="replace")
            server.requests.append(Recorded("POST", self.path, dict(self.headers), body))
            if self.path == "/api/show":
                return self._ollama_show(body)
            reply = server.next_reply(body)
            if reply.first_byte_delay:
                time.sleep(reply.first_byte_delay)
            if reply.reject_temperature and isinstance(body, dict) and "temperature" in body:
                server.requeue(reply)
                return self._send_json(400, {"error": {"message": "Unsupported value: 'temperature' does not support 0.7 with this model.", "type": "invalid_request_error"}})
            if reply.status != 200:
                return self._error(reply)
            protocol = {"/v1/chat/completions": OpenAIStream, "/v1/messages": AnthropicStream, "/api/chat": OllamaStream}.get(self.path)
            if protocol is None:
                return self._send_json(404, {"error": {"message": f"no route {self.path}"}})
            stream = protocol(body, reply)
            if isinstance(body, dict) and body.get("stream"):
                self._stream(stream.events(), reply, stream.content_type)
            else:
                self._send_json(200, stream.whole())

        def _ollama_show(self, body: Any) -> None:
            model = body.get("model") if isinstance(body, dict) else None
            if model not in server._models:
                return self._send_json(404, {"error": f"model '{model}' not found"})
            self._send_json(200, {"model_info": {"general.architecture": "llama", "llama.context_length": server._models[model]}})

        def _error(self, reply: Reply) -> None:
            kind = ERROR_TYPES.get(reply.status, "api_error")
            message = f"fake {kind}"
            if reply.echo_auth:
                message += f" for {self.headers.get('Authorization') or self.headers.get('x-api-key')}"
            payload = {"type": "error", "error": {"type": kind, "message": message}}
            if self.path == "/api/chat":
                payload = {"error": f"fake {kind}"}
            headers = {"retry-after": str(reply.retry_after)} if reply.retry_after is not None else {}
            self._send_json(reply.status, payload, headers)

        def _send_json(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)

        def _stream(self, events: list[bytes], reply: Reply, content_type: str) -> None:
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for number, event in enumerate(events):
                if reply.end_after is not None and number > reply.end_after:
                    break  # a clean end of the body, but before the reply was complete
                if reply.cut_after is not None and number > reply.cut_after:
                    # Leave the chunked body unterminated: the client sees a broken stream.
                    self.wfile.flush()
                    self.close_connection = True
                    return
                self.wfile.write(b"%x\r\n%s\r\n" % (len(event), event))
                self.wfile.flush()
                if reply.chunk_delay:
                    time.sleep(reply.chunk_delay)
            self.wfile.write(b"0\r\n\r\n")

    return Handler


def _sse(data: Any, event: str | None = None) -> bytes:
    head = f"event: {event}\n" if event else ""
    return (head + "data: " + (data if isinstance(data, str) else json.dumps(data)) + "\n\n").encode()


def _usage(body: Any, reply: Reply) -> tuple[int, int]:
    if reply.usage:
        return reply.usage
    return len(json.dumps(body)) // 4, max(1, len(reply.text) // 4)


class OpenAIStream:
    content_type = "text/event-stream"

    def __init__(self, body: Any, reply: Reply) -> None:
        self.body, self.reply = body, reply
        self.base = {"id": "chatcmpl-fake", "created": int(time.time()), "model": body.get("model", "fake-model")}

    def events(self) -> list[bytes]:
        chunk = {**self.base, "object": "chat.completion.chunk"}
        out = [_sse({**chunk, "choices": [{"index": 0, "delta": {"role": "assistant", "content": ""}, "finish_reason": None}]})]
        out += [_sse({**chunk, "choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}]}) for piece in self.reply.pieces()]
        out.append(_sse({**chunk, "choices": [{"index": 0, "delta": {}, "finish_reason": self.reply.finish}]}))
        if (self.body.get("stream_options") or {}).get("include_usage"):
            out.append(_sse({**chunk, "choices": [], "usage": self._usage()}))
        return out + [_sse("[DONE]")]

    def _usage(self) -> dict[str, Any]:
        prompt, completion = _usage(self.body, self.reply)
        usage = {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}
        if self.reply.cached_tokens is not None:
            usage["prompt_tokens_details"] = {"cached_tokens": self.reply.cached_tokens}
        return usage

    def whole(self) -> dict[str, Any]:
        content = json.dumps(self.reply.json) if self.reply.json is not None else self.reply.text
        return {
            **self.base, "object": "chat.completion",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": self.reply.finish}],
            "usage": self._usage(),
        }


class AnthropicStream:
    content_type = "text/event-stream"

    def __init__(self, body: Any, reply: Reply) -> None:
        self.body, self.reply = body, reply

    def _input_usage(self) -> dict[str, int]:
        """Anthropic reports input outside the cache apart from cache reads."""
        prompt, _ = _usage(self.body, self.reply)
        cached = self.reply.cached_tokens or 0
        return {"input_tokens": prompt - cached, "cache_read_input_tokens": cached, "cache_creation_input_tokens": 0}

    def _message(self, content: list[dict[str, Any]], stop_reason: str | None) -> dict[str, Any]:
        _, completion = _usage(self.body, self.reply)
        return {
            "id": "msg_fake", "type": "message", "role": "assistant", "model": self.body.get("model", "fake-model"),
            "content": content, "stop_reason": stop_reason, "stop_sequence": None,
            "usage": {**self._input_usage(), "output_tokens": completion},
        }

    def events(self) -> list[bytes]:
        _, completion = _usage(self.body, self.reply)
        stop = "max_tokens" if self.reply.finish == "length" else "end_turn"
        out = [
            _sse({"type": "message_start", "message": self._message([], None) | {"usage": {**self._input_usage(), "output_tokens": 1}}}, "message_start"),
            _sse({"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}, "content_block_start"),
        ]
        out += [_sse({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": piece}}, "content_block_delta") for piece in self.reply.pieces()]
        return out + [
            _sse({"type": "content_block_stop", "index": 0}, "content_block_stop"),
            _sse({"type": "message_delta", "delta": {"stop_reason": stop, "stop_sequence": None}, "usage": {"output_tokens": completion}}, "message_delta"),
            _sse({"type": "message_stop"}, "message_stop"),
        ]

    def whole(self) -> dict[str, Any]:
        if self.reply.json is not None:
            # Structured output (output_config) arrives as JSON text.
            return self._message([{"type": "text", "text": json.dumps(self.reply.json)}], "end_turn")
        return self._message([{"type": "text", "text": self.reply.text}], "end_turn")


class OllamaStream:
    content_type = "application/x-ndjson"

    def __init__(self, body: Any, reply: Reply) -> None:
        self.body, self.reply = body, reply

    def _done(self) -> dict[str, Any]:
        prompt, completion = _usage(self.body, self.reply)
        if self.reply.prompt_tokens is not None:
            prompt = self.reply.prompt_tokens
        return {"model": self.body.get("model"), "done": True, "done_reason": self.reply.finish, "prompt_eval_count": prompt, "eval_count": completion}

    def events(self) -> list[bytes]:
        model = self.body.get("model")
        lines = [{"model": model, "message": {"role": "assistant", "content": piece}, "done": False} for piece in self.reply.pieces()]
        lines.append(self._done() | {"message": {"role": "assistant", "content": ""}})
        return [(json.dumps(line) + "\n").encode() for line in lines]

    def whole(self) -> dict[str, Any]:
        content = json.dumps(self.reply.json) if self.reply.json is not None else self.reply.text
        return self._done() | {"message": {"role": "assistant", "content": content}}
