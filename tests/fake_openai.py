"""A fake OpenAI-compatible chat endpoint on 127.0.0.1 (stdlib ``http.server``) that rewords, lies,
hangs or breaks on demand.

Each request to ``POST /v1/chat/completions`` takes the next scripted :data:`Reply` (or ``default``
when the script is used up). A reply is a function of the extractive answer the request carries
(「已找到的答案要点：…」), so that a test can say "the answer with a claim appended" whatever the answer::

    with FakeOpenAI(default=content(lambda answer: answer + "另外，实际由王五同志牵头。")) as server:
        Rephraser(server.base_url, "qwen2.5").reword(answer)
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from prompts import llm_prompts as prompts

# How a scripted reply answers: it gets the extractive answer and the handler, and writes a response.
Reply = Callable[[str, "_Handler"], None]

# The request's user message is prompts.USER filled in; the answer sits between the fixed texts
# around {answer} (「已找到的答案要点：」 and 「原文摘录：」).
_BEFORE, _AFTER = prompts.USER.split("{answer}")
_BEFORE_ANSWER, _AFTER_ANSWER = _BEFORE.rsplit("}", 1)[-1], _AFTER.split("{", 1)[0]


def completion(content: Any) -> bytes:
    """A chat completion whose message content is ``content`` (any JSON value, null included)."""
    message = {"role": "assistant", "content": content}
    return json.dumps(
        {"id": "fake", "object": "chat.completion", "choices": [{"index": 0, "message": message}]}
    ).encode()


def content(reword: Callable[[str], Any]) -> Reply:
    """A well-formed reply whose content is ``reword(extractive answer)``."""

    def reply(answer: str, handler: _Handler) -> None:
        handler.send(200, completion(reword(answer)))

    return reply


def raw(body: bytes, status: int = 200, content_type: str = "application/json") -> Reply:
    """A reply of exactly these bytes: invalid JSON, an error page, another shape."""

    def reply(_answer: str, handler: _Handler) -> None:
        handler.send(status, body, content_type)

    return reply


def hang(_answer: str, handler: _Handler) -> None:
    """Never answer: hold the connection until the server stops."""
    handler.fake.stopping.wait(timeout=120)


def trickle(text: str, pause: float = 0.05) -> Reply:
    """A grounded reply sent one byte every ``pause`` seconds: no single read ever times out, so
    only a bound on the whole reply stops the wait."""

    def reply(_answer: str, handler: _Handler) -> None:
        body = completion(text) + b" " * 400
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        for byte in body:
            if handler.fake.stopping.is_set():
                return
            handler.wfile.write(bytes([byte]))
            handler.wfile.flush()
            time.sleep(pause)

    return reply


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    @property
    def fake(self) -> FakeOpenAI:
        return self.server.fake

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.path != "/v1/chat/completions":
            self.send(404, b'{"error": "not found"}')
            return
        request = json.loads(body)
        self.fake.requests.append(request)
        # The client gives up on a hang or a trickle, as it should.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.fake.next_reply()(extractive_answer(request), self)

    def send(self, status: int, body: bytes, content_type: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    fake: FakeOpenAI


def extractive_answer(request: dict) -> str:
    """The extractive answer a chat request carries in its user message."""
    user = request["messages"][-1]["content"]
    return user.split(_BEFORE_ANSWER, 1)[1].split(_AFTER_ANSWER, 1)[0]


@dataclass
class FakeOpenAI:
    """The server: ``script`` is consumed first, then ``default`` answers every request."""

    default: Reply = field(default_factory=lambda: content(lambda answer: answer))
    script: list[Reply] = field(default_factory=list)
    requests: list[dict] = field(default_factory=list)
    stopping: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: _Server | None = None

    @property
    def base_url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def next_reply(self) -> Reply:
        with self._lock:
            return self.script.pop(0) if self.script else self.default

    def __enter__(self) -> FakeOpenAI:
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.fake = self
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *_exc: object) -> None:
        assert self._server is not None
        self.stopping.set()
        self._server.shutdown()
        self._server.server_close()
