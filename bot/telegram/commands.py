"""Reading a command message: the text after ``/command`` (shared by the handler modules)."""

from __future__ import annotations

from telegram import Message, MessageEntity


def command_argument(message: Message) -> str:
    """Everything after the command (``/ask@bot  问题`` → ``问题``), new lines kept."""
    text = message.text or ""
    for entity in message.entities:
        if entity.type == MessageEntity.BOT_COMMAND and entity.offset == 0:
            # Entity offsets count UTF-16 units; the command itself is ASCII.
            return text[entity.length :].strip()
    return text.partition(" ")[2].strip()
