"""``/tasks [单位] [导出]`` (the supervision ledger, as text or as an .xlsx) and ``/slogans [提法]``."""

from __future__ import annotations

import io
import logging
import re

from telegram import InputFile, Message, Update
from telegram.constants import ChatAction
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.telegram import rendering
from bot.telegram.commands import command_argument
from bot.telegram.replies import chat_action, in_group, reply_html
from bot.telegram.services import Services
from bot.telegram.trail import actor_of
from prompts import telegram_texts as texts

logger = logging.getLogger(__name__)

MAX_ARGUMENT_CHARS = 40
_UNSAFE_FILENAME = re.compile(r"[\\/:*?\"<>|\s]+")


def parse_tasks_argument(argument: str) -> tuple[str | None, bool]:
    """``/tasks 县公安 导出`` → (「县公安」, True): the unit (None for everyone) and whether the .xlsx
    is wanted."""
    words = argument.replace("，", " ").replace(",", " ").split()
    export = [word for word in words if word.lower() in texts.TASKS_EXPORT_WORDS]
    party = " ".join(word for word in words if word.lower() not in texts.TASKS_EXPORT_WORDS).strip()
    return (party[:MAX_ARGUMENT_CHARS] or None), bool(export)


def export_filename(party: str | None) -> str:
    """「督办台账-县公安局.xlsx」: a name that is safe on every system."""
    scope = _UNSAFE_FILENAME.sub("_", party).strip("._") if party else ""
    return f"{texts.TASKS_EXPORT_FILE}-{scope}.xlsx" if scope else f"{texts.TASKS_EXPORT_FILE}.xlsx"


class TaskCommands:
    """``/tasks``, its 「导出 Excel」 button, and ``/slogans``; registered, behind the access gate, in
    :func:`bot.telegram.app.register_handlers`."""

    def __init__(self, services: Services) -> None:
        self.services = services

    async def tasks(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """The tasks of a unit (or all), as text with an 「导出 Excel」 button, or as the .xlsx."""
        message = update.effective_message
        if message is None:
            return
        party, export = parse_tasks_argument(command_argument(message))
        if export:
            await self._send_xlsx(update, message, party)
            return
        async with chat_action(context.bot, message.chat_id):
            records = await self.services.engine.tasks(party)
        self.services.audit.lookup(actor_of(update), "tasks", len(records), party=party)
        keyboard = rendering.tasks_keyboard(party) if records else None
        await reply_html(message, rendering.render_tasks(records, party), keyboard)

    async def export_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """「导出 Excel」 under a task list: send the .xlsx of that list."""
        query = update.callback_query
        if query is None:
            return
        party = rendering.parse_tasks_data(query.data)
        await query.answer(texts.TASKS_EXPORTING)
        if isinstance(query.message, Message):
            await self._send_xlsx(update, query.message, party or None, reply=False)

    async def _send_xlsx(self, update: Update, message: Message, party: str | None, *, reply: bool = True) -> None:
        async with chat_action(message.get_bot(), message.chat_id, ChatAction.UPLOAD_DOCUMENT):
            count, content = await self.services.engine.tasks_xlsx(party)
        self.services.audit.lookup(actor_of(update), "tasks_export", count, party=party)
        if not count:
            empty = texts.TASKS_EMPTY_FOR.format(party=party) if party else texts.TASKS_EMPTY
            await message.reply_text(empty, parse_mode=None)
            return
        scope = f"「{party}」" if party else texts.TASKS_EXPORT_ALL
        caption = texts.TASKS_EXPORT_CAPTION.format(scope=scope, count=count)
        document = InputFile(io.BytesIO(content), filename=export_filename(party))
        try:
            await message.reply_document(
                document, caption=caption, parse_mode=None, do_quote=reply and in_group(message)
            )
        except TelegramError as error:
            logger.warning("Could not send the ledger to chat %s: %s", message.chat_id, error)
            raise
        logger.info("Sent the ledger (%s, %d tasks) to chat %s", party or "all", count, message.chat_id)

    async def slogans(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """The glossary of slogans, or one slogan's definition and occurrences."""
        message = update.effective_message
        if message is None:
            return
        term = command_argument(message).strip().strip('“”"「」')[:MAX_ARGUMENT_CHARS] or None
        async with chat_action(context.bot, message.chat_id):
            entries = await self.services.engine.glossary(term)
        self.services.audit.lookup(actor_of(update), "slogans", len(entries), term=term)
        await reply_html(message, rendering.render_slogans(entries, term))
