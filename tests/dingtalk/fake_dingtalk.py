"""A fake of DingTalk on 127.0.0.1, for the robot adapter's tests.

It does both sides of what DingTalk does for an enterprise-internal robot in HTTP mode:

- the platform calling the robot: a user's message POSTed as JSON to the callback URL, with the
  ``timestamp`` (ms) and ``sign`` headers (HMAC-SHA256 of "timestamp\\nAppSecret" with the AppSecret, base64);
- the sessionWebhook each message carries (``POST /robot/sendBySession?session=…``), which records the replies
  (and refuses a text over 5000 characters, or another msgtype, as DingTalk would).

Its signing is written here, independently of ``bot.dingtalk``, so that a mistake in one does not hide in the
other::

    with FakeDingTalk(APP_SECRET) as dingtalk:
        dingtalk.send_user_message(callback_url, "0326150155", "谁牵头？")
    dingtalk.messages_to("0326150155")
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import httpx

TEXT_LIMIT_CHARS = 5000
WEBHOOK_PATH = "/robot/sendBySession"


@dataclass(frozen=True)
class SentReply:
    """A message the robot sent to a sessionWebhook."""

    session: str
    content: str
    at_user_ids: tuple[str, ...]


class FakeDingTalk:
    """The fake platform; a context manager that serves its sessionWebhooks on a free loopback port."""

    def __init__(self, app_secret: str) -> None:
        self.app_secret = app_secret
        self.sent: list[SentReply] = []
        self.rejected: list[dict] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._numbers = itertools.count(1)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> FakeDingTalk:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    # -- the sessionWebhooks --------------------------------------------------------------------------
    def _receive(self, session: str, payload: dict) -> dict:
        content = payload.get("text", {}).get("content", "")
        with self._lock:
            if payload.get("msgtype") != "text" or not content or len(content) > TEXT_LIMIT_CHARS:
                self.rejected.append(payload)
                return {"errcode": 400105, "errmsg": "bad message"}
            at_user_ids = tuple(payload.get("at", {}).get("atUserIds", []))
            self.sent.append(SentReply(session, content, at_user_ids))
        return {"errcode": 0, "errmsg": "ok"}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                url = urlparse(self.path)
                payload = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))) or b"{}")
                if url.path != WEBHOOK_PATH:
                    self.send_error(404)
                    return
                data = json.dumps(fake._receive(parse_qs(url.query).get("session", [""])[0], payload)).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: object) -> None:  # quiet
                pass

        return Handler

    def webhook_for(self, sender: str) -> str:
        """A fresh sessionWebhook for a message of ``sender`` (its session names the sender)."""
        return f"{self.base_url}{WEBHOOK_PATH}?session={sender}.{next(self._numbers)}"

    def replies_to(self, sender: str) -> list[SentReply]:
        with self._lock:
            return [reply for reply in self.sent if reply.session.split(".")[0] == sender]

    def messages_to(self, sender: str) -> list[str]:
        return [reply.content for reply in self.replies_to(sender)]

    # -- the platform calling the robot ---------------------------------------------------------------
    def signed_headers(self, timestamp_ms: int | None = None) -> dict[str, str]:
        stamp = str(timestamp_ms if timestamp_ms is not None else int(time.time() * 1000))
        mac = hmac.new(self.app_secret.encode("utf-8"), digestmod=hashlib.sha256)
        mac.update(stamp.encode("utf-8") + b"\n" + self.app_secret.encode("utf-8"))
        return {"timestamp": stamp, "sign": base64.b64encode(mac.digest()).decode("ascii")}

    def message_body(
        self,
        sender: str,
        content: str,
        *,
        group: str | None = None,
        msg_id: str | None = None,
        webhook: str | None = None,
        msg_type: str = "text",
    ) -> dict:
        """A user's message as DingTalk posts it; ``group`` is a conversationId (else a private chat)."""
        body: dict = {
            "conversationId": group or f"cid-private-{sender}",
            "chatbotCorpId": "dingfake",
            "chatbotUserId": "$:LWCP_v1:$robot",
            "msgId": msg_id or f"msg{next(self._numbers)}==",
            "senderNick": f"用户{sender}",
            "isAdmin": False,
            "senderStaffId": sender,
            "sessionWebhookExpiredTime": int(time.time() * 1000) + 90 * 60 * 1000,
            "createAt": int(time.time() * 1000),
            "senderCorpId": "dingfake",
            "conversationType": "2" if group else "1",
            "senderId": f"$:LWCP_v1:${sender}",
            "sessionWebhook": webhook or self.webhook_for(sender),
            "robotCode": "dingrobotfake",
            "msgtype": msg_type,
        }
        if msg_type == "text":
            body["text"] = {"content": content}
        if group:
            body["isInAtList"] = True
        return body

    def post(
        self, callback_url: str, body: dict, *, bad_sign: bool = False, timestamp_ms: int | None = None
    ) -> httpx.Response:
        """POST ``body`` signed as DingTalk does (or with a sign made with another secret)."""
        headers = self.signed_headers(timestamp_ms)
        if bad_sign:
            headers["sign"] = FakeDingTalk("not-the-secret").signed_headers(int(headers["timestamp"]))["sign"]
        return httpx.post(
            callback_url, content=json.dumps(body, ensure_ascii=False).encode(), headers=headers, timeout=30
        )

    def send_user_message(self, callback_url: str, sender: str, content: str, **options: object) -> httpx.Response:
        """A user's text message to the robot; options as :meth:`message_body` and :meth:`post` take them."""
        post_options = {key: options.pop(key) for key in ("bad_sign", "timestamp_ms") if key in options}
        return self.post(callback_url, self.message_body(sender, content, **options), **post_options)  # type: ignore[arg-type]
