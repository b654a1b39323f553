"""Issuing and revoking a user's calendar feed token. Each user may only manage their own feed, so the
actor is the owner; the audit log keeps who issued or revoked a token when (a leaked token is a leak of
that person's deadlines)."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import log as audit
from core.errors import NotAllowed

from .models import CalendarFeed


def active_feed(user) -> CalendarFeed | None:
    if user is None or not user.is_authenticated:
        return None
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).first()


def feed_for_token(token: str) -> CalendarFeed | None:
    """The active feed of an active user with this token, or None (the caller answers 404)."""
    if not token:
        return None
    return (
        CalendarFeed.objects.select_related("user")
        .filter(token=token, revoked_at__isnull=True, user__is_active=True)
        .first()
    )


def feed_issue(*, actor) -> CalendarFeed:
    """A new secret address for ``actor``'s calendar; the previous one (if any) stops working at once."""
    with transaction.atomic():
        # The user's row lock serialises two clicks on "renew": one active feed per user, always.
        get_user_model().objects.select_for_update().filter(pk=actor.pk).first()
        renewed = CalendarFeed.objects.filter(user=actor, revoked_at__isnull=True).update(revoked_at=timezone.now()) > 0
        feed = CalendarFeed.objects.create(user=actor)
        audit.record(action="opendata.calendar_feed.renewed" if renewed else "opendata.calendar_feed.issued",
                     obj=feed, actor=actor)
    return feed


def feed_revoke(*, actor, user=None) -> bool:
    """Revoke ``user``'s calendar address (``actor``'s own by default; staff may revoke anyone's, from the
    admin, when an address leaked). False when there was none."""
    user = actor if user is None else user
    if user.pk != actor.pk and not actor.is_staff:
        raise NotAllowed(_("You can only revoke your own calendar address."))
    with transaction.atomic():
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        feed = CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).first()
        if feed is None:
            return False
        feed.revoked_at = timezone.now()
        feed.save(update_fields=["revoked_at"])
        audit.record(action="opendata.calendar_feed.revoked", obj=feed, actor=actor, data={"user": user.pk})
    return True
