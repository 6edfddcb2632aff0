"""Render procedures as Telegram HTML: the card, its detail pages, paged lists."""

from __future__ import annotations

import contextlib
import math
import re
from collections.abc import Sequence
from datetime import date

from telegram import InlineKeyboardMarkup

from handlers.callbacks import Prefix
from handlers.common import Html, cb, esc, keyboard, short, t
from handlers.locales import vi
from knowledge import formats
from knowledge.catalogue import (
    AMOUNT,
    CHANNEL_KINDS,
    FREE,
    LAW,
    MISSING,
    PROVINCIAL,
    Catalogue,
    Channel,
    DueDate,
    Duration,
    FeeReading,
    Procedure,
    fee_rows,
    read_fee,
    time_rows,
)

_ANOMALY_KEYS = {key for key in vi.MESSAGES if key.startswith("anomaly.")}
PAGE_SIZE = 8
BUTTON_LABEL = 60
CARD_ROWS = 3  # time or fee rows on the card; the rest are behind the fees button
AGENCY_CHARS = 160
QUOTE_CHARS = 80  # a source text quoted on the card
SOURCE_CHARS = 700  # a fee's source text on the fees page
AMOUNTS_SHOWN = 2


def duration_text(lang: str, duration: Duration | None) -> str:
    """'5 ngày làm việc', '1 — nguồn không ghi đơn vị', the text as published, or missing."""
    if duration is None or (not duration.raw.strip() and duration.value is None):
        return t(lang, "card.missing")
    if duration.known and duration.value == 0:
        return t(lang, "card.within_day")
    if duration.known and duration.value is not None:
        value = formats.number(duration.value, 1 if duration.value % 1 else 0)
        text = f"{value} {t(lang, 'unit.' + duration.unit)}"
        if duration.unit_from:
            text += " " + t(lang, "card.unit_from_text")
        return text
    raw = " ".join(duration.raw.split())
    if re.fullmatch(r"\d+(?:[.,]\d+)?", raw):
        return t(lang, "card.no_unit", raw=raw)
    if re.match(r"\d", raw):  # "120 VNĐ": the time ran into the fee
        return t(lang, "card.time_unclear", raw=_quote(raw))
    return esc(_quote(raw))


def fee_text(lang: str, ch: Channel) -> str:
    """A channel's fee, short: the sum, "Miễn phí", who sets it, or the source marked unclear."""
    return reading_text(lang, read_fee(ch.fee))


def reading_text(lang: str, reading: FeeReading, *, pointer: bool = True) -> str:
    """The short form of a fee reading (Telegram HTML); ``pointer`` adds "— xem 💰" (the page)."""
    see = Html(t(lang, "fee.see")) if pointer else Html("")
    if reading.kind == MISSING:
        return t(lang, "card.missing")
    if reading.kind == FREE:
        if reading.partial and reading.condition:
            condition = reading.condition[:1].lower() + reading.condition[1:]
            return t(lang, "fee.free_when", condition=condition)
        if reading.partial:
            return t(lang, "fee.free_partial", see=see)
        return t(lang, "fee.free_other", see=see) if reading.other_fees else t(lang, "fee.free")
    if reading.kind == AMOUNT:
        shown = [str(m) for m in reading.amounts[:AMOUNTS_SHOWN]]
        if len(reading.amounts) > AMOUNTS_SHOWN:
            shown[-1] += "…"
        amounts = Html(esc("; ".join(shown)))
        if reading.basis:
            return t(lang, "fee.amount_provincial", amounts=amounts)
        if reading.uncertain:
            return t(lang, "fee.uncertain", amounts=amounts, see=see)
        if len(reading.amounts) > 1:
            return t(lang, "fee.several", amounts=amounts, see=see)
        if reading.caveat:
            return t(lang, "fee.caveat", amounts=amounts, see=see)
        return str(amounts)
    if reading.kind == PROVINCIAL:
        return t(lang, f"fee.{reading.basis}")
    if reading.kind == LAW:
        if reading.basis:
            return t(lang, "fee.law", basis=reading.basis)
        return t(lang, "fee.law_general")
    # Unclear: what the source says, marked. A "Miễn phí" head its own note contradicts is the
    # portal's default, not a statement: the note is quoted.
    quoted = reading.note if reading.text.startswith("Miễn phí") and reading.note else reading.text
    return t(lang, "fee.unclear", text=_quote(quoted))


def _quote(text: str, limit: int = QUOTE_CHARS) -> str:
    """``text`` on one line, cut at a word under ``limit`` characters, with "…" when cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:(") + "…"


def _channels(lang: str, kinds: Sequence[str]) -> str:
    """ "Trực tiếp, trực tuyến": in person first, then online, then by post."""
    ordered = sorted(kinds, key=lambda k: CHANNEL_KINDS.index(k) if k in CHANNEL_KINDS else 9)
    names = [t(lang, f"channel.{k}") if k in CHANNEL_KINDS else k for k in ordered]
    return ", ".join(name[:1].lower() + name[1:] if i else name for i, name in enumerate(names))


def _source_line(lang: str, proc: Procedure, catalogue: Catalogue) -> str:
    source = t(lang, "card.source_bqp" if proc.source == "bqp" else "card.source_dvcqg")
    built = catalogue.built_at[:10]
    with contextlib.suppress(ValueError):
        built = formats.day(date.fromisoformat(built))
    return t(lang, "card.source", source=source, date=built)


def time_lines(lang: str, proc: Procedure) -> list[str]:
    """The time, once: one line when all channels agree, else one line per time and case."""
    rows = time_rows(proc)
    if not rows:
        return [t(lang, "card.time", time=Html(t(lang, "card.missing")))]
    every = {ch.kind for ch in proc.channels}
    if len(rows) == 1:
        return [t(lang, "card.time", time=Html(duration_text(lang, rows[0].time)))]
    lines = [t(lang, "card.time_head")]
    for row in rows[:CARD_ROWS]:
        line = f"• {duration_text(lang, row.time)}"
        if set(row.kinds) != every:
            line += f" ({esc(_channels(lang, row.kinds).lower())})"
        if row.conditions:
            line += " — " + esc("; ".join(row.conditions))
        lines.append(line)
    if len(rows) > CARD_ROWS:
        lines.append(t(lang, "card.more_rows", count=len(rows) - CARD_ROWS))
    kinds_seen = [k for row in rows for k in row.kinds]
    if not any(row.conditions for row in rows) and len(kinds_seen) != len(set(kinds_seen)):
        lines.append(t(lang, "card.time_cases_unknown"))
    return lines


def fee_lines(lang: str, proc: Procedure) -> list[str]:
    """The fee, once: one line when all channels agree, else one line per channel group.

    Rows of the same channels with different fees (one per case in the source) share a line.
    """
    rows = fee_rows(proc)
    if not rows:
        return [t(lang, "card.fee_line", fee=Html(t(lang, "card.missing")))]
    groups: dict[frozenset[str], list[str]] = {}
    for row in rows:
        groups.setdefault(frozenset(row.kinds), []).append(reading_text(lang, row.reading))
    texts = {kinds: "; ".join(dict.fromkeys(found)) for kinds, found in groups.items()}
    for kinds, found in groups.items():
        if len(set(found)) > 1:
            texts[kinds] = t(lang, "card.by_case", fees=Html(texts[kinds]))
    if len(texts) == 1:
        return [t(lang, "card.fee_line", fee=Html(next(iter(texts.values()))))]
    lines = [t(lang, "card.fee_head")]
    for kinds, text in list(texts.items())[:CARD_ROWS]:
        lines.append(f"• {esc(_channels(lang, sorted(kinds)))}: {text}")
    if len(texts) > CARD_ROWS:
        lines.append(t(lang, "card.more_rows", count=len(texts) - CARD_ROWS))
    return lines


def card(lang: str, proc: Procedure, catalogue: Catalogue) -> tuple[str, InlineKeyboardMarkup]:
    """The procedure card: name, where to submit, time, fee; the rest behind its buttons."""
    lines = [f"<b>{esc(proc.name)}</b>", ""]
    lines.append(f"{t(lang, 'card.code')}: <code>{esc(proc.code)}</code>")
    local = proc.local
    provincial = False
    if local is not None and local.address:
        lines.append(t(lang, "card.address_line", address=local.address))
        provincial = True
    agency = short(proc.agency, AGENCY_CHARS) if proc.agency else ""
    lines.append(
        t(lang, "card.agency_line", agency=agency)
        if agency
        else t(lang, "card.agency_line", agency=Html(t(lang, "card.missing")))
    )
    kinds = list(dict.fromkeys(ch.kind for ch in proc.channels))
    if kinds:
        lines.append(t(lang, "card.channels", channels=_channels(lang, kinds)))
    lines += time_lines(lang, proc)
    if local is not None:
        if local.same_day:
            lines.append(t(lang, "card.same_day"))
            provincial = True
        if local.time_cut and local.legal_days is not None and local.cut_days is not None:
            lines.append(
                t(
                    lang,
                    "card.time_cut",
                    legal=formats.number(local.legal_days, 1),
                    cut=formats.number(local.cut_days, 1),
                    decision=local.cut_decision or "—",
                )
            )
            provincial = True
    lines += fee_lines(lang, proc)
    if local is not None and (local.postal_submit or local.postal_return):
        if local.postal_submit and local.postal_return:
            lines.append(t(lang, "card.postal_both"))
        else:
            lines.append(
                t(lang, "card.postal_submit" if local.postal_submit else "card.postal_return")
            )
        provincial = True
    if local is not None and local.sample and (provincial or local.notes):
        lines += ["", t(lang, "card.sample")]
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
    """The documents to submit, numbered; the source's headings unnumbered, in bold."""
    title = t(lang, "docs.title", name=short(proc.name, 120))
    if not proc.documents:
        return f"{title}\n\n{t(lang, 'docs.none')}", _back(lang, proc)
    items: list[str] = []
    number = 0
    for i, doc in enumerate(proc.documents):
        if proc.is_heading(i):
            if items:
                items.append("")
            items.append(f"<b>{esc(doc)}</b>")
            number = 0  # each section counts its own papers
            continue
        number += 1
        items.append(f"{number}. {esc(doc)}")
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
    """Everything the card leaves out: each fee with its source text, notes, what is missing."""
    title = t(lang, "fees.title", name=short(proc.name, 120))
    parts = [title]
    rows = [row for row in fee_rows(proc, detail=True) if row.reading.kind != MISSING]
    fee_page = [t(lang, "fees.fee_head")]
    if not rows:
        fee_page.append(t(lang, "fees.none"))
    for row in rows:
        reading = row.reading
        short_form = reading_text(lang, reading, pointer=False)
        fee_page.append(f"• <b>{esc(_channels(lang, row.kinds))}</b>: {short_form}")
        if reading.text and (reading.detailed or reading.kind != FREE):
            source = short(reading.text, SOURCE_CHARS)
            fee_page.append("   " + t(lang, "fees.source", text=source))
    missing = [row for row in fee_rows(proc, detail=True) if row.reading.kind == MISSING]
    for row in missing if rows else ():
        fee_page.append(f"• <b>{esc(_channels(lang, row.kinds))}</b>: {t(lang, 'card.missing')}")
    parts.append("\n".join(fee_page))
    local = proc.local
    if local is not None and local.notes:
        note = t(lang, "fees.notes", notes=short(local.notes, 600))
        parts.append(note + ("\n" + t(lang, "card.sample") if local.sample else ""))
    problems = _anomaly_lines(lang, proc)
    if problems:
        parts.append("\n".join([t(lang, "fees.anomalies"), *problems]))
    more = [t(lang, "fees.more")]
    missing_text = t(lang, "card.missing")
    more.append(f"{t(lang, 'card.field')}: {esc(proc.field) if proc.field else missing_text}")
    levels = ", ".join(proc.levels)
    more.append(f"{t(lang, 'card.level')}: {esc(levels) if levels else missing_text}")
    if proc.agency and len(proc.agency) > AGENCY_CHARS:
        more.append(f"{t(lang, 'card.agency')}: {esc(proc.agency)}")
    parts.append("\n".join(more))
    return "\n\n".join(parts), _back(lang, proc)


def _anomaly_lines(lang: str, proc: Procedure) -> list[str]:
    """One line per kind of anomaly, with the channels it concerns."""
    by_kind: dict[str, list[str]] = {}
    for anomaly in proc.anomalies:
        kind, _, channel = anomaly.partition(":")
        by_kind.setdefault(kind, [])
        if channel and channel not in by_kind[kind]:
            by_kind[kind].append(channel)
    lines = []
    for kind, kinds in by_kind.items():
        text = t(lang, f"anomaly.{kind}") if f"anomaly.{kind}" in _ANOMALY_KEYS else esc(kind)
        if kinds:
            text += f" ({esc(_channels(lang, kinds).lower())})"
        lines.append(f"• {text}")
    return lines


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
