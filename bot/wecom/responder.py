"""What the WeCom app does with a user's message, after the callback has been verified and decrypted: the
chat robots' rules (:class:`bot.chat_rules.ChatRules`: one answer per MsgId, the allow-list, 「原文 N」, the
question through the desk), and the reply through the message API.

Runs in a worker thread (the callback has already answered WeCom)::

    responder = WeComResponder(desk, client, allowed_users=frozenset({"LiXin"}))
    if responder.first_delivery(message):
        responder.handle(message)  # desk.ask(...), then client.send_text(...)
"""

from __future__ import annotations

import logging

from bot.audit import Actor, Channel
from bot.chat_rules import ChatRules
from bot.desk import Desk
from bot.wecom.client import WeComClient
from bot.wecom.messages import InboundMessage
from prompts import channel_texts
from prompts import wecom_texts as texts

logger = logging.getLogger(__name__)

DELIVERY_KIND = "wecom_msgid"  # the shared table of MsgIds already taken (WeCom retries a slow callback)


class WeComResponder:
    """Answers WeCom users through one desk and one app's message API."""

    def __init__(self, desk: Desk, client: WeComClient, allowed_users: frozenset[str]) -> None:
        self.desk = desk
        self.client = client
        self.rules = ChatRules(
            desk, allowed_users, texts.NOT_ALLOWED, "LUOSHI_WECOM_USER_IDS", delivery_kind=DELIVERY_KIND
        )

    def first_delivery(self, message: InboundMessage) -> bool:
        """True the first time any worker sees this message (by MsgId; by sender and time if it has none)."""
        key = message.msg_id or f"{message.user}:{message.create_time}:{message.msg_type}:{message.event}"
        return self.rules.first_delivery(key)

    def handle(self, message: InboundMessage) -> None:
        """Answer ``message`` (if it calls for an answer) and send the reply; never raises."""
        try:
            reply = self.reply_to(message)
        except Exception:  # a worker thread: nothing above it would report the failure
            logger.exception("WeCom message from %s could not be answered", message.user)
            reply = channel_texts.SOMETHING_WENT_WRONG
        if not reply:
            return
        try:
            self.client.send_text(message.user, reply)  # logs WeCom's refusals itself
        except Exception:
            logger.exception("WeCom reply to %s could not be sent", message.user)

    def reply_to(self, message: InboundMessage) -> str | None:
        """The text to send back, or None: events, and outsiders after their first refusal, get nothing."""
        if message.msg_type == "event":
            return None
        actor = Actor(Channel.WECOM, message.user)
        return self.rules.reply(actor, message.msg_type, message.content, conversation=message.user)
