"""The contract page (one URL for every kind: a framework agreement with its consumption and the call-off
form, a shared hire with its cost sharing, a purchase contract with its lines), a new call-off, and the
agreement's own steps (terminate, renew). Every change is a service call."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contracts import rules
from core.errors import DomainError, InvalidInput
from core.pages import add_service_errors, report
from core.services import refusal
from procurement import permissions
from procurement.models import Organisation, Role
from procurement.services import available

from .. import selectors, services
from ..forms import CallOffForm, RenewForm, TerminateForm
from ..models import Contract, ContractState
from .base import visible_contract
from .hires import hire_page


def _call_off_organisations(user, contract: Contract):
    """The beneficiaries the user may call off for (its ICT staff or procurement officers)."""
    if not contract.is_framework or contract.state != ContractState.ACTIVE:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        benefits__contract=contract, pk__in=permissions.organisation_ids(user, Role.ICT, Role.PROCUREMENT)
    ).order_by("name")


def _framework_page(request, contract: Contract, *, form: CallOffForm | None = None, status: int = 200):
    user = request.user
    organisations = _call_off_organisations(user, contract)
    prices = services.framework_prices(contract)
    if form is None and organisations.exists():
        form = CallOffForm(organisations=organisations, prices=prices)
    manager = rules.may_manage_contract(user, contract)
    return render(request, "contracts/framework_detail.html", {
        "contract": contract, "initiative": contract.initiative, "consumption": selectors.consumption(contract, user),
        "call_offs": selectors.visible_call_offs(user, contract), "form": form, "prices": prices.values(),
        "actions": _actions(user, contract), "manager": manager,
        "sheet_url": reverse("api-contract-consumption-xlsx", args=[contract.pk]),
    }, status=status)


def _actions(user, contract: Contract) -> list[dict]:
    actions = [{"name": name, "label": STEPS[name][0], "danger": True}
               for name in available(contract, services.CONTRACT_TRANSITIONS, actor=user)]
    if (contract.is_framework and contract.state == ContractState.ACTIVE and contract.ends_on
            and rules.may_manage_contract(user, contract)
            and contract.renewals_used < contract.initiative.renewals):
        actions.insert(0, {"name": "renew", "label": STEPS["renew"][0], "danger": False})
    return actions


@login_required
def contract_detail(request, pk: int):
    contract = visible_contract(request.user, pk)
    if contract.is_framework:
        return _framework_page(request, contract)
    if contract.is_shared_hire:
        return hire_page(request, contract)
    return render(request, "contracts/purchase_detail.html", {
        "contract": contract, "initiative": contract.initiative,
        "lines": contract.lines.select_related("item", "organisation"), "actions": _actions(request.user, contract),
    })


@login_required
def call_off_create(request, pk: int):
    contract = visible_contract(request.user, pk)
    if request.method != "POST":  # the form lives on the contract page (a bookmark, a language switch)
        return redirect(reverse("contract-detail", args=[contract.pk]) + "#call-off-title")
    organisations = _call_off_organisations(request.user, contract)
    form = CallOffForm(request.POST, organisations=organisations, prices=services.framework_prices(contract))
    if not form.is_valid():
        return _framework_page(request, contract, form=form, status=400)
    try:
        call_off = services.call_off_create(contract=contract, actor=request.user, **form.service_input())
    except InvalidInput as error:
        add_service_errors(form, error)
        line_errors(form, error, form.service_input()["lines"])
        return _framework_page(request, contract, form=form, status=report(request, error))
    except DomainError as error:
        return _framework_page(request, contract, form=form, status=report(request, error))
    messages.success(request, _("Call-off %(number)s is prepared (draft): check it and order it.")
                     % {"number": call_off.number})
    return redirect("call-off-detail", pk=call_off.pk)


def line_errors(form, error: InvalidInput, lines: list[dict]) -> None:
    """Put the service's errors by position (``{"lines": [{}, {"quantity": [..]}]}``) on the item's field."""
    rows = (error.errors or {}).get("lines")
    if not isinstance(rows, list):
        return
    for row, line in zip(rows, lines, strict=False):
        if isinstance(row, dict):
            for messages_ in row.values():
                for message in messages_:
                    form.add_error(f"qty_{line['item']}", message)


STEPS = {
    "terminate": (gettext_lazy("Terminate the contract"),
                  gettext_lazy("Terminate now? No call-off can be ordered afterwards; open call-offs are still "
                               "delivered and closed."), TerminateForm, services.contract_terminate),
    "renew": (gettext_lazy("Renew"), gettext_lazy("Use one of the renewals foreseen in the tender? The end date moves "
                                                  "later."), RenewForm, services.contract_renew),
}


@login_required
def contract_transition(request, pk: int, name: str):
    if name not in STEPS:
        raise Http404
    contract = visible_contract(request.user, pk)
    label, question, form_class, service = STEPS[name]
    status = 200
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            try:
                service(contract=contract, actor=request.user, **form.service_input())
            except InvalidInput as error:
                add_service_errors(form, error)
                status = report(request, error)
            except DomainError as error:
                status = report(request, error)
            else:
                messages.success(request, _("Done: %(step)s.") % {"step": str(label).lower()})
                return redirect("contract-detail", pk=contract.pk)
        else:
            status = 400
    else:
        form = form_class()
        if name == "terminate":
            error = refusal(contract, name, actor=request.user)
            if error is not None:
                messages.error(request, error.message)
                status = error.status
        elif not rules.may_manage_contract(request.user, contract):
            messages.error(request, _("Only procurement officers of the lead organisation can do this."))
            status = 403
    return render(request, "contracts/confirm.html", {
        "contract": contract, "initiative": contract.initiative, "label": label, "question": question, "form": form,
        "danger": name == "terminate", "back": reverse("contract-detail", args=[contract.pk]),
    }, status=status)
