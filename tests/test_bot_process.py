"""`python -m bot run` and `python -m bot chat` started as real processes."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

from tests.fake_telegram import FakeTelegram
from tests.server_support import bot_env, spawn_polling_bot


def test_run_without_token_explains_and_points_to_chat(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        cwd=tmp_path,
        env=bot_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert "@BotFather" in proc.stderr
    assert "python -m bot chat" in proc.stderr


def test_run_with_a_broken_config_says_what_is_wrong(tmp_path: Path) -> None:
    bad = tmp_path / "c.toml"
    bad.write_text("[telegram\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "run", "--config", str(bad)],
        env=bot_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert "c.toml" in proc.stderr


async def test_run_long_polls_the_configured_api_base_url(
    telegram: FakeTelegram, tmp_path: Path
) -> None:
    proc = await spawn_polling_bot(telegram, tmp_path)
    try:
        telegram.user_sends("/start", first_name="Minh")
        msg = await telegram.next_message(1001, timeout=60)
        assert "Xin chào Minh" in msg["text"]
        telegram.user_sends("cap lai can cuoc")
        reply = await telegram.next_message(1001, timeout=20)
        assert reply["text"]
    finally:
        telegram.release_long_polls()
        proc.terminate()
        _, stderr = await asyncio.wait_for(proc.communicate(), 30)
    assert telegram.token not in stderr.decode()
    assert "cap lai can cuoc" not in stderr.decode()  # message bodies are never logged


def test_local_chat_in_the_terminal(tmp_path: Path) -> None:
    lines = "\n".join(["dang ky ket hon", "1", "/linhvuc", "/quit"]) + "\n"
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "chat"],
        cwd=tmp_path,
        env=bot_env(),
        input=lines,
        capture_output=True,
        text=True,
        timeout=120,
    )
    out = proc.stdout
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "Xin chào" in out  # /start is sent for you
    assert "[1]" in out  # buttons are numbered
    assert "kết hôn" in out.lower()
    assert "lĩnh vực" in out.lower()
    assert "<b>" not in out  # HTML is rendered for the terminal
    assert (tmp_path / "data" / "chat.db").exists()
