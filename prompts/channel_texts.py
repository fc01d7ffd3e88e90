"""The Chinese texts every channel shows alike (Telegram, the HTTP API and console, WeCom, DingTalk)."""

from __future__ import annotations

RATE_LIMITED = "提问有点频繁了，请 {seconds} 秒后再试。"
QUESTION_TOO_LONG = "问题太长了（{length} 字），请精简到 {limit} 字以内。"
# An answer as plain text (bot/plain_answer.py): WeCom, the OpenAI-compatible chat.
SOURCES_LABEL = "出处："
SOURCE_LINE = "[{number}] 《{title}》 {section} “{quote}”"
SERVICE_WITHHELD = "抱歉，本助手暂停服务：文件库中有标有密级的涉密文件，须由管理员删除后才能恢复。"
# The chat robots (WeCom, DingTalk): 「原文 N」 (bot/source_request.py), other message types, failures.
SOURCE_HEADER = "原文 {n}：《{title}》{section}"
SOURCE_NO_CONTEXT = "请先提一个问题，再发送「原文 N」查看该回答第 N 条出处的原文。"
SOURCE_NONE = "上一个回答没有出处可查看。"
SOURCE_OUT_OF_RANGE = "上一个回答只有 {count} 条出处，请发送「原文 1」到「原文 {count}」。"
TEXT_ONLY = "目前只能回答文字提问，请直接输入问题，例如：谁牵头社会治安工作？"
SOMETHING_WENT_WRONG = "抱歉，处理您的问题时出错了，请稍后再试。"
