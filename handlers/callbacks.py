"""The one table of callback-data prefixes.

Every button's ``callback_data`` is ``prefix:payload`` (built with ``handlers.common.cb``,
at most 64 bytes) and every ``CallbackQueryHandler`` matches one prefix with an anchored
pattern built by :func:`pattern`. A new button family gets its prefix here first, so two
features can never answer the same button.
"""

from __future__ import annotations

import re
from enum import StrEnum


class Prefix(StrEnum):
    """Callback-data prefixes, by feature."""

    # procedures/: cards and lists
    CARD = "p"  # p:CODE — a procedure's card
    ANSWER = "pa"  # pa:CODE:ASPECT — its card, led by the answer to the aspect asked
    DOCUMENTS = "pd"  # pd:CODE — its documents
    LEGAL = "pl"  # pl:CODE — its legal basis
    FEES = "pf"  # pf:CODE — time and fee per channel
    DUE = "pt"  # pt:CODE — the expected result date
    LIST = "ls"  # ls:KIND:PAGE — same-day, cut-time and postal lists; ls:back — the last list
    FIELDS = "lf"  # lf:PAGE — a page of all fields; lf:c — the common fields
    FIELD = "lfl"  # lfl:INDEX — one field's levels
    LEVEL = "lv"  # lv:FIELD:LEVEL:PAGE — one field at one level
    # start.py: the main menu and the language
    MENU = "m"  # m:hint, m:call
    LANGUAGE = "lang"  # lang:vi, lang:en
    # feedback/: the citizen's guided chat and the officials' queue
    FEEDBACK = "fb"  # fb:ACTION:...
    QUEUE = "fo"  # fo:ACTION:CODE
    # tasks/: officials' reform tasks
    TASKS = "tk"  # tk:ACTION:...


def pattern(prefixes: Prefix | tuple[Prefix, ...], payload: str) -> str:
    """An anchored pattern: one of ``prefixes``, a colon, then ``payload`` (a regex).

    ``\\Z``, not ``$``: ``$`` would also accept the data with a newline at its end.
    """
    group = (prefixes,) if isinstance(prefixes, Prefix) else prefixes
    alternatives = "|".join(re.escape(p.value) for p in group)
    return rf"^(?:{alternatives}):(?:{payload})\Z"
