"""What the contracts' pages share: finding what a user may see (anything else is a 404)."""

from django.shortcuts import get_object_or_404

from ..models import CallOff, Contract


def visible_contract(user, pk: int) -> Contract:
    return get_object_or_404(
        Contract.objects.visible_to(user).select_related("initiative", "initiative__lead_organisation", "lot",
                                                         "supplier", "tender", "organisation"), pk=pk)


def visible_call_off(user, pk: int) -> CallOff:
    return get_object_or_404(
        CallOff.objects.visible_to(user).select_related("contract", "contract__initiative",
                                                        "contract__initiative__lead_organisation", "contract__lot",
                                                        "contract__supplier", "contract__tender", "organisation"),
        pk=pk)
