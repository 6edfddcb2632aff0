"""The aiohttp server: webhook, inbox pipeline, health, metrics."""
