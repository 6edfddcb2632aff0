"""The replies a search gives besides a card: the aspect asked first, a clarifying question,
a list, and the polite referral when no procedure answers the message (pure rendering).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from telegram import InlineKeyboardMarkup

from handlers.callbacks import Prefix
from handlers.common import Html, cb, esc, keyboard, short, t
from handlers.procedures import cards
from knowledge import formats
from knowledge.catalogue import ONLINE, POSTAL, Catalogue, Channel, Procedure
from knowledge.search import Hit, SearchResult
from knowledge.settings import CentreConfig

ASPECTS = ("time", "fee", "documents", "place", "online", "postal")
LEGAL_AID = "2.000829"  # Thủ tục yêu cầu trợ giúp pháp lý
LAND_MEDIATION = "1.012812"  # Hòa giải tranh chấp đất đai (cấp xã)
PORTAL = "https://dichvucong.gov.vn"
FIRST_DOCUMENTS = 5  # documents listed in an answer before "see all"
LIST_NAME = 200  # characters of a procedure's name in a list message


def open_button(code: str, asks: str | None) -> str:
    """Callback data that opens ``code``'s card, answering ``asks`` first when set."""
    return cb(Prefix.ANSWER, code, asks) if asks in ASPECTS else cb(Prefix.CARD, code)


def answered_card(
    lang: str, proc: Procedure, catalogue: Catalogue, asks: str | None
) -> tuple[str, InlineKeyboardMarkup]:
    """The card, led by the answer to the aspect asked (when one was)."""
    text, markup = cards.card(lang, proc, catalogue)
    if asks in ASPECTS:
        text = aspect(lang, asks, proc) + "\n\n" + text
    return text, markup


def aspect(lang: str, asks: str, proc: Procedure) -> str:
    """The answer to "how long / how much / which papers / where / online / by post"."""
    name = short(proc.name, 120)
    if asks == "time":
        lines = _bulleted(cards.time_lines(lang, proc), t(lang, "card.time_head"))
        return t(lang, "ask.time") + "\n" + "\n".join(_same_day(lang, proc) + lines)
    if asks == "fee":
        lines = _bulleted(cards.fee_lines(lang, proc), t(lang, "card.fee_head"))
        return t(lang, "ask.fee") + "\n" + "\n".join(lines)
    if asks == "documents":
        if not proc.documents:
            return t(lang, "ask.documents", name=name) + "\n" + t(lang, "docs.none")
        items: list[str] = []
        shown = 0
        for i, doc in enumerate(proc.documents):
            if proc.is_heading(i) or _is_heading(doc):  # a heading ("Giấy tờ phải xuất trình:")
                if shown < FIRST_DOCUMENTS:
                    items.append(f"<i>{esc(short(doc, 160))}</i>")
                continue
            shown += 1
            if shown <= FIRST_DOCUMENTS:
                items.append(f"{shown}. {esc(short(_NUMBERED.sub('', doc), 160))}")
        if shown > FIRST_DOCUMENTS:
            more = formats.number(shown - FIRST_DOCUMENTS)
            items.append(t(lang, "ask.documents_more", count=more))
        return t(lang, "ask.documents", name=name) + "\n" + "\n".join(items)
    if asks == "place":
        lines = [t(lang, "ask.place", name=name)]
        lines.append(
            t(lang, "ask.place_agency", agency=proc.agency)
            if proc.agency
            else t(lang, "ask.place_agency_missing")
        )
        if proc.levels:
            lines.append(t(lang, "ask.place_levels", levels=", ".join(proc.levels)))
        if proc.local is not None and proc.local.address:
            sample = t(lang, "ask.sample") if proc.local.sample else ""
            lines.append(t(lang, "ask.place_address", address=proc.local.address) + sample)
        return "\n".join(lines)
    if asks == "online":
        ch = proc.channel(ONLINE)
        if ch is None:
            return t(lang, "ask.online_no", name=name)
        return t(
            lang,
            "ask.online_yes",
            name=name,
            duration=Html(_time(lang, ch)),
            fee=Html(_fee(lang, ch)),
        )
    # postal
    ch = proc.channel(POSTAL)
    local = proc.local
    lines = []
    if ch is not None:
        lines.append(
            t(
                lang,
                "ask.postal_yes",
                name=name,
                duration=Html(_time(lang, ch)),
                fee=Html(_fee(lang, ch)),
            )
        )
    if local is not None and (local.postal_submit or local.postal_return):
        sample = t(lang, "ask.sample") if local.sample else ""
        if local.postal_submit:
            lines.append(t(lang, "card.postal_submit") + sample)
        if local.postal_return:
            lines.append(t(lang, "card.postal_return") + sample)
    return "\n".join(lines) if lines else t(lang, "ask.postal_no", name=name)


_NUMBERED = re.compile(r"^\s*\d+\s*[.)]\s*")
HEADING_CHARS = 40  # a numbered item this short is a section of the list ("1. Hồ sơ thu hồi")


def _is_heading(doc: str) -> bool:
    text = doc.strip()
    return text.endswith(":") or (_NUMBERED.match(text) is not None and len(text) <= HEADING_CHARS)


def _time(lang: str, ch: Channel) -> str:
    return cards.duration_text(lang, ch.time)


def _fee(lang: str, ch: Channel) -> str:
    return cards.fee_text(lang, ch)


def _bulleted(lines: list[str], head: str) -> list[str]:
    """The card's time or fee lines under the answer's own heading: the card's heading
    dropped, a one-line value ("⏱ Thời hạn: 5 ngày") turned into a bullet."""
    if len(lines) == 1:
        return ["• " + lines[0].split(": ", 1)[-1]]
    return [line for line in lines if line != head]


def _same_day(lang: str, proc: Procedure) -> list[str]:
    """ "Same-day result" first, when the province says so (marked when sample data)."""
    local = proc.local
    if local is None or not local.same_day:
        return []
    return [t(lang, "card.same_day") + (t(lang, "ask.sample") if local.sample else "")]


def clarify(lang: str, result: SearchResult) -> tuple[str, InlineKeyboardMarkup]:
    """One short question with a button per variant ("Có yếu tố nước ngoài không?")."""
    options = result.options
    plain = options[0]
    if len(options) == 2 and not plain.extra and options[1].extra.casefold().startswith("có "):
        extra = options[1].extra
        question = t(lang, "clarify.yes_no", extra=extra[:1].upper() + extra[1:])
        rows = [
            [
                (t(lang, "clarify.yes"), open_button(options[1].code, result.asks)),
                (t(lang, "clarify.no"), open_button(plain.code, result.asks)),
            ]
        ]
    else:
        question = t(lang, "clarify.which")
        rows = [[(o.label, open_button(o.code, result.asks))] for o in options]
    text = t(lang, "clarify.intro", name=short(plain.label, 120)) + "\n" + question
    return text, keyboard(rows)


def listing(
    lang: str, query: str, hits: Sequence[Hit], asks: str | None
) -> tuple[str, InlineKeyboardMarkup]:
    """Several close procedures: their full names in the message, a numbered button each."""
    lines = [t(lang, "search.list", query=short(" ".join(query.split()), 60)), ""]
    for i, hit in enumerate(hits, 1):
        lines.append(f"{i}. {esc(short(hit.name, LIST_NAME))}")
    rows = [
        [(f"{i}. {short(hit.name, cards.BUTTON_LABEL - 4)}", open_button(hit.code, asks))]
        for i, hit in enumerate(hits, 1)
    ]
    return "\n".join(lines), keyboard(rows)


def refer(
    lang: str, kind: str | None, centre_name: str, phone: str
) -> tuple[str, InlineKeyboardMarkup]:
    """No procedure answers this: say what the bot can do and where to go instead."""
    lines = [t(lang, f"refer.{kind}" if kind in REFER_KINDS else "refer.other")]
    lines.append("")
    lines.append(t(lang, "refer.can"))
    if phone:
        lines.append(t(lang, "refer.call", centre=centre_name, phone=phone))
    rows: list[list[tuple[str, str]]] = []
    if kind == "dossier_status":
        lines.append(t(lang, "refer.lookup", portal=PORTAL))
        rows.append([(t(lang, "btn.portal_lookup"), "url:" + PORTAL)])
    if kind == "dispute":
        lines.append(t(lang, "refer.mediation"))
        rows.append([(t(lang, "btn.mediation"), cb(Prefix.CARD, LAND_MEDIATION))])
    if kind in ("dispute", "legal_advice", "other", None):
        lines.append(t(lang, "refer.legal_aid"))
        rows.append([(t(lang, "btn.legal_aid"), cb(Prefix.CARD, LEGAL_AID))])
    rows.append([(t(lang, "menu.feedback"), cb(Prefix.FEEDBACK, "start"))])
    if phone:
        rows.append([(t(lang, "btn.call"), cb(Prefix.MENU, "call"))])
    return "\n".join(lines), keyboard(rows)


REFER_KINDS = ("fine", "dispute", "legal_advice", "dossier_status", "complaint_person")


def small_talk(lang: str, kind: str, centre: CentreConfig) -> tuple[str, InlineKeyboardMarkup]:
    """A short, friendly reply to a greeting, thanks, an insult, an emoji, or a question about
    the centre answered from ``[centre]`` (or said plainly to be missing)."""
    if kind in ("centre_phone", "centre_hours", "centre_address"):
        value = {"centre_phone": centre.phone, "centre_hours": centre.hours}.get(
            kind, centre.address
        )
        key = f"talk.{kind}" if value else f"talk.{kind}_missing"
        text = t(lang, key, centre=centre.name, value=value, phone=centre.phone)
        if not value and centre.phone and kind != "centre_phone":
            text += "\n" + t(lang, "call.centre", centre=centre.name, phone=centre.phone)
        return text, keyboard([[(t(lang, "menu.fields"), cb(Prefix.FIELDS, 0))]])
    rows = [
        [(t(lang, "menu.search_hint"), cb(Prefix.MENU, "hint"))],
        [(t(lang, "menu.fields"), cb(Prefix.FIELDS, 0))],
        [(t(lang, "menu.feedback"), cb(Prefix.FEEDBACK, "start"))],
    ]
    if centre.phone:
        rows.append([(t(lang, "btn.call"), cb(Prefix.MENU, "call"))])
    return t(lang, f"talk.{kind}"), keyboard(rows)
