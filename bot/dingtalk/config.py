"""The DingTalk settings, checked once: DingTalk is on when the robot's AppSecret is set.

A webhook host is either a bare host name, reached over https on its default port, or a full base
(``scheme://host[:port]``) for a proxy in a closed network or a test double.

>>> from pydantic import SecretStr
>>> from bot.settings import Settings
>>> dingtalk_config(Settings(data_dir="/tmp/luoshi-doc")) is None
True
>>> config = dingtalk_config(Settings(data_dir="/tmp/luoshi-doc", dingtalk_app_secret=SecretStr("s3cret")))
>>> sorted(config.webhook_bases)
[('https', 'api.dingtalk.com'), ('https', 'oapi.dingtalk.com')]
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.dingtalk.client import url_base
from bot.settings import Settings


class DingTalkSettingsError(ValueError):
    """A DingTalk setting cannot be used; the message names it (never a secret's value)."""


@dataclass(frozen=True)
class DingTalkConfig:
    """What the adapter needs (the secret as a plain string: keep this object out of logs)."""

    app_secret: str
    user_ids: frozenset[str]
    webhook_bases: frozenset[tuple[str, str]]  # (scheme, host[:port]) a sessionWebhook may point at

    def __repr__(self) -> str:
        return f"DingTalkConfig(users={len(self.user_ids)}, webhook_bases={sorted(self.webhook_bases)})"


def webhook_base(entry: str) -> tuple[str, str]:
    """``("https", "oapi.dingtalk.com")`` for a bare host, ``(scheme, host[:port])`` for a full base.

    >>> webhook_base("oapi.dingtalk.com"), webhook_base("http://127.0.0.1:8080/")
    (('https', 'oapi.dingtalk.com'), ('http', '127.0.0.1:8080'))
    """
    base = url_base(entry if "://" in entry else f"https://{entry}")
    if base is None:
        raise DingTalkSettingsError(f"LUOSHI_DINGTALK_WEBHOOK_HOSTS: {entry!r} is not a host or an http(s) base")
    return base


def dingtalk_config(settings: Settings) -> DingTalkConfig | None:
    """None when DingTalk is off (no AppSecret); else the configuration, or :class:`DingTalkSettingsError`."""
    secret = settings.dingtalk_app_secret.get_secret_value() if settings.dingtalk_app_secret else ""
    if not secret:
        return None
    return DingTalkConfig(
        app_secret=secret,
        user_ids=frozenset(settings.dingtalk_user_ids),
        webhook_bases=frozenset(webhook_base(entry) for entry in settings.dingtalk_webhook_hosts),
    )
