"""The WeCom tests' harness: the adapter's router served by a real uvicorn on a free loopback port, with
settings that point it at the fake WeCom.

A served app is stopped gracefully when its ``with`` block ends: uvicorn waits for the requests in flight
and their background work (the answers being sent), so what the fake received is complete afterwards,
with no waiting on a clock::

    with serve(app) as base_url:
        wecom.send_user_message(base_url + CALLBACK_PATH, "LiXin", "谁牵头？")
    assert wecom.messages_to("LiXin")
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from pydantic import SecretStr

from bot.desk import Desk
from bot.settings import Settings
from bot.wecom.routes import wecom_router

CORP_ID = "ww1436e0e65a779aee"
AGENT_ID = 1000002
SECRET = "app-secret-S0zjZTT7lnk48cC5y6PWVXpZ"
TOKEN = "hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo"
AES_KEY = "6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt"
ALLOWED_USERS = frozenset({"LiXin", "ZhaoMin", "WangFang", "ChenJing", "SunLei", "ZhouYu", "WuHao", "GaoYan", "HeJun"})


def wecom_settings(data_dir: Path, api_base_url: str) -> Settings:
    """Settings of a store in ``data_dir`` whose WeCom app calls the fake at ``api_base_url``."""
    return Settings(
        data_dir=data_dir,
        database_url=None,
        chroma_url=None,
        wecom_corp_id=CORP_ID,
        wecom_agent_id=AGENT_ID,
        wecom_secret=SecretStr(SECRET),
        wecom_token=SecretStr(TOKEN),
        wecom_aes_key=SecretStr(AES_KEY),
        wecom_user_ids=ALLOWED_USERS,
        wecom_api_base_url=api_base_url,
    )


def wecom_app(settings: Settings, desk: Desk) -> FastAPI:
    """A small app with only the WeCom router (as the HTTP API mounts it)."""
    app = FastAPI()
    app.include_router(wecom_router(settings, desk))
    return app
