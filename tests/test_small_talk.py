"""Small talk and questions about the centre get a short reply before any search (issue 10)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from bot.telegram_html import plain_text
from handlers.common import t
from knowledge.search import SearchEngine
from knowledge.search.smalltalk import classify
from knowledge.settings import CentreConfig, Config
from tests.conftest import RunningBot
from tests.fake_telegram import FakeTelegram

USER = 1001
CENTRE = CentreConfig(
    name="Trung tâm Phục vụ hành chính công tỉnh Mẫu",
    phone="0236 3 822 999",
    address="số 1 đường Mẫu, phường Mẫu",
    hours="Thứ Hai – Thứ Sáu 7:30–11:30, 13:30–17:00",
)


@pytest.fixture
async def bot(
    start_bot: Callable[..., Awaitable[RunningBot]], make_config: Callable[..., Config]
) -> RunningBot:
    return await start_bot(make_config(centre=CENTRE))


async def answer(telegram: FakeTelegram, text: str) -> str:
    telegram.user_sends(text)
    msg = await telegram.next_message(USER)
    return plain_text(msg["text"])


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("chào bạn", "talk.greeting"),
        ("alo", "talk.greeting"),
        ("cảm ơn bạn nhiều nhé", "talk.thanks"),
        ("bot ngu quá", "talk.insult"),
        ("👍", "talk.emoji"),
        ("tạm biệt nhé", "talk.bye"),
    ],
)
async def test_small_talk_gets_a_friendly_reply_not_a_search(
    telegram: FakeTelegram, bot: RunningBot, text: str, key: str
) -> None:
    reply = await answer(telegram, text)
    assert reply == plain_text(t("vi", key))
    assert "chưa tìm thấy" not in reply
    assert "Mã thủ tục" not in reply


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("số điện thoại của trung tâm", CENTRE.phone),
        ("trung tâm làm việc mấy giờ", CENTRE.hours),
        ("thứ 7 trung tâm có làm việc không", CENTRE.hours),
        ("địa chỉ trung tâm ở đâu", CENTRE.address),
    ],
)
async def test_questions_about_the_centre_are_answered_from_the_config(
    telegram: FakeTelegram, bot: RunningBot, text: str, value: str
) -> None:
    reply = await answer(telegram, text)
    assert value in reply
    assert CENTRE.name in reply
    assert "Mã thủ tục" not in reply  # not the arbitration-centre procedures


async def test_a_centre_value_not_configured_is_said_plainly(
    telegram: FakeTelegram,
    start_bot: Callable[..., Awaitable[RunningBot]],
    make_config: Callable[..., Config],
) -> None:
    await start_bot(make_config(centre=CentreConfig(name="Trung tâm X", phone="0123")))
    reply = await answer(telegram, "trung tâm làm việc mấy giờ")
    assert "chưa được cấu hình" in reply
    assert "0123" in reply  # the hotline to ask instead


async def test_a_greeting_with_a_question_is_still_a_search(
    telegram: FakeTelegram, bot: RunningBot
) -> None:
    reply = await answer(telegram, "chào bạn, cho mình hỏi đăng ký kết hôn cần giấy tờ gì")
    assert "Đăng ký kết hôn" in reply or "đăng ký kết hôn" in reply


async def test_an_english_search_is_told_that_search_reads_vietnamese(
    telegram: FakeTelegram, bot: RunningBot
) -> None:
    telegram.user_sends("/lang en")
    await telegram.next_message(USER)
    reply = await answer(telegram, "how do I register my marriage")
    assert "reads Vietnamese" in reply


def test_the_cli_search_finds_nothing_for_small_talk(search_engine: SearchEngine) -> None:
    for text in ("chào bạn", "địa chỉ trung tâm ở đâu", "số điện thoại trung tâm"):
        assert classify(text) is not None
        result = search_engine.search(text)
        assert result.decision == "none"
        assert not result.hits
