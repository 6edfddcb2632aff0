"""Configuration read from TOML into frozen dataclasses; the environment overrides secrets."""

from __future__ import annotations

import os
import sys
import tomllib
from collections.abc import Mapping
from datetime import time
from pathlib import Path
from typing import Any

from knowledge.settings import (
    DEFAULT_API_BASE_URL,
    CentreConfig,
    Config,
    FeedbackConfig,
    Official,
    StorageConfig,
    TasksConfig,
    TelegramConfig,
    WebhookConfig,
)

__all__ = ["Config", "ConfigError", "Official", "from_mapping", "load"]


class ConfigError(Exception):
    """A setting is missing or malformed."""


def _time(value: Any, where: str) -> time:
    try:
        hours, minutes = str(value).split(":")
        return time(int(hours), int(minutes))
    except ValueError as exc:
        raise ConfigError(f"{where}: expected HH:MM, got {value!r}") from exc


def _section(data: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    value = data.get(name, {})
    if not isinstance(value, Mapping):
        raise ConfigError(f"[{name}] must be a table")
    return value


def from_mapping(data: Mapping[str, Any], env: Mapping[str, str] | None = None) -> Config:
    """Build a Config from parsed TOML; TELEGRAM_BOT_TOKEN in ``env`` overrides the token."""
    env = os.environ if env is None else env
    tg = _section(data, "telegram")
    mode = str(tg.get("mode", "polling"))
    if mode not in {"polling", "webhook"}:
        raise ConfigError(f"telegram.mode: expected 'polling' or 'webhook', got {mode!r}")
    telegram = TelegramConfig(
        token=env.get("TELEGRAM_BOT_TOKEN") or str(tg.get("token", "")),
        api_base_url=str(tg.get("api_base_url", DEFAULT_API_BASE_URL)),
        mode=mode,
    )
    wh = _section(data, "webhook")
    webhook = WebhookConfig(
        host=str(wh.get("host", "127.0.0.1")),
        port=int(wh.get("port", 8080)),
        public_url=str(wh.get("public_url", "")),
        secret_token=env.get("TELEGRAM_WEBHOOK_SECRET") or str(wh.get("secret_token", "")),
        max_connections=int(wh.get("max_connections", 40)),
    )
    storage = StorageConfig(path=str(_section(data, "storage").get("path", "data/bot.db")))
    ce = _section(data, "centre")
    centre = CentreConfig(
        name=str(ce.get("name", CentreConfig().name)),
        phone=str(ce.get("phone", "")),
        address=str(ce.get("address", "")),
        hours=str(ce.get("hours", "")),
    )
    fb = _section(data, "feedback")
    defaults = FeedbackConfig()
    feedback = FeedbackConfig(
        officials_chat_id=int(fb.get("officials_chat_id", 0)),
        max_text_chars=int(fb.get("max_text_chars", defaults.max_text_chars)),
        rate_limit_count=int(fb.get("rate_limit_count", defaults.rate_limit_count)),
        rate_limit_minutes=int(fb.get("rate_limit_minutes", defaults.rate_limit_minutes)),
        reopen_days=int(fb.get("reopen_days", defaults.reopen_days)),
        draft_expiry_hours=int(fb.get("draft_expiry_hours", defaults.draft_expiry_hours)),
        policy_version=str(fb.get("policy_version", defaults.policy_version)),
        reminder_time=_time(fb.get("reminder_time", "08:00"), "feedback.reminder_time"),
        deadline_days={
            **defaults.deadline_days,
            **{str(k): int(v) for k, v in _section(fb, "deadline_days").items()},
        },
    )
    ta = _section(data, "tasks")
    tasks = TasksConfig(
        digest_time=_time(ta.get("digest_time", "07:30"), "tasks.digest_time"),
        digest_chats=tuple(int(c) for c in ta.get("digest_chats", [])),
        due_soon_days=int(ta.get("due_soon_days", 7)),
    )
    officials: list[Official] = []
    for i, raw in enumerate(data.get("officials", [])):
        try:
            role = str(raw.get("role", "official"))
            if role not in {"official", "admin"}:
                raise ConfigError(f"officials[{i}].role: expected 'official' or 'admin'")
            officials.append(
                Official(
                    telegram_id=int(raw["telegram_id"]),
                    name=str(raw.get("name", "")),
                    agency=str(raw.get("agency", "")),
                    role=role,
                )
            )
        except KeyError as exc:
            raise ConfigError(f"officials[{i}]: missing setting {exc.args[0]!r}") from exc
    return Config(
        telegram=telegram,
        webhook=webhook,
        storage=storage,
        centre=centre,
        feedback=feedback,
        tasks=tasks,
        officials=tuple(officials),
    )


def load(path: str | Path | None, env: Mapping[str, str] | None = None) -> Config:
    """Read ``path`` (a missing default config.toml means all defaults)."""
    if path is None:
        path = Path("config.toml")
        if not path.exists():
            return from_mapping({}, env)
    path = Path(path)
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: file not found (copy config.example.toml)") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: {exc}") from exc
    return from_mapping(data, env)


def load_for_command(path: str | Path | None) -> Config | None:
    """The configuration a command runs with; None, the mistake printed, when it is bad."""
    try:
        return load(path)
    except ConfigError as exc:
        print(f"Lỗi cấu hình: {exc}", file=sys.stderr)
        return None
