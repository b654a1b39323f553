"""E-mail to the people of an organisation, rendered from ``templates/email/`` in each person's language.

Senders call ``notify`` from Celery tasks only; the domain events reach the tasks on commit.
"""

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import translation

logger = logging.getLogger(__name__)


def notify(*, users: Iterable, template: str, context: dict, language: str | None = None) -> int:
    """Send ``email/<template>.txt`` (and ``.html`` when present) to each user with an address.

    Returns the number of mails sent. One mail per person: addresses are never put side by side."""
    sent = 0
    for user in users:
        if not user.email:
            logger.info("No e-mail address for %s; %s not sent", user, template)
            continue
        with translation.override(language or settings.LANGUAGE_CODE):
            ctx = {"user": user, "site_url": settings.SITE_URL, **context}
            subject = " ".join(render_to_string(f"email/{template}.subject.txt", ctx).split())
            body = render_to_string(f"email/{template}.txt", ctx)
            message = EmailMultiAlternatives(subject=subject, body=body, to=[user.email])
            try:
                message.attach_alternative(render_to_string(f"email/{template}.html", ctx), "text/html")
            except TemplateDoesNotExist:  # a plain-text mail is fine
                pass
            message.send()
        sent += 1
    return sent
