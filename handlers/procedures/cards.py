"""Render procedures as Telegram HTML: the card, its detail pages, paged lists."""

from __future__ import annotations

import contextlib
import math
from collections.abc import Sequence
from datetime import date

from telegram import InlineKeyboardMarkup

from handlers.callbacks import Prefix
from handlers.common import Html, cb, esc, keyboard, short, t
from knowledge import formats
from knowledge.catalogue import CHANNEL_KINDS, Catalogue, Channel, DueDate, Duration, Procedure

PAGE_SIZE = 8
BUTTON_LABEL = 60


def duration_text(lang: str, duration: Duration | None) -> str:
    """'5 ngày làm việc', or the raw text marked as lacking a unit, or 'chưa có thông tin'."""
    if duration is None or (not duration.raw.strip() and duration.value is None):
        return t(lang, "card.missing")
    if duration.known and duration.value is not None:
        value = formats.number(duration.value, 1 if duration.value % 1 else 0)
        return f"{value} {t(lang, 'unit.' + duration.unit)}"
    return t(lang, "card.no_unit", raw=duration.raw)


def fee_text(lang: str, ch: Channel) -> str:
    """A channel's fee: the amount when it is one plain amount, else the published text."""
    if ch.fee_amount is not None:
        return esc(formats.money(ch.fee_amount)) if ch.fee_amount else esc(ch.fee or "0 đồng")
    if ch.fee.strip():
        return esc(short(ch.fee, 160))
    return t(lang, "card.missing")


def _source_line(lang: str, proc: Procedure, catalogue: Catalogue) -> str:
    source = t(lang, "card.source_bqp" if proc.source == "bqp" else "card.source_dvcqg")
    built = catalogue.built_at[:10]
    with contextlib.suppress(ValueError):
        built = formats.day(date.fromisoformat(built))
    return t(lang, "card.source", source=source, date=built)


def card(lang: str, proc: Procedure, catalogue: Catalogue) -> tuple[str, InlineKeyboardMarkup]:
    """The procedure card and its buttons."""
    missing = t(lang, "card.missing")
    lines = [f"<b>{esc(proc.name)}</b>", ""]
    lines.append(f"{t(lang, 'card.code')}: <code>{esc(proc.code)}</code>")
    lines.append(f"{t(lang, 'card.field')}: {esc(proc.field) if proc.field else missing}")
    levels = ", ".join(proc.levels)
    lines.append(f"{t(lang, 'card.level')}: {esc(levels) if levels else missing}")
    lines.append(f"{t(lang, 'card.agency')}: {esc(proc.agency) if proc.agency else missing}")
    local = proc.local
    badges: list[str] = []
    if local is not None:
        if local.same_day:
            badges.append(t(lang, "card.same_day"))
        if local.time_cut and local.legal_days is not None and local.cut_days is not None:
            badges.append(
                t(
                    lang,
                    "card.time_cut",
                    legal=formats.number(local.legal_days, 1),
                    cut=formats.number(local.cut_days, 1),
                    decision=local.cut_decision or "—",
                )
            )
        if local.postal_submit:
            badges.append(t(lang, "card.postal_submit"))
        if local.postal_return:
            badges.append(t(lang, "card.postal_return"))
        if local.address:
            badges.append(t(lang, "card.address", address=local.address))
        if local.notes:
            badges.append(t(lang, "card.notes", notes=short(local.notes, 300)))
    if badges:
        lines += ["", *badges]
    lines += ["", f"<b>{t(lang, 'card.time_fee')}</b>"]
    if proc.channels:
        for ch in proc.channels:
            name = t(lang, f"channel.{ch.kind}") if ch.kind in CHANNEL_KINDS else esc(ch.kind)
            lines.append(
                f"• {name}: {duration_text(lang, ch.time)} · {t(lang, 'card.fee')}: "
                f"{fee_text(lang, ch)}"
            )
    else:
        lines.append(f"• {missing}")
    if local is not None and local.sample and badges:
        lines += ["", t(lang, "card.sample")]
    if proc.anomalies:
        lines += ["", t(lang, "card.anomaly")]
    lines += ["", f"<i>{_source_line(lang, proc, catalogue)}</i>"]
    rows: list[list[tuple[str, str]]] = [
        [
            (t(lang, "btn.documents"), cb(Prefix.DOCUMENTS, proc.code)),
            (t(lang, "btn.legal"), cb(Prefix.LEGAL, proc.code)),
        ],
        [
            (t(lang, "btn.fees"), cb(Prefix.FEES, proc.code)),
            (t(lang, "btn.due"), cb(Prefix.DUE, proc.code)),
        ],
    ]
    if proc.url.startswith("https://"):
        rows.append([(t(lang, "btn.portal"), "url:" + proc.url)])
    rows.append([(t(lang, "btn.feedback"), cb(Prefix.FEEDBACK, "new", proc.code))])
    return "\n".join(lines), keyboard(rows)


def _back(lang: str, proc: Procedure) -> InlineKeyboardMarkup:
    return keyboard([[(t(lang, "btn.back"), cb(Prefix.CARD, proc.code))]])


def documents(lang: str, proc: Procedure) -> tuple[str, InlineKeyboardMarkup]:
    """The documents to submit."""
    title = t(lang, "docs.title", name=short(proc.name, 120))
    if not proc.documents:
        return f"{title}\n\n{t(lang, 'docs.none')}", _back(lang, proc)
    items = [f"{i}. {esc(doc)}" for i, doc in enumerate(proc.documents, 1)]
    return title + "\n\n" + "\n".join(items), _back(lang, proc)


def legal_basis(lang: str, proc: Procedure) -> tuple[str, InlineKeyboardMarkup]:
    """The legal documents the procedure rests on."""
    title = t(lang, "legal.title", name=short(proc.name, 120))
    if not proc.legal_basis:
        return f"{title}\n\n{t(lang, 'legal.none')}", _back(lang, proc)
    items = []
    for doc in proc.legal_basis:
        number = f" (<code>{esc(doc.number)}</code>)" if doc.number else ""
        items.append(f"• {esc(doc.title)}{number}")
    return title + "\n\n" + "\n".join(items), _back(lang, proc)


def fees(lang: str, proc: Procedure) -> tuple[str, InlineKeyboardMarkup]:
    """Fee details per channel, as published."""
    title = t(lang, "fees.title", name=short(proc.name, 120))
    with_fee = [ch for ch in proc.channels if ch.fee.strip() or ch.fee_amount is not None]
    if not with_fee:
        return f"{title}\n\n{t(lang, 'fees.none')}", _back(lang, proc)
    items = []
    for ch in proc.channels:
        name = t(lang, f"channel.{ch.kind}") if ch.kind in CHANNEL_KINDS else esc(ch.kind)
        fee = esc(ch.fee) if ch.fee.strip() else fee_text(lang, ch)
        items.append(f"• <b>{name}</b>: {fee}")
    return title + "\n\n" + "\n".join(items), _back(lang, proc)


def due(lang: str, proc: Procedure, result: DueDate) -> tuple[str, InlineKeyboardMarkup]:
    """The expected result date, with the holidays it skipped."""
    if result.due is None:
        if result.reason == "unknown" and result.duration is not None:
            text = t(lang, "due.unknown", raw=result.duration.raw)
        else:
            text = t(lang, "due.no_time")
        return text, _back(lang, proc)
    lines = [
        t(
            lang,
            "due.result",
            name=short(proc.name, 120),
            submitted=formats.day(result.submitted),
            duration=Html(duration_text(lang, result.duration)),
            due=formats.day_with_weekday(result.due)
            if lang == "vi"
            else result.due.strftime("%A, %d/%m/%Y"),
        )
    ]
    if result.working_days:
        lines.append(t(lang, "due.weekends"))
    if result.holidays_skipped:
        days = ", ".join(f"{formats.day(d)} ({name})" for d, name in result.holidays_skipped)
        lines.append(t(lang, "due.holidays", days=days))
    lines.append(f"<i>{t(lang, 'due.note')}</i>")
    return "\n".join(lines), _back(lang, proc)


def paged_list(
    lang: str,
    title: str,
    procs: Sequence[Procedure],
    page: int,
    page_cb: str,
    *,
    extra: str = "",
    detail: str = "",
) -> tuple[str, InlineKeyboardMarkup]:
    """One page of procedures as buttons; ``page_cb`` is the callback prefix for paging.

    ``detail`` picks an extra line per procedure: "cut" shows legal → cut days.
    """
    if not procs:
        return f"{title}\n\n{t(lang, 'list.empty')}", keyboard([])
    pages = max(1, math.ceil(len(procs) / PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    chunk = procs[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    lines = [title, ""]
    for i, proc in enumerate(chunk, page * PAGE_SIZE + 1):
        line = f"{i}. {esc(short(proc.name, 140))} (<code>{esc(proc.code)}</code>)"
        local = proc.local
        if detail == "cut" and local is not None and local.legal_days and local.cut_days:
            line += (
                f"\n    {formats.number(local.legal_days, 1)} → "
                f"<b>{formats.number(local.cut_days, 1)}</b> {t(lang, 'unit.ngay_lam_viec')}"
            )
            if local.cut_decision:
                line += f" · {esc(local.cut_decision)}"
        lines.append(line)
    if extra:
        lines += ["", extra]
    if pages > 1:
        lines += ["", t(lang, "list.page", page=page + 1, pages=pages)]
    rows: list[list[tuple[str, str]]] = [
        [(f"{i}. {short(p.name, 50)}", cb(Prefix.CARD, p.code))]
        for i, p in enumerate(chunk, page * PAGE_SIZE + 1)
    ]
    rows += nav_row(lang, page, pages, page_cb)
    return "\n".join(lines), keyboard(rows)


def nav_row(lang: str, page: int, pages: int, page_cb: str) -> list[list[tuple[str, str]]]:
    """Previous/next buttons (``<page_cb>:<n>``) as zero or one keyboard row."""
    nav: list[tuple[str, str]] = []
    if page > 0:
        nav.append((t(lang, "btn.prev"), f"{page_cb}:{page - 1}"))
    if page < pages - 1:
        nav.append((t(lang, "btn.next"), f"{page_cb}:{page + 1}"))
    return [nav] if nav else []
