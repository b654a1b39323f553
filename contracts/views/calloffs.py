"""The call-off page (lines, deliveries, the order form PDF) and its transitions: order, deliver (a quantity
per line, partial allowed), close, cancel. Every change is a service call."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse

from core.pages import action_page

from .. import actions
from ..forms import DeliverForm, OrderForm
from ..models import CallOffState
from .base import visible_call_off


@login_required
def call_off_detail(request, pk: int):
    call_off = visible_call_off(request.user, pk)
    return render(request, "contracts/call_off_detail.html", {
        "call_off": call_off, "contract": call_off.contract, "initiative": call_off.contract.initiative,
        "lines": call_off.lines.select_related("item"),
        "actions": actions.CALL_OFF.buttons(call_off, actor=request.user),
        "deliveries": call_off.deliveries.prefetch_related("lines__line__item").select_related("recorded_by"),
        "has_order_form": call_off.state != CallOffState.DRAFT,
    })


@login_required
def call_off_transition(request, pk: int, name: str):
    call_off = visible_call_off(request.user, pk)
    action = actions.CALL_OFF.get(name)
    needs_call_off = action is not None and action.form in (OrderForm, DeliverForm)
    return action_page(request, table=actions.CALL_OFF, name=name, obj=call_off,
                       template="contracts/call_off_transition.html",
                       context={"call_off": call_off, "contract": call_off.contract,
                                "initiative": call_off.contract.initiative},
                       success_url=reverse("call-off-detail", args=[call_off.pk]),
                       form_kwargs={"call_off": call_off} if needs_call_off else None)
