"""The console's page and files as the server sends them: security headers (which the browser enforces), the
texts from prompts/console_texts.py, nothing inline, no innerHTML, and every file installed as package data."""

from __future__ import annotations

import re
import tomllib
from fnmatch import fnmatch
from pathlib import Path

from bs4 import BeautifulSoup
from selenium.webdriver.remote.webdriver import WebDriver

from bot.console.routes import STATIC_DIR
from prompts.console_texts import TEXTS
from tests.conftest import REPO
from tests.console.browser import page_errors, sign_in
from tests.console.conftest import READER, Console

SCRIPT_SOURCES = sorted(STATIC_DIR.glob("*.js"))
HTML_SINKS = re.compile(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function")


def test_the_page_is_served_with_a_strict_policy(console: Console) -> None:
    response = console.reader.get("/", headers={"Authorization": ""})  # the page itself needs no key
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "default-src 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response.headers["x-content-type-options"] == "nosniff"


def test_the_page_has_its_chinese_texts_and_nothing_inline(console: Console) -> None:
    page = BeautifulSoup(console.reader.get("/").text, "html.parser")
    assert page.title.string == TEXTS["app_title"]
    assert "{{" not in str(page)
    assert page.find("meta", attrs={"name": "viewport"})["content"].startswith("width=device-width")
    scripts = page.find_all("script")
    assert scripts and all(script.get("src") and not script.string for script in scripts)
    assert not page.find_all("style")
    inline = [tag.name for tag in page.find_all(True) if any(a == "style" or a.startswith("on") for a in tag.attrs)]
    assert inline == []


def test_every_file_the_page_and_its_modules_name_is_served(console: Console) -> None:
    page = BeautifulSoup(console.reader.get("/").text, "html.parser")
    names = {tag["src"] for tag in page.find_all("script")} | {tag["href"] for tag in page.find_all("link")}
    for script in SCRIPT_SOURCES:
        names |= {"/console/" + name for name in re.findall(r"from '\./([\w-]+\.js)'", script.read_text())}
    names.discard("data:,")
    assert "/console/app.js" in names and "/console/console.css" in names
    for name in sorted(names):
        response = console.reader.get(name)
        assert response.status_code == 200, name
        expected = "text/css" if name.endswith(".css") else "text/javascript"
        assert response.headers["content-type"].startswith(expected), name
        assert response.headers["x-content-type-options"] == "nosniff"


def test_only_the_console_files_are_served(console: Console) -> None:
    for path in ("/console/index.html", "/console/nothing.js", "/console/..%2Froutes.py", "/console/%2e%2e/routes.py"):
        assert console.reader.get(path).status_code == 404, path


def test_the_texts_come_from_the_prompts_module(console: Console) -> None:
    response = console.reader.get("/console/texts.json")
    assert response.status_code == 200
    assert response.json() == TEXTS


def test_every_text_the_scripts_use_exists() -> None:
    used = {key for script in SCRIPT_SOURCES for key in re.findall(r"\bt\('(\w+)'", script.read_text())}
    assert used and used <= set(TEXTS), sorted(used - set(TEXTS))


def test_the_scripts_never_write_html_and_hold_no_chinese() -> None:
    for script in SCRIPT_SOURCES:
        code = "\n".join(line.split("//")[0] for line in script.read_text().splitlines())  # comments may explain
        assert not HTML_SINKS.search(code), script.name
        assert not re.search(r"[\u4e00-\u9fff]", code), script.name


def test_the_console_files_are_package_data() -> None:
    patterns = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    package_folder = Path("bot/console")
    for path in STATIC_DIR.iterdir():
        relative = str(path.relative_to(REPO / package_folder))
        assert any(fnmatch(relative, pattern) for pattern in patterns["bot.console"]), relative


def test_the_browser_enforces_the_policy(console: Console, browser: WebDriver) -> None:
    sign_in(browser, console.url, READER.secret)
    assert page_errors(browser) == []
    browser.execute_script(
        "const s = document.createElement('script'); s.textContent = 'window.injected = 1';document.body.append(s);"
    )
    assert browser.execute_script("return window.injected") is None
    assert any("Content Security Policy" in error for error in page_errors(browser))
