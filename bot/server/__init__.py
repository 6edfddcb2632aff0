"""The bot in production: every update committed first, processed after, shut down gracefully.

Parts, in import order:

- ``metrics``    Prometheus counters and histograms behind ``/metrics``;
- ``inbox``      the inbox's write path: group commit on the writer thread, with a fast lane
                 (``PriorityStore``, ``InboxWriter``);
- ``pipeline``   inbox → Application (``Pipeline``) and the one per-chat ordering of updates
                 (``PerChatUpdateProcessor``, also used without the inbox);
- ``webhook``    the aiohttp server on its own thread: the secret-checked webhook route,
                 ``/healthz`` (``Health``) and ``/metrics``;
- ``lifecycle``  starting (webhook, durable long polling, plain long polling), the backlog,
                 ``SIGTERM``, the process: ``Running``, ``start_webhook``,
                 ``start_polling_durable``, ``start_polling``, ``serve``, ``run``.

Modules are imported by their full path (``bot.server.lifecycle``): this face re-exports
nothing, because ``bot.app`` uses ``pipeline`` and ``lifecycle`` uses ``bot.app``.
"""
