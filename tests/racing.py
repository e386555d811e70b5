"""Real parallel attempts for the PostgreSQL concurrency tests.

``race(count, attempt)`` starts ``count`` threads that wait at one barrier, then each calls
``attempt(index)`` on its own database connection (closed afterwards). It returns what the attempts
returned and what they raised, so a test asserts how many went through and why the others were
refused. The data the attempts read must be committed outside the test transaction
(``django_db_blocker.unblock()``), since every thread has its own connection.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.db import connections


def race(count: int, attempt: Callable[[int], Any]) -> tuple[list[Any], list[BaseException]]:
    results: list[Any] = []
    errors: list[BaseException] = []
    start = threading.Barrier(count)

    def run(index: int) -> None:
        try:
            start.wait()
            results.append(attempt(index))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors
