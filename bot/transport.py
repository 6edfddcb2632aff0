"""The Application's HTTP transport for Bot API calls, on aiohttp instead of httpx.

PTB's default ``HTTPXRequest`` sits on httpcore's connection pool, which rescans every
connection and every queued request whenever a request starts or ends, and asks each idle
connection's socket whether it was dropped (a ``getpeername()`` and a fresh attribute dict per
connection). With 64 connections and a burst of replies that bookkeeping grows with the
square of the queue and was most of the bot's CPU: an echo bot cost 3.7-5 ms of CPU per
update through httpx, 1.2 ms through this class (``benchmarks/bench_bot.py``). aiohttp is
already a dependency (the local Bot API and the webhook server use it); its connector keeps
idle connections per host and hands them out in constant time.

Behaviour matches ``HTTPXRequest`` where PTB relies on it: ``(status, body)`` for every
answer (PTB turns non-2xx into Telegram errors), :class:`telegram.error.TimedOut` for any
timeout, :class:`telegram.error.NetworkError` for other transport failures, the same
``User-Agent``, multipart uploads with raw UTF-8 file names, proxies from the environment
when ``trust_env`` is set, and certifi's CA bundle for HTTPS like httpx. One difference:
parameters go as a JSON body instead of a form (see :meth:`AiohttpRequest.do_request`).
"""

from __future__ import annotations

import functools
import json
import ssl
from typing import Any

import aiohttp
from telegram._utils.defaultvalue import DefaultValue
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

BASE_HEADERS = {"User-Agent": BaseRequest.USER_AGENT}
JSON_HEADERS = {**BASE_HEADERS, "Content-Type": "application/json"}


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    """certifi's CA bundle when installed (what httpx verifies against), else the system's."""
    try:
        import certifi
    except ImportError:  # pragma: no cover - certifi comes with httpx
        return ssl.create_default_context()
    return ssl.create_default_context(cafile=certifi.where())


def _pick(value: Any, default: float | None) -> float | None:
    """A per-call timeout, or the default when PTB passed DEFAULT_NONE."""
    if isinstance(value, DefaultValue):
        return default
    return None if value is None else float(value)


def _total(*parts: float | None) -> float | None:
    """The sum of timeouts, or None (no limit) when any of them is None."""
    return None if any(p is None for p in parts) else sum(p for p in parts if p is not None)


class AiohttpRequest(BaseRequest):
    """A :class:`telegram.request.BaseRequest` on one ``aiohttp.ClientSession``.

    Timeouts: ``pool_timeout + connect_timeout`` to get a connection (aiohttp has one limit
    for the pool wait and the connect), ``connect_timeout`` for the TCP/TLS connect,
    ``read_timeout`` between reads of the answer. aiohttp has no write timeout; uploads are
    bounded by a total of every timeout with ``media_write_timeout`` for the write.
    """

    def __init__(
        self,
        connection_pool_size: int = 64,
        *,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
        media_write_timeout: float | None = 20.0,
        trust_env: bool = True,
    ) -> None:
        self._pool_size = connection_pool_size
        self._read_timeout = read_timeout
        self._write_timeout = write_timeout
        self._connect_timeout = connect_timeout
        self._pool_timeout = pool_timeout
        self._media_write_timeout = media_write_timeout
        self._trust_env = trust_env
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        """The default read timeout (PTB adds the long-poll timeout to it for getUpdates)."""
        return self._read_timeout

    async def initialize(self) -> None:
        """Open the session (again, after :meth:`shutdown`)."""
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self._pool_size, limit_per_host=0)
            self._session = aiohttp.ClientSession(connector=connector, trust_env=self._trust_env)

    async def shutdown(self) -> None:
        """Close the session and its connections."""
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Send one request; return the HTTP status and the body."""
        session = self._session
        if session is None or session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        read = _pick(read_timeout, self._read_timeout)
        connect = _pick(connect_timeout, self._connect_timeout)
        pool = _pick(pool_timeout, self._pool_timeout)
        data: Any = None
        headers = BASE_HEADERS
        total: float | None = None
        if request_data is not None:
            if request_data.contains_files:
                # raw UTF-8 file names, as httpx sends them (quoting shows users %C3%A1...)
                form = aiohttp.FormData(quote_fields=False)
                for name, value in request_data.json_parameters.items():
                    form.add_field(name, value)
                for name, (filename, content, mime) in request_data.multipart_data.items():
                    form.add_field(name, content, filename=filename, content_type=mime)
                data = form
                write = _pick(write_timeout, self._media_write_timeout)
                total = _total(pool, connect, write, read)
            else:
                # JSON, not a form: percent-encoding Vietnamese text byte by byte in Python
                # cost ~0.5 ms per card; json.dumps is C. Telegram takes JSON for every method
                # but uploads, with nested objects (reply_markup) as objects.
                data = json.dumps(request_data.parameters, ensure_ascii=False).encode()
                headers = JSON_HEADERS
        timeout = aiohttp.ClientTimeout(
            total=total, connect=_total(pool, connect), sock_connect=connect, sock_read=read
        )
        try:
            async with session.request(
                method,
                url,
                data=data,
                headers=headers,
                timeout=timeout,
                ssl=_ssl_context() if url.startswith("https:") else True,
            ) as response:
                return response.status, await response.read()
        except TimeoutError as exc:  # aiohttp's timeouts are TimeoutErrors too
            raise TimedOut from exc
        except aiohttp.ClientError as exc:
            raise NetworkError(f"aiohttp.{type(exc).__name__}: {exc}") from exc
