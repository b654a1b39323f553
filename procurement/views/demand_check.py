"""Check your answers before the demand goes to the alderman: the grid's "Submit for approval" saves the draft and
comes here; this page lists what is asked per lot with the amounts and the total, and only its button submits."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from core.pages import attempt
from core.services import refusal
from procurement import services
from procurement.forms import DemandForm
from procurement.models import Item

from .base import visible_participation
from .demand import grid, submitted_message


@login_required
def participation_submit_check(request, pk: int):
    """GET shows the saved demand to check; POST submits it (``services.participation_submit``)."""
    user = request.user
    participation = visible_participation(user, pk)
    status = 200
    if request.method == "POST":
        done, status = attempt(request, lambda: services.participation_submit(participation=participation, actor=user))
        if done is not None:
            messages.success(request, submitted_message(participation))
            return redirect("participation-detail", pk=participation.pk)
    else:
        error = refusal(participation, "submit", actor=user)
        if error is not None:
            messages.error(request, error.message)
            status = 403 if error.status == 403 else 409
    initiative = participation.initiative
    items = Item.objects.filter(lot__initiative=initiative).order_by("lot__number", "position", "id")
    lines = {line.item_id: line for line in participation.lines.all()}
    form = DemandForm(items=items, framework=initiative.is_framework, lines=lines, disabled=True)
    lots, totals = grid(participation, form)
    for lot in lots:  # only what is asked
        lot["rows"] = [row for row in lot["rows"] if row["line"] is not None and (
            row["line"].quantity or row["line"].max_quantity)]
    return render(request, "procurement/participation_check.html", {
        "participation": participation, "initiative": initiative, "lots": [lot for lot in lots if lot["rows"]],
        "totals": totals, "may_submit": refusal(participation, "submit", actor=user) is None,
    }, status=status)
