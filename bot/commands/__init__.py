"""The subcommands of ``python -m bot``, one module each, each with ``add_parser(sub)``.

- ``run``        ``run`` (Telegram: long polling or webhook) and ``chat`` (this terminal);
- ``search``     ``search QUERY [--limit N] [--json]``, ``-`` for one query a line;
- ``catalogue``  ``catalogue import|index|check-overlay|info|show``;
- ``tasks``      ``tasks import|export``;
- ``feedback``   ``feedback export``;
- ``backup``     ``backup DEST``: an online, checked, atomic copy of the store.

A module imports at its top only what building the parser needs; what a subcommand runs on
(telegram, numpy, openpyxl, …) is imported when it runs, so ``search`` starts quickly.
"""
