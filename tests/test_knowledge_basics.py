"""Working days, Vietnamese formatting and configuration."""

from __future__ import annotations

from datetime import date

import pytest

from bot import config as cfg
from knowledge import formats, workdays


def test_tet_and_weekends_are_skipped() -> None:
    # Friday 13 Feb 2026 + 1 working day: weekend, then Tết 16-20 Feb -> Monday 23 Feb.
    assert workdays.add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 23)


def test_swapped_saturday_is_a_working_day() -> None:
    assert workdays.is_working_day(date(2026, 8, 22))
    assert not workdays.is_working_day(date(2026, 8, 31))


def test_zero_days_rolls_to_next_working_day() -> None:
    assert workdays.add_working_days(date(2026, 11, 21), 0) == date(2026, 11, 23)


def test_working_days_between_is_antisymmetric() -> None:
    a, b = date(2026, 1, 1), date(2026, 3, 1)
    assert workdays.working_days_between(a, b) == -workdays.working_days_between(b, a) > 0


def test_holiday_names_are_vietnamese() -> None:
    assert workdays.holiday_name(date(2026, 2, 17)) == "Tết Nguyên Đán"


@pytest.mark.parametrize(
    ("part", "whole", "text"), [(138, 152, "90,79%"), (14, 152, "9,21%"), (1, 2, "50%")]
)
def test_percent(part: int, whole: int, text: str) -> None:
    assert formats.percent(part, whole) == text


def test_number() -> None:
    assert formats.number(1672) == "1.672"
    assert formats.number(2849) == "2.849"
    assert formats.number(2.5, 1) == "2,5"


def test_example_config_loads_and_env_overrides_token() -> None:
    conf = cfg.load("config.example.toml", env={"TELEGRAM_BOT_TOKEN": "123:abc"})
    assert conf.telegram.token == "123:abc"
    assert conf.official(123456789) is not None
    assert conf.official(1) is None


def test_bad_mode_is_a_config_error(tmp_path) -> None:
    p = tmp_path / "c.toml"
    p.write_text('[telegram]\nmode = "carrier-pigeon"\n')
    with pytest.raises(cfg.ConfigError, match=r"telegram\.mode"):
        cfg.load(p, env={})
