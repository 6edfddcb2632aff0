"""The README documents every command the bot registers and every CLI subcommand."""

from __future__ import annotations

from pathlib import Path

from telegram.ext import CommandHandler

from bot.app import CITIZEN_COMMANDS, build_application, build_services
from bot.cli import build_parser
from handlers.start import HELP_COMMANDS, OFFICIAL_COMMANDS

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_every_registered_command_is_in_the_readme(make_config, catalogue, search_engine):
    config = make_config()
    services = build_services(config, catalogue=catalogue, search=search_engine)
    app = build_application(config, services, base_url="http://127.0.0.1:9/bot")
    commands = {
        command
        for group in app.handlers.values()
        for handler in group
        if isinstance(handler, CommandHandler)
        for command in handler.commands
    }
    services.store.close()
    assert commands >= set(CITIZEN_COMMANDS)
    assert commands == set(CITIZEN_COMMANDS) | set(OFFICIAL_COMMANDS), "update /help texts"
    missing = sorted(c for c in commands if f"`/{c}" not in README)
    assert not missing, f"commands missing from README: {missing}"


def test_help_and_menu_list_the_same_citizen_commands():
    assert set(HELP_COMMANDS) == set(CITIZEN_COMMANDS)


def test_every_cli_subcommand_is_in_the_readme():
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name in sub.choices:
        assert f"python -m bot {name}" in README


def test_readme_opens_with_the_two_fresh_machine_commands():
    block = README.split("```bash\n", 1)[1].split("```", 1)[0]
    lines = [line for line in block.splitlines() if line.strip()]
    assert len(lines) == 2
    assert "bot chat" in lines[0]
    assert "scripts/check" in lines[1]
    assert Path(".ci/run").read_text().count("scripts/check") == 1
