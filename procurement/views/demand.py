"""A participation's page: the demand grid (ICT staff enter quantities, save a draft, submit, reopen),
read-only for everybody else and after the deadline, with the decision and the audit trail."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit import log as audit
from core import money
from core.errors import DomainError, InvalidInput
from core.pages import report
from core.services import refusal
from procurement import actions, permissions, selectors, services
from procurement.forms import DemandForm, WithdrawForm
from procurement.models import Item, Participation, ParticipationState

from .base import visible_participation

P = ParticipationState


def read_only_reason(participation: Participation, user) -> str:
    """Why the grid cannot be edited now, in words (the service's own refusal); empty when it can."""
    refused = services.demand_refusal(participation, actor=user)
    return "" if refused is None else refused.message


def grid(participation: Participation, form: DemandForm) -> tuple[list[dict], dict]:
    """Lots with their item rows and the amounts of the saved lines, for the table and the JS totals."""
    initiative = participation.initiative
    lines = {line.item_id: line for line in participation.lines.all()}
    items = Item.objects.filter(lot__initiative=initiative).select_related("lot").order_by("lot__number", "position", "id")
    lots: dict[int, dict] = {}
    total = total_incl = Decimal("0")  # exact: rounded to the cent once, as the API, sheets and PDFs do
    for item in items:
        line = lines.get(item.pk)
        quantity = line.quantity if line else Decimal("0")
        exact = selectors.lines_value(initiative, [(item.estimated_unit_price, quantity,
                                                    line.max_quantity if line else None)])
        lot = lots.setdefault(item.lot_id, {"lot": item.lot, "rows": [], "exact": Decimal("0")})
        lot["rows"].append({
            "item": item, "line": line, "amount": money.cents(exact),
            "field": form[f"quantity_{item.pk}"],
            "max_field": form[f"max_{item.pk}"] if initiative.is_framework else None,
        })
        lot["exact"] += exact
        total += exact
        total_incl += exact * (100 + item.vat_rate) / 100
    for lot in lots.values():
        lot["subtotal"] = money.cents(lot.pop("exact"))
    excl, incl = money.cents(total), money.cents(total_incl)
    return list(lots.values()), {"excl": excl, "incl": incl, "vat": incl - excl}


def _context(request, participation: Participation, form: DemandForm | None = None) -> dict:
    user = request.user
    initiative = participation.initiative
    reason = read_only_reason(participation, user)
    lines = {line.item_id: line for line in participation.lines.all()}
    if form is None:
        form = DemandForm(items=Item.objects.filter(lot__initiative=initiative).order_by("lot__number", "position", "id"),
                          framework=initiative.is_framework, lines=lines, disabled=bool(reason))
    lots, totals = grid(participation, form)
    pooled = selectors.demand_totals(initiative).pooled_value
    subtotal = selectors.participation_subtotal(participation)
    buttons = actions.PARTICIPATION.buttons(participation, actor=user)
    return {
        "participation": participation,
        "initiative": initiative,
        "form": form,
        "lots": lots,
        "totals": totals,
        "editable": not reason,
        "read_only_reason": reason,
        "may_reopen": any(action.name == "reopen" for action in buttons),
        "may_withdraw": any(action.name == "withdraw" for action in buttons),
        "may_decide": permissions.may_decide(user, participation) and participation.state == P.SUBMITTED,
        "share": (subtotal / pooled * 100) if pooled else None,
        "pooled_value": pooled,
        "trail": audit.trail(participation)[:30],
    }


@login_required
def participation_detail(request, pk: int):
    """GET shows the grid; POST saves the draft (``action=save``) or saves and submits (``action=submit``)."""
    user = request.user
    participation = visible_participation(user, pk)
    if request.method != "POST":
        return render(request, "procurement/participation_detail.html", _context(request, participation))
    initiative = participation.initiative
    items = Item.objects.filter(lot__initiative=initiative).order_by("lot__number", "position", "id")
    form = DemandForm(request.POST, items=items, framework=initiative.is_framework)
    status = 400
    if form.is_valid():
        submit = request.POST.get("action") == "submit"
        try:
            # Save and submit together: a refused submission keeps nothing, the typed values stay on screen.
            with transaction.atomic():
                services.demand_set(participation=participation, actor=user, lines=form.parsed_lines)
                if submit:
                    services.participation_submit(participation=participation, actor=user)
        except InvalidInput as error:
            form.add_line_errors(error)
            status = report(request, error)
        except DomainError as error:
            status = report(request, error)
        else:
            if submit:
                messages.success(request, _("The demand is submitted. The aldermen of %(organisation)s are asked "
                                            "to decide.") % {"organisation": participation.organisation})
            else:
                messages.success(request, _("The draft is saved."))
            return redirect("participation-detail", pk=participation.pk)
    context = _context(request, participation, form=form)
    return render(request, "procurement/participation_detail.html", context, status=status)


@login_required
@require_POST
def participation_reopen(request, pk: int):
    participation = visible_participation(request.user, pk)
    try:
        services.participation_reopen(participation=participation, actor=request.user)
    except DomainError as error:
        report(request, error)
    else:
        messages.success(request, _("The participation is a draft again; change the demand and submit it again."))
    return redirect("participation-detail", pk=participation.pk)


@login_required
def participation_withdraw(request, pk: int):
    user = request.user
    participation = visible_participation(user, pk)
    form = WithdrawForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.participation_withdraw(participation=participation, actor=user,
                                                reason=form.cleaned_data["reason"])
            except DomainError as error:
                status = report(request, error)
            else:
                messages.success(request, _("%(organisation)s no longer takes part.")
                                 % {"organisation": participation.organisation})
                return redirect("participation-detail", pk=participation.pk)
    else:
        error = refusal(participation, "withdraw", actor=user)
        if error is not None:
            messages.error(request, error.message)
            status = 403 if error.status == 403 else 409
    return render(request, "procurement/participation_withdraw.html",
                  {"participation": participation, "form": form}, status=status)
