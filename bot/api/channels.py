"""The channels served by the API's process besides ``/v1``: the web console at ``/`` and the WeCom
callback. Each adds its router here; :func:`bot.api.app.create_app` includes them after the ``/v1`` routes.

>>> channel_routers(None, None)
[]
"""

from __future__ import annotations

from fastapi import APIRouter

from bot.desk import Desk
from bot.settings import Settings


def channel_routers(settings: Settings, desk: Desk) -> list[APIRouter]:
    """The routers of the other channels over ``desk``."""
    return []
