"""Classified material through the `luoshi` command, and `luoshi docs` for operators and scripts.

A folder ingest refuses the classified files with a clear reason and takes the others; the operator's
switch lets them into a store that `luoshi serve` then refuses to serve; `luoshi docs` shows every title
whole on an 80-column terminal, the 内部 and 密级 marks, and gives JSON to scripts.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import docx
import pytest

from tests.conftest import luoshi

LONG_TITLE = "关于印发《青山县2025年安全生产和消防工作要点及重点任务分工方案》的通知"
NOTICE_TITLE = "关于做好岁末年初安全生产工作的通知"
BODY = "一、压实安全责任\n由县应急管理局牵头，各乡镇配合，在12月31日前完成危化品企业隐患排查整治。\n"


def _secret_docx() -> bytes:
    document = docx.Document()
    for paragraph in ("秘密★5年", "特急", "关于维稳预案的通知", *BODY.splitlines()):
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def inbox(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("inbox")
    (folder / "secret.txt").write_bytes(f"机密★1年\r\n关于维稳预案的通知\r\n{BODY}".encode("gbk"))
    (folder / "secret.docx").write_bytes(_secret_docx())
    internal = f"内部资料 注意保存\n\n县政发〔2025〕12号    签发人：张三\n\n# {NOTICE_TITLE}\n\n{BODY}"
    (folder / "internal.md").write_text(internal, encoding="utf-8")
    (folder / "plain.txt").write_text(f"{LONG_TITLE}\n{BODY}", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def data_dir(inbox: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The inbox ingested as a folder: the two classified files refused, the two others in."""
    data = tmp_path_factory.mktemp("data")
    result = luoshi(data, "ingest", str(inbox))
    assert result.returncode == 1, result.stderr
    errors = " ".join(result.stderr.split())
    assert "secret.txt: marked 机密★1年: classified documents (密级) are refused" in errors
    assert "secret.docx: marked 秘密★5年" in errors and "2 of 4 files failed" in errors
    assert "Refused classified document" in errors  # logged too
    assert "internal.md: added" in result.stdout and "plain.txt: added" in result.stdout
    assert f"《{NOTICE_TITLE}》" in result.stdout
    return data


def test_docs_json_lists_the_documents_for_scripts(data_dir: Path) -> None:
    result = luoshi(data_dir, "docs", "--json")
    assert result.returncode == 0, result.stderr
    documents = {Path(record["source"]).name: record for record in json.loads(result.stdout)}
    assert set(documents) == {"internal.md", "plain.txt"}
    assert documents["internal.md"]["title"] == NOTICE_TITLE
    assert (documents["internal.md"]["marking"], documents["internal.md"]["classified"]) == ("内部资料 注意保存", False)
    assert (documents["plain.txt"]["title"], documents["plain.txt"]["marking"]) == (LONG_TITLE, None)
    assert all(re.fullmatch(r"[0-9a-f]{12}", record["doc_id"]) for record in documents.values())


def test_docs_shows_whole_titles_and_ids_on_an_80_column_terminal(data_dir: Path) -> None:
    result = luoshi(data_dir, "docs", env={"COLUMNS": "80"})
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    for record in json.loads(luoshi(data_dir, "docs", "--json").stdout):
        assert any(line.endswith(f"《{record['title']}》") for line in lines), result.stdout
        assert any(f"id {record['doc_id']} · " in line for line in lines), result.stdout
    assert "⚠ 内部文件：标注「内部资料 注意保存」" in result.stdout


def test_docs_on_an_empty_data_dir(tmp_path: Path) -> None:
    assert luoshi(tmp_path / "none", "docs").stdout.strip() == "还没有收录任何文件。"
    assert json.loads(luoshi(tmp_path / "none", "docs", "--json").stdout) == []


def test_the_switch_lets_classified_files_in_and_serve_then_refuses(inbox: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    allowed = luoshi(data, "ingest", str(inbox / "secret.txt"), env={"LUOSHI_ALLOW_CLASSIFIED": "true"})
    assert allowed.returncode == 0, allowed.stderr
    assert "secret.txt: added" in allowed.stdout and "《关于维稳预案的通知》" in allowed.stdout
    assert "Storing classified document" in allowed.stderr
    (record,) = json.loads(luoshi(data, "docs", "--json").stdout)
    assert (record["marking"], record["classified"]) == ("机密★1年", True)
    assert f"（luoshi remove {record['doc_id']}）" in luoshi(data, "docs").stdout

    served = luoshi(
        data,
        "serve",
        env={"LUOSHI_TELEGRAM_TOKEN": "123456:TEST-token", "LUOSHI_TELEGRAM_BASE_URL": "http://127.0.0.1:9/bot"},
    )
    assert served.returncode == 2
    message = " ".join(served.stderr.split())
    assert "holds 1 classified document(s)" in message and record["doc_id"] in message
    assert "does not serve a store with classified documents" in message and "luoshi remove ID" in message
