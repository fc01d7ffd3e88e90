"""Access checks for handlers: one polite refusal to outsiders, admin-only actions logged."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ChatType

from bot.telegram.access import Decision
from bot.telegram.services import Services
from prompts import telegram_texts as texts

logger = logging.getLogger(__name__)


async def admit(services: Services, update: Update) -> bool:
    """True if the sender may get answers here; otherwise refuse once (per user or per group)."""
    chat = update.effective_chat
    user = update.effective_user
    if chat is None:
        return False
    user_id = user.id if user else None
    decision = services.policy.check(user_id, chat.id, private=chat.type == ChatType.PRIVATE)
    if decision is Decision.ALLOWED:
        return True
    logger.info("Refused (%s): user=%s chat=%s", decision.value, user_id, chat.id)
    if decision is Decision.USER_NOT_ALLOWED:
        key: tuple[str, int | None] = ("user", user_id)
        text = texts.REFUSE_USER.format(user_id=user_id)
    else:
        key = ("chat", chat.id)
        text = texts.REFUSE_CHAT.format(chat_id=chat.id)
    query = update.callback_query
    if query is not None:
        await query.answer(text, show_alert=True)
        return False
    if services.refused.first_time(key) and update.effective_message is not None:
        await update.effective_message.reply_text(text, parse_mode=None)
    return False


async def require_admin(services: Services, update: Update, action: str) -> bool:
    """True for admins. Others are refused, and the attempt is logged."""
    user = update.effective_user
    user_id = user.id if user else None
    if services.policy.is_admin(user_id):
        return True
    chat_id = update.effective_chat.id if update.effective_chat else None
    logger.warning("Refused admin action %s from non-admin user=%s chat=%s", action, user_id, chat_id)
    if not await admit(services, update):
        return False
    if update.effective_message is not None:
        refusal = texts.REFUSE_UPLOAD if action == "upload" else texts.REFUSE_ADMIN_ONLY
        await update.effective_message.reply_text(refusal, parse_mode=None)
    return False
