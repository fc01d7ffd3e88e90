"""A fake of the WeCom platform on 127.0.0.1, for the adapter's tests.

It does both sides of what WeCom does for a self-built app:

- the API server: ``GET /cgi-bin/gettoken`` (tokens it can expire) and ``POST /cgi-bin/message/send``
  (records what the app sends; refuses expired tokens with errcode 42001 and texts over 2048 bytes with
  45002, as WeCom does);
- the platform calling the app: the URL check (``GET`` with an encrypted echostr) and users' messages
  (``POST`` of encrypted, signed XML) to the app's callback URL.

Its crypto is written here from WeCom's published scheme, independently of ``bot.wecom`` (its own
padding and framing), so that a mistake in one does not hide in the other::

    with FakeWeCom(CORP_ID, SECRET, AGENT_ID, TOKEN, AES_KEY) as wecom:
        wecom.verify_url(callback_url)
        wecom.send_user_message(callback_url, "LiXin", "谁牵头？")
        wecom.wait_for_messages("LiXin", 1)
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
import struct
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import httpx
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

TEXT_LIMIT = 2048


class PlatformCrypto:
    """The platform's side of the scheme: sign, seal and open, from the published description."""

    def __init__(self, token: str, aes_key: str, corp_id: str) -> None:
        self.token, self.corp_id = token, corp_id.encode()
        self.key = base64.b64decode(aes_key + "=")

    def sign(self, timestamp: str, nonce: str, encrypt: str) -> str:
        return hashlib.sha1("".join(sorted([self.token, timestamp, nonce, encrypt])).encode()).hexdigest()

    def seal(self, text: str) -> str:
        body = text.encode()
        plain = os.urandom(16) + struct.pack("!I", len(body)) + body + self.corp_id
        pad = 32 - len(plain) % 32
        plain += bytes([pad]) * pad
        encryptor = Cipher(algorithms.AES(self.key), modes.CBC(self.key[:16])).encryptor()
        return base64.b64encode(encryptor.update(plain) + encryptor.finalize()).decode()

    def open(self, sealed: str) -> str:
        decryptor = Cipher(algorithms.AES(self.key), modes.CBC(self.key[:16])).decryptor()
        plain = decryptor.update(base64.b64decode(sealed)) + decryptor.finalize()
        plain = plain[: -plain[-1]]
        length = struct.unpack("!I", plain[16:20])[0]
        assert plain[20 + length :] == self.corp_id, "sealed for another corp"
        return plain[20 : 20 + length].decode()


@dataclass(frozen=True)
class SentMessage:
    """A message the app sent through message/send."""

    touser: str
    content: str
    agentid: int


class FakeWeCom:
    """The fake platform; a context manager that serves its API on a free loopback port."""

    def __init__(self, corp_id: str, secret: str, agent_id: int, token: str, aes_key: str) -> None:
        self.corp_id, self.secret, self.agent_id = corp_id, secret, agent_id
        self.crypto = PlatformCrypto(token, aes_key, corp_id)
        self.sent: list[SentMessage] = []
        self.token_requests = 0
        self.rejected_sends: list[int] = []  # errcodes of refused message/send calls
        self._live_tokens: set[str] = set()
        self._changed = threading.Condition()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._message_ids = iter(range(7_000_000_000_000_000_000, 8_000_000_000_000_000_000))

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> FakeWeCom:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    # -- the API server -----------------------------------------------------------------------------
    def expire_tokens(self) -> None:
        """Every token issued so far is now expired (message/send answers 42001)."""
        with self._changed:
            self._live_tokens.clear()

    def _gettoken(self, query: dict[str, list[str]]) -> dict:
        if query.get("corpid") != [self.corp_id] or query.get("corpsecret") != [self.secret]:
            return {"errcode": 40013, "errmsg": "invalid corpid or corpsecret"}
        token = secrets.token_urlsafe(24)
        with self._changed:
            self.token_requests += 1
            self._live_tokens.add(token)
        return {"errcode": 0, "errmsg": "ok", "access_token": token, "expires_in": 7200}

    def _send(self, query: dict[str, list[str]], payload: dict) -> dict:
        with self._changed:
            if query.get("access_token", [""])[0] not in self._live_tokens:
                self.rejected_sends.append(42001)
                return {"errcode": 42001, "errmsg": "access_token expired"}
            content = payload.get("text", {}).get("content", "")
            if payload.get("msgtype") != "text" or payload.get("agentid") != self.agent_id:
                self.rejected_sends.append(40008)
                return {"errcode": 40008, "errmsg": "invalid message type or agentid"}
            if len(content.encode()) > TEXT_LIMIT:
                self.rejected_sends.append(45002)
                return {"errcode": 45002, "errmsg": "content size out of limit"}
            self.sent.append(SentMessage(payload["touser"], content, payload["agentid"]))
            self._changed.notify_all()
        return {"errcode": 0, "errmsg": "ok", "invaliduser": ""}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _reply(self, body: dict) -> None:
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                url = urlparse(self.path)
                if url.path != "/cgi-bin/gettoken":
                    self.send_error(404)
                    return
                self._reply(fake._gettoken(parse_qs(url.query)))

            def do_POST(self) -> None:
                url = urlparse(self.path)
                payload = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))) or b"{}")
                if url.path != "/cgi-bin/message/send":
                    self.send_error(404)
                    return
                self._reply(fake._send(parse_qs(url.query), payload))

            def log_message(self, format: str, *args: object) -> None:  # quiet
                pass

        return Handler

    def messages_to(self, user: str) -> list[str]:
        with self._changed:
            return [message.content for message in self.sent if message.touser == user]

    def wait_for_messages(self, user: str, count: int, timeout: float = 120.0) -> list[str]:
        """The contents sent to ``user`` once there are at least ``count`` (fails after ``timeout``)."""
        with self._changed:
            done = self._changed.wait_for(lambda: len(self.messages_to(user)) >= count, timeout)
        assert done, f"expected {count} message(s) to {user}, got {self.messages_to(user)}"
        return self.messages_to(user)

    # -- the platform calling the app ----------------------------------------------------------------
    def _signed_query(self, encrypt: str, timestamp: int | None = None) -> dict[str, str]:
        stamp, nonce = str(timestamp if timestamp is not None else int(time.time())), str(secrets.randbelow(10**9))
        return {"msg_signature": self.crypto.sign(stamp, nonce, encrypt), "timestamp": stamp, "nonce": nonce}

    def verify_url(self, callback_url: str) -> tuple[httpx.Response, str]:
        """WeCom's URL check: the response and the echostr it expects back."""
        echo = str(secrets.randbelow(10**19))
        encrypt = self.crypto.seal(echo)
        response = httpx.get(callback_url, params={**self._signed_query(encrypt), "echostr": encrypt}, timeout=30)
        return response, echo

    def message_xml(self, user: str, content: str, msg_id: str, msg_type: str = "text") -> str:
        """A user's message as WeCom writes it before sealing."""
        body = f"<Content><![CDATA[{content}]]></Content>" if msg_type == "text" else "<MediaId>m1</MediaId>"
        return (
            f"<xml><ToUserName><![CDATA[{self.corp_id}]]></ToUserName><FromUserName><![CDATA[{user}]]></FromUserName>"
            f"<CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[{msg_type}]]></MsgType>{body}"
            f"<MsgId>{msg_id}</MsgId><AgentID>{self.agent_id}</AgentID></xml>"
        )

    def event_xml(self, user: str, event: str) -> str:
        return (
            f"<xml><ToUserName><![CDATA[{self.corp_id}]]></ToUserName><FromUserName><![CDATA[{user}]]></FromUserName>"
            f"<CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[event]]></MsgType>"
            f"<Event><![CDATA[{event}]]></Event><AgentID>{self.agent_id}</AgentID></xml>"
        )

    def post(
        self, callback_url: str, xml: str, *, bad_signature: bool = False, timestamp: int | None = None
    ) -> httpx.Response:
        """POST ``xml`` sealed and signed (or with a wrong signature) as WeCom does."""
        encrypt = self.crypto.seal(xml)
        query = self._signed_query(encrypt, timestamp)
        if bad_signature:
            query["msg_signature"] = hashlib.sha1(b"not the token").hexdigest()
        envelope = (
            f"<xml><ToUserName><![CDATA[{self.corp_id}]]></ToUserName><Encrypt><![CDATA[{encrypt}]]></Encrypt>"
            f"<AgentID><![CDATA[{self.agent_id}]]></AgentID></xml>"
        )
        return httpx.post(callback_url, params=query, content=envelope.encode(), timeout=30)

    def send_user_message(
        self, callback_url: str, user: str, content: str, msg_id: str | None = None, **options: object
    ) -> httpx.Response:
        """A user's text message to the app; ``msg_id`` repeats a delivery (a retry)."""
        xml = self.message_xml(user, content, msg_id or str(next(self._message_ids)))
        return self.post(callback_url, xml, **options)  # type: ignore[arg-type]
