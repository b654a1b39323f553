"""The action tables of call-offs and contracts (``core.actions``): each transition declared once, for the API,
the pages and the schema. Renewing an agreement is no transition (the state stays ``active``): it has its own
endpoint and page."""

from django.utils.translation import gettext_lazy as _

from core.actions import Action, ActionTable

from . import bodies, services
from .forms import CancelForm, DeliverForm, OrderForm, TerminateForm

CALL_OFF = ActionTable("call_off", (
    Action("order", services.call_off_order, "Order a draft call-off (draft → ordered)",
           description="Refused with 409 when it would exceed a ceiling — the organisation's maximum quantity of an "
                       "item, its maximum value or the agreement's overall maximum; `detail` names the ceiling and "
                       "what remains — when the organisation is not a frozen beneficiary, when today is outside the "
                       "agreement's period or when the agreement is exhausted, expired or terminated. The check and "
                       "the consumption happen under one lock: concurrent orders never exceed a ceiling.",
           label=_("Order"),
           question=_("Order now? The call-off is checked against the ceilings and counts against them from now on."),
           done=_("The call-off is ordered."),
           body=bodies.OrderSerializer, form=OrderForm),
    Action("deliver", services.call_off_deliver,
           "Record a delivery (ordered | delivered → delivered); partial deliveries allowed",
           description="Quantities per line, each at most what is still outstanding.",
           label=_("Record a delivery"),
           question=_("Enter what was delivered now, per line. A partial delivery is fine; the rest can follow."),
           done=_("The delivery is recorded."),
           body=bodies.DeliverInputSerializer, form=DeliverForm),
    Action("close", services.call_off_close, "Close a delivered call-off",
           description="The call-off is settled at what was delivered; the undelivered rest goes back to the ceilings.",
           label=_("Close"),
           question=_("Close the call-off? It is settled at what was delivered; the undelivered rest goes back to "
                      "the ceilings."),
           done=_("The call-off is closed.")),
    Action("cancel", services.call_off_cancel, "Cancel a draft, or an ordered call-off before any delivery (with a reason)",
           description="An ordered call-off gives its consumption back to the ceilings.",
           label=_("Cancel"),
           question=_("Cancel the call-off? An ordered call-off gives its consumption back; the supplier must be told."),
           done=_("The call-off is cancelled."),
           body=bodies.CancelSerializer, form=CancelForm, danger=True),
))

CONTRACT = ActionTable("contract", (
    Action("terminate", services.contract_terminate,
           "Terminate a contract (active or exhausted → terminated), with a reason",
           description="The lead's procurement officers. No call-off can be ordered afterwards; open call-offs are "
                       "still delivered and closed. For a shared hire, `terminated_on` is the last day whose cost is "
                       "shared.",
           label=_("Terminate the contract"),
           question=_("Terminate now? No call-off can be ordered afterwards; open call-offs are still delivered and "
                      "closed."),
           done=_("The contract is terminated."),
           body=bodies.TerminateSerializer, form=TerminateForm, danger=True),
))
