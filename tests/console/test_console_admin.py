"""The console in a real browser, as an admin: upload the example speech and a folder -> both listed -> ask ->
the API's answer with its source [1], which opens to the paragraph holding the quote -> the 台账 filtered by a
lead unit -> its .xlsx downloaded and read back -> a document removed. Screenshots go to the test artifacts."""

from __future__ import annotations

import re
from pathlib import Path

from openpyxl import load_workbook
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import Select

from prompts.console_texts import TEXTS
from tests.conftest import EXAMPLE_SPEECH
from tests.console.browser import (
    by_id,
    open_tab,
    page_errors,
    screenshot,
    sign_in,
    wait_for_download,
    wait_until,
)
from tests.console.conftest import ADMIN, Console

QUESTION = "谁牵头加强社会治安防控体系建设？"
FOLDER_NOTE = (
    "# 安全生产工作会议纪要\n\n"
    "## 一、安全生产\n\n"
    "由县应急管理局牵头，各乡镇负责，在2025年6月底前完成全县安全隐患排查整治。\n"
)


def squeeze(text: str) -> str:
    """Text without whitespace, to compare a quote with the paragraph as the page lays it out."""
    return re.sub(r"\s+", "", text)


def upload_results(driver: WebDriver, *names: str) -> list[str]:
    """The result lines of the upload of the files ``names``, once each has one."""

    def finished(d: WebDriver) -> list[str] | None:
        items = d.find_elements(By.CSS_SELECTOR, "#upload-list .upload-item")
        shown = [item.find_element(By.CSS_SELECTOR, ".upload-name").text for item in items]
        done = [item for item in items if {"ok", "failed"} & set(item.get_attribute("class").split())]
        mine = len(shown) == len(names) and all(path.endswith(name) for path, name in zip(shown, names, strict=True))
        return [item.text for item in items] if mine and len(done) == len(names) else None

    return wait_until(driver, finished)


def listed_titles(driver: WebDriver) -> list[str]:
    return [cell.text for cell in driver.find_elements(By.CSS_SELECTOR, "#files-table tbody td.title")]


def upload_speech_and_folder(driver: WebDriver, console: Console, folder: Path) -> None:
    open_tab(driver, "files")
    by_id(driver, "upload-files").send_keys(str(EXAMPLE_SPEECH))
    [speech_result] = upload_results(driver, EXAMPLE_SPEECH.name)
    assert TEXTS["upload_ok"] in speech_result
    (folder / "安全生产纪要.md").write_text(FOLDER_NOTE, encoding="utf-8")
    by_id(driver, "upload-folder").send_keys(str(folder))
    [note_result] = upload_results(driver, "安全生产纪要.md")
    assert TEXTS["upload_ok"] in note_result and folder.name in note_result  # the folder's path is shown
    assert by_id(driver, "upload-overall-text").text == TEXTS["upload_done"].format(ok=1, failed=0)
    documents = console.admin.get("/v1/documents").json()["documents"]
    assert len(documents) == 2
    expected = [f"《{document['title']}》" for document in documents]
    wait_until(driver, lambda d: listed_titles(d) == expected)


def ask_and_open_the_source(driver: WebDriver, console: Console) -> None:
    open_tab(driver, "ask")
    by_id(driver, "ask-input").send_keys(QUESTION)
    by_id(driver, "ask-button").click()
    card = wait_until(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#answers .answer"))[0]
    expected = console.reader.post("/v1/ask", json={"question": QUESTION}).json()
    assert expected["found"] and expected["citations"]
    assert card.find_element(By.CSS_SELECTOR, ".answer-text").text == expected["answer"]
    sources = card.find_elements(By.CSS_SELECTOR, ".source-toggle")
    assert len(sources) == len(expected["citations"])
    first = expected["citations"][0]
    assert sources[0].find_element(By.CSS_SELECTOR, ".source-number").text == "[1]"
    assert sources[0].find_element(By.CSS_SELECTOR, ".source-title").text == f"《{first['title']}》"
    assert squeeze(first["quote"]) in squeeze(sources[0].text)
    sources[0].click()
    paragraph = card.find_element(By.CSS_SELECTOR, ".source .paragraph")
    wait_until(driver, lambda d: paragraph.get_attribute("data-loaded") == "true")
    assert squeeze(first["quote"]) in squeeze(paragraph.text)
    assert sources[0].get_attribute("aria-expanded") == "true"


def a_selective_lead(console: Console) -> tuple[str, str, list[dict]]:
    """A lead unit of the speech's tasks that leads some of its tasks but not all; the speech's id; its tasks."""
    speech = next(doc for doc in console.admin.get("/v1/documents").json()["documents"] if "speech" in doc["source"])
    tasks = console.reader.get("/v1/tasks", params={"doc": speech["doc_id"]}).json()["tasks"]
    leads = sorted({lead for task in tasks for lead in task["lead"]})
    for lead in leads:
        chosen = console.reader.get("/v1/tasks", params={"lead": lead, "doc": speech["doc_id"]}).json()["tasks"]
        if 0 < len(chosen) < len(tasks):
            return lead, speech["doc_id"], chosen
    raise AssertionError(f"no lead unit selects part of the speech's tasks: {leads}")


def filter_the_ledger(driver: WebDriver, console: Console) -> list[dict]:
    lead, doc_id, expected = a_selective_lead(console)
    open_tab(driver, "ledger")
    wait_until(driver, lambda d: len(Select(by_id(d, "ledger-doc")).options) == 3)
    everything = wait_until(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#ledger-table tbody tr"))
    assert len(everything) > len(expected)
    by_id(driver, "ledger-lead").send_keys(lead)
    Select(by_id(driver, "ledger-doc")).select_by_value(doc_id)
    by_id(driver, "ledger-search").click()
    counted = TEXTS["ledger_count"].format(count=len(expected))
    wait_until(driver, lambda d: by_id(d, "ledger-status").text == counted)
    rows = driver.find_elements(By.CSS_SELECTOR, "#ledger-table tbody tr")
    assert [row.find_element(By.CSS_SELECTOR, "td.task").text for row in rows] == [task["task"] for task in expected]
    assert all(lead in row.find_element(By.CSS_SELECTOR, "td.lead").text for row in rows)
    return expected


def download_the_ledger(driver: WebDriver, downloads: Path, expected: list[dict]) -> None:
    by_id(driver, "ledger-download").click()
    path = wait_for_download(downloads, ".xlsx")
    assert path.name == "督办台账.xlsx"
    sheet = load_workbook(path).active
    header, *rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert header[:2] == ["序号", "任务"]
    assert [row[1] for row in rows] == [task["task"] for task in expected]


def filter_by_deadline(driver: WebDriver, console: Console, deadline: str) -> None:
    """Any document, no lead, the deadline containing ``deadline``: the rows the API gives for that filter."""
    expected = console.reader.get("/v1/tasks", params={"deadline": deadline}).json()
    total = console.reader.get("/v1/tasks").json()["count"]
    assert 0 < expected["count"] < total
    by_id(driver, "ledger-lead").clear()
    Select(by_id(driver, "ledger-doc")).select_by_value("")
    by_id(driver, "ledger-deadline").send_keys(deadline)
    by_id(driver, "ledger-search").click()
    counted = TEXTS["ledger_count"].format(count=expected["count"])
    wait_until(driver, lambda d: by_id(d, "ledger-status").text == counted)
    rows = driver.find_elements(By.CSS_SELECTOR, "#ledger-table tbody tr")
    assert [row.find_element(By.CSS_SELECTOR, "td.task").text for row in rows] == [
        task["task"] for task in expected["tasks"]
    ]
    assert all(deadline in row.find_element(By.CSS_SELECTOR, "td.deadline").text for row in rows)


def remove_the_note(driver: WebDriver, console: Console) -> None:
    open_tab(driver, "files")
    row = next(r for r in driver.find_elements(By.CSS_SELECTOR, "#files-table tbody tr") if "安全生产" in r.text)
    doc_id = row.get_attribute("data-doc-id")
    row.find_element(By.CSS_SELECTOR, "button.remove").click()
    alert = wait_until(driver, lambda d: d.switch_to.alert)
    assert "安全生产" in alert.text
    alert.accept()
    wait_until(driver, lambda d: len(listed_titles(d)) == 1)
    remaining = [doc["doc_id"] for doc in console.admin.get("/v1/documents").json()["documents"]]
    assert doc_id not in remaining and len(remaining) == 1


def test_admin_uploads_asks_filters_downloads_and_removes(
    console: Console, browser: WebDriver, tmp_path: Path, artifacts: Path
) -> None:
    sign_in(browser, console.url, ADMIN.secret)
    assert TEXTS["role_admin"] in by_id(browser, "who-name").text
    folder = tmp_path / "会议纪要"
    folder.mkdir()
    upload_speech_and_folder(browser, console, folder)
    screenshot(browser, artifacts / "admin-files.png")
    ask_and_open_the_source(browser, console)
    screenshot(browser, artifacts / "admin-answer.png")
    expected = filter_the_ledger(browser, console)
    screenshot(browser, artifacts / "admin-ledger.png")
    download_the_ledger(browser, tmp_path / "downloads", expected)
    filter_by_deadline(browser, console, "2025")
    remove_the_note(browser, console)
    open_tab(browser, "ask")
    screenshot(browser, artifacts / "console.png", whole_page=True)
    assert page_errors(browser) == []  # no script error, nothing the Content-Security-Policy refused
