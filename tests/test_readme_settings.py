"""The README lists every setting (the brief asks for all of them, and a new one is easy to forget)."""

from __future__ import annotations

from pathlib import Path

from bot.settings import Settings

README = Path(__file__).resolve().parents[1] / "README.md"


def test_every_setting_has_a_row_in_the_readme_table() -> None:
    text = README.read_text(encoding="utf-8")
    missing = [name for name in Settings.model_fields if f"| `LUOSHI_{name.upper()}` |" not in text]
    assert missing == []  # e.g. ["api_port"] when LUOSHI_API_PORT has no row
