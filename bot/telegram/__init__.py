"""The Telegram channel: a thin adapter from chats to the answer engine.

Entry points: :func:`bot.telegram.app.run` (``luoshi serve``) and
:func:`bot.telegram.app.build_application`.
"""

from __future__ import annotations

from typing import Any

__all__ = ["build_application", "run"]


def __getattr__(name: str) -> Any:
    # Lazy, so that importing a submodule (e.g. rendering) does not import the whole bot.
    if name in __all__:
        from bot.telegram import app

        return getattr(app, name)
    raise AttributeError(name)
