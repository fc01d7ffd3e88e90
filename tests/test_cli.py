"""The `luoshi` command as operators run it: a real process, real files, a real data folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE_SPEECH, SEED_QA, luoshi


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder with the example speech in it, ingested from a folder with one bad file."""
    folder = tmp_path_factory.mktemp("inbox")
    (folder / "speech.txt").write_bytes(EXAMPLE_SPEECH.read_bytes())
    (folder / "scan.pdf").write_bytes(b"%PDF-1.4 broken")
    (folder / "notes.xls").write_bytes(b"ignored: not a supported type")
    data = tmp_path_factory.mktemp("data")
    result = luoshi(data, "ingest", str(folder))
    assert result.returncode == 1, result.stderr  # one file failed
    assert "scan.pdf" in result.stderr and "corrupted" in result.stderr
    assert "speech.txt: added" in result.stdout
    return data


def test_docs_lists_the_ingested_document(data_dir: Path) -> None:
    result = luoshi(data_dir, "docs")
    assert result.returncode == 0
    assert "县长在县政府全体" in result.stdout


def test_ask_json_prints_the_answer_object(data_dir: Path) -> None:
    result = luoshi(data_dir, "ask", "--json", "谁牵头加强社会治安防控体系建设？")
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert set(answer) == {"question", "answer", "found", "kind", "citations"}
    assert answer["found"] and "李新" in answer["answer"] and answer["kind"] == "lead"


def test_ask_json_from_stdin_answers_one_question_per_line(data_dir: Path) -> None:
    result = luoshi(data_dir, "ask", "--json", "-", stdin="“四个决不”指什么？\n\n明年全县GDP增长目标是多少？\n")
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["found"] for line in lines] == [True, False, False]  # the blank line too (issue 11, defect 9)
    assert "决不推" in lines[0]["answer"] and lines[1]["question"] == ""


def test_ask_prints_sources_for_people(data_dir: Path) -> None:
    result = luoshi(data_dir, "ask", "安全生产要落实什么责任制？")
    assert "三管三必须" in result.stdout
    assert "[1]" in result.stdout and "二要落实落细各项安全防范措施" in result.stdout


def test_eval_reports_accuracy_per_type(data_dir: Path) -> None:
    result = luoshi(data_dir, "eval", "--json", str(SEED_QA))
    assert result.returncode == 0, result.stderr
    rows = {row["type"]: row for row in json.loads(result.stdout)["rows"]}
    assert {"lead", "slogan", "unanswerable", "overall"} <= set(rows)
    assert rows["lead"]["answer_accuracy"] >= 0.9 and rows["slogan"]["answer_accuracy"] >= 0.9
    assert rows["overall"]["citation_accuracy"] >= 0.9
    assert rows["unanswerable"]["refusal_accuracy"] == 1.0


def test_remove_and_unknown_id(tmp_path: Path) -> None:
    data = tmp_path / "data"
    added = luoshi(data, "ingest", str(EXAMPLE_SPEECH))
    doc_id = added.stdout.split("id ")[1].split()[0]
    assert luoshi(data, "remove", "nope").returncode == 1
    assert luoshi(data, "remove", doc_id).returncode == 0
    assert "县长在县政府全体" not in luoshi(data, "docs").stdout


def test_bad_date_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    result = luoshi(tmp_path / "data", "ingest", str(EXAMPLE_SPEECH), "--date", "去年冬天")
    assert result.returncode == 2 and "YYYY-MM-DD" in result.stderr
    assert not (tmp_path / "data").exists()


def test_chat_answers_and_keeps_context_for_follow_ups(data_dir: Path) -> None:
    result = luoshi(data_dir, "chat", stdin="谁牵头加强社会治安防控体系建设？\n那他还负责什么？\n")
    assert result.returncode == 0, result.stderr
    assert "由李新同志牵头" in result.stdout
    assert "李新同志承担的任务" in result.stdout


@pytest.mark.parametrize("command", [("docs",), ("check",), ("audit",)])
def test_an_invalid_setting_exits_2_naming_it(tmp_path: Path, command: tuple[str, ...]) -> None:
    result = luoshi(tmp_path / "data", *command, env={"LUOSHI_TOP_K": "many"})
    assert result.returncode == 2
    assert "Invalid settings" in result.stderr and "LUOSHI_TOP_K" in result.stderr


def test_an_invalid_api_key_setting_is_named_without_echoing_the_key(tmp_path: Path) -> None:
    result = luoshi(tmp_path / "data", "docs", env={"LUOSHI_API_KEYS": "very-secret-value:owner"})
    assert result.returncode == 2
    assert "LUOSHI_API_KEYS" in result.stderr and "key:reader or key:admin" in result.stderr
    assert "very-secret-value" not in result.stderr
