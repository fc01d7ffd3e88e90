"""Sending helpers: multi-part replies, progress edits and the "typing…" indicator."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Sequence

from telegram import Bot, InlineKeyboardMarkup, Message
from telegram.constants import ChatAction, ChatType
from telegram.error import BadRequest, TelegramError

logger = logging.getLogger(__name__)

CHAT_ACTION_REFRESH = 4.5  # Telegram shows a chat action for 5 seconds


def in_group(message: Message) -> bool:
    return message.chat.type != ChatType.PRIVATE


async def reply_html(
    message: Message, parts: Sequence[str], reply_markup: InlineKeyboardMarkup | None = None
) -> Message:
    """Send ``parts`` (already HTML, each under the limit) as replies; the keyboard goes on the last.

    In groups the first part quotes the question so that the answer is easy to find in the chatter.
    """
    sent = message
    for number, part in enumerate(parts):
        last = number == len(parts) - 1
        sent = await message.reply_text(
            part,
            do_quote=in_group(message) and number == 0,
            reply_markup=reply_markup if last else None,
        )
    return sent


def is_not_modified(error: BadRequest) -> bool:
    return "not modified" in error.message.lower()


async def edit_or_send(message: Message, text: str, reply_markup: InlineKeyboardMarkup | None = None) -> None:
    """Replace the text of our own ``message``; if that fails, send ``text`` as a new message."""
    try:
        await message.edit_text(text, reply_markup=reply_markup)
        return
    except BadRequest as error:
        if is_not_modified(error):
            return
        logger.warning("Could not edit message %s: %s", message.message_id, error.message)
    except TelegramError as error:
        logger.warning("Could not edit message %s: %s", message.message_id, error.message)
    try:
        await message.get_bot().send_message(message.chat_id, text, reply_markup=reply_markup)
    except TelegramError as error:
        logger.warning("Could not send message to chat %s: %s", message.chat_id, error.message)


@contextlib.asynccontextmanager
async def chat_action(bot: Bot, chat_id: int, action: str = ChatAction.TYPING) -> AsyncIterator[None]:
    """Show ``action`` ("typing…") in the chat until the block ends.

    Telegram shows an action for 5 seconds and PTB has no helper that keeps it up, hence this. The
    first action is sent before the block starts; failures only cost the indicator.
    """

    async def send() -> None:
        try:
            await bot.send_chat_action(chat_id, action)
        except TelegramError as error:
            logger.debug("send_chat_action failed in chat %s: %s", chat_id, error)

    async def refresh() -> None:
        while True:
            await asyncio.sleep(CHAT_ACTION_REFRESH)
            await send()

    await send()
    task = asyncio.create_task(refresh())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
