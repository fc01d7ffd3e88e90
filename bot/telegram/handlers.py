"""Chat handlers: questions, commands and source buttons.

They are registered, behind the access gate, in :func:`bot.telegram.app.register_handlers`; uploads
live in :mod:`bot.telegram.uploads`, the ledger commands in :mod:`bot.telegram.task_commands`.
"""

from __future__ import annotations

import asyncio
import logging
import math
import re
import time

from telegram import Message, MessageEntity, Update
from telegram.constants import ChatType
from telegram.error import BadRequest
from telegram.ext import ContextTypes, filters

from bot.answers import Answer
from bot.question_input import clean, too_long
from bot.shared.memory import AnswerMessage
from bot.telegram import rendering
from bot.telegram.commands import command_argument
from bot.telegram.guards import require_admin
from bot.telegram.packing import pack
from bot.telegram.replies import chat_action, is_not_modified, reply_html
from bot.telegram.services import Services
from bot.telegram.trail import actor_of
from prompts import telegram_texts as texts

logger = logging.getLogger(__name__)

# An answer is archived (for its source buttons) once its worker hears back from Telegram, which may be after
# the user has seen it and pressed a button on another worker. A message this young may be on its way in.
IN_FLIGHT_SECONDS = 30.0
ARCHIVE_POLL_SECONDS = 0.25


class AddressedToBot(filters.MessageFilter):
    """Group messages meant for the bot: they mention it, or reply to one of its messages."""

    def filter(self, message: Message) -> bool:
        bot = message.get_bot()
        reply = message.reply_to_message
        if reply is not None and reply.from_user is not None and reply.from_user.id == bot.id:
            return True
        username = (bot.username or "").lower()
        mentions = message.parse_entities([MessageEntity.MENTION, MessageEntity.TEXT_MENTION])
        for entity, text in mentions.items():
            if entity.type == MessageEntity.MENTION and text[1:].lower() == username:
                return True
            if entity.type == MessageEntity.TEXT_MENTION and entity.user and entity.user.id == bot.id:
                return True
        return False


def strip_mention(text: str, username: str | None) -> str:
    """The question without the ``@bot`` mention."""
    if username:
        # Not \b: Chinese characters are word characters, and "@bot谁牵头…" is common.
        text = re.sub(rf"@{re.escape(username)}(?![A-Za-z0-9_])", " ", text, flags=re.IGNORECASE)
    return text.strip()


class ChatHandlers:
    """Everything a cadre can do in a chat: ask, follow up, open sources, list documents; admins also
    ``/stats`` and ``/remove``. The access gate has let the sender in before any of these runs."""

    def __init__(self, services: Services) -> None:
        self.services = services

    # -- questions ----------------------------------------------------------------------------------

    async def private_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is not None:
            await self._ask(update, context, message.text or "")

    async def group_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is not None:
            await self._ask(update, context, strip_mention(message.text or "", context.bot.username))

    async def ask(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is None:
            return
        question = command_argument(message)
        if not question:
            await message.reply_text(texts.ASK_USAGE, parse_mode=None)
            return
        await self._ask(update, context, question)

    async def _ask(self, update: Update, context: ContextTypes.DEFAULT_TYPE, question: str) -> None:
        message, chat, user = update.effective_message, update.effective_chat, update.effective_user
        if message is None or chat is None:
            return
        question = clean(question)
        if not question:
            await message.reply_text(texts.QUESTION_EMPTY, parse_mode=None)
            return
        refusal = too_long(question)
        if refusal is not None:
            self.services.audit.question_not_asked(actor_of(update), question, "too_long")
            await message.reply_text(refusal, parse_mode=None)
            return
        user_id = user.id if user else chat.id
        wait = self.services.rate_limiter.hit(user_id)
        if wait is not None:
            logger.info("Rate limited user=%s chat=%s for %.0f s", user_id, chat.id, wait)
            self.services.audit.question_not_asked(actor_of(update), question, "rate_limited")
            if self.services.rate_limiter.should_notify(user_id, wait):
                seconds = max(1, math.ceil(wait))
                await message.reply_text(texts.RATE_LIMITED.format(seconds=seconds), parse_mode=None)
            return
        previous = self._previous_answer(message)
        started = time.monotonic()
        async with chat_action(context.bot, chat.id):
            answer = await self.services.engine.answer(question, previous)
        logger.info(
            "Answered chat=%s user=%s found=%s kind=%s citations=%d follow_up=%s in %.0f ms",
            chat.id,
            user_id,
            answer.found,
            answer.kind,
            len(answer.citations),
            previous is not None,
            (time.monotonic() - started) * 1000,
        )
        self.services.audit.question(actor_of(update), answer, follow_up=previous is not None)
        # Remembered before it is sent: once the user sees it, a follow-up may reach another worker.
        self.services.memory.remember(chat.id, answer)
        await self._send_answer(message, answer)

    def _previous_answer(self, message: Message) -> Answer | None:
        """Context for a follow-up: the answer replied to, else the chat's last answer."""
        reply = message.reply_to_message
        if reply is not None:
            entry = self.services.archive.get(message.chat_id, reply.message_id)
            if entry is not None:
                return entry.answer
        return self.services.memory.previous(message.chat_id)

    async def _send_answer(self, message: Message, answer: Answer) -> None:
        parts = rendering.render_answer(answer)
        sent = await reply_html(message, parts, rendering.source_keyboard(answer))
        self.services.archive.put(sent.chat_id, sent.message_id, AnswerMessage(answer, parts[-1]))

    # -- sources ------------------------------------------------------------------------------------

    async def source_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Show a source's paragraph in place of the answer, or the answer again."""
        query = update.callback_query
        if query is None:
            return
        message = query.message
        entry = await self._archived(message) if isinstance(message, Message) else None
        number = rendering.parse_source_data(query.data)
        if entry is None or (number is not None and number > len(entry.answer.citations)):
            await query.answer(texts.SOURCE_EXPIRED)
            return
        if number is None:
            text, keyboard = entry.html, rendering.source_keyboard(entry.answer)
        else:
            citation = entry.answer.citations[number - 1]
            try:
                paragraph = await self.services.engine.source_text(citation)
            except Exception:
                logger.exception("Could not read the source of %s", citation.doc_id)
                await query.answer(texts.SOURCE_UNAVAILABLE, show_alert=True)
                return
            self.services.audit.lookup(actor_of(update), "source", doc_id=citation.doc_id, section=citation.section)
            text = rendering.render_source(number, citation, paragraph)
            keyboard = rendering.source_keyboard(entry.answer, showing=number)
        await query.answer()
        try:
            await query.edit_message_text(text, reply_markup=keyboard)
        except BadRequest as error:
            if not is_not_modified(error):
                raise

    async def _archived(self, message: Message) -> AnswerMessage | None:
        """The answer shown in ``message``; for a message sent moments ago, waited for until it is archived."""
        deadline = message.date.timestamp() + IN_FLIGHT_SECONDS
        while True:
            entry = self.services.archive.get(message.chat_id, message.message_id)
            if entry is not None or time.time() >= deadline:
                return entry
            await asyncio.sleep(ARCHIVE_POLL_SECONDS)

    async def source(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """``/source N``: the paragraph around source N of the last answer, as new message(s)."""
        message = update.effective_message
        if message is None:
            return
        previous = self._previous_answer(message)
        if previous is None:
            await message.reply_text(texts.SOURCE_NO_CONTEXT, parse_mode=None)
            return
        if not previous.citations:
            await message.reply_text(texts.SOURCE_NONE, parse_mode=None)
            return
        argument = command_argument(message)
        if not argument.isdigit():
            await message.reply_text(texts.SOURCE_USAGE, parse_mode=None)
            return
        number, count = int(argument), len(previous.citations)
        if not 1 <= number <= count:
            await message.reply_text(texts.SOURCE_OUT_OF_RANGE.format(count=count), parse_mode=None)
            return
        citation = previous.citations[number - 1]
        async with chat_action(context.bot, message.chat_id):
            paragraph = await self.services.engine.source_text(citation)
        self.services.audit.lookup(actor_of(update), "source", doc_id=citation.doc_id, section=citation.section)
        await reply_html(message, pack(rendering.source_spans(number, citation, paragraph)))

    # -- commands -----------------------------------------------------------------------------------

    async def start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is not None:
            await message.reply_text(texts.WELCOME, parse_mode=None)

    async def help(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message, user = update.effective_message, update.effective_user
        if message is None:
            return
        is_admin = self.services.policy.is_admin(user.id if user else None)
        # Admin instructions only in private: a group should not see how to feed the bot.
        await reply_html(message, rendering.render_help(is_admin and message.chat.type == ChatType.PRIVATE))

    async def docs(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is None:
            return
        documents = await self.services.engine.documents()
        self.services.audit.lookup(actor_of(update), "documents", len(documents))
        await reply_html(message, rendering.render_documents(documents))

    async def stats(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is None or not await require_admin(self.services, update, "/stats"):
            return
        stats = await self.services.engine.stats()
        await reply_html(message, [rendering.render_stats(stats, len(self.services.memory))])

    async def remove(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message, user = update.effective_message, update.effective_user
        if message is None or not await require_admin(self.services, update, "/remove"):
            return
        doc_id = command_argument(message)
        if not doc_id or len(doc_id.split()) != 1:
            await message.reply_text(texts.REMOVE_USAGE, parse_mode=None)
            return
        removed = await self.services.engine.remove(doc_id)
        logger.info("Admin %s removed %s: %s", user.id if user else None, doc_id, removed)
        self.services.audit.remove(actor_of(update), doc_id, removed)
        template = texts.REMOVE_DONE if removed else texts.REMOVE_NOT_FOUND
        await message.reply_text(template.format(doc_id=doc_id), parse_mode=None)

    async def unknown_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is not None:
            await reply_html(message, rendering.render_help(False))
