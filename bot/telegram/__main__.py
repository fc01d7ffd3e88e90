"""``python -m bot.telegram``: run the bot with settings from the environment (same as ``luoshi serve``)."""

from bot.settings import Settings
from bot.telegram.app import run

if __name__ == "__main__":
    run(Settings())
