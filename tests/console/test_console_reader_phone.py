"""The console in a real browser as a reader (no upload or remove control anywhere) and on a phone-size
screen (390x844): the answer and the 台账 fit the width, the 台账 as cards."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement

from prompts.console_texts import TEXTS
from tests.console.browser import (
    PHONE,
    by_id,
    emulate_phone,
    open_browser,
    open_tab,
    page_overflow,
    require_browser,
    screenshot,
    sign_in,
    wait_until,
)
from tests.console.conftest import ADMIN, READER, Console

QUESTION = "谁牵头加强社会治安防控体系建设？"
FOLLOW_UP = "那他还负责什么？"
OFF_TOPIC = "火星探测器的发射窗口是哪一天？"


@pytest.fixture
def phone(tmp_path: Path) -> Iterator[WebDriver]:
    """Headless Chromium that shows pages as a 390x844 phone does."""
    require_browser()
    driver = open_browser(tmp_path / "downloads", size=PHONE)
    emulate_phone(driver)
    yield driver
    driver.quit()


def admin_controls(driver: WebDriver) -> list[str]:
    """The upload and remove controls the page holds (shown or not)."""
    selectors = ("input[type=file]", "button.remove", "#tab-files", "#panel-files", ".admin-only")
    return [selector for selector in selectors if driver.find_elements(By.CSS_SELECTOR, selector)]


def test_a_reader_sees_no_upload_or_remove_control(console: Console, browser: WebDriver) -> None:
    console.ensure_speech()
    sign_in(browser, console.url, ADMIN.secret)
    assert admin_controls(browser) == ["input[type=file]", "#tab-files", "#panel-files", ".admin-only"]
    by_id(browser, "logout").click()
    sign_in(browser, console.url, READER.secret)
    assert TEXTS["role_reader"] in by_id(browser, "who-name").text
    assert admin_controls(browser) == []
    open_tab(browser, "ledger")
    rows = wait_until(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#ledger-table tbody tr"))
    assert len(rows) == console.reader.get("/v1/tasks").json()["count"]
    assert admin_controls(browser) == []


def test_a_wrong_key_is_refused_at_the_login(console: Console, browser: WebDriver) -> None:
    browser.get(f"{console.url}/")
    wait_until(browser, lambda d: by_id(d, "login-key").is_displayed())
    by_id(browser, "login-key").send_keys("not-a-key-of-this-server")
    by_id(browser, "login-button").click()
    wait_until(browser, lambda d: by_id(d, "login-message").text == TEXTS["login_failed"])
    assert not by_id(browser, "workspace").is_displayed()


def test_on_a_phone_the_answer_and_the_ledger_fit(console: Console, phone: WebDriver, artifacts: Path) -> None:
    console.ensure_speech()
    sign_in(phone, console.url, READER.secret)
    assert phone.execute_script("return window.innerWidth") == PHONE[0]
    by_id(phone, "ask-input").send_keys(QUESTION)
    by_id(phone, "ask-button").click()
    card = wait_until(phone, lambda d: d.find_elements(By.CSS_SELECTOR, "#answers .answer"))[0]
    expected = console.admin.post("/v1/ask", json={"question": QUESTION}).json()
    assert card.find_element(By.CSS_SELECTOR, ".answer-text").text == expected["answer"]
    source = card.find_element(By.CSS_SELECTOR, ".source-toggle")
    assert source.size["height"] >= 44 and source.size["width"] <= PHONE[0]
    source.click()
    wait_until(phone, lambda d: card.find_element(By.CSS_SELECTOR, ".paragraph").get_attribute("data-loaded"))
    assert page_overflow(phone) <= 0
    screenshot(phone, artifacts / "console-phone.png")
    open_tab(phone, "ledger")
    rows = wait_until(phone, lambda d: d.find_elements(By.CSS_SELECTOR, "#ledger-table tbody tr"))
    assert rows[0].value_of_css_property("display") == "block"  # a card, not a table row
    assert not by_id(phone, "ledger-table").find_element(By.TAG_NAME, "thead").is_displayed()
    assert all(row.size["width"] <= PHONE[0] for row in rows)
    assert page_overflow(phone) <= 0
    screenshot(phone, artifacts / "console-phone-ledger.png")


def asked(driver: WebDriver, question: str, count: int) -> WebElement:
    """Ask ``question`` on the page; its answer card once the page shows ``count`` answers."""
    by_id(driver, "ask-input").send_keys(question)
    by_id(driver, "ask-button").click()
    cards = wait_until(
        driver, lambda d: (found := d.find_elements(By.CSS_SELECTOR, "#answers .answer"))[count - 1 :] and found
    )
    return cards[0]  # the newest answer is on top


def test_follow_ups_keep_the_conversation_and_refusals_are_plain(console: Console, browser: WebDriver) -> None:
    console.ensure_speech()
    conversation = "console-test-follow-up"
    expected = [
        console.admin.post("/v1/ask", json={"question": text, "conversation_id": conversation}).json()
        for text in (QUESTION, FOLLOW_UP)
    ]
    refusal = console.admin.post("/v1/ask", json={"question": OFF_TOPIC}).json()
    alone = console.admin.post("/v1/ask", json={"question": FOLLOW_UP}).json()  # without the conversation
    assert expected[1]["found"] and not refusal["found"] and alone["answer"] != expected[1]["answer"]
    sign_in(browser, console.url, READER.secret)
    for number, answer in enumerate(expected, start=1):
        card = asked(browser, answer["question"], number)
        assert card.find_element(By.CSS_SELECTOR, ".answer-text").text == answer["answer"]
    card = asked(browser, OFF_TOPIC, 3)
    assert "refusal" in card.get_attribute("class").split()
    assert card.find_element(By.CSS_SELECTOR, ".answer-text").text == refusal["answer"]
    assert TEXTS["answer_not_found"] in card.text and not card.find_elements(By.CSS_SELECTOR, ".source")
    by_id(browser, "ask-new").click()
    assert browser.find_elements(By.CSS_SELECTOR, "#answers .answer") == []
