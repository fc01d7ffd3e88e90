"""Keep the bot token out of logs."""

from __future__ import annotations

import logging

# httpx logs every request URL at INFO, and Bot API URLs contain the token.
NOISY_LOGGERS: dict[str, int] = {"httpx": logging.WARNING, "httpcore": logging.WARNING}


def quiet_http_loggers() -> None:
    """Raise the level of the HTTP client loggers that would print the token."""
    for name, level in NOISY_LOGGERS.items():
        logger = logging.getLogger(name)
        if logger.getEffectiveLevel() < level:
            logger.setLevel(level)


class RedactTokenFilter(logging.Filter):
    """A handler filter that replaces the token wherever it appears in a record, tracebacks included.

    A second line of defence: nothing in Luoshi logs the token, but exception texts from libraries
    may contain request URLs.
    """

    REPLACEMENT = "<telegram-token>"

    def __init__(self, token: str) -> None:
        super().__init__()
        self._token = token

    def filter(self, record: logging.LogRecord) -> bool:
        if not self._token:
            return True
        message = record.getMessage()
        if self._token in message:
            record.msg = message.replace(self._token, self.REPLACEMENT)
            record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text and self._token in record.exc_text:
            record.exc_text = record.exc_text.replace(self._token, self.REPLACEMENT)
        return True


# Loggers of python-telegram-bot and its HTTP client; some of them log the Bot API URL (with the
# token) at DEBUG, e.g. "Set Bot API URL: https://api.telegram.org/bot<token>".
LIBRARY_LOGGERS: tuple[str, ...] = (
    "telegram",
    "telegram.Bot",
    "telegram.BaseRequest",
    "telegram.HTTPXRequest",
    "telegram.ext",
    "telegram.ext.ExtBot",
    "telegram.ext.Updater",
    "telegram.ext.Application",
    "telegram.ext.AIORateLimiter",
    "httpx",
    "httpcore",
)


def _add_filter(target: logging.Logger | logging.Handler, token: str) -> None:
    if not any(isinstance(f, RedactTokenFilter) and f._token == token for f in target.filters):
        target.addFilter(RedactTokenFilter(token))


def install_token_redaction(token: str) -> None:
    """Redact ``token`` in records of the library loggers (at the source, whatever handler gets them)
    and in everything that reaches the root logger's handlers. Idempotent."""
    for name in LIBRARY_LOGGERS:
        _add_filter(logging.getLogger(name), token)
    for handler in logging.getLogger().handlers:
        _add_filter(handler, token)
