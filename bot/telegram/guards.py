"""Who gets past the door: the access gate in front of every handler, and the admin check of the few
admin-only handlers.

The gate is one handler in its own group, :data:`GATE_GROUP` (-1), so python-telegram-bot runs it
before any other handler. For someone who may not use the bot here it sends the refusal (if one is
due) and raises :class:`~telegram.ext.ApplicationHandlerStop`, so no handler behind it ever sees the
update — including handlers added later that check nothing themselves::

    application.add_handler(AccessGate(services).handler(), group=GATE_GROUP)
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import Application, ApplicationHandlerStop, ContextTypes, TypeHandler

from bot.telegram.access import Decision
from bot.telegram.services import Services
from bot.telegram.trail import actor_of, attempt
from prompts import telegram_texts as texts

logger = logging.getLogger(__name__)

GATE_GROUP = -1  # handler group of the gate; every other handler is registered in a later group


def handled_behind_gate(application: Application, update: Update) -> bool:
    """Whether a handler behind the gate would take ``update`` — i.e. whether the bot would answer it.

    Chatter in a group that does not mention the bot, or a sticker in a private chat, is taken by no
    handler: the bot stays silent about those, for outsiders as for everyone.
    """
    for group, handlers in application.handlers.items():
        if group <= GATE_GROUP:
            continue
        for handler in handlers:
            check = handler.check_update(update)
            if check is not None and check is not False:  # how Application.process_update reads it
                return True
    return False


class AccessGate:
    """Stops every update from a user or chat that may not use the bot, before any handler sees it.

    The decision is :meth:`AccessPolicy.check <bot.telegram.access.AccessPolicy.check>`'s: in a
    private chat the user must be allowed, in a group the group. An outsider is refused only for what
    the bot would have answered (see :func:`handled_behind_gate`), once per user or per group in a chat
    and as an alert on every button press, and the refusal is logged. If the refusal cannot be sent,
    the update is stopped all the same.
    """

    def __init__(self, services: Services) -> None:
        self.services = services

    def handler(self) -> TypeHandler:
        """The gate as a handler of every :class:`~telegram.Update`, to register in :data:`GATE_GROUP`."""
        return TypeHandler(Update, self.check, block=True)  # blocking: later groups wait for the verdict

    async def check(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Return to let ``update`` through; raise :class:`ApplicationHandlerStop` to stop it."""
        chat, user = update.effective_chat, update.effective_user
        if chat is None:
            raise ApplicationHandlerStop  # nothing to decide on: not an update this bot answers
        user_id = user.id if user else None
        decision = self.services.policy.check(user_id, chat.id, private=chat.type == ChatType.PRIVATE)
        if decision is Decision.ALLOWED:
            return
        if handled_behind_gate(context.application, update):
            logger.info("Refused (%s): user=%s chat=%s", decision.value, user_id, chat.id)
            self.services.audit.access_refused(actor_of(update), decision.value, *attempt(update))
            try:
                await self._refuse(update, decision, user_id, chat.id)
            except TelegramError as error:
                logger.warning("Could not send the refusal to chat %s: %s", chat.id, error)
            except Exception:
                logger.exception("Could not refuse update %s", update.update_id)
        raise ApplicationHandlerStop

    async def _refuse(self, update: Update, decision: Decision, user_id: int | None, chat_id: int) -> None:
        if decision is Decision.USER_NOT_ALLOWED:
            key = f"user:{user_id}"
            text = texts.REFUSE_USER.format(user_id=user_id)
        else:
            key = f"chat:{chat_id}"
            text = texts.REFUSE_CHAT.format(chat_id=chat_id)
        query = update.callback_query
        if query is not None:
            await query.answer(text, show_alert=True)
        elif self.services.refused.first_time(key) and update.effective_message is not None:
            await update.effective_message.reply_text(text, parse_mode=None)


async def require_admin(services: Services, update: Update, action: str) -> bool:
    """True for admins. Others (whom the gate let in) are told no, and the attempt is logged.

    For the admin-only handlers (uploads, ``/remove``, ``/stats``): ``if not await require_admin(…): return``.
    """
    user = update.effective_user
    user_id = user.id if user else None
    if services.policy.is_admin(user_id):
        return True
    chat_id = update.effective_chat.id if update.effective_chat else None
    logger.warning("Refused admin action %s from non-admin user=%s chat=%s", action, user_id, chat_id)
    services.audit.access_refused(actor_of(update), "not_admin", *attempt(update, action))
    if update.effective_message is not None:
        refusal = texts.REFUSE_UPLOAD if action == "upload" else texts.REFUSE_ADMIN_ONLY
        await update.effective_message.reply_text(refusal, parse_mode=None)
    return False
