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
        _errors.print("[red]Invalid settings:[/red]")
        _errors.print(settings_problems(error), markup=False, highlight=False)
        raise typer.Exit(2) from error


def settings_problems(error: ValidationError) -> str:
    """What is wrong, one setting per line, without the values given (a value may be a key or a password).

    >>> try:
    ...     Settings(top_k=0, _env_file=None)
    ... except ValidationError as error:
    ...     print(settings_problems(error))
    LUOSHI_TOP_K: Input should be greater than or equal to 1
    """
    return "\n".join(
        f"LUOSHI_{'_'.join(map(str, problem['loc'])).upper()}: {problem['msg']}"
        for problem in error.errors(include_input=False, include_url=False)
    )
