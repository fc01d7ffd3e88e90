"""The Telegram rules the fake Bot API enforces, and the error it answers with when one is broken.

These are the rules a bot most often breaks: HTML that Telegram cannot parse, texts over 4096
characters (counted in UTF-16 code units, as Telegram counts), captions over 1024, callback data
over 64 bytes, command menus with invalid names or descriptions.
"""

from __future__ import annotations

import html
import re
from typing import Any

ALLOWED_TAGS = {
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "a",
    "code",
    "pre",
    "span",
    "tg-spoiler",
    "tg-emoji",
    "blockquote",
}
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z-]+(?:=\"[^\"]*\"|='[^']*')?)*)\s*>")
_ENTITY = re.compile(r"&(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);")
MAX_TEXT = 4096
MAX_CAPTION = 1024


def utf16_len(text: str) -> int:
    """The length of ``text`` as Telegram counts it: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def html_to_text(source: str) -> str:
    """Parse Telegram-flavoured HTML like Telegram does; raise ValueError with Telegram's complaint."""
    out: list[str] = []
    stack: list[str] = []
    i = 0
    while i < len(source):
        char = source[i]
        if char == "<":
            match = _TAG.match(source, i)
            if match is None:
                raise ValueError(f"Unsupported start tag at byte offset {i}")
            closing, name = match.group(1) == "/", match.group(2).lower()
            if name not in ALLOWED_TAGS:
                raise ValueError(f'Unsupported start tag "{name}" at byte offset {i}')
            if closing:
                if not stack or stack[-1] != name:
                    raise ValueError(f'Unexpected end tag "{name}" at byte offset {i}')
                stack.pop()
            else:
                stack.append(name)
            i = match.end()
        elif char == "&":
            match = _ENTITY.match(source, i)
            if match is None:
                raise ValueError(f"Unsupported character entity at byte offset {i}")
            out.append(html.unescape(match.group(0)))
            i = match.end()
        elif char == ">":
            raise ValueError(f"Unexpected character > at byte offset {i}")
        else:
            out.append(char)
            i += 1
    if stack:
        raise ValueError(f'Can\'t find end tag corresponding to start tag "{stack[-1]}"')
    return "".join(out)


class ApiError(Exception):
    """A Bot API error answer: HTTP status (``error_code``), description and optional parameters."""

    def __init__(self, code: int, description: str, parameters: dict[str, Any] | None = None) -> None:
        super().__init__(description)
        self.code, self.description, self.parameters = code, description, parameters


def check_text(params: dict[str, Any]) -> str:
    """The text of a sendMessage/editMessageText as the user will see it; ApiError if Telegram would refuse it."""
    text = params.get("text")
    if not isinstance(text, str):
        raise ApiError(400, "Bad Request: message text is empty")
    if params.get("parse_mode") == "HTML":
        try:
            rendered = html_to_text(text)
        except ValueError as error:
            raise ApiError(400, f"Bad Request: can't parse entities: {error}") from error
    elif params.get("parse_mode"):
        raise ApiError(400, "Bad Request: unsupported parse_mode in this fake")
    else:
        rendered = text
    rendered = rendered.strip()
    if not rendered:
        raise ApiError(400, "Bad Request: message text is empty")
    if utf16_len(rendered) > MAX_TEXT:
        raise ApiError(400, "Bad Request: message is too long")
    markup = params.get("reply_markup")
    if markup:
        for row in markup.get("inline_keyboard", []):
            for button in row:
                data = button.get("callback_data")
                if data is not None and not 1 <= len(data.encode()) <= 64:
                    raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
    return rendered


def check_caption(params: dict[str, Any]) -> str | None:
    """A document's caption as the user will see it (None without one); ApiError if Telegram would refuse it."""
    caption = params.get("caption")
    if caption is not None:
        if params.get("parse_mode") == "HTML":
            try:
                caption = html_to_text(caption)
            except ValueError as error:
                raise ApiError(400, f"Bad Request: can't parse entities: {error}") from error
        if utf16_len(caption) > MAX_CAPTION:
            raise ApiError(400, "Bad Request: message caption is too long")
    return caption


def check_commands(commands: list[dict[str, Any]]) -> None:
    """ApiError if a setMyCommands menu has a command name or description Telegram would refuse."""
    for command in commands:
        if not re.fullmatch(r"[a-z0-9_]{1,32}", command.get("command", "")):
            raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
        if not 1 <= len(command.get("description", "")) <= 256:
            raise ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
