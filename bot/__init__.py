"""The composition root: it knows every layer and wires them together.

Parts:

- ``cli``, ``__main__``  ``python -m bot``: one parser, a subcommand per module of ``commands/``;
- ``config``             ``config.toml`` + environment → the frozen ``knowledge.settings.Config``;
- ``app``                the python-telegram-bot Application and the services handlers use;
- ``storage``            every feature's migrations, handed to the kernel's ``Store``;
- ``ratelimit``          Telegram's flood limits, retries, 429s and blocked users;
- ``transport``          the HTTP client of the Bot API calls;
- ``server/``            webhook, durable inbox pipeline, start-up and shutdown, metrics;
- ``chat``, ``localapi``, ``telegram_html``  the local chat: the real bot against a built-in
                         stand-in for the Bot API (also the tests' fake);
- ``logs``               logging set-up that never writes the token.
"""
