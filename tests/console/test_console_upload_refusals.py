"""Uploads the server refuses, in a real browser: each file's own result line says why (the API's message),
the others are still taken in, and an oversize file is refused (413) without breaking the upload."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from prompts.console_texts import TEXTS
from tests.conftest import EXAMPLE_SPEECH
from tests.console.browser import by_id, open_tab, sign_in, wait_until
from tests.console.conftest import ADMIN, Console, running_console
from vectorstore.embeddings import EmbeddingModel

MAX_FILE_MB = 0.1  # the example speech fits; the padded file does not
NOTE = "# 防汛工作安排\n\n一、由县水利局牵头，在2025年5月底前完成水库安全检查。\n"


@pytest.fixture(scope="module")
def console(embedding_model: EmbeddingModel, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Console]:
    """A console that refuses files over 0.1 MB."""
    with running_console(tmp_path_factory.mktemp("console-data"), embedding_model, max_file_mb=MAX_FILE_MB) as running:
        yield running


def finished_items(driver: WebDriver, count: int) -> dict[str, tuple[str, str]] | None:
    """File name -> (ok|failed, result line) once the ``count`` files of the upload all have a result."""
    items = driver.find_elements(By.CSS_SELECTOR, "#upload-list .upload-item")
    results = {}
    for item in items:
        state = {"ok", "failed"} & set(item.get_attribute("class").split())
        if state:
            name = item.find_element(By.CSS_SELECTOR, ".upload-name").text.rsplit("/", 1)[-1]
            results[name] = (state.pop(), item.find_element(By.CSS_SELECTOR, ".upload-state").text)
    return results if len(items) == count and len(results) == count else None


def refusal_of(console: Console, name: str, data: bytes) -> tuple[int, str]:
    response = console.admin.post("/v1/documents", files={"file": (name, data, "application/octet-stream")})
    return response.status_code, response.json()["error"]["message"]


def test_each_file_gets_its_own_result(console: Console, browser: WebDriver, tmp_path: Path) -> None:
    folder = tmp_path / "批量上传"
    folder.mkdir()
    files = {
        "防汛安排.md": NOTE.encode(),
        "名单.xyz": "不是支持的格式".encode(),
        "超大文件.txt": ("一" * int(MAX_FILE_MB * 1024 * 1024)).encode(),
        EXAMPLE_SPEECH.name: EXAMPLE_SPEECH.read_bytes(),
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    expected = {name: refusal_of(console, name, files[name]) for name in ("名单.xyz", "超大文件.txt")}
    assert [status for status, _ in expected.values()] == [422, 413]
    assert console.admin.get("/v1/documents").json()["documents"] == []  # the refusals left nothing behind

    sign_in(browser, console.url, ADMIN.secret)
    open_tab(browser, "files")
    by_id(browser, "upload-folder").send_keys(str(folder))
    results = wait_until(browser, lambda d: finished_items(d, len(files)))
    assert results["名单.xyz"] == ("failed", expected["名单.xyz"][1])
    assert results["超大文件.txt"] == ("failed", expected["超大文件.txt"][1])
    assert results["防汛安排.md"][0] == results[EXAMPLE_SPEECH.name][0] == "ok"
    assert by_id(browser, "upload-overall-text").text == TEXTS["upload_done"].format(ok=2, failed=2)
    overall = by_id(browser, "upload-overall-bar")
    assert overall.get_attribute("value") == overall.get_attribute("max")
    titles = {doc["title"] for doc in console.admin.get("/v1/documents").json()["documents"]}
    wait_until(browser, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#files-table tbody tr")) == len(titles) == 2)
