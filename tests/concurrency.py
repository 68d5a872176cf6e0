"""Requests really at once, for the races that only show on a database with concurrent
connections (PostgreSQL in CI): each request in its own thread, with its own connection."""

import contextlib
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection


def needs_concurrent_connections() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs a database with concurrent connections (CI runs it on PostgreSQL)")


def hold_until_all_arrive(monkeypatch, target: Any, name: str, count: int, timeout: float = 3):
    """Hold every call of ``target.name`` until ``count`` calls have arrived (or ``timeout``
    seconds passed, when a lock keeps the others from arriving): the worst interleaving, where
    every request has read before any writes."""
    barrier = threading.Barrier(count, timeout=timeout)
    real = getattr(target, name)

    def held(*args: Any, **kwargs: Any) -> Any:
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait()
        return real(*args, **kwargs)

    monkeypatch.setattr(target, name, held)


def at_once(count: int, request: Callable[[int], int]) -> list[int]:
    """``request(0)`` … ``request(count - 1)`` in threads released together; their results."""
    start = threading.Barrier(count, timeout=30)
    results: list[int] = []

    def run(n: int) -> None:
        try:
            start.wait()
            results.append(request(n))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
