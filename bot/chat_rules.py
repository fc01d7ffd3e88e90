"""The rules a chat robot (WeCom's app, DingTalk's robot) follows with a user's message, once its channel
has checked where it came from: one answer per message id across workers, the allow-list (an outsider
refused once, naming the id to allow, every attempt audited), text only, 「原文 N」, the question through
the desk, and the rate-limit notice once per blocked period. The channel sends what :meth:`ChatRules.reply`
returns::

    rules = ChatRules(desk, frozenset({"LiXin"}), NOT_ALLOWED, "LUOSHI_WECOM_USER_IDS", delivery_kind="wecom_msgid")
    if rules.first_delivery(msg_id):
        text = rules.reply(Actor(Channel.WECOM, "LiXin"), "text", "谁牵头？", conversation="LiXin")
"""

from __future__ import annotations

import logging

from bot.audit import Actor
from bot.desk import Desk, RateLimited, StoreWithheld
from bot.plain_answer import plain_text
from bot.shared.limits import OnceGate
from bot.shared.table import SharedTable
from bot.source_request import source_number, source_reply
from prompts import channel_texts as texts

logger = logging.getLogger(__name__)

DELIVERY_TTL = 24 * 3600.0  # platforms retry a slow callback within seconds; a day is ample
MAX_DELIVERIES = 50_000


class ChatRules:
    """A chat robot's replies through one desk, for the users in ``allowed_users``.

    ``not_allowed`` is the channel's refusal (with a ``{user_id}`` field); ``allow_setting`` names the
    setting to extend in the log; ``delivery_kind`` names the shared table of message ids already taken."""

    def __init__(
        self, desk: Desk, allowed_users: frozenset[str], not_allowed: str, allow_setting: str, *, delivery_kind: str
    ) -> None:
        self.desk = desk
        self.allowed_users = allowed_users
        self._not_allowed = not_allowed
        self._allow_setting = allow_setting
        self._refused = OnceGate(desk.state)
        self._deliveries = SharedTable(desk.state, delivery_kind, MAX_DELIVERIES, ttl=DELIVERY_TTL)

    def first_delivery(self, message_key: str) -> bool:
        """True the first time any worker sees ``message_key`` (a platform's message id)."""
        return self._deliveries.update(message_key, lambda value: "first" if value is None else "again") == "first"

    def reply(self, actor: Actor, msg_type: str, text: str, conversation: str) -> str | None:
        """The text to send back to ``actor``'s message, or None (an outsider after the first refusal, a user
        over the rate limit after the first notice). ``conversation`` keeps follow-ups and 「原文 N」."""
        if actor.user not in self.allowed_users:
            return self._refuse(actor, msg_type, text)
        if msg_type != "text":
            return texts.TEXT_ONLY
        number = source_number(text)
        try:
            if number is not None:
                return self._source(actor, number, conversation)
            return plain_text(self.desk.ask(actor, text, conversation=conversation))
        except RateLimited as error:  # told once per blocked period, as on Telegram
            return error.message_zh if error.first else None
        except StoreWithheld as error:
            return error.message_zh

    def _refuse(self, actor: Actor, msg_type: str, text: str) -> str | None:
        """Every attempt is audited; the user is told once (across workers), with the id to allow."""
        logger.info("Refused %s user %s (not in %s)", actor.channel, actor.user, self._allow_setting)
        self.desk.refuse(actor, "user_not_allowed", msg_type, text or None)
        if self._refused.first_time(f"{actor.channel}:{actor.user}"):
            return self._not_allowed.format(user_id=actor.user)
        return None

    def _source(self, actor: Actor, number: int, conversation: str) -> str:
        previous = self.desk.previous(actor, conversation)
        if previous is None:
            return texts.SOURCE_NO_CONTEXT
        if not previous.citations:
            return texts.SOURCE_NONE
        if not 1 <= number <= len(previous.citations):
            return texts.SOURCE_OUT_OF_RANGE.format(count=len(previous.citations))
        citation = previous.citations[number - 1]
        return source_reply(number, citation, self.desk.source_text(actor, citation))
