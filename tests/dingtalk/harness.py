"""The DingTalk tests' harness: settings that point the robot at the fake DingTalk, and a small app with only
the robot's router. A served app (tests.api.harness.serve_app) is stopped gracefully when its ``with`` block
ends, after the replies being sent in the background, so what the fake received is complete afterwards."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from pydantic import SecretStr

from bot.desk import Desk
from bot.dingtalk.routes import dingtalk_router
from bot.settings import Settings

APP_SECRET = "gS5HvDqe7Y_robot-app-secret-0Lz9bCq2kFJxW8tNpRmU3"
ALLOWED_STAFF = frozenset(
    {"0326150155", "0326150156", "0326150157", "0326150158", "0326150159", "0326150160", "0326150161"}
)


def dingtalk_settings(data_dir: Path, webhook_base: str) -> Settings:
    """Settings of a store in ``data_dir`` whose robot may reply only to the fake's sessionWebhooks."""
    return Settings(
        data_dir=data_dir,
        database_url=None,
        chroma_url=None,
        dingtalk_app_secret=SecretStr(APP_SECRET),
        dingtalk_user_ids=ALLOWED_STAFF,
        dingtalk_webhook_hosts=frozenset({webhook_base}),
    )


def dingtalk_app(settings: Settings, desk: Desk) -> FastAPI:
    """A small app with only the DingTalk router (as the HTTP API mounts it)."""
    app = FastAPI()
    app.include_router(dingtalk_router(settings, desk))
    return app
