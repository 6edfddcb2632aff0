"""The citizen after submitting: /tracuu, rating an answer, /dulieucuatoi, /xoadulieu.

Also the citizen side's one ``fb:`` button dispatcher (the draft's buttons and these) and
its ``register``/``startup``. The citizen side never imports the officials' module: the
queue, the shared state and the rendering are in ``queue``, ``state`` and ``render``.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime
from typing import Any

from telegram import Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from handlers.callbacks import Prefix
from handlers.common import Html, Services, cb, esc, keyboard, lang, reply, services, t
from handlers.feedback import conversation
from handlers.feedback.conversation import (
    _answer,
    _problem,
    _write,
    after_submit,
    cmd_cancel,
    cmd_phananh,
    on_media,
    on_text,
    remind_draft,
)
from handlers.feedback.queue import MAINTENANCE_EVERY, maintenance_job, wake_queue
from handlers.feedback.render import RATING_CODES, day, event_line, rating_rows
from handlers.feedback.state import (
    MEDIA,
    Button,
    ForeignCommand,
    HasDraft,
    JustSubmitted,
    buttons_pattern,
    forget,
    one_of,
    state,
)
from knowledge import feedback as fb
from knowledge import formats
from knowledge.clock import TZ
from knowledge.errors import NotFound
from knowledge.feedback import tracking

log = logging.getLogger(__name__)

ERASE_CONFIRM_SECONDS = 600
EVENT = r":\d{1,18}"  # the answer's event id in ``fb:rate:CODE:EVENT:xx``


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
        lines.append(t(language, "fb.track_due", due=day(language, record.due_date)))
        if record.overdue(today):
            lines.append(t(language, "fb.track_overdue"))
    lines += ["", f"<b>{t(language, 'fb.history')}</b>"]
    lines += [event_line(language, e, for_citizen=True) for e in events]
    markup = None
    if answer is not None and rating is None and record.status == fb.Status.ANSWERED:
        lines += ["", t(language, "fb.rate_prompt")]
        markup = keyboard(rating_rows(record, answer.id, language))
    await reply(update, "\n".join(lines), markup)


def _consent(language: str, settings: dict[str, Any]) -> str:
    """ "đồng ý lúc 14:05 ngày 06/12/2026 (chính sách v1)", or "chưa có" (HTML-safe)."""
    at = settings.get("consent_at")
    if not at:
        return t(language, "fb.none_plain")
    try:
        when = datetime.fromisoformat(str(at)).astimezone(TZ)
    except ValueError:
        return esc(str(at))
    policy = settings.get("consent_policy")
    text = t(language, "fb.consent_at", time=when.strftime("%H:%M"), day=formats.day(when))
    return text + (t(language, "fb.consent_policy", policy=policy) if policy else "")


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
        consent=Html(_consent(language, settings)),
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
        [(t(language, "fb.btn.erase_yes"), cb(Prefix.FEEDBACK, "del", issued, "yes"))],
        [(t(language, "fb.btn.erase_no"), cb(Prefix.FEEDBACK, "del", issued, "no"))],
    ]
    await reply(update, t(language, "fb.erase_confirm"), keyboard(rows))


# --- buttons after the answer -------------------------------------------------------------


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
            t(language, "fb.reopened", code=record.code, due=day(language, record.due_date)),
        )
        log.info("feedback %s reopened by its citizen", record.code)
        wake_queue(context.application)
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
    forget(context, user_id)
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


# Every ``fb:ACTION:...`` button -> its handler: the draft's, then rating and erasure.
BUTTONS: dict[str, Button] = {
    **conversation.BUTTONS,
    "rate": Button(f":{tracking.PATTERN}{EVENT}:{one_of(RATING_CODES)}", _btn_rate),
    "del": Button(r":\d{1,12}:(?:yes|no)", _btn_erase),
}


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Every ``fb:`` button: the conversation's steps, ratings, erasure, card and menu."""
    query = update.callback_query
    language = await lang(update, context)
    parts = (query.data or "").split(":")
    verb = parts[1] if len(parts) > 1 else ""
    button = BUTTONS.get(verb)
    if button is None:
        await _answer(update, t(language, "stale_button"))
        return
    try:
        await button.handler(update, context, language, parts[2:])
    except (ValueError, IndexError, KeyError):
        await _answer(update, t(language, "stale_button"))


# --- jobs and registration ------------------------------------------------------------------


async def startup(app: Application) -> None:  # type: ignore[type-arg]
    """Load the open drafts into the index and schedule the maintenance job."""
    svc: Services = app.bot_data["services"]
    now = svc.clock()
    cfg = svc.config.feedback
    drafts = state(app).drafts
    drafts.clear()
    drafts.update(await svc.store.run(lambda db: fb.active_drafts(db, now, cfg)))
    if app.job_queue is not None:
        app.job_queue.run_repeating(
            maintenance_job, interval=MAINTENANCE_EVERY, first=60, name="feedback-maintenance"
        )


# The handler group of the reminder: after group 0, where every command has done its job.
REMINDER_GROUP = 1


def register(app: Application) -> None:  # type: ignore[type-arg]
    """Register the citizen side; must come before other commands and the free-text search.

    A citizen's text and media go to their draft at any step while they are at it. Any
    other command mid-draft is left to its own handler (group 0); a second handler in
    :data:`REMINDER_GROUP` then reminds them, once, that the draft waits.
    """
    index = state(app)
    here = HasDraft(index, here=True)
    private = filters.ChatType.PRIVATE
    text = filters.TEXT & ~filters.COMMAND
    app.add_handler(CommandHandler("phananh", cmd_phananh))
    app.add_handler(CommandHandler("huy", cmd_cancel))
    app.add_handler(CommandHandler("tracuu", cmd_track, filters=private))
    app.add_handler(CommandHandler("dulieucuatoi", cmd_my_data, filters=private))
    app.add_handler(CommandHandler("xoadulieu", cmd_erase, filters=private))
    app.add_handler(MessageHandler(text & here, on_text))
    app.add_handler(MessageHandler(MEDIA & here, on_media))
    app.add_handler(MessageHandler(text & JustSubmitted(index), after_submit))
    app.add_handler(
        CallbackQueryHandler(on_button, pattern=buttons_pattern(Prefix.FEEDBACK, BUTTONS))
    )
    app.add_handler(
        MessageHandler(filters.COMMAND & HasDraft(index) & ForeignCommand(), remind_draft),
        group=REMINDER_GROUP,
    )
