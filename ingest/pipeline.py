"""Ingest: file → text → normalised text → sections → chunks → one atomic commit to the store."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from ingest.chunking import chunk_sections
from ingest.classification import find_marking, refuse_classified
from ingest.errors import IngestError
from ingest.extraction import extract
from ingest.language.times import WRITTEN_DATE
from ingest.maintenance import writer
from ingest.models import Chunk, DocumentMeta, ExtractedText
from ingest.normalize import normalize
from ingest.readers import SUPPORTED_SUFFIXES, read_bytes, read_document
from ingest.sections import find_sections
from ingest.titles import choose_title
from vectorstore.catalog import ChunkRecord, DocumentRecord, NewDocument, format_section
from vectorstore.ledger import Ledger
from vectorstore.store import Store

IngestStatus = Literal["added", "replaced", "unchanged", "duplicate"]


@dataclass(frozen=True)
class IngestReport:
    """What one file's ingest did."""

    doc_id: str
    title: str
    source: str
    status: IngestStatus
    chunk_count: int
    section_count: int
    directive_count: int = 0
    slogan_count: int = 0
    marking: str | None = None  # 「内部资料 注意保存」…: see ingest/classification.py


@dataclass(frozen=True)
class MetadataOverrides:
    """Metadata given by the admin (command line or upload caption); ``None`` means "not given"."""

    title: str | None = None
    speaker: str | None = None
    date: str | None = None
    meeting: str | None = None


def document_id(source_key: str) -> str:
    """A stable id for a source: the same file ingested again keeps its id."""
    return hashlib.sha1(source_key.encode("utf-8")).hexdigest()[:12]


def collect_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Files to ingest: each path, or every supported file under a folder (sorted, recursive)."""
    for path in paths:
        if path.is_dir():
            yield from sorted(
                child
                for child in path.rglob("*")
                if child.is_file() and child.suffix.lower() in SUPPORTED_SUFFIXES and not child.name.startswith(".")
            )
        else:
            yield path


def ingest_file(
    store: Store,
    path: Path,
    *,
    max_bytes: int,
    overrides: MetadataOverrides = MetadataOverrides(),
    source_name: str | None = None,
    allow_classified: bool = False,
) -> IngestReport:
    """Read ``path`` and commit it. ``source_name`` identifies uploads (their temp path does not).

    Raises ``IngestError`` for unreadable input, and for a classified document unless ``allow_classified``;
    the store is then unchanged.
    """
    if source_name is None:
        extracted = read_document(path, max_bytes=max_bytes)
        source_key, source = str(path.resolve()), str(path)
    else:
        size = path.stat().st_size if path.exists() else 0
        if size > max_bytes:
            raise IngestError(source_name, "too_large", f"{size} bytes")
        extracted = read_bytes(path.read_bytes(), source_name, max_bytes=max_bytes)
        source_key, source = f"upload:{source_name}", source_name
    return commit_extracted(
        store, extracted, source_key=source_key, source=source, overrides=overrides, allow_classified=allow_classified
    )


def commit_extracted(
    store: Store,
    extracted: ExtractedText,
    *,
    source_key: str,
    source: str,
    overrides: MetadataOverrides = MetadataOverrides(),
    allow_classified: bool = False,
) -> IngestReport:
    """Commit text that a reader extracted: unchanged, duplicate, new or a replacement."""
    meta = document_meta(extracted, source, overrides)
    refuse_classified(meta.marking, source, allow=allow_classified)
    doc_id = document_id(source_key)
    with store.write_lock():
        existing = store.catalog.document_by_source(source_key)
        if existing is not None and _same_version(existing, meta):
            return IngestReport(
                doc_id,
                existing.title,
                source,
                "unchanged",
                existing.chunk_count,
                existing.section_count,
                *_ledger_counts(store, doc_id),
                existing.marking,
            )
        twin = store.catalog.document_by_hash(meta.content_hash)
        if twin is not None and twin.doc_id != doc_id:
            return IngestReport(
                twin.doc_id,
                twin.title,
                twin.source,
                "duplicate",
                twin.chunk_count,
                twin.section_count,
                *_ledger_counts(store, twin.doc_id),
                twin.marking,
            )
        document = build_document(doc_id, source_key, extracted, meta)
        extraction = extract(document)  # before the commit: a failure leaves the store as it was
        store.commit_document(
            document, replaces=existing.doc_id if existing else None, extra_writes=writer(doc_id, extraction)
        )
    status: IngestStatus = "replaced" if existing else "added"
    record = document.record
    return IngestReport(
        doc_id,
        record.title,
        source,
        status,
        record.chunk_count,
        record.section_count,
        len(extraction.directives),
        len({slogan.term for slogan in extraction.slogans}),
        record.marking,
    )


def _ledger_counts(store: Store, doc_id: str) -> tuple[int, int]:
    """(directives, distinct slogans) stored for a document."""
    counts = Ledger(store.catalog).counts(doc_id)
    return counts["directives"], counts["slogans"]


def build_document(doc_id: str, source_key: str, extracted: ExtractedText, meta: DocumentMeta) -> NewDocument:
    """Normalise, find sections, chunk: everything the catalog stores for one version."""
    normalized = normalize(extracted.text)
    hints = tuple(
        (normalized.offsets.to_normalised(h.start), normalized.offsets.to_normalised(h.end), h.level)
        for h in extracted.headings
    )
    sections = find_sections(normalized.text, hints)
    chunks = chunk_sections(normalized, extracted.text, sections)
    version = meta.content_hash[:8]
    record = DocumentRecord(
        doc_id=doc_id,
        source_key=source_key,
        title=meta.title,
        source=meta.source,
        content_hash=meta.content_hash,
        speaker=meta.speaker,
        date=meta.date,
        meeting=meta.meeting,
        ingested_at=datetime.now(UTC).isoformat(timespec="seconds"),
        section_count=len({section.path for section in sections if section.path}),
        chunk_count=len(chunks),
        marking=meta.marking.text if meta.marking else None,
        classified=meta.marking is not None and meta.marking.classified,
    )
    return NewDocument(
        record=record,
        original=extracted.text,
        normalized=normalized.text,
        offsets_json=json.dumps(normalized.offsets.to_json()),
        chunks=[_chunk_record(doc_id, version, meta.title, chunk, normalized.text) for chunk in chunks],
    )


def _chunk_record(doc_id: str, version: str, title: str, chunk: Chunk, normalized: str) -> ChunkRecord:
    return ChunkRecord(
        chunk_id=f"{doc_id}-{version}-{chunk.index:05d}",
        doc_id=doc_id,
        index=chunk.index,
        section=chunk.section,
        start=chunk.start,
        end=chunk.end,
        norm_start=chunk.norm_start,
        norm_end=chunk.norm_end,
        text=chunk.text,
        index_text=index_text(title, chunk.section, normalized[chunk.norm_start : chunk.norm_end]),
    )


def index_text(title: str, section: tuple[str, ...], body: str) -> str:
    """What retrieval sees: the headings a chunk sits under, then its (normalised) text."""
    return "\n".join(part for part in (title, format_section(section), body) if part)


def _same_version(existing: DocumentRecord, meta: DocumentMeta) -> bool:
    return (existing.content_hash, existing.title, existing.speaker, existing.date, existing.meeting) == (
        meta.content_hash,
        meta.title,
        meta.speaker,
        meta.date,
        meta.meeting,
    )


def document_meta(extracted: ExtractedText, source: str, overrides: MetadataOverrides) -> DocumentMeta:
    """Title, source, content hash and the admin's metadata of a read file."""
    return DocumentMeta(
        title=choose_title(overrides.title, extracted, source),
        source=source,
        content_hash=hashlib.sha256(extracted.text.encode("utf-8")).hexdigest(),
        speaker=overrides.speaker,
        date=normalize_date(overrides.date) if overrides.date else infer_date(extracted.text),
        meeting=overrides.meeting,
        marking=find_marking(extracted.text, extracted.title),
    )


_DATE_ZONE_CHARS = 300


def infer_date(text: str) -> str | None:
    """The date a document gives where documents give it: in its opening lines
    (「——2025年1月10日在…」, 「发布日期：2025-02-18」), else in its closing lines (the signature)."""
    for zone in (text[:_DATE_ZONE_CHARS], text[-_DATE_ZONE_CHARS:]):
        for match in WRITTEN_DATE.finditer(zone):
            try:
                return datetime(int(match.group(1)), int(match.group(2)), int(match.group(3))).date().isoformat()
            except ValueError:
                continue
    return None


def normalize_date(value: str) -> str:
    """``2024-12-20``, ``2024/12/20``, ``2024.12.20`` or ``2024年12月20日`` → ``2024-12-20``.

    Raises ValueError for anything else.
    """
    match = re.fullmatch(r"\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*(?:[-/.月]\s*(\d{1,2})\s*日?)?\s*月?\s*", value)
    if not match:
        raise ValueError(f"not a date: {value!r} (use YYYY-MM-DD)")
    year, month, day = int(match.group(1)), int(match.group(2)), int(match.group(3) or 1)
    return datetime(year, month, day).date().isoformat()
