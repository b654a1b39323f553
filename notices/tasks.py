"""Validating notices in the background: compiling the validator takes seconds, a notice a fraction of one.

The first task in a worker process compiles the Schematron (from the XSLT cached on disk, transpiled on the
first run on this machine); later tasks reuse it. Database hiccups are retried; any other error marks the
notice ``failed`` with its reason (shown as "validation could not run", never as valid).
"""

import logging

from celery import shared_task
from django.db import InterfaceError, OperationalError

from . import services

logger = logging.getLogger(__name__)

TRANSIENT = (OperationalError, InterfaceError)
MAX_RETRIES = 5


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=MAX_RETRIES)
def validate_notice(self, notice_id: int) -> str | None:
    try:
        notice = services.notice_validate(notice_id=notice_id)
    except TRANSIENT as error:
        if self.request.retries >= MAX_RETRIES:
            logger.exception("Validating notice %s failed for good", notice_id)
            services.notice_fail(notice_id=notice_id, error=f"{type(error).__name__}: {error}")
            return "failed"
        raise self.retry(exc=error, countdown=min(600, 5 * 2 ** self.request.retries))
    except Exception as error:  # noqa: BLE001 — recorded on the notice, which then is not offered as valid
        logger.exception("Validating notice %s failed", notice_id)
        services.notice_fail(notice_id=notice_id, error=f"{type(error).__name__}: {error}")
        return "failed"
    return None if notice is None else notice.status

