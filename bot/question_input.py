"""What a question may be, whatever the channel (the bot, ``luoshi ask``, ``luoshi chat``): how long,
and which characters.

Each channel takes a question through :func:`clean` and refuses one over :data:`MAX_QUESTION_CHARS`
with the same message (:func:`too_long`).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import TextIO

from prompts import channel_texts as texts

# The longest question Luoshi reads. Longer ones are refused: no cadre's question is this long, and
# analyse() reads no further either, so that no caller can make it segment a page of text (jieba's HMM
# costs about a millisecond a character on text outside its dictionary).
MAX_QUESTION_CHARS = 500

# Lone surrogates: how Python hands on bytes that are not UTF-8 (surrogateescape), and what JSON may
# carry. They are no text, and the tokenizers fail on them.
_UNDECODABLE = re.compile("[\ud800-\udfff]")
# Control characters (terminal escapes, NUL) other than TAB and line ends, and a byte-order mark.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufeff]")


def clean(text: str) -> str:
    """``text`` trimmed, each undecodable byte shown as �, control characters dropped.

    >>> clean(" \\udcff\\udcfe谁牵头\\x1b[31m？\\n")
    '��谁牵头[31m？'
    """
    return _CONTROL.sub("", _UNDECODABLE.sub("\ufffd", text)).strip()


def too_long(question: str) -> str | None:
    """The message refusing ``question`` when it is over the limit, else None.

    >>> too_long("由" * 501)
    '问题太长了（501 字），请精简到 500 字以内。'
    >>> too_long("谁牵头？") is None
    True
    """
    if len(question) <= MAX_QUESTION_CHARS:
        return None
    return texts.QUESTION_TOO_LONG.format(length=len(question), limit=MAX_QUESTION_CHARS)


def questions(question: str, stdin: TextIO) -> Iterator[str]:
    """The questions ``luoshi ask`` answers: ``question``, or each line of ``stdin`` for ``-``, blank
    lines too (each gets its answer, so that answers pair with lines).

    Bytes that are not UTF-8, in a line or in ``question``, become �: a bad line costs only itself.
    """
    if question != "-":
        yield clean(question)
        return
    tolerate_bad_bytes(stdin)
    for line in stdin:
        yield clean(line)


def tolerate_bad_bytes(stream: TextIO) -> None:
    """Let ``stream`` hand on undecodable bytes (as lone surrogates, for :func:`clean`) instead of
    raising UnicodeDecodeError."""
    if isinstance(stream, io.TextIOWrapper):
        stream.reconfigure(errors="surrogateescape")
