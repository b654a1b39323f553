"""The list of the contracts a user may see (the lead's, its own, the agreements it benefits from), with search,
filters on kind and state and a sort. Unknown values in the query string are ignored."""

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from ..models import Contract, ContractKind, ContractState

SORTS = {
    "start": ("-starts_on", _("newest first")),
    "end": ("ends_on", _("ending soonest first")),
    "initiative": ("initiative__title", _("initiative A–Z")),
    "value": ("-value", _("highest value first")),
}


@login_required
def contract_list(request):
    get = request.GET
    q = get.get("q", "").strip()[:100]
    kind = get.get("kind", "") if get.get("kind", "") in ContractKind.values else ""
    state = get.get("state", "") if get.get("state", "") in ContractState.values else ""
    sort = get.get("sort", "start") if get.get("sort", "start") in SORTS else "start"
    contracts = Contract.objects.visible_to(request.user).select_related("initiative", "lot", "supplier",
                                                                         "organisation")
    if q:
        contracts = contracts.filter(Q(initiative__title__icontains=q) | Q(supplier__name__icontains=q)
                                     | Q(candidate__icontains=q) | Q(organisation__name__icontains=q))
    if kind:
        contracts = contracts.filter(kind=kind)
    if state:
        contracts = contracts.filter(state=state)
    contracts = contracts.order_by(SORTS[sort][0], "id")
    return render(request, "contracts/contract_list.html", {
        "contracts": contracts[:500], "q": q, "kind": kind, "state": state, "sort": sort,
        "kinds": ContractKind.choices, "states": ContractState.choices,
        "sorts": [(key, label) for key, (_field, label) in SORTS.items()],
        "filtered": bool(q or kind or state),
    })
