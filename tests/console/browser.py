"""Headless Chromium for the console tests (Debian's chromium and chromium-driver), driven by Selenium.

Without the browser the tests are skipped with the reason, unless ``LUOSHI_REQUIRE_BROWSER=1`` (CI), when they
fail. Downloads go to the folder the driver is opened with::

    driver = open_browser(tmp_path / "downloads")
    sign_in(driver, base_url, key)
"""

from __future__ import annotations

import base64
import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import WebDriverWait

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
WAIT_SECONDS = 180  # an answer or an ingest on a busy 2-core machine; a wait, not a timed assertion
DESKTOP = (1280, 900)
PHONE = (390, 844)


def require_browser() -> None:
    """Skip the test when Chromium or chromedriver is missing (fail instead when LUOSHI_REQUIRE_BROWSER=1)."""
    missing = [str(path) for path in (CHROMIUM, CHROMEDRIVER) if not path.exists()]
    if not missing:
        return
    reason = f"the console's browser tests need {' and '.join(missing)} (apt-get install chromium chromium-driver)"
    if os.environ.get("LUOSHI_REQUIRE_BROWSER") == "1":
        pytest.fail(reason)
    pytest.skip(reason)


def open_browser(download_dir: Path, size: tuple[int, int] = DESKTOP) -> WebDriver:
    """Headless Chromium with the viewport ``size`` (CSS pixels) that saves downloads in ``download_dir``."""
    download_dir.mkdir(parents=True, exist_ok=True)
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--lang=zh-CN"):
        options.add_argument(argument)
    options.add_argument(f"--window-size={size[0]},{size[1]}")
    options.add_experimental_option(
        "prefs", {"download.default_directory": str(download_dir), "download.prompt_for_download": False}
    )
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})  # to read the page's errors
    driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(download_dir)})
    return driver


def emulate_phone(driver: WebDriver, size: tuple[int, int] = PHONE) -> None:
    """Make the page see a phone: a ``size`` viewport, 3x pixels, touch and the mobile viewport rules."""
    width, height = size
    metrics = {"width": width, "height": height, "deviceScaleFactor": 2, "mobile": True}
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
    driver.execute_cdp_cmd("Emulation.setTouchEmulationEnabled", {"enabled": True})


def wait_until(driver: WebDriver, condition: Callable[[WebDriver], object], seconds: float = WAIT_SECONDS) -> object:
    """What ``condition`` returns once it is truthy."""
    return WebDriverWait(driver, seconds, poll_frequency=0.2).until(condition)


def by_id(driver: WebDriver, element_id: str) -> WebElement:
    return driver.find_element(By.ID, element_id)


def sign_in(driver: WebDriver, base_url: str, key: str) -> None:
    """Open the console and log in with ``key``; returns once the workspace shows."""
    driver.get(f"{base_url}/")
    wait_until(driver, lambda d: by_id(d, "login-key").is_displayed())
    by_id(driver, "login-key").send_keys(key)
    by_id(driver, "login-button").click()
    wait_until(driver, lambda d: by_id(d, "workspace").is_displayed())


def open_tab(driver: WebDriver, name: str) -> None:
    by_id(driver, f"tab-{name}").click()
    wait_until(driver, lambda d: by_id(d, f"panel-{name}").is_displayed())


def page_overflow(driver: WebDriver) -> int:
    """How many CSS pixels the page is wider than the viewport (0: no horizontal scrolling)."""
    return int(
        driver.execute_script(
            "return Math.max(document.documentElement.scrollWidth, document.body.scrollWidth) - window.innerWidth;"
        )
    )


def wait_for_download(folder: Path, suffix: str, seconds: float = WAIT_SECONDS) -> Path:
    """The first finished file with ``suffix`` Chromium saves in ``folder``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        done = [path for path in folder.iterdir() if path.suffix == suffix]
        if done and not any(path.suffix == ".crdownload" for path in folder.iterdir()):
            return done[0]
        time.sleep(0.2)
    raise AssertionError(f"no {suffix} file was downloaded into {folder}")


def page_errors(driver: WebDriver) -> list[str]:
    """The errors the page logged since the last call: script errors, refused loads (CSP), failed requests."""
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def screenshot(driver: WebDriver, path: Path, whole_page: bool = False) -> Path:
    """Save what the browser shows (or the ``whole_page``, through the DevTools protocol) as the PNG ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not whole_page:
        driver.save_screenshot(str(path))
        return path
    size = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]
    clip = {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"captureBeyondViewport": True, "clip": clip})
    path.write_bytes(base64.b64decode(shot["data"]))
    return path
