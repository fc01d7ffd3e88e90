"""What the bot says, as Telegram HTML messages: answers, sources, document lists, the ledger, and the
inline keyboards (with their callback data) that go under them.

Every renderer builds :class:`~bot.telegram.packing.Span` s and lets :func:`~bot.telegram.packing.pack`
escape and split them::

    render_answer(answer)  # → ["<b>答：</b>由李新同志牵头……"], one or more messages under 4096
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Protocol

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.answers import Answer, Citation
from bot.excerpts import clip
from bot.telegram.packing import TELEGRAM_LIMIT, Span, escape, pack, utf16_len
from prompts import telegram_texts as texts
from vectorstore.ledger import DirectiveRecord, GlossaryEntry

MAX_SOURCE_BUTTONS = 8
BUTTONS_PER_ROW = 4
SOURCE_PREFIX = "src:"  # callback data "src:N" shows source N of the answer in that message
BACK_DATA = "ans"  # callback data that restores the answer
SOURCE_DATA_PATTERN = rf"^({re.escape(SOURCE_PREFIX)}\d+|{re.escape(BACK_DATA)})$"  # the source buttons' data


# ---------------------------------------------------------------------------------------------------
# Answers and sources


def _citation_heading(index: int, citation: Citation) -> list[Span]:
    spans = [Span(f"{index}. ", "b"), Span(f"《{citation.title}》")]
    if citation.section:
        spans.append(Span(f" · {citation.section}", "i"))
    spans.append(Span("\n"))
    return spans


def answer_spans(answer: Answer) -> list[Span]:
    """The answer first, then numbered sources (title · section path) with the quoted sentence.

    A refusal ("not found") is shown as it is, without the "答：" label.
    """
    spans = [Span(texts.ANSWER_LABEL, "b")] if answer.found else []
    spans.append(Span(answer.answer.strip() + "\n"))
    related = [section for section in answer.related_sections if section not in answer.answer]
    if answer.citations:
        spans += [Span("\n"), Span(texts.SOURCES_LABEL, "b"), Span("\n")]
        for index, citation in enumerate(answer.citations, start=1):
            spans += _citation_heading(index, citation)
            spans += [Span(citation.quote.strip(), "blockquote"), Span("\n")]
    elif related:  # the engine usually names them in its answer already
        spans += [Span("\n"), Span(texts.RELATED_LABEL, "b"), Span("\n")]
        spans += [Span(f"· {section}\n") for section in related]
    return spans


def render_answer(answer: Answer, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """The answer as one or more HTML messages."""
    return pack(answer_spans(answer), limit)


def source_keyboard(answer: Answer, showing: int | None = None) -> InlineKeyboardMarkup | None:
    """One "原文 N" button per source; while a source is shown, also a button back to the answer."""
    count = min(len(answer.citations), MAX_SOURCE_BUTTONS)
    if not count:
        return None
    buttons = [
        InlineKeyboardButton(texts.SOURCE_BUTTON.format(n=n), callback_data=f"{SOURCE_PREFIX}{n}")
        for n in range(1, count + 1)
        if n != showing
    ]
    rows = [buttons[i : i + BUTTONS_PER_ROW] for i in range(0, len(buttons), BUTTONS_PER_ROW)]
    if showing is not None:
        rows.append([InlineKeyboardButton(texts.BACK_BUTTON, callback_data=BACK_DATA)])
    return InlineKeyboardMarkup(rows)


def parse_source_data(data: str | None) -> int | None:
    """The source number in callback data "src:N", or None."""
    if not data or not data.startswith(SOURCE_PREFIX):
        return None
    number = data.removeprefix(SOURCE_PREFIX)
    return int(number) if number.isdigit() and int(number) >= 1 else None


def _source_header(index: int, citation: Citation) -> list[Span]:
    spans = [Span(texts.SOURCE_HEADER.format(n=index), "b"), Span(f" 《{citation.title}》\n")]
    if citation.section:
        spans.append(Span(citation.section, "i"))
        spans.append(Span("\n"))
    spans.append(Span("\n"))
    return spans


def _quote_position(paragraph: str, quote: str) -> tuple[int, int]:
    """Where the quote is in the paragraph (or an empty span at 0 if it is not there verbatim)."""
    quote = quote.strip()
    start = paragraph.find(quote) if quote else -1
    return (start, start + len(quote)) if start >= 0 else (0, 0)


def source_spans(index: int, citation: Citation, paragraph: str) -> list[Span]:
    """A source's surrounding paragraph with the quoted sentence in bold."""
    start, end = _quote_position(paragraph, citation.quote)
    return [
        *_source_header(index, citation),
        Span(paragraph[:start]),
        Span(paragraph[start:end], "b"),
        Span(paragraph[end:]),
    ]


def render_source(index: int, citation: Citation, paragraph: str, limit: int = TELEGRAM_LIMIT) -> str:
    """The source as ONE message (for showing it in place): if the paragraph is too long, the text
    around the quote is trimmed, marked with "……"."""
    header = "".join(span.render() for span in _source_header(index, citation))
    start, end = _quote_position(paragraph, citation.quote)

    def body(radius: int) -> str:
        left, right = max(0, start - radius), min(len(paragraph), end + radius)
        before = ("……" if left > 0 else "") + paragraph[left:start]
        after = paragraph[end:right] + ("……" if right < len(paragraph) else "")
        return header + "".join(
            span.render() for span in (Span(before), Span(paragraph[start:end], "b"), Span(after)) if span.text
        )

    if utf16_len(body(len(paragraph))) <= limit:
        return body(len(paragraph))
    low, high = 0, len(paragraph)
    while low < high:  # largest radius that fits
        middle = (low + high + 1) // 2
        if utf16_len(body(middle)) <= limit:
            low = middle
        else:
            high = middle - 1
    text = body(low)
    if utf16_len(text) <= limit:
        return text
    return pack(source_spans(index, citation, paragraph), limit)[0]  # the quote alone is too long


# ---------------------------------------------------------------------------------------------------
# Documents, ingestion, stats, help


class DocumentLike(Protocol):
    doc_id: str
    title: str
    source: str
    speaker: str | None
    date: str | None
    meeting: str | None
    ingested_at: str
    chunk_count: int
    marking: str | None
    classified: bool


class IngestReportLike(Protocol):
    doc_id: str
    title: str
    status: str
    chunk_count: int
    section_count: int
    directive_count: int
    marking: str | None


def render_documents(documents: Sequence[DocumentLike], max_listed: int = 50) -> list[str]:
    """The ingested documents, newest first (the engine's order)."""
    if not documents:
        return [escape(texts.DOCS_EMPTY)]
    spans = [Span(texts.DOCS_HEADER.format(count=len(documents)), "b"), Span("\n")]
    for number, doc in enumerate(documents[:max_listed], start=1):
        details = [value for value in (doc.speaker, doc.date, doc.meeting) if value]
        details.append(f"{texts.DOCS_INGESTED} {doc.ingested_at[:16].replace('T', ' ')}")
        details.append(texts.DOCS_CHUNKS.format(count=doc.chunk_count))
        spans += [
            Span("\n"),
            Span(f"{number}. ", "b"),
            Span(f"《{doc.title}》\n"),
            *_marking_spans(doc.marking, doc.classified),
            Span(" · ".join(details) + "\n"),
            Span(f"{texts.DOCS_ID} "),
            Span(doc.doc_id, "code"),
            Span("\n"),
        ]
    if len(documents) > max_listed:
        spans.append(Span("\n" + texts.DOCS_MORE.format(count=len(documents) - max_listed)))
    return pack(spans)


def render_ingest_report(report: IngestReportLike) -> str:
    """The summary an admin gets after an upload."""
    status = texts.INGEST_STATUS.get(report.status, report.status)
    spans = [
        Span(f"{status}《{report.title}》", "b"),
        Span(f"\n{texts.INGEST_ID} "),
        Span(report.doc_id, "code"),
        Span(
            "\n"
            + texts.INGEST_COUNTS.format(
                sections=report.section_count,
                chunks=report.chunk_count,
                directives=report.directive_count,
            )
        ),
    ]
    if report.marking:
        spans += [Span("\n"), *_marking_spans(report.marking, False)]
    return pack(spans)[0]


def _marking_spans(marking: str | None, classified: bool) -> list[Span]:
    """A document's mark, on a line of its own: 「内部资料 注意保存」 is shown, a 密级 stands out."""
    if not marking:
        return []
    if classified:
        return [Span(texts.DOCS_CLASSIFIED.format(marking=marking), "b"), Span("\n")]
    return [Span(texts.DOCS_MARKING.format(marking=marking) + "\n")]


def render_stats(stats: Mapping[str, int], active_chats: int) -> str:
    spans = [Span(texts.STATS_HEADER, "b"), Span("\n")]
    for key, value in stats.items():
        spans.append(Span(f"{texts.STATS_LABELS.get(key, key)}：{value}\n"))
    spans.append(Span(f"{texts.STATS_ACTIVE_CHATS}：{active_chats}\n"))
    return pack(spans)[0]


def render_help(is_admin: bool) -> list[str]:
    spans = [
        Span(texts.HELP_HEADER, "b"),
        Span("\n\n" + "\n".join((texts.HELP_PRIVATE, texts.HELP_GROUP, texts.HELP_FOLLOW_UP)) + "\n"),
        Span(texts.HELP_SOURCES + "\n" + texts.HELP_COMMANDS + "\n\n"),
        Span(texts.HELP_EXAMPLES, "b"),
        Span("\n" + "\n".join(f"· {question}" for question in texts.EXAMPLE_QUESTIONS) + "\n"),
    ]
    if is_admin:
        spans += [Span("\n"), Span(texts.HELP_ADMIN_HEADER, "b"), Span("\n" + texts.HELP_ADMIN)]
    return pack(spans)


def plain(text: str) -> str:
    """A plain text as an HTML message."""
    return escape(text)


# ---------------------------------------------------------------------------------------------------
# The ledger: tasks and slogans

TASKS_LISTED = 20
SLOGANS_LISTED = 40
TASKS_EXPORT_PREFIX = "ledger:xlsx:"  # callback data "ledger:xlsx:<unit>" sends the .xlsx
TASKS_EXPORT_PATTERN = "^" + re.escape(TASKS_EXPORT_PREFIX)  # the 「导出 Excel」 button's data
_TASK_CHARS = 160  # how much of a task a list shows, on one line


def render_tasks(records: Sequence[DirectiveRecord], party: str | None, listed: int = TASKS_LISTED) -> list[str]:
    """The ledger (or one unit's part of it) as messages: each task with its parties, time limit and
    source (document · section), the quote left to the exported table."""
    if not records:
        empty = texts.TASKS_EMPTY_FOR.format(party=party) if party else texts.TASKS_EMPTY
        return [escape(empty)]
    header = (
        texts.TASKS_HEADER_FOR.format(party=party, count=len(records))
        if party
        else texts.TASKS_HEADER.format(count=len(records))
    )
    spans = [Span(header, "b"), Span("\n")]
    for number, record in enumerate(records[:listed], start=1):
        roles = [
            (texts.TASK_LEAD, "；".join(record.lead)),
            (texts.TASK_RESPONSIBLE, "；".join(record.responsible)),
            (texts.TASK_COOPERATE, "；".join(record.cooperating)),
            (texts.TASK_DEADLINE, record.deadline or ""),
        ]
        spans += [Span("\n"), Span(f"{number}. ", "b"), Span(clip(" ".join(record.task.split()), _TASK_CHARS) + "\n")]
        spans.append(Span(" · ".join(f"{label}：{value}" for label, value in roles if value) + "\n"))
        source = f"《{record.title}》" + (f" · {record.section_label}" if record.section else "")
        spans.append(Span(source, "i"))
        spans.append(Span("\n"))
    if len(records) > listed:
        argument = f"{party} " if party else ""
        spans.append(Span("\n" + texts.TASKS_MORE.format(count=len(records) - listed, argument=argument)))
    return pack(spans)


def tasks_keyboard(party: str | None) -> InlineKeyboardMarkup | None:
    """An 「导出 Excel」 button, when the unit fits in Telegram's 64 bytes of callback data."""
    data = TASKS_EXPORT_PREFIX + (party or "")
    if len(data.encode("utf-8")) > 64:
        return None
    return InlineKeyboardMarkup([[InlineKeyboardButton(texts.TASKS_EXPORT_BUTTON, callback_data=data)]])


def parse_tasks_data(data: str | None) -> str | None:
    """The unit in callback data "ledger:xlsx:<unit>" ("" for the whole ledger), or None."""
    if not data or not data.startswith(TASKS_EXPORT_PREFIX):
        return None
    return data.removeprefix(TASKS_EXPORT_PREFIX)


def render_slogans(entries: Sequence[GlossaryEntry], term: str | None, listed: int = SLOGANS_LISTED) -> list[str]:
    """The glossary: each term, its definition as the text gives it, and where it occurs."""
    if not entries:
        return [escape(texts.SLOGANS_EMPTY_FOR.format(term=term) if term else texts.SLOGANS_EMPTY)]
    spans = [Span(texts.SLOGANS_HEADER.format(count=len(entries)), "b"), Span("\n")]
    for entry in entries[:listed]:
        defined = entry.definition
        spans += [Span("\n"), Span(f"“{entry.term}”", "b")]
        spans.append(Span(" " + texts.SLOGANS_OCCURRENCES.format(count=len(entry.occurrences)) + "\n"))
        if defined is not None and defined.definition:
            spans.append(Span(defined.definition, "blockquote"))
            spans.append(Span("\n"))
        first = defined or entry.occurrences[0]
        source = f"《{first.title}》" + (f" · {first.section_label}" if first.section else "")
        spans.append(Span(source, "i"))
        spans.append(Span("\n"))
    if len(entries) > listed:
        spans.append(Span("\n" + texts.SLOGANS_MORE.format(count=len(entries) - listed)))
    return pack(spans)
