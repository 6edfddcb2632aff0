"""Composition root: configuration, command line, Telegram wiring and the aiohttp server."""
