"""Who may use the Telegram bot: allow-lists of users and group chats, and admins."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from bot.settings import Settings


class Decision(Enum):
    """The outcome of an access check."""

    ALLOWED = "allowed"
    USER_NOT_ALLOWED = "user_not_allowed"  # private chat with a user who is not on the list
    CHAT_NOT_ALLOWED = "chat_not_allowed"  # group chat that is not on the list


@dataclass(frozen=True)
class AccessPolicy:
    """Allow-lists from settings. Admins are always allowed users.

    In a private chat the *user* must be allowed. In a group the *chat* must be allowed: an answer
    posted in a group is read by every member, so an allowed user in an unlisted group gets nothing.
    """

    admin_ids: frozenset[int]
    allowed_user_ids: frozenset[int]
    allowed_chat_ids: frozenset[int]
    open_to_everyone: bool = False

    @classmethod
    def from_settings(cls, settings: Settings) -> AccessPolicy:
        return cls(
            admin_ids=settings.admin_ids,
            allowed_user_ids=settings.allowed_user_ids,
            allowed_chat_ids=settings.allowed_chat_ids,
            open_to_everyone=settings.open_to_everyone,
        )

    def is_admin(self, user_id: int | None) -> bool:
        return user_id is not None and user_id in self.admin_ids

    def check(self, user_id: int | None, chat_id: int, private: bool) -> Decision:
        """May this user, in this chat, get answers from the documents?"""
        if self.open_to_everyone:
            return Decision.ALLOWED
        if private:
            if user_id is not None and (user_id in self.allowed_user_ids or user_id in self.admin_ids):
                return Decision.ALLOWED
            return Decision.USER_NOT_ALLOWED
        if chat_id in self.allowed_chat_ids:
            return Decision.ALLOWED
        return Decision.CHAT_NOT_ALLOWED
