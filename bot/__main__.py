"""Entry point for ``python -m bot``.

Ctrl-C before a subcommand handles it (while the modules still import) ends quietly with the
shell's usual code 130, never a traceback.
"""

from __future__ import annotations

if __name__ == "__main__":
    try:
        from bot.cli import main

        code = main()
    except KeyboardInterrupt:
        code = 130
    raise SystemExit(code)
