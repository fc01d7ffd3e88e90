"""The audit trail (留痕) on real files: what an entry holds, rotation, retention, several processes writing
at once, and `luoshi ask` / `luoshi audit` as operators run them."""

from __future__ import annotations

import getpass
import json
import logging
import os
import subprocess
import sys
import textwrap
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.answers import Answer, Citation
from bot.audit import Actor, AuditTrail, Channel, log_files, now, parse_when, read_entries
from bot.cli import app
from tests.conftest import EXAMPLE_SPEECH, REPO, luoshi

CADRE = Actor(Channel.TELEGRAM, "1002", name="干部 (@gb)", chat=-100200)
FOUND = Answer(
    "谁牵头加强社会治安防控体系建设？",
    "由李新同志牵头。",
    True,
    "lead",
    (Citation("d1", "县长讲话", "三、安全", "由李新同志牵头,县公安部门要加强社会治安防控体系建设", 0, 10),),
)
NOT_FOUND = Answer("明年全县GDP增长目标是多少？", "未在已收录的文件中找到。", False, "other")


def trail_at(folder: Path, **options: object) -> AuditTrail:
    values: dict = {"max_bytes": 10_000_000, "backup_count": 5, "retention_days": 180, **options}
    return AuditTrail(folder / "audit" / "audit.jsonl", **values)


def lines_of(path: Path) -> list[dict]:
    return [json.loads(line) for file in log_files(path) for line in file.read_text(encoding="utf-8").splitlines()]


def test_each_entry_is_one_json_line_saying_who_what_when_and_the_outcome(tmp_path: Path) -> None:
    trail = trail_at(tmp_path)
    trail.question(CADRE, FOUND, follow_up=True)
    trail.question(CADRE, NOT_FOUND)
    trail.question_not_asked(CADRE, "由" * 600, "too_long")
    trail.ingest(
        Actor(Channel.CLI, "alice"), "/srv/讲话.txt", reason="《讲话.txt》无法收录：文件已损坏", detail="corrupted"
    )
    trail.remove(Actor(Channel.TELEGRAM, "1001"), "d1", removed=True)
    trail.access_refused(Actor(Channel.TELEGRAM, "1003", chat=1003), "user_not_allowed", "question", "谁牵头？\n第二行")
    trail.close()

    raw = trail.path.read_text(encoding="utf-8").splitlines()
    assert len(raw) == 6  # a newline in a question stays inside its line
    answered, refused, too_long, ingest, remove, access = (json.loads(line) for line in raw)
    assert answered == {
        "time": answered["time"],
        "channel": "telegram",
        "user": "1002",
        "name": "干部 (@gb)",
        "chat": -100200,
        "event": "question",
        "outcome": "answered",
        "follow_up": True,
        "question": "谁牵头加强社会治安防控体系建设？",
        "answer": "由李新同志牵头。",
        "kind": "lead",
        "cited": [{"doc_id": "d1", "title": "县长讲话", "section": "三、安全"}],
    }
    assert abs(parse_when(answered["time"]) - now()) < timedelta(minutes=5)
    assert parse_when(answered["time"]).utcoffset() is not None
    assert (refused["outcome"], refused["cited"], "follow_up" in refused) == ("refused", [], False)
    assert (too_long["outcome"], too_long["question"]) == ("too_long", "由" * 600)
    assert ingest["channel"] == "cli" and ingest["user"] == "alice" and "chat" not in ingest
    assert (ingest["event"], ingest["outcome"], ingest["detail"]) == ("ingest", "refused", "corrupted")
    assert (remove["event"], remove["outcome"], remove["doc_id"]) == ("remove", "removed", "d1")
    assert (access["outcome"], access["action"], access["text"]) == ("user_not_allowed", "question", "谁牵头？\n第二行")


def test_read_filters_by_user_and_time_and_reports_lines_that_are_not_entries(tmp_path: Path) -> None:
    old = trail_at(tmp_path, clock=lambda: datetime(2024, 3, 1, 9, 0).astimezone())
    old.question(CADRE, FOUND)
    old.close()
    trail = trail_at(tmp_path, retention_days=36500)
    trail.question(CADRE, NOT_FOUND)
    trail.question(Actor(Channel.CLI, "alice"), FOUND)
    trail.close()
    with trail.path.open("a", encoding="utf-8") as file:
        file.write("not json\n")
    bad: list[tuple[Path, int]] = []

    def read(**filters: object) -> list[str]:
        return [
            entry["question"] for entry in read_entries(trail.path, on_bad_line=lambda *at: bad.append(at), **filters)
        ]

    assert read() == [FOUND.question, NOT_FOUND.question, FOUND.question]
    assert bad == [(trail.path, 4)]
    assert read(user="1002") == [FOUND.question, NOT_FOUND.question]
    assert read(user="1002", since=parse_when("2024-03-02")) == [NOT_FOUND.question]
    assert read(since=parse_when("2024-03-01T09:00")) == [FOUND.question, NOT_FOUND.question, FOUND.question]
    assert read(user="nobody") == []
    assert list(read_entries(tmp_path / "nothing" / "audit.jsonl")) == []


def test_files_rotate_at_the_size_and_only_the_newest_are_kept(tmp_path: Path) -> None:
    trail = trail_at(tmp_path, max_bytes=1500, backup_count=3)
    for number in range(40):
        trail.question(CADRE, Answer(f"问题{number:02d}", "答", False, "other"))
    trail.close()
    files = log_files(trail.path)
    assert [file.name for file in files] == ["audit.jsonl.3", "audit.jsonl.2", "audit.jsonl.1", "audit.jsonl"]
    assert all(file.stat().st_size <= 1500 for file in files)
    questions = [entry["question"] for entry in read_entries(trail.path)]
    assert questions[-1] == "问题39" and questions == sorted(questions) and len(questions) < 40
    assert questions == [f"问题{number:02d}" for number in range(40 - len(questions), 40)]  # none lost in between


def test_entries_older_than_the_retention_are_pruned(tmp_path: Path) -> None:
    folder = tmp_path / "audit"
    folder.mkdir()
    # file: (days ago of its entries, days ago it was last written)
    history = {"audit.jsonl.3": ([400, 400], 400), "audit.jsonl.2": ([200], 200), "audit.jsonl.1": ([40, 20], 20)}
    history["audit.jsonl"] = ([20], 0)
    for name, (ages, written) in history.items():
        lines = [
            json.dumps({"time": (now() - timedelta(days=age)).isoformat(), "user": "1002", "question": f"{age}天前"})
            for age in ages
        ]
        (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
        moment = (now() - timedelta(days=written)).timestamp()
        os.utime(folder / name, (moment, moment))

    trail = trail_at(tmp_path, retention_days=30)
    trail.question(CADRE, FOUND)
    trail.close()
    assert [file.name for file in log_files(trail.path)] == ["audit.jsonl.1", "audit.jsonl"]
    assert [entry["question"] for entry in read_entries(trail.path)] == ["20天前", "20天前", FOUND.question]
    assert not list(folder.glob("*.pruning"))


def test_undecodable_input_is_recorded_not_lost(tmp_path: Path) -> None:
    trail = trail_at(tmp_path)
    question = b"\xff\xfe\xe8\xb0\x81\xe7\x89\xb5\xe5\xa4\xb4".decode("utf-8", "surrogateescape")  # as stdin reads it
    trail.question(Actor(Channel.CLI, "alice"), Answer(question, "答", False, "other"))
    trail.question(Actor(Channel.CLI, "alice"), Answer("行一\u2028行二\r\n", "答", False, "other"))
    trail.close()
    assert [entry["question"] for entry in read_entries(trail.path)] == [question, "行一\u2028行二\r\n"]


def test_logging_switched_off_elsewhere_does_not_silence_the_trail(tmp_path: Path) -> None:
    trail = trail_at(tmp_path)
    logging.disable(logging.CRITICAL)
    try:
        trail.question(CADRE, FOUND)
    finally:
        logging.disable(logging.NOTSET)
    assert [entry["question"] for entry in read_entries(trail.path)] == [FOUND.question]


def test_a_disabled_trail_writes_nothing(tmp_path: Path) -> None:
    trail = trail_at(tmp_path, enabled=False)
    trail.question(CADRE, FOUND)
    assert not trail.path.parent.exists()


def test_an_unwritable_trail_does_not_stop_the_request(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    (tmp_path / "audit").write_text("a file where the folder should be")
    trail = trail_at(tmp_path)
    trail.question(CADRE, FOUND)  # no exception
    assert any("cannot be written" in record.getMessage() for record in caplog.records)


WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from bot.answers import Answer
    from bot.audit import Actor, AuditTrail, Channel
    trail = AuditTrail(Path(sys.argv[1]), max_bytes=3000, backup_count=1000, retention_days=1)
    actor = Actor(Channel.CLI, sys.argv[2])
    for number in range(int(sys.argv[3])):
        trail.question(actor, Answer(f"{sys.argv[2]}-{number}", "答" * 50, False, "other"))
    """
)


def test_processes_writing_at_once_lose_and_repeat_nothing_across_rotations(tmp_path: Path) -> None:
    path = tmp_path / "audit" / "audit.jsonl"
    path.parent.mkdir()
    count = 150
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(path), name, str(count)], cwd=REPO)
        for name in ("bot", "cli")
    ]
    assert [writer.wait(timeout=120) for writer in writers] == [0, 0]
    entries = lines_of(path)  # every line of every file is one whole entry
    for name in ("bot", "cli"):
        mine = [entry["question"] for entry in entries if entry["user"] == name]
        assert mine == [f"{name}-{number}" for number in range(count)]
    assert len(log_files(path)) > 10


# -- the command line ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example speech and a broken PDF, ingested from a folder by `luoshi ingest`."""
    folder = tmp_path_factory.mktemp("inbox")
    (folder / "scan.pdf").write_bytes(b"%PDF-1.4 broken")
    (folder / "speech.txt").write_bytes(EXAMPLE_SPEECH.read_bytes())
    data = tmp_path_factory.mktemp("data")
    result = luoshi(data, "ingest", str(folder))
    assert result.returncode == 1 and "scan.pdf" in result.stderr, result.stderr
    return data


def test_luoshi_ask_is_recorded_with_the_os_user_and_luoshi_audit_filters(data_dir: Path) -> None:
    path = data_dir / "audit" / "audit.jsonl"
    old = AuditTrail(path, max_bytes=10**7, backup_count=5, retention_days=3650, clock=lambda: now() - timedelta(3))
    old.question(CADRE, NOT_FOUND)
    old.close()
    asked = luoshi(data_dir, "ask", "--json", "-", stdin=f"{FOUND.question}\n{NOT_FOUND.question}\n")
    assert asked.returncode == 0, asked.stderr

    me = getpass.getuser()
    today = now().date().isoformat()
    result = luoshi(data_dir, "audit", "--user", me, "--since", today, "--json")
    assert result.returncode == 0, result.stderr
    broken, ingest, answered, refused = (json.loads(line) for line in result.stdout.splitlines())
    assert (broken["event"], broken["outcome"], broken["reason"]) == (
        "ingest",
        "refused",
        "《scan.pdf》无法收录：文件已损坏或格式与扩展名不符",
    )
    assert broken["file"].endswith("scan.pdf") and "corrupted" in broken["detail"]
    assert (ingest["event"], ingest["outcome"], ingest["status"]) == ("ingest", "accepted", "added")
    assert Path(ingest["file"]).is_absolute() and ingest["file"].endswith("speech.txt")
    for entry in (broken, ingest, answered, refused):
        assert (entry["channel"], entry["user"]) == ("cli", me)
    assert (answered["question"], answered["outcome"]) == (FOUND.question, "answered")
    assert "李新" in answered["answer"] and answered["cited"][0]["title"].startswith("县长在县政府全体")
    assert (refused["question"], refused["outcome"], refused["cited"]) == (NOT_FOUND.question, "refused", [])

    # The same command in this process (each `luoshi` process takes long to import the engine's libraries).
    environment = {"LUOSHI_DATA_DIR": str(data_dir), "COLUMNS": "200"}
    runner = CliRunner()
    telegram = runner.invoke(app, ["audit", "--user", "1002", "--json"], env=environment)
    assert [json.loads(line)["question"] for line in telegram.stdout.splitlines()] == [NOT_FOUND.question]
    assert runner.invoke(app, ["audit", "--user", "1002", "--since", today, "--json"], env=environment).stdout == ""
    table = runner.invoke(app, ["audit", "--since", today], env=environment)
    assert f"cli  {me}  question: answered\n    问：{FOUND.question}\n    引：《县长在县政府全体" in table.stdout
    assert f"    问：{NOT_FOUND.question}\n" in table.stdout and table.stdout.endswith("共 4 条。\n")
    bad = runner.invoke(app, ["audit", "--since", "上周"], env=environment)
    assert bad.exit_code == 2 and "--since" in bad.stderr


def test_luoshi_ask_rotates_and_prunes_as_the_settings_say(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "audit"
    folder.mkdir()
    ancient = {"time": (now() - timedelta(days=400)).isoformat(timespec="seconds"), "channel": "telegram"}
    old_line = json.dumps({**ancient, "user": "1002", "event": "question", "question": "很久以前的问题"}) + "\n"
    (folder / "audit.jsonl.7").write_text(old_line, encoding="utf-8")
    long_ago = (now() - timedelta(days=400)).timestamp()
    os.utime(folder / "audit.jsonl.7", (long_ago, long_ago))
    (folder / "audit.jsonl").write_text(old_line, encoding="utf-8")
    monkeypatch.setenv("LUOSHI_AUDIT_MAX_MB", "0.001")  # about 1 KB
    monkeypatch.setenv("LUOSHI_AUDIT_BACKUP_COUNT", "20")
    monkeypatch.setenv("LUOSHI_AUDIT_RETENTION_DAYS", "30")

    questions = [f"第{number}个问题：谁牵头？" for number in range(12)]
    asked = luoshi(tmp_path, "ask", "--json", "-", stdin="\n".join(questions) + "\n")
    assert asked.returncode == 0, asked.stderr

    files = log_files(folder / "audit.jsonl")
    assert len(files) >= 3 and all(file.stat().st_size <= 1100 for file in files)
    assert not (folder / "audit.jsonl.7").exists()
    assert [entry["question"] for entry in read_entries(folder / "audit.jsonl")] == questions
