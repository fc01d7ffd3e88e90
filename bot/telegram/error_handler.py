"""The global error handler: log with context, tell the user, never crash the bot."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import ContextTypes

from prompts import telegram_texts as texts

logger = logging.getLogger(__name__)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Handle an exception raised while processing an update (or while polling, update None)."""
    error = context.error
    if not isinstance(update, Update):
        # Polling and other background trouble: PTB retries getUpdates by itself.
        if isinstance(error, NetworkError | RetryAfter):
            logger.warning("Telegram API problem outside a handler: %s", error)
        else:
            logger.error("Unexpected error outside a handler", exc_info=error)
        return

    chat = update.effective_chat
    user = update.effective_user
    kind = "callback_query" if update.callback_query else "message" if update.message else "other"
    logger.error(
        "Error while handling update %s (%s, chat=%s, user=%s): %s",
        update.update_id,
        kind,
        chat.id if chat else None,
        user.id if user else None,
        type(error).__name__,
        exc_info=error,
    )
    if chat is None or isinstance(error, Forbidden):
        return  # nobody to tell, or the user blocked the bot
    if update.callback_query is not None:
        try:
            await update.callback_query.answer(texts.ERROR_GENERIC, show_alert=True)
            return
        except TelegramError:
            pass  # already answered, or too old: say it in the chat instead
    try:
        await context.bot.send_message(chat.id, texts.ERROR_GENERIC, parse_mode=None)
    except TelegramError as notify_error:
        logger.warning("Could not tell chat %s about the error: %s", chat.id, notify_error)
