"""The JSON DingTalk posts to an enterprise-internal robot's callback, read with pydantic (unknown fields
ignored, the ones we use checked).

The fields, as DingTalk's robot callback carries them (checked against a recorded text callback in the
dingtalk-stream-sdk crate's test resources, docs.rs/crate/dingtalk-stream-sdk/0.2.5 test_resources/
cb_msg_text.json, and AgentScope's DingTalk channel description): ``msgtype`` ("text", "picture", "richText",
…), ``text.content``, ``senderStaffId`` (the sender's userId in the organisation), ``senderNick``,
``conversationType`` ("1" private chat, "2" group), ``conversationId``, ``msgId``, ``sessionWebhook`` (where
to reply) and ``sessionWebhookExpiredTime`` (milliseconds), ``isInAtList``, ``robotCode``.

>>> message = parse_message(
...     '{"msgtype": "text", "text": {"content": " 谁牵头？"}, "senderStaffId": "0326150155", "senderNick": "李新",'
...     ' "conversationType": "2", "conversationId": "cidAbc==", "msgId": "msgXyz==",'
...     ' "sessionWebhook": "https://oapi.dingtalk.com/robot/sendBySession?session=5d",'
...     ' "sessionWebhookExpiredTime": 1774086394522}'.encode()
... )
>>> message.sender, message.content, message.in_group, message.conversation
('0326150155', ' 谁牵头？', True, 'cidAbc==:0326150155')
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, ValidationError

MAX_BODY_BYTES = 64 * 1024  # a text message is a few KB; the rest of the callback is a few hundred bytes
PRIVATE, GROUP = "1", "2"


class BadMessage(Exception):
    """The body is not a DingTalk robot callback (not JSON, or a field we need is missing)."""


class _Text(BaseModel):
    content: str = ""


class RobotMessage(BaseModel):
    """One user's message to the robot."""

    model_config = ConfigDict(populate_by_name=True, extra="ignore", frozen=True)

    msg_type: str = Field(alias="msgtype", min_length=1, max_length=32)
    text: _Text = Field(default_factory=_Text)
    sender: str = Field(alias="senderStaffId", min_length=1, max_length=128)
    sender_nick: str = Field(default="", alias="senderNick", max_length=128)
    conversation_type: str = Field(default=PRIVATE, alias="conversationType")
    conversation_id: str = Field(default="", alias="conversationId", max_length=256)
    msg_id: str = Field(alias="msgId", min_length=1, max_length=256)
    session_webhook: str = Field(alias="sessionWebhook", min_length=1, max_length=2048)
    session_webhook_expires_ms: int | None = Field(default=None, alias="sessionWebhookExpiredTime")
    in_at_list: bool = Field(default=False, alias="isInAtList")
    robot_code: str = Field(default="", alias="robotCode")

    @property
    def content(self) -> str:
        """The text as sent (DingTalk keeps a leading space after an @ in groups; the desk cleans it)."""
        return self.text.content

    @property
    def in_group(self) -> bool:
        return self.conversation_type == GROUP

    @property
    def conversation(self) -> str:
        """Whose follow-ups go together: the sender within a group, the sender alone in a private chat."""
        return f"{self.conversation_id}:{self.sender}" if self.in_group else self.sender


def parse_message(body: bytes) -> RobotMessage:
    """The callback's message, or :class:`BadMessage`."""
    if len(body) > MAX_BODY_BYTES:
        raise BadMessage(f"the body is over {MAX_BODY_BYTES} bytes")
    try:
        return RobotMessage.model_validate_json(body)
    except ValidationError as error:
        fields = sorted({".".join(str(part) for part in item["loc"]) for item in error.errors()})
        raise BadMessage(f"not a robot message ({', '.join(fields) or 'not JSON'})") from None
