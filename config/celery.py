"""The Celery application.

Celery's Django fix-up makes every task a ``DjangoTask``, which adds ``delay_on_commit``; services use
that (or ``transaction.on_commit``) so that no task ever sees a row that was rolled back.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("samenaankoop")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
