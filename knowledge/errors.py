"""Domain errors, turned into polite replies at the edge (handlers) or HTTP errors (bot server).

KnowledgeError
 ├── NotFound                 a code, record or task that does not exist (or is not yours)
 ├── InvalidInput             input that cannot be accepted as it is (too long, wrong format)
 │    └── FeedbackInputError  feedback input refused, with a reason key for the adapters
 ├── RateLimited              too many submissions in a short time
 ├── PermissionDenied         an official acting outside their agency
 ├── ImportProblem            a source file that cannot be read at all
 ├── Stale                    a feedback button or message for a step or draft no longer current
 ├── DraftExpired             a feedback draft abandoned longer than the expiry, now gone
 └── AlreadyProcessed         a Telegram update handled before (a redelivery)

The feedback errors are re-exported by ``knowledge.feedback`` (``fb.Stale`` ...).
"""

from __future__ import annotations

from typing import Any


class KnowledgeError(Exception):
    """Base of every domain error."""


class NotFound(KnowledgeError):
    """The thing asked for does not exist, or is not visible to the asker."""


class UnknownUser(NotFound):
    """A user id that nobody ever used the bot with."""


class InvalidInput(KnowledgeError):
    """Input that cannot be accepted as it is."""


class RateLimited(KnowledgeError):
    """Too many submissions in a short time."""

    def __init__(self, retry_after_seconds: int) -> None:
        super().__init__(f"retry after {retry_after_seconds}s")
        self.retry_after_seconds = retry_after_seconds


class PermissionDenied(KnowledgeError):
    """An official acting outside their scope."""


class ImportProblem(KnowledgeError):
    """A source file that cannot be read at all."""


class Stale(KnowledgeError):
    """A button or message that belongs to a step or draft that is no longer current."""


class DraftExpired(KnowledgeError):
    """The citizen's draft was abandoned for longer than the expiry and is gone."""


class AlreadyProcessed(KnowledgeError):
    """This Telegram update was handled before (a redelivery)."""


class FeedbackInputError(InvalidInput):
    """Input refused with a reason key the adapters turn into a polite message."""

    def __init__(self, reason: str, **values: Any) -> None:
        super().__init__(reason)
        self.reason = reason
        self.values = values
