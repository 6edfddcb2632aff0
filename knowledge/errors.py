"""Domain errors, turned into polite replies at the edge (handlers) or HTTP errors (bot server).

KnowledgeError
 ├── NotFound                 a code, record or task that does not exist (or is not yours)
 ├── InvalidInput             input that cannot be accepted as it is (too long, wrong format)
 ├── RateLimited              too many submissions in a short time
 ├── PermissionDenied         an official acting outside their agency
 └── ImportProblem            a source file that cannot be read at all
"""

from __future__ import annotations


class KnowledgeError(Exception):
    """Base of every domain error."""


class NotFound(KnowledgeError):
    """The thing asked for does not exist, or is not visible to the asker."""


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
