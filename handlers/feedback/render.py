"""Pure rendering of feedback: texts and keyboards, no Telegram calls, no database.

Records as officials see them (:func:`record_text`, :func:`action_rows`, lists), history
lines for both sides (:func:`event_line`), the citizen's summary and confirmation, and
the rating buttons. Every callback data is built here or beside its handler with
``handlers.common.cb`` and a prefix from ``handlers.callbacks.Prefix``.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from telegram import InlineKeyboardMarkup

from handlers.callbacks import Prefix
from handlers.common import Html, Services, cb, esc, keyboard, t
from knowledge import feedback as fb
from knowledge import formats
from knowledge.clock import TZ
from knowledge.errors import RateLimited

PREVIEW_CHARS = 600
# Short rating codes in ``fb:rate:CODE:EVENT:xx`` -> the stored rating.
RATING_CODES = {"hl": "hai_long", "bt": "binh_thuong", "kh": "khong_hai_long"}


def clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis, line breaks kept.

    Unlike ``handlers.common.short`` it does not fold the text onto one line: a
    citizen's content and an official's answer keep their paragraphs.
    """
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# --- records: the officials' view, history lines, lists -----------------------------------


def _when(moment: datetime) -> str:
    return moment.astimezone(TZ).strftime("%d/%m/%Y %H:%M")


def _due_line(language: str, record: fb.Feedback, today: date) -> str:
    due = formats.day(record.due_date)
    if record.overdue(today):
        return t(language, "fbo.due_overdue", due=due, days=record.days_late(today))
    return t(language, "fbo.due", due=due)


def attachments_text(language: str, photos: int, documents: int, location: bool) -> str:
    """'2 ảnh, 1 tệp, vị trí' or 'không có'."""
    parts = []
    if photos:
        parts.append(t(language, "fb.n_photos", n=photos))
    if documents:
        parts.append(t(language, "fb.n_documents", n=documents))
    if location:
        parts.append(t(language, "fb.with_location"))
    return ", ".join(parts) if parts else t(language, "fb.none")


def event_line(language: str, event: fb.Event, *, for_citizen: bool) -> str:
    """One history line: when, who (agency only for citizens), what, and the note."""
    what = t(language, f"fb.action.{event.action}")
    if event.action == "rated" and event.note:
        what += f": {t(language, 'fb.rating.' + event.note)}"
        note = ""
    else:
        note = event.note or ""
    if event.actor_kind == "official":
        who = (
            esc(event.agency or "") if for_citizen else esc(f"{event.actor_name} ({event.agency})")
        )
    elif event.actor_kind == "citizen":
        who = t(language, "fb.actor.citizen")
    else:
        who = t(language, "fb.actor.system")
    line = f"• {_when(event.at)} — {who}: {what}"
    if note and not (for_citizen and event.action == "duplicate"):
        line += f"\n  <i>{esc(clip(note, 1500))}</i>"
    return line


def record_text(
    language: str,
    record: fb.Feedback,
    today: date,
    *,
    header: str = "",
    full: bool = True,
    history: list[fb.Event] | None = None,
) -> str:
    """The record as officials see it."""
    lines = []
    if header:
        lines += [header, ""]
    status = t(language, f"fb.status.{record.status}")
    lines.append(f"<b>{esc(record.code)}</b> · {status}")
    if record.hidden:
        lines.append(t(language, "fbo.hidden"))
    lines.append(f"{t(language, 'fb.label.kind')}: {t(language, 'fb.kind.' + record.kind)}")
    if record.procedure_code:
        lines.append(
            f"{t(language, 'fb.label.procedure')}: {esc(record.procedure_name or '')}"
            f" (<code>{esc(record.procedure_code)}</code>)"
        )
    lines.append(f"{t(language, 'fbo.received')}: {_when(record.created_at)}")
    lines.append(_due_line(language, record, today))
    if record.agency:
        who = esc(record.agency)
        if record.assignee_name:
            who += f" — {esc(record.assignee_name)}"
        lines.append(f"{t(language, 'fbo.handler')}: {who}")
    photos = sum(1 for a in record.attachments if a.kind == "photo")
    docs = len(record.attachments) - photos
    lines.append(
        f"{t(language, 'fb.label.attachments')}: "
        f"{attachments_text(language, photos, docs, record.has_location)}"
    )
    if record.anonymous:
        lines.append(f"{t(language, 'fb.label.contact')}: {t(language, 'fb.anonymous')}")
    else:
        lines.append(
            f"{t(language, 'fb.label.contact')}: {esc(record.contact_name or '')}"
            f" · {esc(record.contact_phone or '')}"
        )
    content = record.content if full else clip(record.content, PREVIEW_CHARS)
    lines += ["", f"{t(language, 'fb.label.content')}:", esc(content)]
    if history:
        lines += ["", f"<b>{t(language, 'fb.history')}</b>"]
        lines += [event_line(language, e, for_citizen=False) for e in history]
    return "\n".join(lines)


def action_rows(language: str, record: fb.Feedback) -> list[list[tuple[str, str]]]:
    """The queue buttons for a record (none when it is closed)."""
    code = record.code
    rows: list[list[tuple[str, str]]] = []
    if record.is_open:
        first = [(t(language, "fbo.btn.fwd"), cb(Prefix.QUEUE, "fwd", code))]
        if record.status != fb.Status.IN_PROGRESS:
            first.insert(0, (t(language, "fbo.btn.claim"), cb(Prefix.QUEUE, "claim", code)))
        rows.append(first)
        rows.append(
            [
                (t(language, "fbo.btn.reply"), cb(Prefix.QUEUE, "reply", code)),
                (t(language, "fbo.btn.nc"), cb(Prefix.QUEUE, "nc", code)),
            ]
        )
        rows.append(
            [
                (t(language, "fbo.btn.dup"), cb(Prefix.QUEUE, "dup", code)),
                (t(language, "fbo.btn.rej"), cb(Prefix.QUEUE, "rej", code)),
            ]
        )
    extra = [(t(language, "fbo.btn.show"), cb(Prefix.QUEUE, "show", code))]
    if record.attachments or record.has_location:
        extra.append((t(language, "fbo.btn.files"), cb(Prefix.QUEUE, "files", code)))
    rows.append(extra)
    return rows


def rating_rows(record: fb.Feedback, event_id: int, language: str) -> list[list[tuple[str, str]]]:
    """The one-tap rating buttons for an answer."""

    def button(short: str) -> tuple[str, str]:
        label = t(language, f"fb.rating.{RATING_CODES[short]}")
        return label, cb(Prefix.FEEDBACK, "rate", record.code, event_id, short)

    return [[button("hl"), button("bt")], [button("kh")]]


def list_text(language: str, title: str, records: list[fb.Feedback], today: date) -> str:
    """A list of records, one line each: code, kind, status, due date, days late."""
    lines = [title, ""]
    for r in records:
        flag = " ⚠️" if r.overdue(today) else ""
        late = t(language, "fbo.days_late", days=r.days_late(today)) if r.overdue(today) else ""
        lines.append(
            f"• <code>{esc(r.code)}</code> {t(language, 'fb.kind.' + r.kind)} · "
            f"{t(language, 'fb.status.' + r.status)} · {formats.day(r.due_date)}{flag}{late}"
        )
    return "\n".join(lines)


def list_buttons(records: list[fb.Feedback]) -> InlineKeyboardMarkup | None:
    """A button per record (the first ten) that shows it whole."""
    rows = [[(r.code, cb(Prefix.QUEUE, "show", r.code))] for r in records[:10]]
    return keyboard(rows) if rows else None


# --- the citizen's draft ------------------------------------------------------------------


def cancel_row(language: str, draft: fb.Draft) -> list[tuple[str, str]]:
    """The draft's "Hủy" row."""
    return [(t(language, "fb.btn.cancel"), cb(Prefix.FEEDBACK, "cancel", draft.id))]


def counts(draft: fb.Draft) -> tuple[int, int]:
    """(photos, documents) attached to the draft."""
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
    photos, docs = counts(draft)
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
        f"{attachments_text(language, photos, docs, draft.has_location)}",
        f"{t(language, 'fb.label.contact')}: {contact}",
        t(language, "fb.summary.due", due=day(language, due), days=days),
        "",
        f"{t(language, 'fb.label.content')}:",
        esc(draft.content or ""),
        "",
        t(language, "fb.summary.hint"),
    ]
    return "\n".join(lines)


def day(language: str, value: Any) -> str:
    """A date for the citizen: with the weekday in Vietnamese."""
    return formats.day_with_weekday(value) if language == "vi" else formats.day(value)


def edit_menu(language: str, draft: fb.Draft, *, cancel: bool = False) -> InlineKeyboardMarkup:
    """The summary's "Sửa" menu: one button per step, back to the summary (and "Hủy")."""
    rows = [
        [(t(language, f"fb.edit.{field}"), cb(Prefix.FEEDBACK, "edf", draft.id, field))]
        for field in fb.EDIT_FIELDS
    ]
    rows.append([(t(language, "fb.btn.back_summary"), cb(Prefix.FEEDBACK, "sum", draft.id))])
    if cancel:
        rows.append(cancel_row(language, draft))
    return keyboard(rows)


def kind_rows(language: str, draft: fb.Draft, guess: str | None) -> list[list[tuple[str, str]]]:
    """The kind buttons; the kind guessed from the typed content first, marked 👉."""
    kinds = sorted(fb.KINDS, key=lambda kind: kind != guess)
    return [
        [
            (
                ("👉 " if kind == guess else "") + t(language, f"fb.kind.{kind}"),
                cb(Prefix.FEEDBACK, "kind", draft.id, kind),
            )
        ]
        for kind in kinds
    ]


def kept_content_text(language: str, draft: fb.Draft, guess: str | None) -> str:
    """At the kind step: the content the citizen typed first is kept; the kind it suggests."""
    text = t(language, "fb.content_kept", content=clip(draft.content or "", 300))
    if guess:
        text += "\n" + t(language, "fb.kind_guess", kind=Html(t(language, f"fb.kind.{guess}")))
    return text


def resume_row(language: str) -> list[tuple[str, str]]:
    """The "▶️ Tiếp tục phản ánh" row: shows the open draft's step again."""
    return [(t(language, "fb.btn.resume"), cb(Prefix.FEEDBACK, "resume"))]


def confirmation_text(language: str, record: fb.Feedback, svc: Services) -> str:
    """'Đã ghi nhận' with the tracking code and the due date."""
    days = int(svc.config.feedback.deadline_days.get(record.kind, 10))
    return t(
        language,
        "fb.submitted",
        code=record.code,
        due=day(language, record.due_date),
        days=days,
    )


def retry_text(language: str, exc: RateLimited, now: datetime) -> str:
    """When the citizen may file again."""
    minutes = max(1, (exc.retry_after_seconds + 59) // 60)
    at = (now + timedelta(seconds=exc.retry_after_seconds)).astimezone(TZ).strftime("%H:%M")
    return t(language, "fb.rate_limited", minutes=minutes, at=at)
