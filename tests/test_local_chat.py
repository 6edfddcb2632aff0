"""`python -m bot chat` run again and again on one data directory, the way a person uses it.

The chat's store (``data/chat.db``) outlives a run; every run must answer like the first (the
bot's once-only guards must not take a new run's updates for old ones). Piped input is echoed
after the prompt, and end of input, ``/quit`` and Ctrl-C all end with a goodbye and exit 0.
"""

from __future__ import annotations

import os
import re
import select
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from sqlite_utils import Database

from bot.storage import open_store
from tests.server_support import bot_env

ROOT = Path(__file__).resolve().parent.parent
PROMPT = "Bạn: "
GOODBYE = "Tạm biệt!"
COMPLAINT = "Thủ tục cấp phép xây dựng đòi quá nhiều giấy tờ, tôi phải đi lại ba lần."
OFFICIAL_CONFIG = """\
[storage]
path = "data/official.db"

[[officials]]
telegram_id = 1001
name = "Cán bộ thử"
agency = "Sở Xây dựng"
role = "admin"
"""


def env() -> dict[str, str]:
    return {**bot_env(), "PYTHONIOENCODING": "utf-8"}


def chat(cwd: Path, lines: Sequence[str], *args: str) -> subprocess.CompletedProcess[str]:
    """One run of the chat with ``lines`` piped in (end of input ends it)."""
    return subprocess.run(
        [sys.executable, "-m", "bot", "chat", *args],
        cwd=cwd,
        env=env(),
        input="".join(f"{line}\n" for line in lines),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=180,
    )


def turns(stdout: str) -> list[tuple[str, str]]:
    """The transcript as (what was typed, what the bot answered before the next prompt)."""
    out = []
    for chunk in stdout.split(f"\n{PROMPT}")[1:]:
        typed, _, answer = chunk.partition("\n")
        out.append((typed, answer))
    return out


def assert_clean_exit(proc: subprocess.CompletedProcess[str] | subprocess.Popen[str]) -> None:
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in (proc.stderr or "")


# ---- runs after runs ----------------------------------------------------------------------


def test_every_run_answers_like_the_first(tmp_path: Path) -> None:
    """Feedback steps write the update id to the store; later runs must not look like repeats."""
    lines = ["/phananh", "1", "/huy", "lam so do het bao lau"]
    runs = [chat(tmp_path, lines) for _ in range(5)]
    for proc in runs:
        assert_clean_exit(proc)
    first = runs[0].stdout
    assert (tmp_path / "data" / "chat.db").exists()
    # every line was echoed after the prompt and got an answer before the next prompt
    assert [typed for typed, _ in turns(first)] == lines
    for typed, answer in turns(first):
        assert "🤖" in answer, f"no answer to {typed!r}"
    assert "Bước 1" in turns(first)[0][1]  # /phananh started the guided feedback
    assert "Bước 2" in turns(first)[1][1]  # the button press moved it on
    for i, proc in enumerate(runs[1:], 2):
        assert proc.stdout == first, f"run {i} answered differently from the first"


def test_an_officials_buttons_work_in_every_run(tmp_path: Path) -> None:
    """A citizen files feedback, then (the same id is an official) takes it on, twice over."""
    (tmp_path / "official.toml").write_text(OFFICIAL_CONFIG, encoding="utf-8")
    lines = [
        "/phananh",
        "1",  # kind: about an administrative rule
        "1",  # no particular procedure
        COMPLAINT,
        "1",  # no attachments
        "2",  # anonymous
        "1",  # send
        "/phananh_moi",
        "1",  # open the new one
        "1",  # take it on
    ]
    runs = [chat(tmp_path, lines, "--config", "official.toml") for _ in range(2)]
    for proc in runs:
        assert_clean_exit(proc)
    for i, proc in enumerate(runs, 1):
        typed = [typed for typed, _ in turns(proc.stdout)]
        answers = [answer for _, answer in turns(proc.stdout)]
        assert typed == lines, f"run {i}"
        assert "Mã tra cứu" in answers[6], f"run {i}: the feedback was not sent"
        assert "Nhận xử lý" in answers[8], f"run {i}: the official sees no actions"
        assert "🤖" in answers[9], f"run {i}: pressing an official's button got no answer"
    first, second = (
        re.sub(r"PA-[0-9A-Z]+", "PA-…", re.sub(r"\d\d:\d\d", "hh:mm", proc.stdout))
        for proc in runs
    )
    assert second == first
    assert "id 1001, cán bộ" in first  # the chat says who you are
    assert (tmp_path / "data" / "official.db").exists()
    assert not (tmp_path / "data" / "chat.db").exists()


def test_ids_start_above_every_id_the_store_holds(tmp_path: Path) -> None:
    from bot.chat import FIRST_LOCAL_ID, first_free_id, highest_stored_id

    store = open_store(tmp_path / "chat.db")
    try:
        assert store.run_sync(highest_stored_id) == 0
        assert store.run_sync(first_free_id) == FIRST_LOCAL_ID  # above Telegram's 32-bit ids

        def fill(db: Database) -> None:
            db.execute(  # an update a feedback step recorded
                "INSERT INTO feedback_seen_update (update_id, at) VALUES (?, ?)",
                [FIRST_LOCAL_ID + 41, "2026-01-01T00:00:00+07:00"],
            )
            # any table's message ids count too (e.g. feedback.queue_message_id)
            db.execute("CREATE TABLE scratch (queue_message_id INTEGER)")
            db.execute("INSERT INTO scratch VALUES (?)", [FIRST_LOCAL_ID + 99])

        store.run_sync(fill)
        assert store.run_sync(highest_stored_id) == FIRST_LOCAL_ID + 99
        assert store.run_sync(first_free_id) == FIRST_LOCAL_ID + 100
    finally:
        store.close()


# ---- prompt, echo, leaving ---------------------------------------------------------------


@pytest.mark.parametrize("last", [None, "/quit"], ids=["end-of-input", "quit"])
def test_the_chat_ends_with_a_goodbye_and_exit_code_0(tmp_path: Path, last: str | None) -> None:
    lines = ["khai sinh"] + ([last] if last else [])
    proc = chat(tmp_path, lines)
    assert_clean_exit(proc)
    assert proc.stderr == ""
    assert f"\n{PROMPT}khai sinh\n" in proc.stdout  # piped input is echoed after the prompt
    assert proc.stdout.rstrip().endswith(GOODBYE)
    assert proc.stdout.count(GOODBYE) == 1


def test_help_says_who_the_chat_user_is_and_how_to_be_an_official() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "chat", "--help"],
        env=env(),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )
    assert proc.returncode == 0
    assert "1001" in proc.stdout
    assert "--user" in proc.stdout
    assert "[[officials]]" in proc.stdout
    assert "telegram_id = 1001" in proc.stdout
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    chat_line = next(line for line in readme.splitlines() if "`python -m bot chat" in line)
    assert "1001" in chat_line
    assert "[[officials]]" in chat_line


class Running:
    """The chat as a live process whose output is collected as it comes."""

    def __init__(self, cwd: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bot", "chat"],
            cwd=cwd,
            env=env(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        self.chunks: list[str] = []
        assert self.proc.stdout is not None
        self._reader = threading.Thread(target=self._read, args=(self.proc.stdout,), daemon=True)
        self._reader.start()

    def __enter__(self) -> Running:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(30)
        self._reader.join(10)
        for pipe in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            if pipe is not None:
                pipe.close()

    def _read(self, stream: object) -> None:
        for line in stream:  # type: ignore[attr-defined]
            self.chunks.append(line)

    @property
    def stdout(self) -> str:
        return "".join(self.chunks)

    def wait_for(self, ready: Callable[[str], bool], timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while not ready(self.stdout):
            assert self.proc.poll() is None, f"the chat ended early:\n{self.stdout}"
            assert time.monotonic() < deadline, f"gave up waiting; so far:\n{self.stdout}"
            time.sleep(0.05)

    def interrupt(self) -> tuple[int, str, str]:
        """Ctrl-C; the exit code, the whole output and the error output."""
        self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise
        self._reader.join(10)
        assert self.proc.stderr is not None
        return self.proc.returncode, self.stdout, self.proc.stderr.read()


def test_ctrl_c_while_waiting_for_input_says_goodbye(tmp_path: Path) -> None:
    with Running(tmp_path) as chat_:
        assert chat_.proc.stdin is not None
        chat_.proc.stdin.write("khai sinh\n")
        chat_.proc.stdin.flush()
        # the answer is in and the chat waits for the next line (the pipe stays open)
        chat_.wait_for(lambda out: "🤖" in out.partition(f"{PROMPT}khai sinh\n")[2])
        time.sleep(0.5)
        code, out, err = chat_.interrupt()
    assert code == 0, err
    assert "Traceback" not in err
    assert out.rstrip().endswith(GOODBYE)


def test_ctrl_c_while_the_bot_starts_says_goodbye(tmp_path: Path) -> None:
    with Running(tmp_path) as chat_:
        chat_.wait_for(lambda out: "Trò chuyện thử" in out)  # /start is on its way
        code, out, err = chat_.interrupt()
    assert code == 0, err
    assert "Traceback" not in err
    assert out.rstrip().endswith(GOODBYE)


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_on_a_terminal_the_prompt_comes_first_and_input_is_not_echoed_twice(
    tmp_path: Path,
) -> None:
    master, slave = os.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "chat"],
        cwd=tmp_path,
        env=env(),
        stdin=slave,
        stdout=slave,
        stderr=subprocess.PIPE,
    )
    os.close(slave)
    seen = bytearray()

    def read_until(token: str, timeout: float = 120) -> str:
        deadline = time.monotonic() + timeout
        while token.encode() not in seen and time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.2)
            if not ready:
                continue
            try:
                seen.extend(os.read(master, 65536))
            except OSError:  # the child is gone
                break
        return seen.decode("utf-8", "replace").replace("\r\n", "\n")

    try:
        out = read_until("[7]")  # the greeting's buttons, then the prompt
        out = read_until(PROMPT)
        assert out.rstrip().endswith(PROMPT.rstrip())
        seen.clear()
        os.write(master, b"khai sinh\n")
        out = read_until(f"\n{PROMPT}")  # answered, and asking again
        typed = out.partition("🤖")[0]
        assert typed.count("khai sinh") == 1  # the terminal's echo, not the chat's too
        assert "🤖" in out
        os.write(master, b"\x04")  # Ctrl-D
        out = read_until(GOODBYE)
        assert proc.wait(timeout=60) == 0
        assert GOODBYE in out
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(master)
        _, err = proc.communicate(timeout=30)
    assert b"Traceback" not in err
