"""What the WeCom (企业微信) app says to users, besides the answers and the texts all channels share
(prompts/channel_texts.py)."""

from __future__ import annotations

NOT_ALLOWED = (
    "抱歉，您（企业微信账号 {user_id}）尚未开通落实助手。请联系管理员，把账号 {user_id} 加入允许名单后再使用。"
)
