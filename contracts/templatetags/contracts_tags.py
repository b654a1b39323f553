"""Template helpers for pages of other apps that show contracts (``procurement`` and ``tendering`` may not import us)."""

from django import template

from contracts.models import Contract
from core import formatting

register = template.Library()


@register.simple_tag
def contracts_of_tender(user, tender):
    """The contracts of ``tender`` that ``user`` may see: all for the lead, its own for a participant."""
    return (Contract.objects.visible_to(user).filter(tender=tender)
            .select_related("lot", "organisation", "supplier").order_by("lot__number", "organisation__name", "id"))


@register.filter
def fraction(value) -> str:
    """An FTE or a share with up to four decimals, the Belgian way: ``0,3333``, ``1``."""
    try:
        return formatting.fraction(value)
    except (TypeError, ValueError, ArithmeticError):
        return ""
