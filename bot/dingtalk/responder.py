"""What the DingTalk robot does with a user's message, after the callback's signature was checked: the
chat robots' rules (:class:`bot.chat_rules.ChatRules`: one answer per msgId, the allow-list, 「原文 N」, the
question through the desk), and the reply through the message's sessionWebhook (@-ing the sender in a group).

Runs in a worker thread (the callback has already answered DingTalk)::

    responder = DingTalkResponder(desk, client, allowed_users=frozenset({"0326150155"}))
    if responder.first_delivery(message):
        responder.handle(message)  # desk.ask(...), then client.send_text(message.session_webhook, ...)
"""

from __future__ import annotations

import logging

from bot.audit import Actor, Channel
from bot.chat_rules import ChatRules
from bot.desk import Desk
from bot.dingtalk.client import SessionWebhookClient
from bot.dingtalk.messages import RobotMessage
from prompts import channel_texts
from prompts import dingtalk_texts as texts

logger = logging.getLogger(__name__)

DELIVERY_KIND = "dingtalk_msgid"  # the shared table of msgIds already taken (DingTalk retries a slow callback)


class DingTalkResponder:
    """Answers DingTalk users through one desk, replying to each message's sessionWebhook."""

    def __init__(self, desk: Desk, client: SessionWebhookClient, allowed_users: frozenset[str]) -> None:
        self.desk = desk
        self.client = client
        self.rules = ChatRules(
            desk, allowed_users, texts.NOT_ALLOWED, "LUOSHI_DINGTALK_USER_IDS", delivery_kind=DELIVERY_KIND
        )

    def first_delivery(self, message: RobotMessage) -> bool:
        """True the first time any worker sees this msgId."""
        return self.rules.first_delivery(message.msg_id)

    def handle(self, message: RobotMessage) -> None:
        """Answer ``message`` and send the reply; never raises."""
        try:
            actor = Actor(Channel.DINGTALK, message.sender, name=message.sender_nick or None)
            reply = self.rules.reply(actor, message.msg_type, message.content, conversation=message.conversation)
        except Exception:  # a worker thread: nothing above it would report the failure
            logger.exception("DingTalk message from %s could not be answered", message.sender)
            reply = channel_texts.SOMETHING_WENT_WRONG
        if not reply:
            return
        try:
            self.client.send_text(
                message.session_webhook,
                reply,
                at_user_id=message.sender if message.in_group else None,
                expires_ms=message.session_webhook_expires_ms,
            )  # logs its refusals itself
        except Exception:
            logger.exception("DingTalk reply to %s could not be sent", message.sender)
