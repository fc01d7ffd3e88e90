"""WeCom's message API, for the app's replies: an access token (cached, refreshed when WeCom says it
expired) and text messages, split under WeCom's 2048-byte limit at line ends (:mod:`bot.message_split`).

Errors are logged in English and never carry the secret or the access token::

    client = WeComClient("https://qyapi.weixin.qq.com", "ww1436e0e65a779aee", secret, 1000002)
    client.send_text("LiXin", "由李新同志牵头……")
    client.close()
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

import httpx

from bot.message_split import split_text
from bot.telegram.redaction import quiet_http_loggers

logger = logging.getLogger(__name__)

TEXT_LIMIT_BYTES = 2048  # WeCom's limit for the content of a text message
TOKEN_MARGIN = 300.0  # seconds before expires_in at which a cached token is renewed
TOKEN_EXPIRED = frozenset({40001, 40014, 42001})  # invalid credential, invalid token, token expired
TIMEOUT = 10.0


class WeComApiError(Exception):
    """WeCom refused a call (errcode) or could not be reached; the message is safe to log."""


class WeComClient:
    """Access tokens and text messages for one self-built app. Thread-safe (replies are sent from
    worker threads)."""

    def __init__(
        self,
        base_url: str,
        corp_id: str,
        secret: str,
        agent_id: int,
        *,
        http: httpx.Client | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._base = base_url.rstrip("/")
        self._corp_id = corp_id
        self._secret = secret
        self._agent_id = agent_id
        self._http = http or httpx.Client(timeout=TIMEOUT)
        self._owns_http = http is None
        quiet_http_loggers()  # httpx logs request URLs at INFO, and ours carry the secret or the access token
        self._clock = clock
        self._token: str | None = None
        self._token_until = 0.0
        self._lock = threading.Lock()

    def _call(self, method: str, path: str, **kwargs: object) -> dict:
        """One API call; the JSON body, whatever its errcode. The URL (with its secret or token) is never logged."""
        if self._http.is_closed and self._owns_http:  # closed when an app stopped, used again when it restarts
            self._http = httpx.Client(timeout=TIMEOUT)
        try:
            response = self._http.request(method, f"{self._base}{path}", **kwargs)  # type: ignore[arg-type]
            response.raise_for_status()
            body = response.json()
        except httpx.HTTPStatusError as error:
            raise WeComApiError(f"WeCom {path} answered HTTP {error.response.status_code}") from None
        except httpx.HTTPError as error:
            raise WeComApiError(f"WeCom {path} could not be reached ({type(error).__name__})") from None
        except ValueError:
            raise WeComApiError(f"WeCom {path} did not answer JSON") from None
        if not isinstance(body, dict):
            raise WeComApiError(f"WeCom {path} answered an unexpected body")
        return body

    def access_token(self, *, fresh: bool = False) -> str:
        """The cached access token, fetched again when it is near its end or ``fresh`` is asked."""
        with self._lock:
            if self._token and not fresh and self._clock() < self._token_until:
                return self._token
            body = self._call("GET", "/cgi-bin/gettoken", params={"corpid": self._corp_id, "corpsecret": self._secret})
            if body.get("errcode", 0) != 0 or not body.get("access_token"):
                raise WeComApiError(f"WeCom gettoken failed: errcode {body.get('errcode')} {body.get('errmsg', '')}")
            self._token = str(body["access_token"])
            expires_in = float(body.get("expires_in", 7200))
            self._token_until = self._clock() + max(0.0, expires_in - TOKEN_MARGIN)
            return self._token

    def _send_one(self, user_id: str, content: str) -> None:
        payload = {"touser": user_id, "msgtype": "text", "agentid": self._agent_id, "text": {"content": content}}
        body: dict = {}
        for attempt in range(2):  # the second time with a fresh token, if WeCom said the first one expired
            token = self.access_token(fresh=attempt > 0)
            body = self._call("POST", "/cgi-bin/message/send", params={"access_token": token}, json=payload)
            if body.get("errcode", 0) not in TOKEN_EXPIRED:
                break
            logger.info("WeCom access token rejected (errcode %s); fetching a new one", body.get("errcode"))
        if body.get("errcode", 0) != 0:
            raise WeComApiError(f"WeCom message/send failed: errcode {body.get('errcode')} {body.get('errmsg', '')}")

    def send_text(self, user_id: str, text: str) -> bool:
        """Send ``text`` to ``user_id`` as one or more messages; False (and the error logged) if one failed."""
        for part in split_text(text, TEXT_LIMIT_BYTES):
            try:
                self._send_one(user_id, part)
            except WeComApiError as error:
                logger.error("Cannot send a WeCom reply to %s: %s", user_id, error)
                return False
        return True

    def close(self) -> None:
        """Close the connections (a later call opens new ones)."""
        self._http.close()
