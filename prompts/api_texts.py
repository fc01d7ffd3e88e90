"""The Chinese texts people see from the HTTP API (error messages, the chat reply's sources).

Kept apart from the API's logic so that the wording can be reviewed and changed alone. The texts every
channel shares (rate limit, withheld store, question too long) are in :mod:`prompts.channel_texts`.
"""

from __future__ import annotations

from prompts.channel_texts import RATE_LIMITED, SERVICE_WITHHELD

__all__ = ["RATE_LIMITED", "SERVICE_WITHHELD"]  # shared with the other channels

MISSING_KEY = "缺少 API 密钥：请在请求头中提供 Authorization: Bearer <密钥> 或 X-API-Key。"
UNKNOWN_KEY = "API 密钥无效。"
NOT_ADMIN = "只有管理员可以上传或删除文件。"
NOT_FOUND = "请求的地址不存在。"
METHOD_NOT_ALLOWED = "该地址不支持此请求方法。"
BAD_REQUEST = "请求格式不正确。"
INVALID_REQUEST = "请求参数不正确：{fields}。"
INTERNAL_ERROR = "服务器内部错误，已记录，请稍后再试或联系管理员。"
DOCUMENT_NOT_FOUND = "没有编号为 {doc_id} 的文件。"
BAD_SPAN = "原文位置不正确（start 须小于 end，且在文件长度 {length} 以内）。"
FILE_TOO_LARGE = "文件超过大小上限（{limit}），未收录。"
NO_FILE = "请用 file 字段上传一个文件。"
MODEL_NOT_FOUND = "没有名为 {model} 的模型，请使用 {available}。"
NO_USER_MESSAGE = "对话中没有用户的提问。"

# The chat reply (POST /v1/chat/completions): the answer, then its numbered sources.
