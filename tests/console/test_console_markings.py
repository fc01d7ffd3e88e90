"""The 文件 tab flags documents marked 内部 and a 密级 (the latter only reaches a store through
``luoshi ingest --allow-classified``; the store is then withheld until an admin removes it, from the console)."""

from __future__ import annotations

from pathlib import Path

from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from prompts.console_texts import TEXTS
from tests.console.browser import by_id, open_tab, screenshot, sign_in, wait_until
from tests.console.conftest import ADMIN, Console

INTERNAL = "内部资料 注意保存\n\n关于做好防汛工作的通知\n\n一、由县水利局牵头，在2025年5月底前完成水库安全检查。\n"
CLASSIFIED = "机密★1年\n\n关于专项工作的安排\n\n一、由县保密局牵头，在2025年7月底前完成专项检查。\n"


def row_of(driver: WebDriver, doc_id: str) -> object:
    return driver.find_element(By.CSS_SELECTOR, f'#files-table tbody tr[data-doc-id="{doc_id}"]')


def badges(driver: WebDriver, doc_id: str) -> list[str]:
    return [badge.text for badge in row_of(driver, doc_id).find_elements(By.CSS_SELECTOR, ".badge")]


def test_internal_and_classified_documents_are_flagged(
    console: Console, browser: WebDriver, tmp_path: Path, artifacts: Path
) -> None:
    upload = console.admin.post("/v1/documents", files={"file": ("防汛通知.txt", INTERNAL.encode(), "text/plain")})
    assert upload.status_code == 201, upload.text
    internal_id = upload.json()["doc_id"]
    secret = tmp_path / "专项安排.txt"
    secret.write_text(CLASSIFIED, encoding="utf-8")
    classified_id = console.desk.engine.ingest_file(secret, allow_classified=True).doc_id  # as `luoshi ingest` would
    listed = {doc["doc_id"]: doc for doc in console.admin.get("/v1/documents").json()["documents"]}
    assert listed[classified_id]["classified"] and not listed[internal_id]["classified"]

    sign_in(browser, console.url, ADMIN.secret)
    open_tab(browser, "files")
    wait_until(browser, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#files-table tbody tr")) == 2)
    assert badges(browser, internal_id) == [TEXTS["flag_internal"]]
    assert badges(browser, classified_id) == [TEXTS["flag_classified"]]
    assert listed[classified_id]["marking"] in row_of(browser, classified_id).text
    assert by_id(browser, "files-classified").is_displayed()
    screenshot(browser, artifacts / "files-markings.png")

    row_of(browser, classified_id).find_element(By.CSS_SELECTOR, "button.remove").click()
    wait_until(browser, lambda d: d.switch_to.alert).accept()
    wait_until(browser, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#files-table tbody tr")) == 1)
    assert not by_id(browser, "files-classified").is_displayed()
    assert [doc["doc_id"] for doc in console.admin.get("/v1/documents").json()["documents"]] == [internal_id]
