"""The signature DingTalk puts on an enterprise-internal robot's outgoing callback (HTTP mode), checked.

DingTalk sends two headers: ``timestamp`` (milliseconds) and ``sign`` = base64(HMAC-SHA256(key=AppSecret,
message=timestamp + "\\n" + AppSecret)); the callback is refused when the sign differs or the timestamp is
more than an hour off the server's clock (DingTalk's rule for this callback). What we checked it against
(no network here, so not DingTalk's page itself): the HTTP-callback description of AgentScope's DingTalk
channel (java.agentscope.io/dev/en/integration/channel/dingtalk: "DingTalk POSTs each message ... signed
with your App Secret", timestamp/sign headers, HMAC-SHA256, stale timestamps refused), and the same
computation, HMAC-SHA256 of "timestamp\\nsecret" then base64, in the robot signing samples of DingTalk's
custom-robot guide (open.dingtalk.com/document/robots/custom-robot-access).

The signature covers the timestamp only, not the body: within the hour a captured pair could carry another
body. This is why replies only go to a sessionWebhook on DingTalk's hosts (:mod:`bot.dingtalk.client`).

>>> sign("SECtest", "1700000000000")
'aZLLrriXgn05YbwaGR7knYsLeJADjr9NwLaNNKpxh4g='
>>> check_signature("SECtest", "1700000000000", sign("SECtest", "1700000000000"), now=1_700_000_100.0)
>>> check_signature("SECtest", "1700000000000", "forged", now=1_700_000_100.0)
Traceback (most recent call last):
...
bot.dingtalk.signature.SignatureError: the sign does not match
"""

from __future__ import annotations

import base64
import hashlib
import hmac

MAX_CLOCK_SKEW = 3600.0  # seconds: DingTalk's rule (a timestamp over an hour off is an illegal request)


class SignatureError(Exception):
    """The callback's sign or timestamp is wrong: it is not from DingTalk (or not for this AppSecret)."""


def sign(app_secret: str, timestamp: str) -> str:
    """The ``sign`` DingTalk computes for ``timestamp`` (milliseconds, as sent)."""
    digest = hmac.new(app_secret.encode(), f"{timestamp}\n{app_secret}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def check_signature(app_secret: str, timestamp: str, signature: str, *, now: float) -> None:
    """Raise :class:`SignatureError` unless ``signature`` signs ``timestamp`` (compared in constant time)
    and ``timestamp`` is within an hour of ``now`` (seconds)."""
    try:
        skew = abs(now - int(timestamp) / 1000)
    except ValueError:
        raise SignatureError("the timestamp is not a number") from None
    if not hmac.compare_digest(sign(app_secret, timestamp).encode(), signature.strip().encode()):
        raise SignatureError("the sign does not match")
    if skew > MAX_CLOCK_SKEW:
        raise SignatureError(f"the timestamp is {round(skew)} s off the clock")
