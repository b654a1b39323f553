"""The call-off page (lines, deliveries, the order form PDF) and its transitions: order, deliver (a quantity
per line, partial allowed), close, cancel. Every change is a service call."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy

from core.errors import DomainError, InvalidInput
from core.pages import add_service_errors, report
from core.services import refusal
from procurement.services import available

from .. import services
from ..forms import CancelForm, DeliverForm, OrderForm
from ..models import CallOffState
from .agreements import line_errors
from .base import visible_call_off
from .order_check import order_check

STEPS = {
    "order": (gettext_lazy("Order"), gettext_lazy("Order now? The call-off is checked against the ceilings and "
                                                  "counts against them from now on."), OrderForm,
              services.call_off_order),
    "deliver": (gettext_lazy("Record a delivery"), gettext_lazy("Enter what was delivered now, per line. A partial "
                                                                "delivery is fine; the rest can follow."),
                DeliverForm, services.call_off_deliver),
    "close": (gettext_lazy("Close"), gettext_lazy("Close the call-off? It is settled at what was delivered; the "
                                                  "undelivered rest goes back to the ceilings."), None,
              services.call_off_close),
    "cancel": (gettext_lazy("Cancel"), gettext_lazy("Cancel the call-off? An ordered call-off gives its consumption "
                                                    "back; the supplier must be told."), CancelForm,
               services.call_off_cancel),
}
DONE = {
    "order": gettext_lazy("The call-off is ordered."),
    "deliver": gettext_lazy("The delivery is recorded."),
    "close": gettext_lazy("The call-off is closed."),
    "cancel": gettext_lazy("The call-off is cancelled."),
}


@login_required
def call_off_detail(request, pk: int):
    call_off = visible_call_off(request.user, pk)
    names = available(call_off, services.CALL_OFF_TRANSITIONS, actor=request.user)
    actions = [{"name": name, "label": STEPS[name][0], "danger": name == "cancel"} for name in names]
    return render(request, "contracts/call_off_detail.html", {
        "call_off": call_off, "contract": call_off.contract, "initiative": call_off.contract.initiative,
        "lines": call_off.lines.select_related("item"), "actions": actions,
        "deliveries": call_off.deliveries.prefetch_related("lines__line__item").select_related("recorded_by"),
        "has_order_form": call_off.state != CallOffState.DRAFT,
    })


def _form(name: str, call_off, data=None):
    form_class = STEPS[name][2]
    if form_class is None:
        return None
    if form_class in (OrderForm, DeliverForm):
        return form_class(data, call_off=call_off)
    return form_class(data)


@login_required
def call_off_transition(request, pk: int, name: str):
    if name not in STEPS:
        raise Http404
    call_off = visible_call_off(request.user, pk)
    label, question, _form_class, service = STEPS[name]
    status = 200
    if request.method == "POST":
        form = _form(name, call_off, request.POST)
        if form is None or form.is_valid():
            fields = form.service_input() if form is not None else {}
            try:
                service(call_off=call_off, actor=request.user, **fields)
            except InvalidInput as error:
                if form is not None:
                    add_service_errors(form, error)
                    line_errors(form, error, fields.get("lines") or [])
                status = report(request, error)
            except DomainError as error:
                status = report(request, error)
            else:
                messages.success(request, DONE[name])
                return redirect("call-off-detail", pk=call_off.pk)
        else:
            status = 400
    else:
        form = _form(name, call_off)
        error = refusal(call_off, name, actor=request.user)
        if error is not None:
            messages.error(request, error.message)
            status = error.status
    return render(request, "contracts/call_off_transition.html", {
        "call_off": call_off, "contract": call_off.contract, "initiative": call_off.contract.initiative,
        "label": label, "question": question, "form": form, "name": name, "danger": name == "cancel",
        "rows": form.rows() if isinstance(form, DeliverForm) else [],
        "back": reverse("call-off-detail", args=[call_off.pk]),
        "check": order_check(call_off) if name == "order" and call_off.state == CallOffState.DRAFT else None,
    }, status=status)

