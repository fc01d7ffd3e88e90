"""What the WeCom (企业微信) app says to users, besides the answers and the texts all channels share."""

from __future__ import annotations

SOURCE_HEADER = "原文 {n}：《{title}》{section}"
NOT_ALLOWED = (
    "抱歉，您（企业微信账号 {user_id}）尚未开通落实助手。请联系管理员，把账号 {user_id} 加入允许名单后再使用。"
)
TEXT_ONLY = "目前只能回答文字提问，请直接输入问题，例如：谁牵头社会治安工作？"
SOURCE_NO_CONTEXT = "请先提一个问题，再发送「原文 N」查看该回答第 N 条出处的原文。"
SOURCE_NONE = "上一个回答没有出处可查看。"
SOURCE_OUT_OF_RANGE = "上一个回答只有 {count} 条出处，请发送「原文 1」到「原文 {count}」。"
SOMETHING_WENT_WRONG = "抱歉，处理您的问题时出错了，请稍后再试。"
