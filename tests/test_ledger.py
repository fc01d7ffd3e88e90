"""The ledger in a real store: records written with their document (atomically), the read API
(forgiving party matching, newest documents first, chunk linkage), the exports and the CLI."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import text

from bot import lookup
from bot.engine import Engine
from bot.reporting.task_export import COLUMN_WIDTHS, HEADERS, csv_text, export, markdown_text, xlsx_bytes
from ingest.errors import IngestError
from ingest.language.parties import party_matches
from ingest.language.terms import term_matches
from ingest.maintenance import EXTRACTION_VERSION, VERSION_KEY, refresh_ledger
from ingest.pipeline import MetadataOverrides
from tests.conftest import EXAMPLE_SPEECH, luoshi
from tests.test_extraction_tables import FENGONG_HTML, fengong_docx
from vectorstore.ledger import DirectiveRecord, Ledger

pytestmark = pytest.mark.both_backends  # the tests that write a store; those of the shared ``ledger`` read SQLite


def ledger_rows(engine: Engine) -> dict[str, int]:
    catalog = engine.store.catalog
    return {
        table: catalog.rows(f"SELECT COUNT(*) FROM {table}")[0][0]
        for table in ("directives", "directive_parties", "slogans")
    }


@pytest.fixture(scope="module")
def ledger(example_engine: Engine) -> Ledger:
    return Ledger(example_engine.store.catalog)


# ------------------------------------------------------------------------------- the records
def test_ingest_writes_the_directives_and_slogans_of_the_speech(make_engine) -> None:
    engine: Engine = make_engine()
    report = engine.ingest_file(EXAMPLE_SPEECH)
    assert (report.directive_count, report.slogan_count) == (20, 27)
    again = engine.ingest_file(EXAMPLE_SPEECH)
    assert again.status == "unchanged" and (again.directive_count, again.slogan_count) == (20, 27)
    assert engine.store.catalog.get_meta(VERSION_KEY) == EXTRACTION_VERSION
    assert refresh_ledger(engine.store) == 0  # a store whose documents all have current records


def test_records_cite_verbatim_spans_inside_their_chunks(example_engine: Engine, ledger: Ledger) -> None:
    records = ledger.directives()
    assert len(records) == 20
    original = example_engine.store.document_text(records[0].doc_id).original
    chunks = example_engine.store.catalog.chunks(r.chunk_id for r in records if r.chunk_id)
    for record in records:
        assert record.quote == original[record.start : record.end]
        chunk = chunks[record.chunk_id]
        assert chunk.norm_start <= record.norm_start < chunk.norm_end
        assert chunk.section == record.section
        assert record.title == "县长在县政府全体(扩大)会议上的讲话(第2/2页)"
        for party in record.parties:
            assert record.start <= party.start < party.end <= record.end
    assert [record.seq for record in records] == list(range(20))
    for slogan in ledger.slogans():
        assert slogan.quote == original[slogan.start : slogan.end]
        assert slogan.start <= slogan.term_start < slogan.term_end <= slogan.end


def test_party_questions_find_every_task_forgivingly(ledger: Ledger) -> None:
    (police,) = lookup.tasks(ledger, "公安部门")
    assert police.lead == ("李新同志",) and police.responsible == ("县公安部门",)
    assert lookup.tasks(ledger, "李新") == [police]
    assert lookup.tasks(ledger, "李新同志", role="lead") == [police]
    assert lookup.tasks(ledger, "李新", role="responsible") == []
    assert lookup.tasks(ledger, "县公安局") == [police]
    (petitions,) = lookup.tasks(ledger, "信访联席办")
    assert lookup.tasks(ledger, "各单位", role="responsible")[0] == petitions
    towns = lookup.tasks(ledger, "乡镇")
    assert {name for r in towns for name in r.responsible} >= {
        "各乡镇（街道）",
        "各乡镇（办事处）、各单位",
        "各位乡镇长（办事处主任）",
    }
    (projects,) = lookup.tasks(ledger, "副县长", role="lead")
    assert projects.task.startswith("召集分管部门认真研究国家和省市政策走向")
    assert len(lookup.tasks(ledger, "各位副县长", role="responsible")) == 2
    assert lookup.tasks(ledger, "县教育局") == []
    assert len(ledger.directives(role="lead")) == 3
    assert lookup.tasks(ledger, "局") == []  # one character: exact names only


def test_party_and_term_matching_rules() -> None:
    assert party_matches("李新", "李新同志") and party_matches("李新同志", "李新")
    assert not party_matches("李新", "李新华同志")
    assert party_matches("公安部门", "县公安部门") and party_matches("县公安局", "县公安部门")
    assert party_matches("各单位", "各乡镇（办事处）、各单位")
    assert not party_matches("财政局", "县公安局")
    assert term_matches("“四个决不”", "四个决不") and term_matches("马上办", "马上办、落实住")
    assert not term_matches("四个一", "四个一批")


def test_slogans_and_the_glossary(ledger: Ledger) -> None:
    (never,) = lookup.occurrences(ledger, "四个决不")
    assert never.definition and never.definition.startswith("该办的事坚决办，决不拖")
    assert never.quote.startswith("对于政府办公室转办的事项") and never.quote.endswith("决不推。")
    assert [s.term for s in lookup.occurrences(ledger, "马上办")] == ["马上办、落实住"]
    glossary = {entry.term: entry for entry in lookup.glossary(ledger)}
    assert len(glossary) == 27
    assert len(glossary["一把手"].occurrences) == 3 and glossary["一把手"].definition is None
    assert glossary["四个决不"].definition == never
    assert ledger.counts() == {"directives": 20, "slogans": 27}


def test_newest_documents_first_and_tables_from_docx_and_html(make_engine, tmp_path: Path) -> None:
    engine: Engine = make_engine()
    (tmp_path / "分工.docx").write_bytes(fengong_docx())
    (tmp_path / "实事.html").write_text(FENGONG_HTML, encoding="utf-8")
    old = tmp_path / "old.txt"
    old.write_text("一、安全工作\n由县公安局牵头，各乡镇要加强治安巡逻。", encoding="utf-8")
    engine.ingest_file(old, MetadataOverrides(date="2023-05-01"))
    docx_report = engine.ingest_file(tmp_path / "分工.docx", MetadataOverrides(date="2025-02-01"))
    html_report = engine.ingest_file(tmp_path / "实事.html")  # no date: after dated documents
    assert (docx_report.directive_count, html_report.directive_count) == (4, 4)
    ledger = Ledger(engine.store.catalog)
    police = lookup.tasks(ledger, "县公安局", role="lead")
    assert [(r.date, r.task) for r in police] == [
        ("2025-02-01", "完善社会治安防控体系"),
        ("2023-05-01", "加强治安巡逻"),
    ]
    assert [r.doc_id for r in ledger.directives()][-1] == html_report.doc_id
    (parking,) = lookup.tasks(ledger, "城关镇")
    assert (parking.origin, parking.lead, parking.cooperating, parking.deadline) == (
        "table",
        ("县住建局",),
        ("县交警大队",),
        "2025年10月底前",
    )
    assert ledger.directives(doc_id=docx_report.doc_id)[0].section_label == "一、责任分工"


# ------------------------------------------------------------------------------- atomicity
def test_reingest_replaces_and_remove_deletes_the_records(make_engine, tmp_path: Path) -> None:
    engine: Engine = make_engine()
    path = tmp_path / "speech.txt"
    path.write_text("一、工作要求\n由县发改局牵头，各乡镇要做好“三个一批”项目谋划。", encoding="utf-8")
    first = engine.ingest_file(path)
    ledger = Ledger(engine.store.catalog)
    assert [r.lead for r in ledger.directives()] == [("县发改局",)]
    path.write_text("一、工作要求\n由县财政局牵头，各乡镇要做好资金保障。", encoding="utf-8")
    second = engine.ingest_file(path)
    assert second.status == "replaced" and second.doc_id == first.doc_id
    assert [r.lead for r in ledger.directives()] == [("县财政局",)]
    assert ledger.slogans() == []
    assert ledger.directives()[0].chunk_id in engine.store.catalog.chunk_ids(first.doc_id)
    assert engine.remove(first.doc_id)
    assert ledger_rows(engine) == {"directives": 0, "directive_parties": 0, "slogans": 0}


def test_a_failed_ingest_leaves_the_records_as_they_were(make_engine, tmp_path: Path, monkeypatch) -> None:
    engine: Engine = make_engine()
    path = tmp_path / "speech.txt"
    path.write_text("一、工作要求\n由县发改局牵头，各乡镇要做好“三个一批”项目谋划。", encoding="utf-8")
    engine.ingest_file(path)
    ledger = Ledger(engine.store.catalog)
    before = (ledger.directives(), ledger.slogans(), ledger_rows(engine), engine.store.catalog.chunk_ids())
    path.write_text("一、工作要求\n由县财政局牵头，各乡镇要做好资金保障。", encoding="utf-8")

    import ingest.maintenance

    original_write = ingest.maintenance.write_records

    def write_then_fail(db, doc_id, directives, slogans) -> None:
        original_write(db, doc_id, directives, slogans)
        raise RuntimeError("disk full")

    monkeypatch.setattr(ingest.maintenance, "write_records", write_then_fail)
    with pytest.raises(RuntimeError, match="disk full"):
        engine.ingest_file(path)
    after = (ledger.directives(), ledger.slogans(), ledger_rows(engine), engine.store.catalog.chunk_ids())
    assert after == before
    monkeypatch.undo()

    def broken_extraction(document) -> None:
        raise ValueError("bug")

    monkeypatch.setattr("ingest.pipeline.extract", broken_extraction)
    with pytest.raises(ValueError, match="bug"):
        engine.ingest_file(path)
    assert (ledger.directives(), ledger.slogans(), ledger_rows(engine)) == before[:3]
    monkeypatch.undo()
    with pytest.raises(IngestError):
        engine.ingest_file(tmp_path / "missing.txt")
    assert ledger.directives() == before[0]


def test_a_store_from_before_the_ledger_is_brought_up_to_date(make_engine, tmp_path: Path) -> None:
    engine: Engine = make_engine()
    engine.ingest_file(EXAMPLE_SPEECH)
    other = tmp_path / "other.txt"
    other.write_text("由县发改局牵头，各乡镇要做好项目谋划。", encoding="utf-8")
    engine.ingest_file(other)
    with engine.store.catalog.transaction() as db:  # what an older version left: no records, no version
        db.execute(text("DELETE FROM directives"))
        db.execute(text("DELETE FROM slogans"))
        db.execute(text("DELETE FROM meta WHERE key = :key"), {"key": VERSION_KEY})
    ledger = Ledger(engine.store.catalog)
    assert ledger.directives() == []
    assert refresh_ledger(engine.store) == 2
    assert len(ledger.directives()) == 21 and ledger.counts()["slogans"] == 27
    assert refresh_ledger(engine.store) == 0
    assert engine.answer("谁牵头加强社会治安防控体系建设？").found  # the indexes still agree


# ------------------------------------------------------------------------------- exports
def test_xlsx_opens_as_a_proper_spreadsheet(ledger: Ledger, tmp_path: Path) -> None:
    records = ledger.directives()
    path = export(records, tmp_path / "台账.xlsx")
    workbook = openpyxl.load_workbook(path)
    sheet = workbook.active
    assert sheet.title == "督办台账"
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == HEADERS and len(rows) == 21
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:I21"
    assert sheet.print_title_rows == "$1:$1"
    for column, width in zip("ABCDEFGHI", COLUMN_WIDTHS, strict=True):
        assert sheet.column_dimensions[column].width == width
    assert sheet["A1"].font.bold and sheet["B2"].alignment.wrap_text and sheet["I5"].alignment.wrap_text
    police = next(row for row in rows if row[2] == "李新同志")
    assert police[3] == "县公安部门" and police[6] == "《县长在县政府全体(扩大)会议上的讲话(第2/2页)》"
    assert police[7].endswith("三要全力以赴做好社会治安和信访稳定工作")
    assert police[8].startswith("由李新同志牵头,县公安部门要加强社会治安防控体系建设")
    assert [row[0] for row in rows[1:]] == list(range(1, 21))


def test_text_that_looks_like_a_formula_stays_text(ledger: Ledger) -> None:
    record = ledger.directives()[0]
    tricky = DirectiveRecord(**{**record.__dict__, "task": '=HYPERLINK("x")', "quote": "a\x01b"})
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes([tricky]))).active
    assert sheet["B2"].value == '=HYPERLINK("x")' and sheet["B2"].data_type == "s"
    assert sheet["I2"].value == "ab"
    assert list(csv.reader(io.StringIO(csv_text([tricky]))))[1][1] == '\'=HYPERLINK("x")'


def test_csv_and_markdown_exports(ledger: Ledger, tmp_path: Path) -> None:
    records = lookup.tasks(ledger, "乡镇")
    path = export(records, tmp_path / "台账.csv")
    raw = path.read_bytes()
    assert raw.startswith("\ufeff".encode())  # Excel reads UTF-8 only with a BOM
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert tuple(rows[0]) == HEADERS and len(rows) == len(records) + 1
    markdown = markdown_text(records)
    assert markdown.splitlines()[2] == "| " + " | ".join(HEADERS) + " |"
    assert len(markdown.splitlines()) == 4 + len(records)
    piped = DirectiveRecord(**{**records[0].__dict__, "task": "a|b\nc"})
    assert "a\\|b<br>c" in markdown_text([piped])
    with pytest.raises(ValueError, match="unsupported export format"):
        export(records, tmp_path / "台账.pdf")


# ------------------------------------------------------------------------------- the CLI
def test_cli_tasks_slogans_and_exports(example_engine: Engine, tmp_path: Path) -> None:
    data_dir = example_engine.settings.data_dir
    police = luoshi(data_dir, "tasks", "--party", "公安部门")
    assert police.returncode == 0, police.stderr
    assert "李新同志" in police.stdout and "共 1 项任务" in police.stdout
    leads = luoshi(data_dir, "tasks", "--lead", "副县长")
    assert "共 1 项任务" in leads.stdout
    exported = luoshi(data_dir, "tasks", "--export", str(tmp_path / "台账.xlsx"))
    assert exported.returncode == 0 and "已导出 20 项任务" in exported.stdout
    assert openpyxl.load_workbook(tmp_path / "台账.xlsx").active.max_row == 21
    markdown = luoshi(data_dir, "tasks", "--doc", "nope", "--export", str(tmp_path / "t.md"))
    assert markdown.returncode == 0 and "已导出 0 项任务" in markdown.stdout
    wrong = luoshi(data_dir, "tasks", "--export", str(tmp_path / "t.pdf"))
    assert wrong.returncode == 2 and ".xlsx" in wrong.stderr
    slogans = luoshi(data_dir, "slogans", "--term", "四个决不")
    assert slogans.returncode == 0 and "该办的事坚决办" in slogans.stdout and "共 1 个提法" in slogans.stdout
    empty = luoshi(tmp_path / "nothing", "tasks")
    assert empty.returncode == 1 and "还没有收录任何文件" in empty.stderr
