"""Settings as frozen dataclasses; bot/config.py reads them from TOML and the environment."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time

DEFAULT_API_BASE_URL = "https://api.telegram.org/bot"


@dataclass(frozen=True, slots=True)
class TelegramConfig:
    token: str = ""
    api_base_url: str = DEFAULT_API_BASE_URL
    mode: str = "polling"


@dataclass(frozen=True, slots=True)
class WebhookConfig:
    host: str = "127.0.0.1"
    port: int = 8080
    public_url: str = ""
    secret_token: str = ""
    max_connections: int = 40


@dataclass(frozen=True, slots=True)
class StorageConfig:
    path: str = "data/bot.db"


@dataclass(frozen=True, slots=True)
class CentreConfig:
    name: str = "Trung tâm Phục vụ hành chính công tỉnh"
    phone: str = ""
    address: str = ""
    hours: str = ""  # working hours as citizens should read them


@dataclass(frozen=True, slots=True)
class Official:
    telegram_id: int
    name: str
    agency: str
    role: str = "official"

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


@dataclass(frozen=True, slots=True)
class FeedbackConfig:
    officials_chat_id: int = 0
    max_text_chars: int = 2000
    rate_limit_count: int = 5
    rate_limit_minutes: int = 10
    reopen_days: int = 7
    draft_expiry_hours: int = 48
    policy_version: str = "2026-11"
    reminder_time: time = time(8, 0)
    deadline_days: Mapping[str, int] = field(
        default_factory=lambda: {
            "quy_dinh": 10,
            "thai_do": 5,
            "tre_hen": 5,
            "kien_nghi": 15,
            "khac": 10,
        }
    )


@dataclass(frozen=True, slots=True)
class TasksConfig:
    digest_time: time = time(7, 30)
    digest_chats: tuple[int, ...] = ()
    due_soon_days: int = 7


@dataclass(frozen=True, slots=True)
class Config:
    telegram: TelegramConfig = field(default_factory=TelegramConfig)
    webhook: WebhookConfig = field(default_factory=WebhookConfig)
    storage: StorageConfig = field(default_factory=StorageConfig)
    centre: CentreConfig = field(default_factory=CentreConfig)
    feedback: FeedbackConfig = field(default_factory=FeedbackConfig)
    tasks: TasksConfig = field(default_factory=TasksConfig)
    officials: tuple[Official, ...] = ()

    def official(self, telegram_id: int | None) -> Official | None:
        """Return the official with this Telegram id, or None (deny by default)."""
        if telegram_id is None:
            return None
        for person in self.officials:
            if person.telegram_id == telegram_id:
                return person
        return None
