"""The bot does not serve a store that holds classified documents (密级).

Uploads to the bot refuse them whatever the settings; only ``luoshi ingest`` with LUOSHI_ALLOW_CLASSIFIED
stores them, for a store meant for other use (or a store made before marks were read holds one). So:

- the bot refuses to start on such a store (:func:`refuse_classified_store`, an English error), and
- if one comes in while it runs (an ingest by another process), :class:`ClassifiedGate` stops every
  update of the people it serves with a Chinese notice and logs why; only admins' ``/docs`` and
  ``/remove`` go through, so that they can take the document out.

The gate runs in :data:`CLASSIFIED_GROUP`, before the access gate; updates of outsiders pass on to the
access gate, which refuses them as it always does::

    application.add_handler(ClassifiedGate(services).handler(), group=CLASSIFIED_GROUP)
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from telegram import Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop, ContextTypes, TypeHandler

from bot.classified_store import classified_store_problem
from bot.telegram.access import Decision
from bot.telegram.guards import GATE_GROUP, handled_behind_gate
from bot.telegram.services import Services
from bot.telegram.trail import actor_of, attempt
from prompts import telegram_texts as texts
from vectorstore.catalog import DocumentRecord

logger = logging.getLogger(__name__)

# Before the access gate, with a group left free between them (tests watch every update arrive there).
CLASSIFIED_GROUP = GATE_GROUP - 2
# What admins may still do on a withheld store: see what is there and take it out.
ADMIN_REPAIRS = frozenset({"docs", "remove"})


class ClassifiedGate:
    """Stops the updates of allowed users while the store holds classified documents (admins may still
    ``/docs`` and ``/remove``); each stopped update that the bot would have answered gets the notice."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self._logged: frozenset[str] = frozenset()

    def handler(self) -> TypeHandler:
        """The gate as a handler of every update, to register in :data:`CLASSIFIED_GROUP`."""
        return TypeHandler(Update, self.check, block=True)

    async def check(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Return to let ``update`` on (to the access gate); raise ApplicationHandlerStop to stop it."""
        chat, user = update.effective_chat, update.effective_user
        if chat is None:
            return
        user_id = user.id if user else None
        policy = self.services.policy
        if policy.check(user_id, chat.id, private=chat.type == ChatType.PRIVATE) is not Decision.ALLOWED:
            return  # the access gate refuses outsiders
        documents = self.services.engine.classified_documents()
        if not documents:
            return
        if policy.is_admin(user_id) and _command(update) in ADMIN_REPAIRS:
            return
        self._log(documents)
        if handled_behind_gate(context.application, update):
            logger.info("Withheld (classified store): user=%s chat=%s", user_id, chat.id)
            self.services.audit.access_refused(actor_of(update), "withheld", *attempt(update))
            try:
                if update.callback_query is not None:
                    await update.callback_query.answer(texts.SERVICE_WITHHELD, show_alert=True)
                elif update.effective_message is not None:
                    await update.effective_message.reply_text(texts.SERVICE_WITHHELD, parse_mode=None)
            except TelegramError as error:
                logger.warning("Could not send the notice to chat %s: %s", chat.id, error)
        raise ApplicationHandlerStop

    def _log(self, documents: Sequence[DocumentRecord]) -> None:
        """An error in the log each time the set of classified documents changes."""
        ids = frozenset(record.doc_id for record in documents)
        if ids != self._logged:
            self._logged = ids
            problem = classified_store_problem(documents, self.services.settings.data_dir)
            logger.error("Not answering: %s", problem)


def _command(update: Update) -> str | None:
    """The command a message gives (``/remove@bot id`` → ``remove``), if it is one."""
    message = update.effective_message
    text = message.text if message is not None else None
    if not text or not text.startswith("/"):
        return None
    return text.split(maxsplit=1)[0][1:].partition("@")[0].lower()
