"""The complaint state machine: statuses, actions, and the one table of transitions.

A record starts at :data:`INITIAL` when the citizen submits it. Officials move it with
their actions (:func:`knowledge.feedback.act`); the citizen moves it once more by rating an
answer "không hài lòng" in time (:func:`knowledge.feedback.rate`). Both read
:data:`TRANSITIONS` and nothing else; a pair missing from it is refused. The diagram in
``docs/feedback.md`` draws the same table, and ``tests/test_feedback_lifecycle.py`` checks
that the two agree.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Final


class Status(StrEnum):
    """Where a record stands; the values are stored in SQLite (``feedback.status``)."""

    NEW = "moi"
    IN_PROGRESS = "dang_xu_ly"
    FORWARDED = "da_chuyen"
    REOPENED = "mo_lai"
    ANSWERED = "da_tra_loi"
    NOT_COMPETENT = "khong_tham_quyen"
    DUPLICATE = "trung"
    REJECTED = "tu_choi"


class Action(StrEnum):
    """What moves a record; the values are written as ``feedback_event.action``."""

    # officials (buttons on the queue message)
    CLAIM = "claim"
    FORWARD = "forward"
    REPLY = "reply"
    NOT_COMPETENT = "not_competent"
    DUPLICATE = "duplicate"
    REJECT = "reject"
    # the citizen: "không hài lòng" within reopen_days of the answer
    REOPEN = "reopened"


OPEN_STATUSES: Final = (Status.NEW, Status.IN_PROGRESS, Status.FORWARDED, Status.REOPENED)
CLOSED_STATUSES: Final = (
    Status.ANSWERED,
    Status.NOT_COMPETENT,
    Status.DUPLICATE,
    Status.REJECTED,
)
STATUSES: Final = OPEN_STATUSES + CLOSED_STATUSES
INITIAL: Final = Status.NEW  # what submit() writes

OFFICIAL_ACTIONS: Final = (
    Action.CLAIM,
    Action.FORWARD,
    Action.REPLY,
    Action.NOT_COMPETENT,
    Action.DUPLICATE,
    Action.REJECT,
)
# The actions that need the official's text (the answer, an agency, a reason, a code).
TEXT_ACTIONS: Final = frozenset(
    {Action.FORWARD, Action.REPLY, Action.NOT_COMPETENT, Action.DUPLICATE, Action.REJECT}
)

_S, _A = Status, Action

# (status, action) -> the status it leads to. Any pair not here is refused: from a closed
# status "closed"; the one pair missing from an open status, claiming a record already in
# progress, "already_claimed".
TRANSITIONS: Final[Mapping[tuple[Status, Action], Status]] = {
    (_S.NEW, _A.CLAIM): _S.IN_PROGRESS,
    (_S.NEW, _A.FORWARD): _S.FORWARDED,
    (_S.NEW, _A.REPLY): _S.ANSWERED,
    (_S.NEW, _A.NOT_COMPETENT): _S.NOT_COMPETENT,
    (_S.NEW, _A.DUPLICATE): _S.DUPLICATE,
    (_S.NEW, _A.REJECT): _S.REJECTED,
    (_S.IN_PROGRESS, _A.FORWARD): _S.FORWARDED,
    (_S.IN_PROGRESS, _A.REPLY): _S.ANSWERED,
    (_S.IN_PROGRESS, _A.NOT_COMPETENT): _S.NOT_COMPETENT,
    (_S.IN_PROGRESS, _A.DUPLICATE): _S.DUPLICATE,
    (_S.IN_PROGRESS, _A.REJECT): _S.REJECTED,
    (_S.FORWARDED, _A.CLAIM): _S.IN_PROGRESS,
    (_S.FORWARDED, _A.FORWARD): _S.FORWARDED,
    (_S.FORWARDED, _A.REPLY): _S.ANSWERED,
    (_S.FORWARDED, _A.NOT_COMPETENT): _S.NOT_COMPETENT,
    (_S.FORWARDED, _A.DUPLICATE): _S.DUPLICATE,
    (_S.FORWARDED, _A.REJECT): _S.REJECTED,
    (_S.REOPENED, _A.CLAIM): _S.IN_PROGRESS,
    (_S.REOPENED, _A.FORWARD): _S.FORWARDED,
    (_S.REOPENED, _A.REPLY): _S.ANSWERED,
    (_S.REOPENED, _A.NOT_COMPETENT): _S.NOT_COMPETENT,
    (_S.REOPENED, _A.DUPLICATE): _S.DUPLICATE,
    (_S.REOPENED, _A.REJECT): _S.REJECTED,
    (_S.ANSWERED, _A.REOPEN): _S.REOPENED,
}

STATUS_LABELS: Final[Mapping[str, str]] = {
    Status.NEW: "Mới tiếp nhận",
    Status.IN_PROGRESS: "Đang xử lý",
    Status.FORWARDED: "Đã chuyển cơ quan khác",
    Status.REOPENED: "Mở lại",
    Status.ANSWERED: "Đã trả lời",
    Status.NOT_COMPETENT: "Không thuộc thẩm quyền",
    Status.DUPLICATE: "Trùng",
    Status.REJECTED: "Từ chối",
}
