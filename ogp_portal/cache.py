"""Django's Redis cache with one client a process, and its reads on a connection of their own.

``django.core.cache.backends.redis.RedisCacheClient.get_client`` builds a new ``redis.Redis``
on every cache call; its constructor fills a table of some 170 response callbacks, which
cost more than the round trip of a cache hit (a page from the cache: ``portal/pagecache.py``).
The client keeps no connection of its own (the pool does, and the pool stays one a process
as before), so one client for each pool serves every call of the process, threads included.

A read (``get``, ``get_many``) is the one command every page from the cache sends, and going
through ``redis.Redis`` (the pool's checks on each checkout, the retry wrapper, the response
callbacks) costs three times the command itself. Reads are sent instead on a connection each
thread keeps (made as the pool makes its own: same server, database, password, TLS, timeouts
and parser), packed and read directly; writes still go through the client.
"""

from __future__ import annotations

import os
import threading
from typing import Any

from django.core.cache.backends import redis as django_redis
from redis.exceptions import RedisError

# What a cache call raises when Redis cannot be reached or answer (refused, reset, timed out).
UNREACHABLE: tuple[type[Exception], ...] = (RedisError, OSError)


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}
        self._readers = threading.local()

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
        client = self._clients.get(id(pool))
        if client is None:
            client = self._client(connection_pool=pool)  # type: ignore[attr-defined]
            self._clients[id(pool)] = client
        return client

    def get(self, key: Any, default: Any) -> Any:
        value = self._read("GET", key)
        return default if value is None else self._serializer.loads(value)  # type: ignore[attr-defined]

    def get_many(self, keys: Any) -> dict[Any, Any]:
        keys = list(keys)
        if not keys:
            return {}
        values = self._read("MGET", *keys)
        loads = self._serializer.loads  # type: ignore[attr-defined]
        pairs = zip(keys, values, strict=True)
        return {key: loads(value) for key, value in pairs if value is not None}

    def _read(self, *command: Any) -> Any:
        """The reply to ``command`` on this thread's connection. A connection Redis has closed
        (a restart, an idle timeout) is found on the first use after it: that command is sent
        once more on a new one. A timeout drops the connection (its late reply would answer
        the next command) and is raised, as the client raises it."""
        connection = self._reader()
        redis = self._lib  # type: ignore[attr-defined]
        packed = connection.pack_command(*command)
        for attempt in (1, 2):
            try:
                connection.send_packed_command(packed, check_health=False)
                return connection.read_response(disable_decoding=True)
            except redis.ConnectionError:
                connection.disconnect()
                if attempt == 2:
                    raise
            except (redis.TimeoutError, OSError):
                connection.disconnect()
                raise
        raise AssertionError("unreachable")

    def _reader(self) -> Any:
        """This thread's reading connection, made anew in a forked process (a connection is
        never shared with the parent's, whose replies it would read)."""
        connection = getattr(self._readers, "connection", None)
        if connection is None or connection.pid != os.getpid():
            pool = self._get_connection_pool(False)  # type: ignore[attr-defined]
            connection = pool.connection_class(**pool.connection_kwargs)
            self._readers.connection = connection
        return connection


class RedisCache(django_redis.RedisCache):
    """``django.core.cache.backends.redis.RedisCache``, its client kept and its reads on a
    connection of their own (see above)."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient
