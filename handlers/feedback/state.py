"""What both sides of feedback share: the in-memory indexes, the message filters, buttons.

The indexes say who is mid-conversation (a citizen's draft step, an official's action
waiting for text), so that only their messages are taken from the search; they are loaded
from SQLite by the sides' ``startup(app)`` and kept in step by every handler. A citizen
who leaves a draft for another command is *away*: the command does what it says, they are
reminded once, and their text goes to the search until they come back to the draft. Buttons are
dispatched the same way on both sides: a dict from the action in ``prefix:action:...`` to a
:class:`Button`, whose argument pattern makes one anchored pattern (:func:`buttons_pattern`).
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from telegram import Message
from telegram.constants import ChatType
from telegram.ext import Application, ContextTypes, filters

from handlers.callbacks import Prefix, pattern
from handlers.common import Services, command_name
from knowledge import feedback as fb
from knowledge.feedback import answers

# The commands that act on the draft itself: any other command mid-draft does what it
# says, and the citizen is reminded (once) that the draft waits.
OWN_COMMANDS = frozenset({"phananh", "huy"})
MEDIA = (
    filters.PHOTO
    | filters.Document.ALL
    | filters.LOCATION
    | filters.VIDEO
    | filters.VOICE
    | filters.AUDIO
    | filters.Sticker.ALL
    | filters.ANIMATION
    | filters.VIDEO_NOTE
    | filters.CONTACT
)


# --- the in-memory indexes ----------------------------------------------------------------


@dataclass
class FeedbackState:
    """Who is mid-conversation, so that only their messages are taken from the search."""

    drafts: dict[int, str] = field(default_factory=dict)  # citizen user_id -> draft step
    away: set[int] = field(default_factory=set)  # left their draft for a command (reminded)
    submitted: dict[int, str] = field(default_factory=dict)  # user_id -> last code sent
    pending: dict[int, int] = field(default_factory=dict)  # official_id -> chat_id
    draining: bool = False  # the queue poster is running
    more: bool = False  # new records arrived while it ran


def state(app: Application) -> FeedbackState:  # type: ignore[type-arg]
    """This Application's indexes (created on first use)."""
    found = app.bot_data.get("feedback_state")
    if not isinstance(found, FeedbackState):
        found = FeedbackState()
        app.bot_data["feedback_state"] = found
    return found


def indexes(context: ContextTypes.DEFAULT_TYPE) -> FeedbackState:
    """The indexes of the Application handling this update."""
    return state(context.application)


def track(context: ContextTypes.DEFAULT_TYPE, draft: fb.Draft | None, user_id: int) -> None:
    """Keep the in-memory index in step with the draft just written (or shown): the citizen
    is back at it, no longer away."""
    index = indexes(context)
    if draft is None or draft.status != "open":
        forget(context, user_id)
    else:
        index.drafts[user_id] = draft.step
        index.away.discard(user_id)
        index.submitted.pop(user_id, None)


def forget(context: ContextTypes.DEFAULT_TYPE, user_id: int) -> None:
    """The citizen has no open draft any more (sent, cancelled, expired, erased)."""
    index = indexes(context)
    index.drafts.pop(user_id, None)
    index.away.discard(user_id)


# --- message filters ----------------------------------------------------------------------


class PendingText(filters.MessageFilter):
    """Text from an official whose button is waiting for text (that chat or private)."""

    def __init__(self, indexes: FeedbackState) -> None:
        super().__init__(name="feedback_pending_text")
        self.indexes = indexes

    def filter(self, message: Message) -> bool:
        """True for a message that answers a pending action."""
        user = message.from_user
        if user is None:
            return False
        chat = self.indexes.pending.get(user.id)
        return chat is not None and (
            message.chat.id == chat or message.chat.type == ChatType.PRIVATE
        )


class HasPending(filters.MessageFilter):
    """A message from an official whose button is waiting for text (in any chat)."""

    def __init__(self, indexes: FeedbackState) -> None:
        super().__init__(name="feedback_has_pending")
        self.indexes = indexes

    def filter(self, message: Message) -> bool:
        """True when the sender has a pending action."""
        user = message.from_user
        return user is not None and user.id in self.indexes.pending


class FromOfficial(filters.MessageFilter):
    """A message from an official configured for this Application (deny by default)."""

    def __init__(self, app: Application) -> None:  # type: ignore[type-arg]
        super().__init__(name="feedback_from_official")
        self.app = app

    def filter(self, message: Message) -> bool:
        """True when the sender is in ``[[officials]]``."""
        user = message.from_user
        svc = self.app.bot_data.get("services")
        if user is None or not isinstance(svc, Services):
            return False
        return svc.config.official(user.id) is not None


class HasDraft(filters.MessageFilter):
    """A private message from a citizen with an open draft (at ``steps``, if given; not
    away from it, if ``here``)."""

    def __init__(
        self,
        indexes: FeedbackState,
        steps: frozenset[str] | None = None,
        *,
        here: bool = False,
    ) -> None:
        super().__init__(name="feedback_has_draft")
        self.indexes = indexes
        self.steps = steps
        self.here = here

    def filter(self, message: Message) -> bool:
        """True when the sender is mid-draft (at one of the steps)."""
        user = message.from_user
        if user is None or message.chat.type != ChatType.PRIVATE:
            return False
        if self.here and user.id in self.indexes.away:
            return False
        step = self.indexes.drafts.get(user.id)
        return step is not None and (self.steps is None or step in self.steps)


class JustSubmitted(filters.MessageFilter):
    """A private "ok", "gửi" ... from a citizen whose draft was sent and who has no new one:
    told it was sent, rather than searched for."""

    def __init__(self, indexes: FeedbackState) -> None:
        super().__init__(name="feedback_just_submitted")
        self.indexes = indexes

    def filter(self, message: Message) -> bool:
        """True for a bare yes or send from a citizen after their submission."""
        user = message.from_user
        if user is None or message.chat.type != ChatType.PRIVATE:
            return False
        if user.id not in self.indexes.submitted or user.id in self.indexes.drafts:
            return False
        found = answers.reply_classes(message.text or "")
        return bool(found) and found <= {answers.YES, answers.SEND}


class ForeignCommand(filters.MessageFilter):
    """A command that is not one of this feature's own."""

    def __init__(self) -> None:
        super().__init__(name="feedback_foreign_command")

    def filter(self, message: Message) -> bool:
        """True for /anything except the feedback commands."""
        return command_name(message.text) not in OWN_COMMANDS


# --- button dispatch ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Button:
    """One kind of button: the pattern of what follows ``prefix:action``, and its handler."""

    args: str  # a regex: "" for none, else starting with ":"
    handler: Callable[..., Awaitable[Any]]


def one_of(values: Iterable[object]) -> str:
    """A regex group matching exactly one of ``values``."""
    return "(?:" + "|".join(re.escape(str(v)) for v in values) + ")"


def buttons_pattern(prefix: Prefix, buttons: Mapping[str, Button]) -> str:
    """The anchored pattern of every button in ``buttons`` (action, then its args), no other."""
    actions = "|".join(f"{re.escape(action)}{b.args}" for action, b in buttons.items())
    return pattern(prefix, f"(?:{actions})")
