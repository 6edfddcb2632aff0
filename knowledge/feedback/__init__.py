"""Citizens' feedback and complaints (phản ánh, kiến nghị): the domain, without Telegram.

Parts, in import order (each imports only those above it):

- ``tracking``    tracking codes ``PA-7KQ3M9XD``: draw, normalise, recognise
- ``lifecycle``   the complaint state machine: ``Status``, ``Action``, ``TRANSITIONS``
- ``records``     kinds, the dataclasses, row mappers, history lines, reading records back
- ``limits``      sizes, counts, file types, and the per-citizen rate limit
- ``drafts``      the citizen's draft, one committed write per step of the conversation
- ``answers``     what a citizen types at a button step (yes, no, send...), the kind guessed
                  from a complaint's words (``from knowledge.feedback import answers``)
- ``submission``  a draft becomes a record exactly once; the queue's outbox
- ``officials``   officials' actions, actions waiting for their text, blocking
- ``rating``      rating an answer; "không hài lòng" in time reopens the record
- ``privacy``     the citizen's data export and erasure; forgetting old update ids
- ``export``      XLSX/CSV reports for officials (``from knowledge.feedback import export``)
- ``schema``      the numbered migrations of the feedback tables

Public names (``from knowledge import feedback as fb``; ``fb.submit(...)``):

- lifecycle: ``Status``, ``Action``, ``TRANSITIONS``, ``INITIAL``, ``OPEN_STATUSES``,
  ``CLOSED_STATUSES``, ``STATUSES``, ``OFFICIAL_ACTIONS``, ``TEXT_ACTIONS``, ``STATUS_LABELS``
- records: ``Attachment``, ``Draft``, ``Feedback``, ``Event``, ``Submission``,
  ``ActionResult``, ``RatingResult``, ``Pending``, ``Erasure``, ``KINDS``, ``KIND_LABELS``,
  ``clean_text``, ``due_date_for``, ``once``, ``seen``, ``get``, ``by_code``, ``find_own``,
  ``history``, ``latest_answer``, ``rating_of``, ``user_records``, ``list_new``,
  ``list_overdue``, ``count_overdue``
- limits: ``MIN_CONTENT_CHARS``, ``MAX_NAME_CHARS``, ``MAX_NOTE_CHARS``, ``MAX_ATTACHMENTS``,
  ``MAX_FILE_BYTES``, ``PENDING_MAX_AGE``, ``ALLOWED_MIME``, ``ALLOWED_EXTENSIONS``,
  ``check_file``, ``check_rate_limit``
- drafts: the ``STEP_*`` names, ``STEPS``, ``TEXT_STEPS``, ``EDIT_FIELDS``, ``start_draft``,
  ``get_open_draft``, ``current_draft``, ``set_kind``, ``set_procedure``, ``set_content``,
  ``add_early_content``,
  ``add_attachment``, ``set_location``, ``clear_attachments``, ``finish_attachments``,
  ``choose_contact``, ``set_contact_name``, ``set_contact_phone``, ``normalize_phone``,
  ``start_edit``, ``cancel_draft``, ``active_drafts``, ``expire_drafts``
- submission: ``submit``, ``mark_acknowledged``, ``set_queue_message``, ``unposted``,
  ``unacknowledged``
- officials: ``act``, ``set_pending``, ``get_pending``, ``clear_pending``, ``pending_index``,
  ``block``
- rating: ``RATINGS``, ``UNSATISFIED``, ``RATING_LABELS``, ``rate``
- privacy: ``ERASED_TEXT``, ``export_user_data``, ``erase_user_data``, ``prune_seen_updates``
- errors (defined in ``knowledge.errors``): ``Stale``, ``DraftExpired``, ``AlreadyProcessed``,
  ``FeedbackInputError``
"""

from __future__ import annotations

from knowledge.errors import AlreadyProcessed, DraftExpired, FeedbackInputError, Stale
from knowledge.feedback.drafts import (
    EDIT_FIELDS,
    STEP_ATTACHMENTS,
    STEP_CONTACT,
    STEP_CONTENT,
    STEP_KIND,
    STEP_NAME,
    STEP_PHONE,
    STEP_PROCEDURE,
    STEP_SUMMARY,
    STEPS,
    TEXT_STEPS,
    active_drafts,
    add_attachment,
    add_early_content,
    cancel_draft,
    choose_contact,
    clear_attachments,
    current_draft,
    expire_drafts,
    finish_attachments,
    get_open_draft,
    normalize_phone,
    set_contact_name,
    set_contact_phone,
    set_content,
    set_kind,
    set_location,
    set_procedure,
    start_draft,
    start_edit,
)
from knowledge.feedback.lifecycle import (
    CLOSED_STATUSES,
    INITIAL,
    OFFICIAL_ACTIONS,
    OPEN_STATUSES,
    STATUS_LABELS,
    STATUSES,
    TEXT_ACTIONS,
    TRANSITIONS,
    Action,
    Status,
)
from knowledge.feedback.limits import (
    ALLOWED_EXTENSIONS,
    ALLOWED_MIME,
    MAX_ATTACHMENTS,
    MAX_FILE_BYTES,
    MAX_NAME_CHARS,
    MAX_NOTE_CHARS,
    MIN_CONTENT_CHARS,
    PENDING_MAX_AGE,
    check_file,
    check_rate_limit,
)
from knowledge.feedback.officials import (
    act,
    block,
    clear_pending,
    get_pending,
    pending_index,
    set_pending,
)
from knowledge.feedback.privacy import (
    ERASED_TEXT,
    erase_user_data,
    export_user_data,
    prune_seen_updates,
)
from knowledge.feedback.rating import RATING_LABELS, RATINGS, UNSATISFIED, rate
from knowledge.feedback.records import (
    KIND_LABELS,
    KINDS,
    ActionResult,
    Attachment,
    Draft,
    Erasure,
    Event,
    Feedback,
    Pending,
    RatingResult,
    Submission,
    by_code,
    clean_text,
    count_overdue,
    due_date_for,
    find_own,
    get,
    history,
    latest_answer,
    list_new,
    list_overdue,
    once,
    rating_of,
    seen,
    user_records,
)
from knowledge.feedback.submission import (
    mark_acknowledged,
    set_queue_message,
    submit,
    unacknowledged,
    unposted,
)

__all__ = [
    "ALLOWED_EXTENSIONS",
    "ALLOWED_MIME",
    "CLOSED_STATUSES",
    "EDIT_FIELDS",
    "ERASED_TEXT",
    "INITIAL",
    "KINDS",
    "KIND_LABELS",
    "MAX_ATTACHMENTS",
    "MAX_FILE_BYTES",
    "MAX_NAME_CHARS",
    "MAX_NOTE_CHARS",
    "MIN_CONTENT_CHARS",
    "OFFICIAL_ACTIONS",
    "OPEN_STATUSES",
    "PENDING_MAX_AGE",
    "RATINGS",
    "RATING_LABELS",
    "STATUSES",
    "STATUS_LABELS",
    "STEPS",
    "STEP_ATTACHMENTS",
    "STEP_CONTACT",
    "STEP_CONTENT",
    "STEP_KIND",
    "STEP_NAME",
    "STEP_PHONE",
    "STEP_PROCEDURE",
    "STEP_SUMMARY",
    "TEXT_ACTIONS",
    "TEXT_STEPS",
    "TRANSITIONS",
    "UNSATISFIED",
    "Action",
    "ActionResult",
    "AlreadyProcessed",
    "Attachment",
    "Draft",
    "DraftExpired",
    "Erasure",
    "Event",
    "Feedback",
    "FeedbackInputError",
    "Pending",
    "RatingResult",
    "Stale",
    "Status",
    "Submission",
    "act",
    "active_drafts",
    "add_attachment",
    "add_early_content",
    "block",
    "by_code",
    "cancel_draft",
    "check_file",
    "check_rate_limit",
    "choose_contact",
    "clean_text",
    "clear_attachments",
    "clear_pending",
    "count_overdue",
    "current_draft",
    "due_date_for",
    "erase_user_data",
    "expire_drafts",
    "export_user_data",
    "find_own",
    "finish_attachments",
    "get",
    "get_open_draft",
    "get_pending",
    "history",
    "latest_answer",
    "list_new",
    "list_overdue",
    "mark_acknowledged",
    "normalize_phone",
    "once",
    "pending_index",
    "prune_seen_updates",
    "rate",
    "rating_of",
    "seen",
    "set_contact_name",
    "set_contact_phone",
    "set_content",
    "set_kind",
    "set_location",
    "set_pending",
    "set_procedure",
    "set_queue_message",
    "start_draft",
    "start_edit",
    "submit",
    "unacknowledged",
    "unposted",
    "user_records",
]
