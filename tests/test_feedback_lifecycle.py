"""The complaint state machine: the TRANSITIONS table, and the diagram in docs/feedback.md."""

from __future__ import annotations

import re
from pathlib import Path

from knowledge import feedback as fb
from knowledge.feedback.lifecycle import (
    CLOSED_STATUSES,
    INITIAL,
    OFFICIAL_ACTIONS,
    OPEN_STATUSES,
    STATUSES,
    TEXT_ACTIONS,
    TRANSITIONS,
    Action,
    Status,
)

DOC = Path(__file__).resolve().parent.parent / "docs" / "feedback.md"
BLOCK = re.compile(r"```mermaid\n\s*stateDiagram-v2\n(.*?)```", re.S)
ARROW = re.compile(r"(\[\*\]|\w+)\s*-->\s*(\w+)\s*:\s*(\w+)")

S, A = Status, Action


def diagram() -> list[tuple[str, str, str]]:
    """(from, to, label) of every arrow in the one state diagram of docs/feedback.md."""
    blocks = BLOCK.findall(DOC.read_text(encoding="utf-8"))
    assert len(blocks) == 1, "docs/feedback.md has one stateDiagram-v2 block"
    arrows = []
    for line in blocks[0].splitlines():
        line = line.strip()
        if not line or line.startswith("%%"):
            continue
        match = ARROW.fullmatch(line)
        assert match, f"not a labelled transition: {line!r}"
        arrows.append((match[1], match[2], match[3]))
    return arrows


def test_the_diagram_draws_exactly_the_table() -> None:
    arrows = diagram()
    assert len(arrows) == len(set(arrows)), "a transition drawn twice"
    drawn = {(a, b, label) for a, b, label in arrows if a != "[*]"}
    table = {(s.value, to.value, action.value) for (s, action), to in TRANSITIONS.items()}
    assert table - drawn == set(), "in TRANSITIONS, missing from docs/feedback.md"
    assert drawn - table == set(), "in docs/feedback.md, not in TRANSITIONS"
    assert [(b, label) for a, b, label in arrows if a == "[*]"] == [(INITIAL.value, "submitted")]


def test_statuses_are_the_stored_strings() -> None:
    assert {s.value for s in Status} == {
        "moi",
        "dang_xu_ly",
        "da_chuyen",
        "mo_lai",
        "da_tra_loi",
        "khong_tham_quyen",
        "trung",
        "tu_choi",
    }
    assert set(OPEN_STATUSES) | set(CLOSED_STATUSES) == set(Status)
    assert not set(OPEN_STATUSES) & set(CLOSED_STATUSES)
    assert set(STATUSES) == set(Status)
    assert INITIAL == "moi"
    assert fb.Status is Status
    assert fb.TRANSITIONS is TRANSITIONS


def test_no_official_action_leaves_a_closed_status() -> None:
    for status in CLOSED_STATUSES:
        for action in OFFICIAL_ACTIONS:
            assert (status, action) not in TRANSITIONS, (status, action)


def test_reopening_exists_only_from_answered() -> None:
    reopen = {(s, to) for (s, a), to in TRANSITIONS.items() if a == A.REOPEN}
    assert reopen == {(S.ANSWERED, S.REOPENED)}
    assert A.REOPEN not in OFFICIAL_ACTIONS


def test_every_open_status_takes_every_action_but_claiming_a_claimed_record() -> None:
    # act() says "already_claimed" for an open record whose pair is missing: only this one.
    missing = {
        (s, a) for s in OPEN_STATUSES for a in OFFICIAL_ACTIONS if (s, a) not in TRANSITIONS
    }
    assert missing == {(S.IN_PROGRESS, A.CLAIM)}


def test_each_official_action_leads_to_one_status() -> None:
    leads = {a: {to for (s, b), to in TRANSITIONS.items() if b == a} for a in OFFICIAL_ACTIONS}
    assert leads == {
        A.CLAIM: {S.IN_PROGRESS},
        A.FORWARD: {S.FORWARDED},
        A.REPLY: {S.ANSWERED},
        A.NOT_COMPETENT: {S.NOT_COMPETENT},
        A.DUPLICATE: {S.DUPLICATE},
        A.REJECT: {S.REJECTED},
    }
    # every action but claiming needs the official's text
    assert set(TEXT_ACTIONS) == set(OFFICIAL_ACTIONS) - {A.CLAIM}


def test_every_status_is_reachable_from_the_start() -> None:
    seen, todo = {INITIAL}, [INITIAL]
    while todo:
        here = todo.pop()
        for (s, _), to in TRANSITIONS.items():
            if s == here and to not in seen:
                seen.add(to)
                todo.append(to)
    assert seen == set(Status)
