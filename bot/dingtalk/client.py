"""Replies through a message's ``sessionWebhook``: a POST of ``{"msgtype": "text", "text": {"content": …}}``
(in a group with ``"at": {"atUserIds": [the sender]}``), split at line ends under DingTalk's text limit.

Only to a sessionWebhook on an allowed base (DingTalk's hosts over https, or what
``LUOSHI_DINGTALK_WEBHOOK_HOSTS`` names), and not after it expired: the callback's signature does not cover
its body, so a replayed signature with a forged body must not make us POST anywhere else. Errors are logged
in English without the webhook's session token::

    client = SessionWebhookClient(frozenset({("https", "oapi.dingtalk.com")}))
    client.send_text(message.session_webhook, "由李新同志牵头……", at_user_id="0326150155")
    client.close()

>>> client = SessionWebhookClient(frozenset({("https", "oapi.dingtalk.com")}))
>>> client.allowed("https://oapi.dingtalk.com/robot/sendBySession?session=5d")
True
>>> client.allowed("https://oapi.dingtalk.com.evil.example/robot/sendBySession"), client.allowed("http://oapi.dingtalk.com/x")
(False, False)
>>> client.close()
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from urllib.parse import urlsplit

import httpx

from bot.message_split import split_text
from bot.telegram.redaction import quiet_http_loggers

logger = logging.getLogger(__name__)

# DingTalk's robot text messages are commonly documented at up to 5000 characters (we could not confirm the
# figure offline, nor whether it counts characters or bytes). 5000 UTF-8 bytes is within it either way: a
# Chinese reply is cut at about 1660 characters, at a line end.
TEXT_LIMIT_BYTES = 5000
TIMEOUT = 10.0
DEFAULT_PORTS = {"https": 443, "http": 80}


def url_base(url: str) -> tuple[str, str] | None:
    """(scheme, host[:port]) of ``url``, the default port left out; None if it is not a plain http(s) URL.

    >>> url_base("https://OAPI.dingtalk.com:443/robot/send"), url_base("http://127.0.0.1:8080/"), url_base("ftp://x")
    (('https', 'oapi.dingtalk.com'), ('http', '127.0.0.1:8080'), None)
    """
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname or parts.username or parts.password:
        return None
    host = parts.hostname.lower()
    return parts.scheme, host if port in (None, DEFAULT_PORTS[parts.scheme]) else f"{host}:{port}"


class SessionWebhookClient:
    """Sends replies to sessionWebhooks on the allowed bases. Thread-safe (httpx's client is)."""

    def __init__(
        self,
        allowed_bases: frozenset[tuple[str, str]],
        *,
        http: httpx.Client | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._allowed = allowed_bases  # as url_base gives them
        self._http = http or httpx.Client(timeout=TIMEOUT, follow_redirects=False)
        self._owns_http = http is None
        quiet_http_loggers()  # httpx logs request URLs at INFO, and a sessionWebhook's session is a credential
        self._clock = clock

    def allowed(self, webhook: str) -> bool:
        """True if ``webhook`` is on an allowed base (scheme, host and port)."""
        base = url_base(webhook)
        return base is not None and base in self._allowed

    def send_text(
        self, webhook: str, text: str, *, at_user_id: str | None = None, expires_ms: int | None = None
    ) -> bool:
        """Send ``text`` as one or more messages (each @-ing ``at_user_id`` if given); False (and why logged)
        if the webhook is not allowed, has expired, or DingTalk refused a part."""
        if not self.allowed(webhook):
            logger.warning(
                "DingTalk reply not sent: the sessionWebhook is not on an allowed host (%s)", url_base(webhook)
            )
            return False
        if expires_ms is not None and self._clock() * 1000 > expires_ms:
            logger.warning("DingTalk reply not sent: the sessionWebhook has expired")
            return False
        if self._http.is_closed and self._owns_http:  # closed when an app stopped, used again when it restarts
            self._http = httpx.Client(timeout=TIMEOUT, follow_redirects=False)
        for part in split_text(text, TEXT_LIMIT_BYTES):
            payload: dict[str, object] = {"msgtype": "text", "text": {"content": part}}
            if at_user_id:
                payload["at"] = {"atUserIds": [at_user_id], "isAtAll": False}
            if not self._post(webhook, payload):
                return False
        return True

    def _post(self, webhook: str, payload: dict[str, object]) -> bool:
        try:
            response = self._http.post(webhook, json=payload)
            response.raise_for_status()
            body = response.json()
        except httpx.HTTPStatusError as error:
            logger.error("DingTalk sessionWebhook answered HTTP %s", error.response.status_code)
            return False
        except httpx.HTTPError as error:
            logger.error("DingTalk sessionWebhook could not be reached (%s)", type(error).__name__)
            return False
        except ValueError:
            logger.error("DingTalk sessionWebhook did not answer JSON")
            return False
        if isinstance(body, dict) and body.get("errcode", 0) not in (0, "0"):
            logger.error(
                "DingTalk sessionWebhook refused a reply: errcode %s %s", body.get("errcode"), body.get("errmsg", "")
            )
            return False
        return True

    def close(self) -> None:
        """Close the connections (a later call opens new ones)."""
        self._http.close()
