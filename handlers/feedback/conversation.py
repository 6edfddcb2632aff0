"""The citizen's guided /phananh conversation: the draft's steps, its text, media and buttons.

The conversation state is the ``feedback_draft`` row: every step is one committed write,
so a restart resumes exactly where the citizen was. An in-memory index (user -> step),
loaded at start-up, lets the text filter take only the messages of citizens mid-draft;
everyone else's text falls through to the search. "Đã ghi nhận" is sent only after the
commit of :func:`knowledge.feedback.submit`.

Text at a step that asks for a button is never a search: at the kind step it is the
content (the kind is asked next, the one its words suggest first); elsewhere a short
reply is read (``có``, ``ok gửi đi``, ``không``, ``hủy`` ..., :mod:`knowledge.feedback.answers`)
or the step is shown again with a hint. Another command mid-draft does what it says and
reminds the citizen, once, that the draft waits (:func:`remind_draft`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from telegram import Update
from telegram.constants import ChatType, ParseMode
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from handlers.callbacks import Prefix
from handlers.common import (
    Html,
    Services,
    cb,
    keyboard,
    lang,
    recovered,
    reply,
    services,
    short,
    t,
)
from handlers.feedback.queue import wake_queue
from handlers.feedback.render import (
    attachments_text,
    cancel_row,
    confirmation_text,
    counts,
    edit_menu,
    kept_content_text,
    kind_rows,
    resume_row,
    retry_text,
    summary_text,
)
from handlers.feedback.state import Button, forget, indexes, one_of, track
from knowledge import feedback as fb
from knowledge import formats
from knowledge.errors import RateLimited
from knowledge.feedback import answers

log = logging.getLogger(__name__)
T = TypeVar("T")

SUMMARY_STEP = frozenset({fb.STEP_SUMMARY})


# --- helpers ------------------------------------------------------------------------------


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
    track(context, draft, update.effective_user.id)
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
        forget(context, user_id)
        await _answer(update)
        await reply(
            update, t(language, "fb.expired", hours=svc.config.feedback.draft_expiry_hours)
        )
        return
    if isinstance(exc, RateLimited):
        await _answer(update)
        await reply(update, retry_text(language, exc, svc.clock()))
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
    track(context, draft, user_id)
    if draft is None:
        await reply(update, t(language, "fb.no_draft"))
        return
    if note:
        await reply(update, t(language, "fb.resumed"))
    await show_step(update, context, language, draft)


# --- rendering the steps ------------------------------------------------------------------


async def show_step(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    language: str,
    draft: fb.Draft,
    hint: str = "",
) -> None:
    """Ask for what the draft's current step needs (after ``hint``, if any)."""
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
        guess = answers.guess_kind(draft.content) if draft.content else None
        if draft.content and not draft.editing:
            text += "\n\n" + kept_content_text(language, draft, guess)
        rows = kind_rows(language, draft, guess)
    elif step == fb.STEP_PROCEDURE:
        text = t(language, "fb.ask.procedure")
        rows = _procedure_rows(svc, draft, draft.content or "", limit=3)
        if rows:
            text += "\n\n" + t(language, "fb.procedure_suggested")
        rows.append(
            [(t(language, "fb.btn.skip_procedure"), cb(Prefix.FEEDBACK, "proc", draft.id, "-"))]
        )
    elif step == fb.STEP_CONTENT:
        text = t(language, "fb.ask.content", limit=formats.number(cfg.max_text_chars))
    elif step == fb.STEP_ATTACHMENTS:
        photos, docs = counts(draft)
        text = t(language, "fb.ask.attachments", limit=fb.MAX_ATTACHMENTS)
        if draft.attachments or draft.has_location:
            text += "\n\n" + t(
                language,
                "fb.attached_so_far",
                what=Html(attachments_text(language, photos, docs, draft.has_location)),
            )
        rows = [
            [
                (
                    t(language, "fb.btn.attachments_done"),
                    cb(Prefix.FEEDBACK, "att", draft.id, "done"),
                )
            ]
        ]
        if draft.attachments or draft.has_location:
            rows.append(
                [(t(language, "fb.btn.clear"), cb(Prefix.FEEDBACK, "att", draft.id, "clear"))]
            )
    elif step == fb.STEP_CONTACT:
        text = t(language, "fb.ask.contact", policy=cfg.policy_version)
        rows = [
            [(t(language, "fb.btn.consent"), cb(Prefix.FEEDBACK, "ct", draft.id, "yes"))],
            [(t(language, "fb.btn.anonymous"), cb(Prefix.FEEDBACK, "ct", draft.id, "no"))],
        ]
    elif step == fb.STEP_NAME:
        text = t(language, "fb.ask.name")
    elif step == fb.STEP_PHONE:
        text = t(language, "fb.ask.phone")
    else:
        text = summary_text(language, draft, svc)
        rows = [
            [(t(language, "fb.btn.send"), cb(Prefix.FEEDBACK, "ok", draft.id))],
            [(t(language, "fb.btn.edit"), cb(Prefix.FEEDBACK, "ed", draft.id))],
        ]
    rows.append(cancel_row(language, draft))
    if hint:
        text = hint + "\n\n" + text
    await reply(update, text, keyboard(rows))


def _procedure_rows(
    svc: Services, draft: fb.Draft, query: str, limit: int
) -> list[list[tuple[str, str]]]:
    """A button per procedure the catalogue finds for ``query`` (none for an empty one)."""
    query = query.strip()[:200]
    if not query:
        return []
    hits = svc.search.search(query, limit=limit).hits
    return [
        [(short(h.name, 60), cb(Prefix.FEEDBACK, "proc", draft.id, h.code))]
        for h in hits
        if len(cb(Prefix.FEEDBACK, "proc", draft.id, h.code).encode()) <= 64
    ]


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
    track(context, draft, user.id)
    if created:
        await reply(update, t(language, "fb.intro"))
    else:
        await reply(update, t(language, "fb.resumed"))
    await show_step(update, context, language, draft)


async def cmd_phananh(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/phananh: open (or resume) the guided feedback.

    An official's ``/phananh CODE`` never comes here: the officials' side registers it first.
    """
    language = await lang(update, context)
    await _start(update, context, language)


async def cmd_cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/huy: cancel the open draft from any step (an official's pending action: officials.py)."""
    language = await lang(update, context)
    svc = services(context)
    user_id = update.effective_user.id
    now = svc.clock()
    cancelled = await svc.store.run(lambda db: fb.cancel_draft(db, user_id, now))
    forget(context, user_id)
    await reply(update, t(language, "fb.cancelled" if cancelled else "fb.nothing_to_cancel"))


async def remind_draft(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """After another command mid-draft has done what it says: remind, once, that the draft
    waits, with a button that resumes it; until then the citizen's text is not the draft's."""
    index = indexes(context)
    user_id = update.effective_user.id
    step = index.drafts.get(user_id)
    if step is None or user_id in index.away:
        return
    index.away.add(user_id)
    language = await lang(update, context)
    label = t(language, f"fb.step.{step}") if step in fb.STEPS else ""
    await reply(
        update,
        t(language, "fb.draft_open", step=Html(label)),
        keyboard([resume_row(language)]),
    )


async def after_submit(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A bare "ok", "gửi" after the draft was sent: say it was (silent for a redelivery)."""
    user_id = update.effective_user.id
    update_id = update.update_id
    if await services(context).store.run(lambda db: fb.seen(db, update_id)):
        return
    code = indexes(context).submitted.get(user_id)
    if code is None:
        return
    language = await lang(update, context)
    await reply(update, t(language, "fb.already_sent", code=code))


# --- text and media of the conversation ---------------------------------------------------

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
    step = indexes(context).drafts.get(user_id)
    text = update.effective_message.text or ""
    svc = services(context)
    cfg = svc.config.feedback
    if step in BUTTON_STEPS:
        await _typed_at_button_step(update, context, language, step or "", text)
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


# Steps whose answer is a button (or, for the procedure, a search): what is typed there is
# read by :func:`_typed_at_button_step`, never handed to the search.
BUTTON_STEPS = frozenset(
    {fb.STEP_KIND, fb.STEP_PROCEDURE, fb.STEP_ATTACHMENTS, fb.STEP_CONTACT, fb.STEP_SUMMARY}
)


async def _typed_at_button_step(
    update: Update, context: ContextTypes.DEFAULT_TYPE, language: str, step: str, text: str
) -> None:
    """Text where a button is expected: understood, or the step shown again with a hint."""
    draft = await _draft_at(update, context, language, frozenset({step}))
    if draft is None:
        return
    user_id, cfg = update.effective_user.id, services(context).config.feedback
    draft_id = draft.id
    meaning = answers.understand(step, text)
    if meaning == answers.CANCEL:
        await _offer_cancel(update, context, language, draft)
        return
    if step == fb.STEP_KIND:
        await _typed_at_kind(update, context, language, draft, text, meaning)
        return
    if step == fb.STEP_PROCEDURE:
        if meaning == answers.SKIP:
            await _text_step(
                update,
                context,
                language,
                lambda db, now: fb.set_procedure(db, user_id, draft_id, None, now, cfg),
            )
        else:
            await _procedure_search(update, context, language, draft, text)
        return
    if step == fb.STEP_ATTACHMENTS and meaning == answers.SKIP:
        await _text_step(
            update,
            context,
            language,
            lambda db, now: fb.finish_attachments(db, user_id, draft_id, now, cfg),
        )
        return
    if step == fb.STEP_CONTACT and meaning in (answers.YES, answers.NO):
        consent = meaning == answers.YES
        await _text_step(
            update,
            context,
            language,
            lambda db, now: fb.choose_contact(db, user_id, draft_id, consent, now, cfg),
        )
        return
    if step == fb.STEP_SUMMARY and meaning == answers.YES:
        await _submit(update, context, language, draft_id)
        return
    if step == fb.STEP_SUMMARY and meaning == answers.EDIT:
        await reply(update, t(language, "fb.edit.title"), edit_menu(language, draft, cancel=True))
        return
    await show_step(update, context, language, draft, hint=t(language, f"fb.hint.{step}"))


async def _typed_at_kind(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    language: str,
    draft: fb.Draft,
    text: str,
    meaning: str | None,
) -> None:
    """At the kind step: a kind's name picks it, "có" takes the suggested one, and anything
    that reads like the complaint itself is kept as its content (the kind is asked again)."""
    user_id, cfg = update.effective_user.id, services(context).config.feedback
    draft_id = draft.id
    kind = answers.kind_named(text)
    if kind is None and meaning == answers.YES and draft.content:
        kind = answers.guess_kind(draft.content)
    if kind is not None:
        chosen = kind
        await _text_step(
            update,
            context,
            language,
            lambda db, now: fb.set_kind(db, user_id, draft_id, chosen, now, cfg),
        )
        return
    piece = fb.clean_text(text)
    reads_as_content = len(piece) >= fb.MIN_CONTENT_CHARS or (
        bool(draft.content) and len(piece.split()) >= 2
    )
    if meaning is None and reads_as_content and not draft.editing:
        await _text_step(
            update,
            context,
            language,
            lambda db, now: fb.add_early_content(db, user_id, text, now, cfg),
        )
        return
    key = "fb.hint.kind_edit" if draft.editing else "fb.hint.kind"
    hint = t(language, key, minimum=fb.MIN_CONTENT_CHARS)
    await show_step(update, context, language, draft, hint=hint)


async def _text_step(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    language: str,
    fn: Callable[[Any, datetime], fb.Draft],
) -> None:
    """Apply what the typed text means to the draft and show the next step."""
    draft = await _apply(update, context, language, fn)
    if draft is not None:
        await show_step(update, context, language, draft)


async def _offer_cancel(
    update: Update, context: ContextTypes.DEFAULT_TYPE, language: str, draft: fb.Draft
) -> None:
    """A typed "hủy": the cancel button, and one to go on (a typed word never cancels)."""
    rows = [cancel_row(language, draft), resume_row(language)]
    await reply(update, t(language, "fb.cancel_offer"), keyboard(rows))


async def _procedure_search(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    language: str,
    draft: fb.Draft,
    text: str,
) -> None:
    """Search the catalogue with the citizen's words; offer the hits as buttons."""
    rows = _procedure_rows(services(context), draft, text, limit=5)
    key = "fb.procedure_hits" if rows else "fb.procedure_none"
    rows.append(
        [(t(language, "fb.btn.skip_procedure"), cb(Prefix.FEEDBACK, "proc", draft.id, "-"))]
    )
    rows.append(cancel_row(language, draft))
    await reply(update, t(language, key), keyboard(rows))


async def on_media(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Photos, files and a location at the attachments step; anything else gets a hint."""
    if await _redelivered(update, context):
        return
    language = await lang(update, context)
    user_id = update.effective_user.id
    step = indexes(context).drafts.get(user_id)
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
    photos, docs = counts(draft)
    rows = [
        [(t(language, "fb.btn.attachments_done"), cb(Prefix.FEEDBACK, "att", draft.id, "done"))]
    ]
    rows.append(cancel_row(language, draft))
    await reply(
        update,
        t(
            language,
            "fb.attached",
            what=Html(attachments_text(language, photos, docs, draft.has_location)),
            left=max(0, fb.MAX_ATTACHMENTS - len(draft.attachments)),
        ),
        keyboard(rows),
    )


# --- the draft's buttons ------------------------------------------------------------------


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
    await reply(update, t(language, "fb.edit.title"), edit_menu(language, draft))


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
    forget(context, user_id)
    await _answer(update)
    await reply(update, t(language, "fb.cancelled"))


async def _btn_submit(
    update: Update, context: ContextTypes.DEFAULT_TYPE, language: str, args: list[str]
) -> None:
    await _submit(update, context, language, int(args[0]))


async def _submit(
    update: Update, context: ContextTypes.DEFAULT_TYPE, language: str, draft_id: int
) -> None:
    """Commit the draft once; "đã ghi nhận" only after the commit, and only once.

    The "Gửi" button, or a typed "ok gửi đi" at the summary (recorded with its update id,
    so that a redelivery of the text changes nothing).
    """
    svc = services(context)
    user_id, cfg = update.effective_user.id, svc.config.feedback
    now = svc.clock()
    try:
        if update.callback_query is not None:
            result = await svc.store.run(lambda db: fb.submit(db, user_id, draft_id, now, cfg))
        else:
            result = await _write(
                update, context, lambda db, at: fb.submit(db, user_id, draft_id, at, cfg)
            )
    except (fb.AlreadyProcessed, fb.Stale, fb.DraftExpired, RateLimited) as exc:
        await _problem(update, context, language, exc)
        return
    record = result.feedback
    forget(context, user_id)
    indexes(context).submitted[user_id] = record.code
    if not result.created and record.acknowledged_at is not None:
        if update.callback_query is None:
            await reply(update, t(language, "fb.already_sent", code=record.code))
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
    wake_queue(context.application)


async def _btn_resume(
    update: Update, context: ContextTypes.DEFAULT_TYPE, language: str, args: list[str]
) -> None:
    await _answer(update)
    await _resume(update, context, language, note=False)


# Button arguments: a draft id, a national procedure code (as on cards: ``p:CODE``).
DRAFT = r":\d{1,18}"
PROCEDURE = r"[0-9.]{1,40}"

# ``fb:ACTION:...`` buttons of the draft -> their handler (see citizen.BUTTONS for the rest).
BUTTONS: dict[str, Button] = {
    "start": Button("", _btn_start),  # the main menu
    "new": Button(f":{PROCEDURE}", _btn_new),  # a procedure's card
    "kind": Button(f"{DRAFT}:{one_of(fb.KINDS)}", _choice_button(fb.set_kind)),
    "proc": Button(f"{DRAFT}:(?:-|{PROCEDURE})", _btn_procedure),
    "att": Button(f"{DRAFT}:(?:done|clear)", _btn_attachments),
    "ct": Button(
        f"{DRAFT}:(?:yes|no)", _choice_button(fb.choose_contact, lambda value: value == "yes")
    ),
    "ed": Button(DRAFT, _btn_edit_menu),
    "edf": Button(f"{DRAFT}:{one_of(fb.EDIT_FIELDS)}", _choice_button(fb.start_edit)),
    "sum": Button(DRAFT, _btn_summary),
    "cancel": Button(DRAFT, _btn_cancel),
    "ok": Button(DRAFT, _btn_submit),
    "resume": Button("", _btn_resume),
}
