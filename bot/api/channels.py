"""The channels served by the API's process besides ``/v1``: the web console at ``/``, the WeCom callback and
the DingTalk robot's callback. Each adds its router here; :func:`bot.api.app.create_app` includes them after
the ``/v1`` routes.
A router's endpoints reach the desk through :data:`bot.api.auth.Reader` / :data:`bot.api.auth.Admin` (a
:class:`bot.api.auth.Caller` with the key's actor, role and the desk) or ``request.app.state.desk``, and raise
:class:`bot.api.errors.ApiError` for the JSON error shape.

>>> [route.path for router in channel_routers(None, None) for route in router.routes][:2]
['/', '/console/texts.json']
"""

from __future__ import annotations

from fastapi import APIRouter

from bot.console.routes import console_router
from bot.desk import Desk
from bot.dingtalk.routes import dingtalk_router
from bot.settings import Settings
from bot.wecom.routes import wecom_router


def channel_routers(settings: Settings, desk: Desk) -> list[APIRouter]:
    """The routers of the other channels over ``desk``: the console always, WeCom's callback when
    ``LUOSHI_WECOM_CORP_ID`` is set (:class:`bot.wecom.config.WeComSettingsError` if it is half configured),
    DingTalk's when ``LUOSHI_DINGTALK_APP_SECRET`` is set."""
    routers: list[APIRouter] = [console_router()]
    if settings is not None and settings.wecom_corp_id:
        routers.append(wecom_router(settings, desk))
    if settings is not None and settings.dingtalk_app_secret:
        routers.append(dingtalk_router(settings, desk))
    return routers
