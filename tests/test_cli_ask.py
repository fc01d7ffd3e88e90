"""Issue 11, defects 2, 8 and 9 and the question cap: `luoshi ask --json -` answers every input line
with exactly one JSON line, whatever the line holds (no bytes of UTF-8, nothing, markup, 600
characters) and whatever the LLM endpoint replies. A real process on a real data folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.question_input import MAX_QUESTION_CHARS
from prompts import answer_texts, telegram_texts
from tests.conftest import REPO, cli_ingested, luoshi
from tests.fake_openai import FakeOpenAI, content
from vectorstore.embeddings import packaged_model_path

LEAD = "谁牵头加强社会治安防控体系建设？"
SLOGAN = "“四个决不”指什么？"
TOO_LONG = "由" * 600 + "牵头"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return cli_ingested(tmp_path_factory.mktemp("data"))


def luoshi_bytes(data_dir: Path, *args: str, stdin: bytes) -> subprocess.CompletedProcess[bytes]:
    """`luoshi` as :func:`tests.conftest.luoshi` runs it, fed raw bytes (which text mode cannot send)."""
    env = {
        **os.environ,
        "LUOSHI_DATA_DIR": str(data_dir),
        "LUOSHI_EMBEDDING_MODEL": str(packaged_model_path()),
        "HF_HUB_OFFLINE": "1",
        "COLUMNS": "200",
    }
    command = [sys.executable, "-c", "from bot.cli import app; app()", *args]
    return subprocess.run(command, cwd=REPO, env=env, input=stdin, capture_output=True, timeout=300)


def json_lines(stdout: str | bytes) -> list[dict]:
    text = stdout.decode("utf-8") if isinstance(stdout, bytes) else stdout
    return [json.loads(line) for line in text.splitlines()]


def test_every_stdin_line_gets_exactly_one_json_line(data_dir: Path) -> None:
    lines = [b"\xff\xfe" + LEAD.encode(), b"", b"   \t", b"[/bold]", TOO_LONG.encode(), SLOGAN.encode()]
    result = luoshi_bytes(data_dir, "ask", "--json", "-", stdin=b"\n".join(lines))  # the last line has no \n
    assert result.returncode == 0 and b"Traceback" not in result.stderr, result.stderr.decode()
    answers = json_lines(result.stdout)
    assert len(answers) == len(lines)
    bad_bytes, blank, spaces, markup, too_long, slogan = answers
    assert bad_bytes["question"] == "\ufffd\ufffd" + LEAD and bad_bytes["found"] and "李新" in bad_bytes["answer"]
    for empty in (blank, spaces):
        assert empty == {"question": "", "answer": answer_texts.EMPTY_QUESTION, "found": False, "kind": "other",
                         "citations": []}  # fmt: skip
    assert markup["question"] == "[/bold]" and not markup["found"]
    assert too_long["answer"] == telegram_texts.QUESTION_TOO_LONG.format(length=602, limit=MAX_QUESTION_CHARS)
    assert not too_long["found"] and too_long["question"] == TOO_LONG
    assert slogan["found"] and "决不推" in slogan["answer"]


def test_an_empty_or_undecodable_argument_is_answered(data_dir: Path) -> None:
    empty = luoshi(data_dir, "ask", "--json", "")
    assert json_lines(empty.stdout) == [
        {"question": "", "answer": answer_texts.EMPTY_QUESTION, "found": False, "kind": "other", "citations": []}
    ]
    undecodable = luoshi(data_dir, "ask", "--json", os.fsdecode(b"\xff" + LEAD.encode()))
    assert undecodable.returncode == 0, undecodable.stderr
    (answer,) = json_lines(undecodable.stdout)
    assert answer["question"] == "\ufffd" + LEAD and answer["found"]


def test_plain_output_prints_a_question_with_markup_as_it_is(data_dir: Path) -> None:
    result = luoshi(data_dir, "ask", "-", stdin="[/bold][red]\n" + LEAD + "\n")
    assert result.returncode == 0, result.stderr
    assert "问：[/bold][red]" in result.stdout and "由李新同志牵头" in result.stdout


def test_chat_refuses_a_long_question_and_reads_bad_bytes(data_dir: Path) -> None:
    stdin = TOO_LONG.encode() + b"\n\xff" + LEAD.encode() + "\n那他还负责什么？\n".encode()
    result = luoshi_bytes(data_dir, "chat", stdin=stdin)
    stdout = result.stdout.decode()
    assert result.returncode == 0, result.stderr.decode()
    assert telegram_texts.QUESTION_TOO_LONG.format(length=602, limit=MAX_QUESTION_CHARS) in stdout
    assert "由李新同志牵头" in stdout and "李新同志承担的任务" in stdout


def test_a_null_llm_reply_leaves_the_stream_whole(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Defect 2: 「"content": null」 killed `ask` at its first found answer and lost the rest."""
    with FakeOpenAI(default=content(lambda _answer: None)) as server:
        monkeypatch.setenv("LUOSHI_LLM_BASE_URL", server.base_url)
        monkeypatch.setenv("LUOSHI_LLM_MODEL", "qwen2.5")
        result = luoshi(data_dir, "ask", "--json", "-", stdin=f"{LEAD}\n{SLOGAN}\n明年全县GDP增长目标是多少？\n")
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    answers = json_lines(result.stdout)
    assert [answer["found"] for answer in answers] == [True, True, False]
    assert answers[0]["answer"] == "由李新同志牵头，县公安部门负责。"
    assert len(server.requests) == 2  # both found answers went to the LLM, and both stood
