"""The Chinese texts every channel shows alike (Telegram, the HTTP API and console, WeCom)."""

from __future__ import annotations

RATE_LIMITED = "提问有点频繁了，请 {seconds} 秒后再试。"
QUESTION_TOO_LONG = "问题太长了（{length} 字），请精简到 {limit} 字以内。"
# An answer as plain text (bot/plain_answer.py): WeCom, the OpenAI-compatible chat.
SOURCES_LABEL = "出处："
SOURCE_LINE = "[{number}] 《{title}》 {section} “{quote}”"
SERVICE_WITHHELD = "抱歉，本助手暂停服务：文件库中有标有密级的涉密文件，须由管理员删除后才能恢复。"
