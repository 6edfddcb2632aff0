"""Tracking codes: short, readable over the phone, unguessable (``PA-7KQ3M9XD``).

Eight characters from a 31-letter alphabet without 0/O, 1/I/L give 31⁸ ≈ 8,5 × 10¹¹
codes, drawn with :mod:`secrets`; nobody can walk them the way sequential numbers can.
"""

from __future__ import annotations

import re
import secrets

PREFIX = "PA-"
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 8
_BODY = re.compile(f"[{ALPHABET}]{{{LENGTH}}}")
PATTERN = re.escape(PREFIX) + _BODY.pattern  # a canonical code, for anchored button patterns


def new_code() -> str:
    """A fresh random code such as ``PA-7KQ3M9XD``."""
    return PREFIX + "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalize(text: str) -> str | None:
    """The canonical code for what was typed (``pa 7kq3 m9xd`` -> ``PA-7KQ3M9XD``), or None."""
    compact = re.sub(r"[\s\-_.]", "", text).upper()
    if len(compact) == LENGTH + 2 and compact.startswith("PA"):
        compact = compact[2:]
    if _BODY.fullmatch(compact):
        return PREFIX + compact
    return None
