"""bot/transport.py: PTB's Bot API calls over aiohttp behave as they did over httpx."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, NetworkError, TimedOut

from bot.app import build_application, build_services
from bot.localapi import JSON
from bot.transport import AiohttpRequest
from tests.fake_telegram import FakeTelegram


class SlowTelegram(FakeTelegram):
    """Answers sendMessage after ``delay`` seconds; notes each request's content type."""

    delay = 0.0

    def __init__(self) -> None:
        super().__init__()
        self.content_types: list[str] = []

    async def _params(self, request: web.Request) -> JSON:
        self.content_types.append(request.content_type)
        return await super()._params(request)

    async def before_call(self, method: str, params: JSON) -> web.Response | None:
        if method == "sendMessage" and self.delay:
            await asyncio.sleep(self.delay)
        return await super().before_call(method, params)


@pytest.fixture
async def slow() -> AsyncIterator[SlowTelegram]:
    """A fake Bot API whose sendMessage can be made slow."""
    fake = SlowTelegram()
    await fake.start()
    yield fake
    await fake.stop()


def make_bot(api: FakeTelegram, request: AiohttpRequest) -> Bot:
    """A plain PTB Bot talking to the fake Bot API through ``request``."""
    return Bot(api.token, base_url=api.base_url, base_file_url=api.base_file_url, request=request)


async def test_the_application_sends_through_aiohttp(telegram: FakeTelegram, bot) -> None:
    assert isinstance(bot.app.bot.request, AiohttpRequest)
    telegram.user_sends("/start")
    reply = await telegram.next_message(1001)
    assert reply["method"] == "sendMessage"
    assert reply["reply_markup"]["inline_keyboard"]


async def test_messages_uploads_and_downloads_round_trip(slow: SlowTelegram) -> None:
    async with make_bot(slow, AiohttpRequest(trust_env=False)) as bot:
        markup = InlineKeyboardMarkup([[InlineKeyboardButton("Khai sinh", callback_data="p:1")]])
        sent = await bot.send_message(
            1001, "Xin chào <b>bạn</b> &amp; cảm ơn", parse_mode="HTML", reply_markup=markup
        )
        assert slow.content_types[-1] == "application/json"
        assert sent.reply_markup == markup
        assert sent.text == "Xin chào <b>bạn</b> &amp; cảm ơn"  # the stand-in echoes the source
        doc = await bot.send_document(
            1001,
            b"a,b\n1,2\n",
            filename="báo cáo.csv",
            caption="Tệp <i>xuất</i>",
            parse_mode="HTML",
        )
        assert doc.document is not None
        assert slow.content_types[-1] == "multipart/form-data"
        file = await bot.get_file(doc.document.file_id)
        assert bytes(await file.download_as_bytearray()) == b"a,b\n1,2\n"
    out = slow.messages(1001)
    assert out[0]["text"] == "Xin chào <b>bạn</b> &amp; cảm ơn"
    assert out[0]["reply_markup"] == markup.to_dict()
    assert out[1]["file_bytes"] == b"a,b\n1,2\n"
    assert out[1]["file_name"] == "báo cáo.csv"
    assert out[1]["text"] == "Tệp <i>xuất</i>"


async def test_telegram_errors_come_back_as_ptb_errors(slow: SlowTelegram) -> None:
    slow.fail_next("sendMessage", status=400, description="Bad Request: chat not found")
    async with make_bot(slow, AiohttpRequest(trust_env=False)) as bot:
        with pytest.raises(BadRequest, match="hat not found"):
            await bot.send_message(1001, "x")


async def test_a_slow_answer_is_timed_out(slow: SlowTelegram) -> None:
    slow.delay = 1.0
    async with make_bot(slow, AiohttpRequest(trust_env=False, read_timeout=0.2)) as bot:
        with pytest.raises(TimedOut):
            await bot.send_message(1001, "x")
        slow.delay = 0.0
        assert (await bot.send_message(1001, "again")).text == "again"


async def test_a_refused_connection_is_a_network_error() -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    request = AiohttpRequest(trust_env=False)
    bot = Bot("123:X", base_url=f"http://127.0.0.1:{port}/bot", request=request)
    await request.initialize()
    try:
        with pytest.raises(NetworkError) as caught:
            await bot.get_me()
        assert not isinstance(caught.value, TimedOut)
    finally:
        await request.shutdown()


async def test_initialize_and_shutdown_can_repeat(slow: SlowTelegram) -> None:
    request = AiohttpRequest(trust_env=False)
    with pytest.raises(RuntimeError, match="not initialized"):
        await request.do_request(slow.base_url + slow.token + "/getMe", "POST")
    await request.initialize()
    await request.initialize()
    status, body = await request.do_request(f"{slow.base_url}{slow.token}/getMe", "POST")
    assert status == 200
    assert b"tthc_local_bot" in body
    await request.shutdown()
    await request.shutdown()
    await request.initialize()
    status, _ = await request.do_request(f"{slow.base_url}{slow.token}/getMe", "POST")
    assert status == 200
    await request.shutdown()


def test_proxies_from_the_environment_only_for_a_remote_api(
    make_config, catalogue, search_engine
) -> None:
    config = make_config()
    services = build_services(config, catalogue=catalogue, search=search_engine)
    try:
        local = build_application(config, services, base_url="http://127.0.0.1:9/bot")
        remote = build_application(config, services, base_url="https://api.telegram.org/bot")
        assert isinstance(local.bot.request, AiohttpRequest)
        assert local.bot.request._trust_env is False
        assert isinstance(remote.bot.request, AiohttpRequest)
        assert remote.bot.request._trust_env is True
    finally:
        services.store.close()
