"""The project's Celery app (``config.celery``) for the crash tests, with one test hook.

A worker subprocess started with ``celery -A tests.reliability.slow_worker worker`` is the product's
worker — same app, same settings, same tasks — except that, when ``SLOW_RENDER_MARKER`` names a file that
does not exist yet, the first PDF render of the process tree writes its process id into that file and
sleeps ``SLOW_RENDER_SECONDS`` before rendering. The test waits for the file and kills the worker while
it sleeps: in the middle of rendering. A redelivered render finds the file and renders at full speed.

The broker's visibility timeout is shortened (``RELIABILITY_VISIBILITY_TIMEOUT``), so that a message
whose worker died unacknowledged is delivered again within seconds instead of the default hour.
"""

import os
import time
from pathlib import Path

from config.celery import app

__all__ = ["app"]

if os.environ.get("RELIABILITY_VISIBILITY_TIMEOUT"):
    app.conf.broker_transport_options = {
        "visibility_timeout": float(os.environ["RELIABILITY_VISIBILITY_TIMEOUT"]),
        # Look for abandoned messages every second, not every 10 × 10 s.
        "unacked_restore_interval": 1,
        "unacked_restore_throttle": 1,
    }


def _install_slow_render() -> None:
    marker = os.environ.get("SLOW_RENDER_MARKER")
    if not marker:
        return
    from documents import rendering

    original = rendering.render_pdf

    def slow_render_pdf(*args, **kwargs):
        path = Path(marker)
        try:
            # O_EXCL: of several attempts only the first one sleeps.
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL)
        except FileExistsError:
            return original(*args, **kwargs)
        with os.fdopen(fd, "w") as file:
            file.write(str(os.getpid()))
        time.sleep(float(os.environ.get("SLOW_RENDER_SECONDS", "60")))
        return original(*args, **kwargs)

    rendering.render_pdf = slow_render_pdf


_install_slow_render()
