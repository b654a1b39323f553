"""Running service calls at the same moment from several threads, for the PostgreSQL concurrency tests."""

import threading

from django.db import connection

from core.errors import DomainError


def run_at_once(*calls) -> list:
    """Start every call in its own thread (own connection) at the same moment; return results or errors."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait()
            results[i] = call()
        except DomainError as error:
            results[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
