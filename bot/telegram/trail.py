"""The Telegram side of the audit trail (:mod:`bot.audit`): who an update comes from."""

from __future__ import annotations

from telegram import Update

from bot.audit import Actor, Channel


def actor_of(update: Update) -> Actor:
    """The sender of ``update`` as the audit trail names them: user id, name (and @username), chat id.

    >>> from telegram import Chat, Message, User
    >>> from datetime import datetime
    >>> user = User(1002, "干部", False, username="gb")
    >>> message = Message(1, datetime.now(), Chat(-100, "group"), from_user=user)
    >>> actor_of(Update(1, message=message))
    Actor(channel=<Channel.TELEGRAM: 'telegram'>, user='1002', name='干部 (@gb)', chat=-100)
    """
    user, chat = update.effective_user, update.effective_chat
    name = None
    if user is not None:
        name = user.full_name + (f" (@{user.username})" if user.username else "")
    return Actor(Channel.TELEGRAM, str(user.id) if user else "", name=name, chat=chat.id if chat else None)


def attempt(update: Update, action: str | None = None) -> tuple[str, str | None]:
    """What someone turned away tried (``action``, if the caller knows it), and what they sent: a question,
    a command, an upload (its file name) or a button press (its data).

    >>> from telegram import Chat, Message, User
    >>> from datetime import datetime
    >>> message = Message(1, datetime.now(), Chat(5, "private"), from_user=User(5, "路人", False), text="/stats now")
    >>> attempt(Update(1, message=message))
    ('/stats', '/stats now')
    """
    if update.callback_query is not None:
        return action or "button", update.callback_query.data
    message = update.effective_message
    if message is None:
        return action or "update", None
    if message.document is not None:
        return action or "upload", message.document.file_name
    text = message.text or message.caption
    if action is not None:
        return action, text
    if text is None:
        return "message", None
    if text.startswith("/"):
        return text.split()[0].split("@")[0], text  # the command, without @botname
    return "question", text
