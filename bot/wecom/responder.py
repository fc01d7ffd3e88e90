"""What the WeCom app does with a user's message, after the callback has been verified and decrypted: the
allow-list, one answer per MsgId, the question through the desk, 「原文 N」, and the reply through the
message API.

Runs in a worker thread (the callback has already answered WeCom)::

    responder = WeComResponder(desk, client, allowed_users=frozenset({"LiXin"}))
    if responder.first_delivery(message):
        responder.handle(message)  # desk.ask(...), then client.send_text(...)
"""

from __future__ import annotations

import logging

from bot.audit import Actor, Channel
from bot.desk import Desk, RateLimited, StoreWithheld
from bot.plain_answer import plain_text
from bot.shared.limits import OnceGate
from bot.shared.table import SharedTable
from bot.wecom.client import WeComClient
from bot.wecom.messages import InboundMessage
from bot.wecom.replies import source_number, source_reply
from prompts import wecom_texts as texts

logger = logging.getLogger(__name__)

DELIVERY_KIND = "wecom_msgid"  # the shared table of MsgIds already taken (WeCom retries a slow callback)
DELIVERY_TTL = 24 * 3600.0  # WeCom retries within seconds; a day is ample
MAX_DELIVERIES = 50_000


class WeComResponder:
    """Answers WeCom users through one desk and one app's message API."""

    def __init__(self, desk: Desk, client: WeComClient, allowed_users: frozenset[str]) -> None:
        self.desk = desk
        self.client = client
        self.allowed_users = allowed_users
        self._refused = OnceGate(desk.state)
        self._deliveries = SharedTable(desk.state, DELIVERY_KIND, MAX_DELIVERIES, ttl=DELIVERY_TTL)

    def first_delivery(self, message: InboundMessage) -> bool:
        """True the first time any worker sees this message (by MsgId; by sender and time if it has none)."""
        key = message.msg_id or f"{message.user}:{message.create_time}:{message.msg_type}:{message.event}"
        return self._deliveries.update(key, lambda value: "first" if value is None else "again") == "first"

    def handle(self, message: InboundMessage) -> None:
        """Answer ``message`` (if it calls for an answer) and send the reply; never raises."""
        try:
            reply = self.reply_to(message)
        except Exception:  # a worker thread: nothing above it would report the failure
            logger.exception("WeCom message from %s could not be answered", message.user)
            reply = texts.SOMETHING_WENT_WRONG
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
        if message.user not in self.allowed_users:
            return self._refuse(actor, message)
        if message.msg_type != "text":
            return texts.TEXT_ONLY
        number = source_number(message.content)
        try:
            if number is not None:
                return self._source(actor, number)
            return plain_text(self.desk.ask(actor, message.content, conversation=message.user))
        except RateLimited as error:  # told once per blocked period, as on Telegram
            return error.message_zh if error.first else None
        except StoreWithheld as error:
            return error.message_zh

    def _refuse(self, actor: Actor, message: InboundMessage) -> str | None:
        """Every attempt is audited; the user is told once (across workers), with the UserID to allow."""
        logger.info("Refused WeCom user %s (not in LUOSHI_WECOM_USER_IDS)", actor.user)
        self.desk.refuse(actor, "user_not_allowed", message.msg_type, message.content or None)
        if self._refused.first_time(f"wecom:{actor.user}"):
            return texts.NOT_ALLOWED.format(user_id=actor.user)
        return None

    def _source(self, actor: Actor, number: int) -> str:
        previous = self.desk.previous(actor, actor.user)
        if previous is None:
            return texts.SOURCE_NO_CONTEXT
        if not previous.citations:
            return texts.SOURCE_NONE
        if not 1 <= number <= len(previous.citations):
            return texts.SOURCE_OUT_OF_RANGE.format(count=len(previous.citations))
        citation = previous.citations[number - 1]
        return source_reply(number, citation, self.desk.source_text(citation))
