"""Template filters for the Belgian way of writing money, numbers, dates and deadlines.

Always ``1.234,56 €``, ``21-11-2026 17:00`` (Europe/Brussels) and ``2,5``, whatever the page's language:
the people who use this are Flemish civil servants, also when they read the English pages.
"""

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core import formatting
from procurement import permissions
from procurement.models import InitiativeState, ParticipationState

register = template.Library()


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


@register.filter
def money(value) -> str:
    """``1234.5`` → ``1.234,50 €``; empty for no value."""
    number = _decimal(value)
    return "" if number is None else formatting.money(number)


@register.filter
def number(value) -> str:
    """A quantity: ``1234.50`` → ``1.234,5``, ``40.00`` → ``40``."""
    amount = _decimal(value)
    return "" if amount is None else formatting.quantity(amount)


@register.filter
def input_number(value) -> str:
    """A quantity for an input field: ``40.00`` → ``40``, ``2.50`` → ``2,5`` (no thousands separator)."""
    amount = _decimal(value)
    return "" if amount is None else formatting.input_quantity(amount)


@register.filter
def percent(value) -> str:
    return formatting.percent(_decimal(value))


@register.filter
def deadline(value) -> str:
    """``21-11-2026 17:00`` in Brussels time."""
    if not isinstance(value, datetime):
        return ""
    return formatting.deadline(value)


@register.filter
def day(value) -> str:
    """``21-11-2026``."""
    return formatting.day(value) if isinstance(value, date) else ""


@register.filter
def iso_local(value) -> str:
    """The value for an ``<input type="datetime-local">`` in Brussels time."""
    if not isinstance(value, datetime):
        return ""
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


@register.filter
def time_left(value) -> str:
    """How long until a deadline, in words: "3 days 4 hours left", "45 minutes left", "passed"."""
    if not isinstance(value, datetime):
        return ""
    seconds = int((value - timezone.now()).total_seconds())
    if seconds <= 0:
        return _("deadline passed")
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days >= 2:
        return ngettext("%(days)d day left", "%(days)d days left", days) % {"days": days}
    if days == 1:
        return ngettext("1 day %(hours)d hour left", "1 day %(hours)d hours left", hours) % {"hours": hours}
    if hours:
        return ngettext("%(hours)d hour left", "%(hours)d hours left", hours) % {"hours": hours}
    return ngettext("%(minutes)d minute left", "%(minutes)d minutes left", max(minutes, 1)) % {
        "minutes": max(minutes, 1)
    }


@register.filter
def urgency(value) -> str:
    """A CSS modifier for a deadline: ``passed``, ``soon`` (within three days) or ``later``."""
    if not isinstance(value, datetime):
        return ""
    seconds = (value - timezone.now()).total_seconds()
    if seconds <= 0:
        return "passed"
    return "soon" if seconds <= 3 * 86400 else "later"


@register.filter
def has_role(user, role: str) -> bool:
    """Whether the user holds ``role`` in any organisation (for the navigation)."""
    return bool(permissions.organisation_ids(user, role))


@register.simple_tag
def field_error_id(field) -> str:
    return f"{field.auto_id}-error" if field.errors else ""


ACTIONS = {
    "procurement.initiative.proposed": gettext_lazy("idea proposed"),
    "procurement.initiative.created": gettext_lazy("initiative created"),
    "procurement.initiative.adopted": gettext_lazy("idea adopted"),
    "procurement.initiative.shelved": gettext_lazy("idea shelved"),
    "procurement.initiative.updated": gettext_lazy("details changed"),
    "procurement.initiative.pooling_opened": gettext_lazy("pooling opened"),
    "procurement.initiative.pooling_closed": gettext_lazy("pooling closed"),
    "procurement.initiative.pooling_reopened": gettext_lazy("pooling reopened"),
    "procurement.initiative.participants_confirmed": gettext_lazy("participants confirmed"),
    "procurement.initiative.cancelled": gettext_lazy("initiative cancelled"),
    "procurement.initiative.closed": gettext_lazy("initiative closed"),
    "procurement.initiative.threshold_crossed": gettext_lazy("pooled value crossed a threshold"),
    "procurement.interest.registered": gettext_lazy("interest registered"),
    "procurement.lot.added": gettext_lazy("lot added"),
    "procurement.lot.changed": gettext_lazy("lot changed"),
    "procurement.lot.removed": gettext_lazy("lot removed"),
    "procurement.item.added": gettext_lazy("item added"),
    "procurement.item.changed": gettext_lazy("item changed"),
    "procurement.item.removed": gettext_lazy("item removed"),
    "procurement.participation.joined": gettext_lazy("joined"),
    "procurement.participation.demand_changed": gettext_lazy("demand changed"),
    "procurement.participation.submitted": gettext_lazy("submitted for approval"),
    "procurement.participation.reopened": gettext_lazy("reopened"),
    "procurement.participation.approved": gettext_lazy("approved"),
    "procurement.participation.declined": gettext_lazy("declined"),
    "procurement.participation.withdrawn": gettext_lazy("withdrawn"),
    "procurement.participation.lapsed": gettext_lazy("lapsed"),
    "procurement.initiative.tender_started": gettext_lazy("tender started"),
    "procurement.initiative.awarded": gettext_lazy("awarded"),
    "procurement.initiative.concluded": gettext_lazy("contracts concluded"),
    "procurement.initiative.unsuccessful": gettext_lazy("tender unsuccessful"),
    "procurement.tender.created": gettext_lazy("tender created"),
    "procurement.tender.updated": gettext_lazy("tender changed"),
    "procurement.tender.published": gettext_lazy("tender published"),
    "procurement.tender.bids_closed": gettext_lazy("bids closed"),
    "procurement.tender.evaluated": gettext_lazy("bids evaluated"),
    "procurement.tender.awarded": gettext_lazy("award decided"),
    "procurement.tender.standstill_started": gettext_lazy("standstill period started"),
    "procurement.tender.concluded": gettext_lazy("tender concluded"),
    "procurement.tender.cancelled": gettext_lazy("tender cancelled"),
    "procurement.tender.failed": gettext_lazy("tender failed"),
    "procurement.bid.received": gettext_lazy("bid received"),
    "procurement.bid.assessed": gettext_lazy("bid assessed"),
    "procurement.supplier.registered": gettext_lazy("supplier registered"),
}
STATES = {**dict(InitiativeState.choices), **dict(ParticipationState.choices)}


@register.filter
def action_label(code: str) -> str:
    """An audit action code in words (unknown codes as they are)."""
    return str(ACTIONS.get(code, code))


@register.filter
def state_label(code: str) -> str:
    return str(STATES.get(code, code)) if code else ""
