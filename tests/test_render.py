"""Telegram-safe rendering: escaping, splitting under 4,096 characters, callback data size."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.telegram_html import HtmlError, plain_text, utf16_len
from handlers.common import Html, cb, esc, split_html, t


def test_values_are_escaped_unless_marked_html():
    text = t("vi", "not_found_code", code="<script>&")
    assert "&lt;script&gt;&amp;" in text
    assert plain_text(text)
    assert t("vi", "search.list", query=Html("<b>x</b>")).count("<b>") == 1


def test_missing_english_key_falls_back_to_vietnamese():
    assert t("en", "unknown_command") != t("vi", "unknown_command")
    assert t("xx", "unknown_command") == t("vi", "unknown_command")


def test_callback_data_over_64_bytes_is_refused():
    assert cb("p", "1.001193") == "p:1.001193"
    with pytest.raises(ValueError, match="too long"):
        cb("fb", "đ" * 40)


def test_split_prefers_paragraphs_and_keeps_every_chunk_valid():
    paragraphs = [f"<b>Mục {i}</b>\n" + esc("dòng <x> & " * 40) for i in range(60)]
    text = "\n\n".join(paragraphs)
    chunks = split_html(text)
    assert len(chunks) > 1
    for chunk in chunks:
        assert utf16_len(chunk) <= 4096
        plain_text(chunk)  # parses
        assert chunk.startswith("<b>Mục")  # cut at a paragraph boundary
    assert sum(c.count("Mục") for c in chunks) == 60


def test_a_tag_open_across_a_cut_is_closed_and_reopened():
    text = "<i>" + "chữ " * 3000 + "</i>"
    chunks = split_html(text)
    assert len(chunks) >= 3
    for chunk in chunks:
        assert chunk.startswith("<i>")
        assert chunk.endswith("</i>")
        plain_text(chunk)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["", "b", "i", "code"]),
            st.text(
                alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=900
            ),
        ),
        max_size=20,
    )
)
def test_split_always_yields_valid_chunks(parts):
    text = "\n".join(f"<{tag}>{esc(body)}</{tag}>" if tag else esc(body) for tag, body in parts)
    try:
        plain_text(text)
    except HtmlError:
        return  # e.g. only whitespace: not a message we would send
    for chunk in split_html(text):
        assert utf16_len(chunk) <= 4096
        plain_text(chunk)
