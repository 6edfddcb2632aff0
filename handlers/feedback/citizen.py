"""Citizens' feedback: the guided /phananh conversation, /tracuu, ratings and data rights.

The conversation state is the ``feedback_draft`` row: every step is one committed write,
so a restart resumes exactly where the citizen was. An in-memory index (user -> step),
loaded at start-up, lets the text filter take only the messages of citizens mid-draft;
everyone else's text falls through to the search.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, TypeVar

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType, ParseMode
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from handlers.common import (
    Html,
    Services,
    cb,
    command_name,
    esc,
    keyboard,
    lang,
    official,
    recovered,
    reply,
    services,
    t,
)
from handlers.feedback import officials as queue
from knowledge import feedback as fb
from knowledge import formats
from knowledge.clock import TZ
from knowledge.errors import NotFound, RateLimited
from knowledge.feedback import tracking

log = logging.getLogger(__name__)
T = TypeVar("T")

OWN_COMMANDS = frozenset({"phananh", "huy", "tracuu", "dulieucuatoi", "xoadulieu"})
RATING_CODES = {"hl": "hai_long", "bt": "binh_thuong", "kh": "khong_hai_long"}
ERASE_CONFIRM_SECONDS = 600
MAINTENANCE_EVERY = timedelta(minutes=5)
SUMMARY_STEP = frozenset({fb.STEP_SUMMARY})
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


class HasDraft(filters.MessageFilter):
    """A private message from a citizen with an open draft (at ``steps``, if given)."""

    def __init__(self, indexes: queue.FeedbackState, steps: frozenset[str] | None = None) -> None:
        super().__init__(name="feedback_has_draft")
        self.indexes = indexes
        self.steps = steps

    def filter(self, message: Message) -> bool:
        """True when the sender is mid-draft (at one of the steps)."""
        user = message.from_user
        if user is None or message.chat.type != ChatType.PRIVATE:
            return False
        step = self.indexes.drafts.get(user.id)
        return step is not None and (self.steps is None or step in self.steps)


class ForeignCommand(filters.MessageFilter):
    """A command that is not one of this feature's own."""

    def __init__(self) -> None:
        super().__init__(name="feedback_foreign_command")

    def filter(self, message: Message) -> bool:
        """True for /anything except the feedback commands."""
        return command_name(message.text) not in OWN_COMMANDS


# --- helpers ------------------------------------------------------------------------------


def _indexes(context: ContextTypes.DEFAULT_TYPE) -> queue.FeedbackState:
    return queue.state(context.application)


def _track(context: ContextTypes.DEFAULT_TYPE, draft: fb.Draft | None, user_id: int) -> None:
    """Keep the in-memory index in step with the draft just written."""
    drafts = _indexes(context).drafts
    if draft is None or draft.status != "open":
        drafts.pop(user_id, None)
    else:
        drafts[user_id] = draft.step


async def _write(
    update: Update, context: ContextTypes.DEFAULT_TYPE, fn: Callable[[Any, datetime], T]
) -> T:
    """Run ``fn(db, now)`` in one transaction, once per Telegram update."""
    svc = services(context)
    now = svc.clock()
    update_id = update.update_id
    return await svc.store.run(lambda db: fb.once(db, update_id, now, lambda: fn(db, now)))


async def _apply(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    language: str,
    fn: Callable[[Any, datetime], fb.Draft],
) -> fb.Draft | None:
    """Write one step of the draft and keep the index in step; None when refused (said)."""
    try:
        draft = await _write(update, context, fn)
    except (
        fb.AlreadyProcessed,
        fb.Stale,
        fb.DraftExpired,
        fb.FeedbackInputError,
        RateLimited,
    ) as exc:
        await _problem(update, context, language, exc)
        return None
    _track(context, draft, update.effective_user.id)
    return draft


async def _redelivered(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """True for an update that was already handled (Telegram sent it again).

    Silent for a plain redelivery; for one the inbox replays after a crash, the step it led to
    is shown again, since the crash may have come between the commit and the reply.
    """
    update_id = update.update_id
    if not await services(context).store.run(lambda db: fb.seen(db, update_id)):
        return False
    if recovered(update, context):
        await _resume(update, context, await lang(update, context), note=False)
    return True


def _retry_text(language: str, exc: RateLimited, now: datetime) -> str:
    minutes = max(1, (exc.retry_after_seconds + 59) // 60)
    at = (now + timedelta(seconds=exc.retry_after_seconds)).astimezone(TZ).strftime("%H:%M")
    return t(language, "fb.rate_limited", minutes=minutes, at=at)


async def _answer(update: Update, text: str | None = None) -> None:
    """Answer the callback query, if this update is one (never fails the handler)."""
    query = update.callback_query
    if query is None:
        return
    try:
        await query.answer(text)
    except TelegramError as exc:
        log.info("callback answer failed: %s", exc)


async def _problem(
    update: Update, context: ContextTypes.DEFAULT_TYPE, language: str, exc: Exception
) -> None:
    """Turn an expected domain error into a polite reply; the draft is never lost."""
    user_id = update.effective_user.id
    svc = services(context)
    if isinstance(exc, fb.AlreadyProcessed):
        await _answer(update)
        if recovered(update, context):  # committed before a crash: the reply may be lost
            await _resume(update, context, language, note=False)
        return
    if isinstance(exc, fb.DraftExpired):
        _indexes(context).drafts.pop(user_id, None)
        await _answer(update)
        await reply(
            update, t(language, "fb.expired", hours=svc.config.feedback.draft_expiry_hours)
        )
        return
    if isinstance(exc, RateLimited):
        await _answer(update)
        await reply(update, _retry_text(language, exc, svc.clock()))
        return
    if isinstance(exc, fb.FeedbackInputError):
        await _answer(update)
        await reply(update, t(language, f"fb.err.{exc.reason}", **exc.values))
        return
    # Stale: an old button, or the index was behind the database.
    if update.callback_query is not None:
        await _answer(update, t(language, "stale_button"))
        return
    await _resume(update, context, language, note=False)


async def _resume(
    update: Update, context: ContextTypes.DEFAULT_TYPE, language: str, *, note: bool
) -> None:
    """Show the step the citizen's open draft is at (re-syncing the index)."""
    svc = services(context)
    user_id = update.effective_user.id
    now = svc.clock()
    cfg = svc.config.feedback
    draft = await svc.store.run(lambda db: fb.get_open_draft(db, user_id, now, cfg))
    _track(context, draft, user_id)
    if draft is None:
        await reply(update, t(language, "fb.no_draft"))
        return
    if note:
        await reply(update, t(language, "fb.resumed"))
    await show_step(update, context, language, draft)


# --- rendering the steps ------------------------------------------------------------------


def _cancel_row(language: str, draft: fb.Draft) -> list[tuple[str, str]]:
    return [(t(language, "fb.btn.cancel"), cb("fb", "cancel", draft.id))]


def _counts(draft: fb.Draft) -> tuple[int, int]:
    photos = sum(1 for a in draft.attachments if a.kind == "photo")
    return photos, len(draft.attachments) - photos


def summary_text(language: str, draft: fb.Draft, svc: Services) -> str:
    """The summary the citizen confirms."""
    kind = t(language, f"fb.kind.{draft.kind}") if draft.kind else ""
    procedure = (
        f"{esc(draft.procedure_name or '')} (<code>{esc(draft.procedure_code)}</code>)"
        if draft.procedure_code
        else t(language, "fb.none")
    )
    photos, docs = _counts(draft)
    if draft.anonymous:
        contact = t(language, "fb.anonymous")
    else:
        contact = f"{esc(draft.contact_name or '')} · {esc(draft.contact_phone or '')}"
    today = svc.clock().astimezone(TZ).date()
    days = int(svc.config.feedback.deadline_days.get(draft.kind or "khac", 10))
    due = fb.due_date_for(today, draft.kind or "khac", svc.config.feedback)
    lines = [
        t(language, "fb.summary.title"),
        "",
        f"{t(language, 'fb.label.kind')}: {kind}",
        f"{t(language, 'fb.label.procedure')}: {procedure}",
        f"{t(language, 'fb.label.attachments')}: "
        f"{queue.attachments_text(language, photos, docs, draft.has_location)}",
        f"{t(language, 'fb.label.contact')}: {contact}",
        t(language, "fb.summary.due", due=_day(language, due), days=days),
        "",
        f"{t(language, 'fb.label.content')}:",
        esc(draft.content or ""),
        "",
        t(language, "fb.summary.hint"),
    ]
    return "\n".join(lines)


def _day(language: str, value: Any) -> str:
    return formats.day_with_weekday(value) if language == "vi" else formats.day(value)


async def show_step(
    update: Update, context: ContextTypes.DEFAULT_TYPE, language: str, draft: fb.Draft
) -> None:
    """Ask for what the draft's current step needs."""
    svc = services(context)
    cfg = svc.config.feedback
    step = draft.step
    rows: list[list[tuple[str, str]]] = []
    if step == fb.STEP_KIND:
        text = t(language, "fb.ask.kind")
        if draft.procedure_code:
            text += "\n\n" + t(
                language,
                "fb.procedure_prefilled",
                name=draft.procedure_name or "",
                code=draft.procedure_code,
            )
        rows = [[(t(language, f"fb.kind.{k}"), cb("fb", "kind", draft.id, k))] for k in fb.KINDS]
    elif step == fb.STEP_PROCEDURE:
        text = t(language, "fb.ask.procedure")
        rows = [[(t(language, "fb.btn.skip_procedure"), cb("fb", "proc", draft.id, "-"))]]
    elif step == fb.STEP_CONTENT:
        text = t(language, "fb.ask.content", limit=formats.number(cfg.max_text_chars))
    elif step == fb.STEP_ATTACHMENTS:
        photos, docs = _counts(draft)
        text = t(language, "fb.ask.attachments", limit=fb.MAX_ATTACHMENTS)
        if draft.attachments or draft.has_location:
            text += "\n\n" + t(
                language,
                "fb.attached_so_far",
                what=Html(queue.attachments_text(language, photos, docs, draft.has_location)),
            )
        rows = [[(t(language, "fb.btn.attachments_done"), cb("fb", "att", draft.id, "done"))]]
        if draft.attachments or draft.has_location:
            rows.append([(t(language, "fb.btn.clear"), cb("fb", "att", draft.id, "clear"))])
    elif step == fb.STEP_CONTACT:
        text = t(language, "fb.ask.contact", policy=cfg.policy_version)
        rows = [
            [(t(language, "fb.btn.consent"), cb("fb", "ct", draft.id, "yes"))],
            [(t(language, "fb.btn.anonymous"), cb("fb", "ct", draft.id, "no"))],
        ]
    elif step == fb.STEP_NAME:
        text = t(language, "fb.ask.name")
    elif step == fb.STEP_PHONE:
        text = t(language, "fb.ask.phone")
    else:
        text = summary_text(language, draft, svc)
        rows = [
            [(t(language, "fb.btn.send"), cb("fb", "ok", draft.id))],
            [(t(language, "fb.btn.edit"), cb("fb", "ed", draft.id))],
        ]
    rows.append(_cancel_row(language, draft))
    await reply(update, text, keyboard(rows))


def _edit_menu(language: str, draft: fb.Draft) -> InlineKeyboardMarkup:
    rows = [
        [(t(language, f"fb.edit.{field}"), cb("fb", "edf", draft.id, field))]
        for field in fb.EDIT_FIELDS
    ]
    rows.append([(t(language, "fb.btn.back_summary"), cb("fb", "sum", draft.id))])
    return keyboard(rows)


# --- starting, cancelling, commands in the middle ------------------------------------------


async def _start(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    language: str,
    procedure: tuple[str, str] | None = None,
) -> None:
    svc = services(context)
    user = update.effective_user
    chat = update.effective_chat
    if chat.type != ChatType.PRIVATE:
        await reply(update, t(language, "fb.private_only"))
        return
    cfg = svc.config.feedback
    try:
        draft, created = await _write(
            update,
            context,
            lambda db, now: fb.start_draft(db, user.id, chat.id, now, cfg, procedure=procedure),
        )
    except (fb.AlreadyProcessed, RateLimited) as exc:
        await _problem(update, context, language, exc)
        return
    _track(context, draft, user.id)
    if created:
        await reply(update, t(language, "fb.intro"))
    else:
        await reply(update, t(language, "fb.resumed"))
    await show_step(update, context, language, draft)


async def cmd_phananh(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/phananh: open (or resume) the guided feedback; officials: /phananh CODE shows a record."""
    if context.args and official(update, context) is not None:
        await queue.cmd_record(update, context)
        return
    language = await lang(update, context)
    await _start(update, context, language)


async def cmd_cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/huy: cancel the open draft (or an official's pending action) from any step."""
    language = await lang(update, context)
    if await queue.cancel_pending(update, context):
        await reply(update, t(language, "fbo.pending_cancelled"))
        return
    svc = services(context)
    user_id = update.effective_user.id
    now = svc.clock()
    cancelled = await svc.store.run(lambda db: fb.cancel_draft(db, user_id, now))
    _indexes(context).drafts.pop(user_id, None)
    await reply(update, t(language, "fb.cancelled" if cancelled else "fb.nothing_to_cancel"))


async def command_mid_draft(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Another command while a draft is open: say so, keep the draft."""
    language = await lang(update, context)
    step = _indexes(context).drafts.get(update.effective_user.id, "")
    await reply(update, t(language, "fb.draft_open", step=Html(t(language, f"fb.step.{step}"))))


# --- text, media and buttons of the conversation -------------------------------------------

TEXT_STEP_WRITERS: dict[str, Callable[..., fb.Draft]] = {
    fb.STEP_CONTENT: fb.set_content,
    fb.STEP_NAME: fb.set_contact_name,
    fb.STEP_PHONE: fb.set_contact_phone,
}


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Text from a citizen mid-draft: the answer to the current step."""
    if await _redelivered(update, context):
        return
    language = await lang(update, context)
    user_id = update.effective_user.id
    step = _indexes(context).drafts.get(user_id)
    text = update.effective_message.text or ""
    svc = services(context)
    cfg = svc.config.feedback
    if step == fb.STEP_PROCEDURE:
        await _procedure_search(update, context, language, text)
        return
    if step == fb.STEP_ATTACHMENTS:
        await _resume(update, context, language, note=False)
        return
    writer = TEXT_STEP_WRITERS.get(step or "")
    if writer is None:
        await _resume(update, context, language, note=False)
        return
    draft = await _apply(
        update, context, language, lambda db, now: writer(db, user_id, text, now, cfg)
    )
    if draft is not None:
        await show_step(update, context, language, draft)


async def _procedure_search(
    update: Update, context: ContextTypes.DEFAULT_TYPE, language: str, text: str
) -> None:
    """Search the catalogue with the citizen's words; offer the hits as buttons."""
    draft = await _draft_at(update, context, language, frozenset({fb.STEP_PROCEDURE}))
    if draft is None:
        return
    svc = services(context)
    query = text.strip()[:200]
    hits: list[Any] = []
    if query:
        result = svc.search.search(query, limit=5)
        hits = list(result.hits)
    rows = [
        [(_short(h.name, 60), cb("fb", "proc", draft.id, h.code))]
        for h in hits
        if len(cb("fb", "proc", draft.id, h.code).encode()) <= 64
    ]
    rows.append([(t(language, "fb.btn.skip_procedure"), cb("fb", "proc", draft.id, "-"))])
    rows.append(_cancel_row(language, draft))
    key = "fb.procedure_hits" if hits else "fb.procedure_none"
    await reply(update, t(language, key), keyboard(rows))


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


async def on_media(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Photos, files and a location at the attachments step; anything else gets a hint."""
    if await _redelivered(update, context):
        return
    language = await lang(update, context)
    user_id = update.effective_user.id
    step = _indexes(context).drafts.get(user_id)
    message = update.effective_message
    cfg = services(context).config.feedback
    if step != fb.STEP_ATTACHMENTS:
        await reply(update, t(language, "fb.media_not_now"))
        await _resume(update, context, language, note=False)
        return
    fn: Callable[[Any, datetime], fb.Draft]
    if message.photo or message.document:
        if message.photo:
            photo = message.photo[-1]
            file: dict[str, Any] = {
                "kind": "photo",
                "file_id": photo.file_id,
                "file_unique_id": photo.file_unique_id,
                "file_size": photo.file_size,
                "mime_type": "image/jpeg",
            }
        else:
            doc = message.document
            file = {
                "kind": "document",
                "file_id": doc.file_id,
                "file_unique_id": doc.file_unique_id,
                "file_name": doc.file_name,
                "mime_type": doc.mime_type,
                "file_size": doc.file_size,
            }

        def fn(db: Any, now: datetime) -> fb.Draft:
            return fb.add_attachment(db, user_id, now, cfg, **file)

    elif message.location:
        loc = message.location

        def fn(db: Any, now: datetime) -> fb.Draft:
            return fb.set_location(db, user_id, loc.latitude, loc.longitude, now, cfg)

    else:
        await reply(update, t(language, "fb.err.unsupported_file"))
        return
    draft = await _apply(update, context, language, fn)
    if draft is None:
        return
    photos, docs = _counts(draft)
    rows = [[(t(language, "fb.btn.attachments_done"), cb("fb", "att", draft.id, "done"))]]
    rows.append(_cancel_row(language, draft))
    await reply(
        update,
        t(
            language,
            "fb.attached",
            what=Html(queue.attachments_text(language, photos, docs, draft.has_location)),
            left=max(0, fb.MAX_ATTACHMENTS - len(draft.attachments)),
        ),
        keyboard(rows),
    )


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Every ``fb:`` button: the conversation's steps, ratings, erasure, card and menu."""
    query = update.callback_query
    language = await lang(update, context)
    parts = (query.data or "").split(":")
    verb = parts[1] if len(parts) > 1 else ""
    handler = BUTTONS.get(verb)
    if handler is None:
        await _answer(update, t(language, "stale_button"))
        return
    try:
        await handler(update, context, language, parts[2:])
    except (ValueError, IndexError, KeyError):
        await _answer(update, t(language, "stale_button"))


async def _btn_start(
    update: Update, context: ContextTypes.DEFAULT_TYPE, language: str, args: list[str]
) -> None:
    await _answer(update)
    await _start(update, context, language)


async def _btn_new(
    update: Update, context: ContextTypes.DEFAULT_TYPE, language: str, args: list[str]
) -> None:
    proc = services(context).catalogue.get(args[0])
    if proc is None:
        await _answer(update, t(language, "stale_button"))
        return
    await _answer(update)
    await _start(update, context, language, procedure=(proc.code, proc.name))


async def _btn_step(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    language: str,
    fn: Callable[[Any, datetime], fb.Draft],
) -> None:
    """Apply a button's step change and show the next step (a refusal is answered instead)."""
    draft = await _apply(update, context, language, fn)
    if draft is None:
        return
    await _answer(update)
    await show_step(update, context, language, draft)


async def _draft_at(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    language: str,
    steps: frozenset[str],
    draft_id: int | None = None,
) -> fb.Draft | None:
    """The open draft, if it is at one of ``steps`` (and is ``draft_id``); else None, answered."""
    svc = services(context)
    user_id, now, cfg = update.effective_user.id, svc.clock(), svc.config.feedback
    try:
        draft = await svc.store.run(lambda db: fb.current_draft(db, user_id, now, cfg, steps))
    except (fb.Stale, fb.DraftExpired) as exc:
        await _problem(update, context, language, exc)
        return None
    if draft_id is not None and draft.id != draft_id:
        await _answer(update, t(language, "stale_button"))
        return None
    return draft


def _choice_button(
    setter: Callable[..., fb.Draft], parse: Callable[[str], Any] = str
) -> Callable[..., Any]:
    """A ``fb:verb:draft_id:choice`` button that sets one thing on the draft and moves on."""

    async def handler(
        update: Update, context: ContextTypes.DEFAULT_TYPE, language: str, args: list[str]
    ) -> None:
        draft_id, choice = int(args[0]), parse(args[1])
        user_id, cfg = update.effective_user.id, services(context).config.feedback
        await _btn_step(
            update,
            context,
            language,
            lambda db, now: setter(db, user_id, draft_id, choice, now, cfg),
        )

    return handler


async def _btn_procedure(
    update: Update, context: ContextTypes.DEFAULT_TYPE, language: str, args: list[str]
) -> None:
    draft_id, code = int(args[0]), args[1]
    svc = services(context)
    user_id, cfg = update.effective_user.id, svc.config.feedback
    procedure: tuple[str, str] | None = None
    if code != "-":
        proc = svc.catalogue.get(code)
        if proc is None:
            await _answer(update, t(language, "stale_button"))
            return
        procedure = (proc.code, proc.name)
    await _btn_step(
        update,
        context,
        language,
        lambda db, now: fb.set_procedure(db, user_id, draft_id, procedure, now, cfg),
    )


async def _btn_attachments(
    update: Update, context: ContextTypes.DEFAULT_TYPE, language: str, args: list[str]
) -> None:
    draft_id, what = int(args[0]), args[1]
    user_id, cfg = update.effective_user.id, services(context).config.feedback
    if what == "done":
        step_fn = fb.finish_attachments
    elif what == "clear":
        step_fn = fb.clear_attachments
    else:
        await _answer(update, t(language, "stale_button"))
        return
    await _btn_step(
        update, context, language, lambda db, now: step_fn(db, user_id, draft_id, now, cfg)
    )


async def _btn_edit_menu(
    update: Update, context: ContextTypes.DEFAULT_TYPE, language: str, args: list[str]
) -> None:
    draft = await _draft_at(update, context, language, SUMMARY_STEP, int(args[0]))
    if draft is None:
        return
    await _answer(update)
    await reply(update, t(language, "fb.edit.title"), _edit_menu(language, draft))


async def _btn_summary(
    update: Update, context: ContextTypes.DEFAULT_TYPE, language: str, args: list[str]
) -> None:
    draft = await _draft_at(update, context, language, SUMMARY_STEP, int(args[0]))
    if draft is None:
        return
    await _answer(update)
    await show_step(update, context, language, draft)


async def _btn_cancel(
    update: Update, context: ContextTypes.DEFAULT_TYPE, language: str, args: list[str]
) -> None:
    draft_id = int(args[0])
    svc = services(context)
    user_id, cfg = update.effective_user.id, svc.config.feedback

    def cancel(db: Any, now: datetime) -> bool:
        draft = fb.get_open_draft(db, user_id, now, cfg)
        if draft is None or draft.id != draft_id:
            raise fb.Stale("not the open draft")
        return fb.cancel_draft(db, user_id, now)

    try:
        await _write(update, context, cancel)
    except (fb.AlreadyProcessed, fb.Stale) as exc:
        await _problem(update, context, language, exc)
        return
    _indexes(context).drafts.pop(user_id, None)
    await _answer(update)
    await reply(update, t(language, "fb.cancelled"))


def confirmation_text(language: str, record: fb.Feedback, svc: Services) -> str:
    """'Đã ghi nhận' with the tracking code and the due date."""
    days = int(svc.config.feedback.deadline_days.get(record.kind, 10))
    return t(
        language,
        "fb.submitted",
        code=record.code,
        due=_day(language, record.due_date),
        days=days,
    )


async def _btn_submit(
    update: Update, context: ContextTypes.DEFAULT_TYPE, language: str, args: list[str]
) -> None:
    """Commit the draft once; "đã ghi nhận" only after the commit, and only once."""
    draft_id = int(args[0])
    svc = services(context)
    user_id, cfg = update.effective_user.id, svc.config.feedback
    now = svc.clock()
    try:
        result = await svc.store.run(lambda db: fb.submit(db, user_id, draft_id, now, cfg))
    except (fb.Stale, fb.DraftExpired, RateLimited) as exc:
        await _problem(update, context, language, exc)
        return
    record = result.feedback
    _indexes(context).drafts.pop(user_id, None)
    if not result.created and record.acknowledged_at is not None:
        await _answer(update, t(language, "fb.already_sent", code=record.code))
        return
    if result.created:
        log.info("feedback %s submitted (draft %s)", record.code, draft_id)
    await update.effective_chat.send_message(
        confirmation_text(language, record, svc), parse_mode=ParseMode.HTML
    )
    await _answer(update)
    record_id = record.id
    await svc.store.run(lambda db: fb.mark_acknowledged(db, record_id, now))
    queue.wake_queue(context.application)


async def _btn_rate(
    update: Update, context: ContextTypes.DEFAULT_TYPE, language: str, args: list[str]
) -> None:
    code, event_id, value = args[0], int(args[1]), RATING_CODES[args[2]]
    svc = services(context)
    user_id, cfg = update.effective_user.id, svc.config.feedback
    try:
        result = await _write(
            update,
            context,
            lambda db, now: fb.rate(db, user_id, code, event_id, value, now, cfg),
        )
    except (fb.AlreadyProcessed, fb.Stale, NotFound, fb.FeedbackInputError) as exc:
        if isinstance(exc, NotFound | fb.FeedbackInputError):
            exc = fb.Stale(str(exc))
        await _problem(update, context, language, exc)
        return
    if not result.created:
        await _answer(update, t(language, "fb.rated_before"))
        return
    await _answer(update, t(language, "fb.rated"))
    record = result.feedback
    if result.reopened:
        await reply(
            update,
            t(language, "fb.reopened", code=record.code, due=_day(language, record.due_date)),
        )
        log.info("feedback %s reopened by its citizen", record.code)
        queue.wake_queue(context.application)
    elif result.too_late:
        await reply(
            update, t(language, "fb.too_late_to_reopen", days=svc.config.feedback.reopen_days)
        )
    else:
        await reply(update, t(language, "fb.thanks_rating"))


async def _btn_erase(
    update: Update, context: ContextTypes.DEFAULT_TYPE, language: str, args: list[str]
) -> None:
    issued, choice = int(args[0]), args[1]
    svc = services(context)
    now = svc.clock()
    if choice != "yes":
        await _answer(update)
        await reply(update, t(language, "fb.erase_kept"))
        return
    if not 0 <= now.timestamp() - issued <= ERASE_CONFIRM_SECONDS:
        await _answer(update, t(language, "stale_button"))
        return
    user_id = update.effective_user.id
    try:
        erasure = await _write(update, context, lambda db, at: fb.erase_user_data(db, user_id, at))
    except fb.AlreadyProcessed:
        await _answer(update)
        return
    _indexes(context).drafts.pop(user_id, None)
    context.user_data.pop("lang", None)
    await _answer(update)
    log.info("a citizen erased their data (%s records anonymised)", erasure.records)
    await reply(update, t(language, "fb.erased", records=erasure.records))
    for chat_id, message_id, code in erasure.queue_messages:
        try:
            await context.bot.edit_message_text(
                t("vi", "fbo.erased_record", code=code),
                chat_id=chat_id,
                message_id=message_id,
                parse_mode=ParseMode.HTML,
            )
        except TelegramError as exc:
            log.info("queue message of an erased record not edited: %s", exc)


async def _btn_resume(
    update: Update, context: ContextTypes.DEFAULT_TYPE, language: str, args: list[str]
) -> None:
    await _answer(update)
    await _resume(update, context, language, note=False)


BUTTONS: dict[str, Callable[..., Any]] = {
    "start": _btn_start,
    "new": _btn_new,
    "kind": _choice_button(fb.set_kind),
    "proc": _btn_procedure,
    "att": _btn_attachments,
    "ct": _choice_button(fb.choose_contact, lambda value: value == "yes"),
    "ed": _btn_edit_menu,
    "edf": _choice_button(fb.start_edit),
    "sum": _btn_summary,
    "cancel": _btn_cancel,
    "ok": _btn_submit,
    "rate": _btn_rate,
    "del": _btn_erase,
    "resume": _btn_resume,
}


# --- tracking and personal data ------------------------------------------------------------


async def cmd_track(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/tracuu CODE: status, history and answers, only for the person who filed it."""
    language = await lang(update, context)
    svc = services(context)
    user_id = update.effective_user.id
    if not context.args:
        records = await svc.store.run(lambda db: fb.user_records(db, user_id))
        if not records:
            await reply(update, t(language, "fb.track_usage"))
            return
        lines = [t(language, "fb.track_mine"), ""]
        lines += [
            f"• <code>{esc(r.code)}</code> — {t(language, 'fb.status.' + r.status)}"
            f" ({formats.day(r.created_at.astimezone(TZ))})"
            for r in records[:10]
        ]
        await reply(update, "\n".join(lines))
        return
    code = " ".join(context.args)
    if tracking.normalize(code) is None:
        await reply(update, t(language, "fb.err.bad_code"))
        return

    def load(db: Any) -> tuple[fb.Feedback, list[fb.Event], fb.Event | None, str | None]:
        record = fb.find_own(db, code, user_id)
        answer = fb.latest_answer(db, record.id)
        rating = fb.rating_of(db, record.id, answer.id) if answer else None
        return record, fb.history(db, record.id, public_only=True), answer, rating

    try:
        record, events, answer, rating = await svc.store.run(load)
    except NotFound:
        await reply(update, t(language, "fb.track_not_found"))
        return
    today = svc.clock().astimezone(TZ).date()
    lines = [
        f"<b>{esc(record.code)}</b> · {t(language, 'fb.status.' + record.status)}",
        f"{t(language, 'fb.label.kind')}: {t(language, 'fb.kind.' + record.kind)}",
        t(language, "fb.track_sent", at=formats.day(record.created_at.astimezone(TZ))),
    ]
    if record.is_open:
        lines.append(t(language, "fb.track_due", due=_day(language, record.due_date)))
        if record.overdue(today):
            lines.append(t(language, "fb.track_overdue"))
    lines += ["", f"<b>{t(language, 'fb.history')}</b>"]
    lines += [queue.event_line(language, e, for_citizen=True) for e in events]
    markup = None
    if answer is not None and rating is None and record.status == fb.ANSWERED:
        lines += ["", t(language, "fb.rate_prompt")]
        markup = keyboard(queue.rating_rows(record, answer.id, language))
    await reply(update, "\n".join(lines), markup)


async def cmd_my_data(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/dulieucuatoi: everything the bot holds about the user, as a JSON document."""
    language = await lang(update, context)
    svc = services(context)
    user_id = update.effective_user.id
    now = svc.clock()
    cfg = svc.config.feedback
    doc = await svc.store.run(lambda db: fb.export_user_data(db, user_id, now, cfg))
    settings = doc.get("settings") or {}
    text = t(
        language,
        "fb.my_data",
        records=len(doc["feedback"]),
        draft=Html(t(language, "fb.yes" if doc["draft"] else "fb.no")),
        consent=settings.get("consent_at") or t(language, "fb.none_plain"),
        policy=settings.get("consent_policy") or "—",
    )
    await reply(update, text)
    data = json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8")
    await update.effective_chat.send_document(
        document=data, filename="du-lieu-cua-toi.json", caption=t(language, "fb.my_data_file")
    )


async def cmd_erase(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/xoadulieu: delete or anonymise the user's personal data, after a confirm button."""
    language = await lang(update, context)
    issued = int(services(context).clock().timestamp())
    rows = [
        [(t(language, "fb.btn.erase_yes"), cb("fb", "del", issued, "yes"))],
        [(t(language, "fb.btn.erase_no"), cb("fb", "del", issued, "no"))],
    ]
    await reply(update, t(language, "fb.erase_confirm"), keyboard(rows))


# --- jobs and registration ------------------------------------------------------------------


def _acknowledge(record_id: int, now: datetime) -> Callable[[Any], None]:
    return lambda db: fb.mark_acknowledged(db, record_id, now)


async def maintenance_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Expire abandoned drafts, retry queue posts and confirmations a crash interrupted."""
    svc = services(context)
    now = svc.clock()
    cfg = svc.config.feedback
    expired = await svc.store.run(lambda db: fb.expire_drafts(db, now, cfg))
    drafts = queue.state(context.application).drafts
    for user_id in expired:
        drafts.pop(user_id, None)
    await queue.drain_queue(context.application)
    for record in await svc.store.run(
        lambda db: fb.unacknowledged(db, now - timedelta(minutes=2))
    ):
        if record.chat_id is None or record.user_id is None:
            continue
        language = await queue.citizen_language(svc, record.user_id)
        try:
            await context.bot.send_message(
                record.chat_id, confirmation_text(language, record, svc), parse_mode=ParseMode.HTML
            )
        except TelegramError as exc:
            log.info("confirmation of %s still not delivered: %s", record.code, exc)
            continue
        await svc.store.run(_acknowledge(record.id, now))
    await svc.store.run(lambda db: fb.prune_seen_updates(db, now - timedelta(days=3)))


async def startup(app: Application) -> None:  # type: ignore[type-arg]
    """Load the open drafts into the index and schedule the maintenance job."""
    svc: Services = app.bot_data["services"]
    now = svc.clock()
    cfg = svc.config.feedback
    drafts = queue.state(app).drafts
    drafts.clear()
    drafts.update(await svc.store.run(lambda db: fb.active_drafts(db, now, cfg)))
    if app.job_queue is not None:
        app.job_queue.run_repeating(
            maintenance_job, interval=MAINTENANCE_EVERY, first=60, name="feedback-maintenance"
        )


def register(app: Application) -> None:  # type: ignore[type-arg]
    """Register the citizen side; must come before other commands and the free-text search."""
    indexes = queue.state(app)
    has_draft = HasDraft(indexes)
    private = filters.ChatType.PRIVATE
    app.add_handler(CommandHandler("phananh", cmd_phananh))
    app.add_handler(CommandHandler("huy", cmd_cancel))
    app.add_handler(CommandHandler("tracuu", cmd_track, filters=private))
    app.add_handler(CommandHandler("dulieucuatoi", cmd_my_data, filters=private))
    app.add_handler(CommandHandler("xoadulieu", cmd_erase, filters=private))
    app.add_handler(
        MessageHandler(filters.COMMAND & has_draft & ForeignCommand(), command_mid_draft)
    )
    app.add_handler(
        MessageHandler(filters.TEXT & ~filters.COMMAND & HasDraft(indexes, fb.TEXT_STEPS), on_text)
    )
    app.add_handler(MessageHandler(MEDIA & has_draft, on_media))
    app.add_handler(CallbackQueryHandler(on_button, pattern=r"^fb:"))
