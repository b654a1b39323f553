"""The shared-hire page (the position, the cost model, the versions of the allocation key and the quarterly
statements of a year), and the lead's forms for the cost model and a new version of the key."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from contracts import rules
from core.errors import DomainError, InvalidInput
from core.pages import add_service_errors, attempt, report

from .. import actions, costs, services
from ..forms import AllocationKeyForm, CostModelForm
from ..models import Contract, ContractState, SharedHire
from .base import visible_contract


def _year(request, contract: Contract, years: list[int]) -> int:
    raw = request.GET.get("year", "")
    if raw.isdigit() and int(raw) in years:
        return int(raw)
    today = timezone.localdate().year
    return today if today in years else years[0]


def hire_page(request, contract: Contract):
    hire = SharedHire.objects.filter(contract=contract).select_related("employer").first()
    user = request.user
    manager = rules.may_manage_contract(user, contract)
    context = {"contract": contract, "initiative": contract.initiative, "hire": hire, "manager": manager,
               "editable": manager and contract.state == ContractState.ACTIVE and hire is not None,
               "actions": actions.CONTRACT.buttons(contract, actor=user)}
    if hire is not None:
        years = costs.years(contract, today=timezone.localdate())
        year = _year(request, contract, years)
        key_versions = costs.versions(contract)
        statements = [costs.statement(contract, costs.Quarter(year, q), key_versions=key_versions) for q in (1, 2, 3, 4)]
        organisations = sorted({(r.organisation.name, r.organisation.pk) for s in statements for r in s.rows})
        amounts = {(s.period.quarter, r.organisation.pk): r for s in statements for r in s.rows}
        rows = [{"name": name, "cells": [amounts.get((s.period.quarter, pk)) for s in statements],
                 "total": sum((amounts[(s.period.quarter, pk)].amount for s in statements
                               if (s.period.quarter, pk) in amounts), costs.ZERO)}
                for name, pk in organisations]
        context.update({
            "years": years, "year": year, "versions": key_versions, "statements": statements, "rows": rows,
            "year_total": sum((s.cost for s in statements), costs.ZERO),
            "annual_cost": costs.to_cents(costs.annual_cost(hire, year)),
            "sheet_url": reverse("api-cost-statements-xlsx", args=[contract.pk]) + f"?year={year}",
        })
    return render(request, "contracts/hire_detail.html", context)


def _manager_hire(request, pk: int) -> tuple[Contract, SharedHire]:
    contract = visible_contract(request.user, pk)
    hire = SharedHire.objects.filter(contract=contract).first()
    if hire is None:
        raise PermissionDenied(_("This is not a shared hire: it has no cost sharing."))
    if not rules.may_manage_contract(request.user, contract):
        raise PermissionDenied(_("Only procurement officers of the lead organisation can change the cost sharing."))
    return contract, hire


@login_required
def cost_model_edit(request, pk: int):
    contract, hire = _manager_hire(request, pk)
    status = 200
    form = CostModelForm.for_hire(hire, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            _result, status = attempt(request, lambda: services.cost_model_update(
                contract=contract, actor=request.user, **form.cleaned_data), form=form)
            if status == 200:
                messages.success(request, _("The cost model is saved; the statements follow it."))
                return redirect("contract-detail", pk=contract.pk)
        else:
            status = 400
    return render(request, "contracts/hire_form.html", {
        "contract": contract, "initiative": contract.initiative, "form": form, "title": _("Cost model"),
        "rows": [], "back": reverse("contract-detail", args=[contract.pk]),
    }, status=status)


@login_required
def allocation_key_create(request, pk: int):
    contract, hire = _manager_hire(request, pk)
    latest = costs.versions(contract)[-1:]
    current = {organisation.pk: value for organisation, value in latest[0].shares} if latest else {}
    organisations = services.eligible_organisations(contract)
    status = 200
    initial = {"basis": latest[0].key.basis if latest else "fte"}
    form = AllocationKeyForm(request.POST if request.method == "POST" else None, organisations=organisations,
                             current=current, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.allocation_key_add(contract=contract, actor=request.user, **form.service_input())
            except InvalidInput as error:
                add_service_errors(form, error)
                _share_errors(form, error)
                status = report(request, error)
            except DomainError as error:
                status = report(request, error)
            else:
                messages.success(request, _("The new version of the allocation key is saved."))
                return redirect("contract-detail", pk=contract.pk)
        else:
            status = 400
    return render(request, "contracts/hire_form.html", {
        "contract": contract, "initiative": contract.initiative, "form": form,
        "title": _("New version of the allocation key"), "rows": form.rows(), "hire": hire,
        "back": reverse("contract-detail", args=[contract.pk]),
    }, status=status)


def _share_errors(form: AllocationKeyForm, error: InvalidInput) -> None:
    rows = (error.errors or {}).get("shares")
    if not isinstance(rows, list):
        return
    shares = form.service_input()["shares"]
    for row, share in zip(rows, shares, strict=False):
        if isinstance(row, dict):
            for messages_ in row.values():
                for message in messages_:
                    form.add_error(f"share_{share['organisation']}", message)
