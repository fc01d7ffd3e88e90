"""``luoshi docs``: the documents of the data directory, for people (any terminal width) or scripts (--json).

Each document is a block of short lines; its title has a line of its own and is never cut, however
narrow the terminal (a long line wraps). The catalog is read directly: no model is loaded to list.
"""

from __future__ import annotations

import json
from dataclasses import asdict

from rich.console import Console

from bot.settings import Settings
from prompts import cli_texts as texts
from vectorstore.catalog import Catalog, DocumentRecord, catalog_exists, catalog_location

console = Console()


def list_documents(settings: Settings, *, as_json: bool = False) -> None:
    """Print the documents of ``settings.data_dir``, newest first: as blocks of lines, or a JSON array."""
    records = _documents(settings)
    if as_json:
        print(json.dumps([asdict(record) for record in records], ensure_ascii=False, indent=2))
        return
    for line in document_lines(records):
        console.print(line, markup=False, highlight=False, soft_wrap=True)


def _documents(settings: Settings) -> list[DocumentRecord]:
    path = catalog_location(settings.data_dir, settings.database_url)
    if not catalog_exists(path):
        return []
    catalog = Catalog(path)
    try:
        return catalog.documents()
    finally:
        catalog.close()


def document_lines(records: list[DocumentRecord]) -> list[str]:
    """The listing as lines of text.

    >>> record = DocumentRecord("ab12cd34ef56", "k", "关于做好春耕工作的通知", "a.txt", "h", "张县长", "2025-03-01",
    ...                         None, "2025-03-02T08:00:00+00:00", 2, 7, "内部资料 注意保存", False)
    >>> print("\\n".join(document_lines([record])))
    已收录 1 篇文件（最新在前）
    <BLANKLINE>
    1. 《关于做好春耕工作的通知》
       ⚠ 内部文件：标注「内部资料 注意保存」
       id ab12cd34ef56 · 2025-03-01 · 张县长 · 2 个章节 · 7 个片段 · 收录于 2025-03-02 08:00
       来源 a.txt
    """
    if not records:
        return [texts.DOCS_EMPTY]
    lines = [texts.DOCS_HEADER.format(count=len(records))]
    for number, record in enumerate(records, start=1):
        lines += ["", f"{number}. 《{record.title}》"]
        if record.marking and record.classified:
            lines.append("   " + texts.DOCS_CLASSIFIED.format(marking=record.marking, doc_id=record.doc_id))
        elif record.marking:
            lines.append("   " + texts.DOCS_MARKING.format(marking=record.marking))
        details = [f"id {record.doc_id}", record.date, record.speaker, record.meeting]
        details += [
            texts.DOCS_SECTIONS.format(count=record.section_count),
            texts.DOCS_CHUNKS.format(count=record.chunk_count),
            texts.DOCS_INGESTED.format(when=record.ingested_at[:16].replace("T", " ")),
        ]
        lines.append("   " + " · ".join(detail for detail in details if detail))
        lines.append("   " + texts.DOCS_SOURCE.format(source=record.source))
    return lines
