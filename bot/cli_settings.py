"""The settings every ``luoshi`` command reads, or exit 2 with the reason when they are invalid.

>>> isinstance(settings_or_exit(), Settings)
True
"""

from __future__ import annotations

import typer
from pydantic import ValidationError
from rich.console import Console

from bot.settings import Settings

_errors = Console(stderr=True)


def settings_or_exit() -> Settings:
    """The settings from the environment; on an invalid value, an English message and exit status 2."""
    try:
        return Settings()
    except ValidationError as error:
        _errors.print(f"[red]Invalid settings:[/red] {error}")
        raise typer.Exit(2) from error
