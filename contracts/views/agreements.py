"""The contract page (one URL for every kind: a framework agreement with its consumption and the call-off
form, a shared hire with its cost sharing, a purchase contract with its lines), a new call-off, and the
agreement's own steps (terminate, renew). Every change is a service call."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contracts import rules
from core.actions import Action
from core.pages import action_page, attempt
from procurement import permissions
from procurement.models import Organisation, Role

from .. import actions, selectors, services
from ..forms import CallOffForm, RenewForm
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


def _actions(user, contract: Contract) -> list[Action]:
    buttons: list[Action] = actions.CONTRACT.buttons(contract, actor=user)
    if (contract.is_framework and contract.state == ContractState.ACTIVE and contract.ends_on
            and rules.may_manage_contract(user, contract)
            and contract.renewals_used < contract.initiative.renewals):
        buttons.insert(0, RENEW)
    return buttons


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
    call_off, status = attempt(request, lambda: services.call_off_create(
        contract=contract, actor=request.user, **form.service_input()), form=form)
    if status != 200:
        return _framework_page(request, contract, form=form, status=status)
    messages.success(request, _("Call-off %(number)s is prepared (draft): check it and order it.")
                     % {"number": call_off.number})
    return redirect("call-off-detail", pk=call_off.pk)


# Renewing is no transition (the agreement stays active): its own confirmation, beside the action table's.
RENEW = Action("renew", services.contract_renew, "Renew", label=gettext_lazy("Renew"),
               question=gettext_lazy("Use one of the renewals foreseen in the tender? The end date moves later."),
               done=gettext_lazy("The agreement is renewed."), form=RenewForm)


@login_required
def contract_transition(request, pk: int, name: str):
    contract = visible_contract(request.user, pk)
    context = {"contract": contract, "initiative": contract.initiative}
    back = reverse("contract-detail", args=[contract.pk])
    if name != RENEW.name:
        return action_page(request, table=actions.CONTRACT, name=name, obj=contract, template="contracts/confirm.html",
                           context=context, success_url=back)
    form = RenewForm(request.POST or None)
    status = 200
    if not rules.may_manage_contract(request.user, contract):
        messages.error(request, _("Only procurement officers of the lead organisation can do this."))
        status = 403
    elif request.method == "POST":
        status = 400
        if form.is_valid():
            _result, status = attempt(request, lambda: services.contract_renew(
                contract=contract, actor=request.user, **form.service_input()), form=form)
            if status == 200:
                messages.success(request, RENEW.done)
                return redirect(back)
    return render(request, "contracts/confirm.html", {**context, "action": RENEW, "form": form, "back": back},
                  status=status)
