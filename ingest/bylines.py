"""Who gave a document, at which meeting, on which date, and who signed it: read from its head
(the lines between the title and the body's first salutation), its first and last lines (where a
notice is signed and dated) and the heads of the speeches a compilation collects.

>>> speech = "在全县经济工作会议上的讲话\\n青山县县长 王建国\\n（2024年12月26日）\\n同志们：\\n今天……"
>>> [(b.kind, b.value, b.post) for b in find_bylines(speech)]
[('meeting', '全县经济工作会议', ''), ('speaker', '王建国', '青山县县长'), ('date', '2024年12月26日', '')]
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ingest.language.parties import is_party
from ingest.language.signatures import (
    BARE_NAME,
    DATE_LINE,
    MEETING,
    NAME_AND_POST,
    NOT_A_NAME,
    POST_AND_NAME,
    POST_ONLY,
    SALUTATION,
    SIGNATURE,
    SIGNED_LINE,
    SPEECH,
)
from ingest.language.times import WRITTEN_DATE
from ingest.normalize import canonical_chars
from ingest.sections import opens_a_section
from vectorstore.bylines import Byline, BylineKind

# A head is at most this many lines; a notice's signature stands within the first or last lines.
HEAD_LINES = 12
SIGNED_HEAD_LINES = 15
SIGNED_TAIL_LINES = 8
# A line this long is body text, not the head of a speech.
_BODY_LINE_CHARS = 40


@dataclass(frozen=True)
class _Line:
    """One non-empty line: ``compact`` is its text canonical and without whitespace (for the
    patterns), ``start``/``end`` its span in the original text (without surrounding spaces)."""

    compact: str
    start: int
    end: int


def find_bylines(original: str) -> list[Byline]:
    """The bylines of a document's original text, each once, in text order."""
    lines = _lines(original)
    found = [
        *_head(original, _head_lines(lines)),
        *_signatures(original, lines[:SIGNED_HEAD_LINES]),
        *_signatures(original, lines[-SIGNED_TAIL_LINES:] if len(lines) > SIGNED_HEAD_LINES else []),
        *_speech_heads(original, lines),
    ]
    unique: dict[tuple[str, str], Byline] = {}
    for byline in sorted(found, key=lambda byline: byline.start):
        unique.setdefault((byline.kind, byline.value), byline)
    return list(unique.values())


def _lines(original: str) -> list[_Line]:
    lines = []
    for match in re.finditer(r"[^\n]+", original):
        text = match.group()
        stripped = text.strip()
        if not stripped:
            continue
        start = match.start() + len(text) - len(text.lstrip())
        lines.append(_Line(re.sub(r"\s+", "", canonical_chars(stripped)), start, start + len(stripped)))
    return lines


def _head_lines(lines: list[_Line]) -> list[_Line]:
    """The lines before the body: up to a salutation (「同志们：」), a sentence or a numbered heading."""
    head = []
    for line in lines[:HEAD_LINES]:
        if SALUTATION.fullmatch(line.compact) or "。" in line.compact or opens_a_section(line.compact):
            break
        head.append(line)
    return head


def _byline(original: str, kind: BylineKind, value: str, first: _Line, last: _Line, post: str = "") -> Byline:
    return Byline(kind, value, post, original[first.start : last.end], first.start, last.end)


def _date(text: str) -> str:
    """「2024 年5 月8 日」「2024-05-08」 as 2024年5月8日."""
    match = WRITTEN_DATE.search(text)
    assert match is not None
    return f"{int(match.group(1))}年{int(match.group(2))}月{int(match.group(3))}日"


def _head(original: str, head: list[_Line]) -> Iterator[Byline]:
    """Meeting, speaker and date lines of a head."""
    speech_head = any(MEETING.search(line.compact) or SPEECH.search(line.compact) for line in head)
    skip_next = False
    for number, line in enumerate(head):
        if skip_next:
            skip_next = False
            continue
        text = line.compact
        if DATE_LINE.fullmatch(text):
            yield _byline(original, "date", _date(text), line, line)
            continue
        last = line
        meeting = MEETING.search(text)
        if meeting is None and "在" in text and number + 1 < len(head):
            # 「——2026年1月20日在××省第十四届」 + 「人民代表大会第三次会议上」: one line, wrapped.
            meeting = MEETING.search(text + head[number + 1].compact)
            if meeting is not None:
                last, skip_next = head[number + 1], True
        if meeting is not None:
            yield _byline(original, "meeting", meeting["meeting"], line, last)
            dated = WRITTEN_DATE.search(text[: meeting.start()])
            if dated is not None:
                yield _byline(original, "date", _date(dated.group()), line, last)
        yield from _speakers(original, line, speech_head)


def _speakers(original: str, line: _Line, speech_head: bool) -> Iterator[Byline]:
    text = line.compact
    signed = POST_AND_NAME.fullmatch(text)
    if signed is not None and not is_party(text):
        yield _byline(original, "speaker", signed["name"], line, line, signed["post"])
        return
    named = NAME_AND_POST.match(text)
    if named is not None and named["name"]:
        post = "" if named["post"] == "同志" else named["post"]
        yield _byline(original, "speaker", named["name"], line, line, post)
        return
    post_only = POST_ONLY.match(text)
    if post_only is not None:
        yield _byline(original, "speaker", post_only["post"], line, line, post_only["post"])
        return
    if speech_head and BARE_NAME.fullmatch(text) and text not in NOT_A_NAME and not is_party(text):
        yield _byline(original, "speaker", text, line, line)


def _signatures(original: str, lines: list[_Line]) -> Iterator[Byline]:
    """「国务院办公厅」 over 「2018年12月30日」, or both on one line (「…办公室 2019年5月27日印发」); the
    date of a signature has the signer for its post."""
    for number, line in enumerate(lines):
        text = line.compact
        signed = SIGNED_LINE.fullmatch(text)
        if signed is not None and not WRITTEN_DATE.search(signed["issuer"]):
            yield _byline(original, "issuer", signed["issuer"], line, line)
            yield _byline(original, "date", _date(signed["date"]), line, line, signed["issuer"])
            continue
        following = lines[number + 1] if number + 1 < len(lines) else None
        # A signature's date stands bare; a bracketed one under a title dates a speech.
        if following is None or not WRITTEN_DATE.fullmatch(following.compact):
            continue
        if SIGNATURE.fullmatch(text) and text not in NOT_A_NAME:
            yield _byline(original, "issuer", text, line, line)
            yield _byline(original, "date", _date(following.compact), following, following, text)


def _speech_heads(original: str, lines: list[_Line]) -> Iterator[Byline]:
    """The head of each speech a compilation collects: 「王明同志的讲话摘要」「李四同志在…上的讲话」."""
    for line in lines:
        text = line.compact
        if len(text) > _BODY_LINE_CHARS or "。" in text:
            continue
        named = NAME_AND_POST.match(text)
        if named is None or not named["name"] or not SPEECH.search(text[named.end() :]):
            continue
        post = "" if named["post"] == "同志" else named["post"]
        yield _byline(original, "speaker", named["name"], line, line, post)
        meeting = MEETING.search(text)
        if meeting is not None:
            yield _byline(original, "meeting", meeting["meeting"], line, line)
