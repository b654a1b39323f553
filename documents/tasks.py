"""Rendering documents in the background.

``acks_late``: the message is acknowledged only after the task ran, so a worker that dies mid-render
leaves the message to be delivered again; the services make that second run harmless (a ready document
is left alone, a half-written file is replaced). Database hiccups and storage errors are retried with
exponential back-off; anything else (a template error) marks the document failed with its reason.
"""

import logging

from celery import shared_task
from django.db import DatabaseError, InterfaceError, OperationalError

from . import services

logger = logging.getLogger(__name__)

TRANSIENT = (OperationalError, InterfaceError, OSError)
MAX_RETRIES = 5


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=MAX_RETRIES)
def render_document(self, document_id: int) -> str | None:
    try:
        document = services.document_render(document_id=document_id)
    except TRANSIENT as error:
        if self.request.retries >= MAX_RETRIES:
            logger.exception("Rendering document %s failed for good", document_id)
            services.document_fail(document_id=document_id, error=f"{type(error).__name__}: {error}")
            return "failed"
        countdown = min(600, 5 * 2 ** self.request.retries)
        logger.warning("Rendering document %s failed (%s); retrying in %s s", document_id, error, countdown)
        raise self.retry(exc=error, countdown=countdown)
    except DatabaseError as error:  # a programming error in a query: retrying will not help
        logger.exception("Rendering document %s failed", document_id)
        services.document_fail(document_id=document_id, error=f"{type(error).__name__}: {error}")
        return "failed"
    except Exception as error:  # noqa: BLE001 — any rendering error is recorded on the document
        logger.exception("Rendering document %s failed", document_id)
        services.document_fail(document_id=document_id, error=f"{type(error).__name__}: {error}")
        return "failed"
    return None if document is None else document.status


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=MAX_RETRIES)
def fill_batch(self, batch_id: int) -> int | None:
    """Ask for the documents of a batch (``services.batch_fill``); a retried run picks up where it stopped."""
    try:
        batch = services.batch_fill(batch_id=batch_id)
    except TRANSIENT as error:
        countdown = min(600, 5 * 2 ** self.request.retries)
        logger.warning("Filling batch %s failed (%s); retrying in %s s", batch_id, error, countdown)
        raise self.retry(exc=error, countdown=countdown)
    return None if batch is None else batch.documents.count()
