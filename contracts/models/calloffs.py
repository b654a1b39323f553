"""Call-offs (afroepingen): an order by one beneficiary against a framework agreement.

``draft → ordered → delivered → closed``, or ``cancelled`` (from draft, or ordered before any delivery).
Each line is an item of the agreement's lot at the awarded unit price. Ordering consumes the ceilings:
the beneficiary's maximum quantity of each item, its maximum value, and the overall maximum
(``services.calloffs``: checked and consumed under the lock on the agreement). Deliveries are recorded per
line, partial ones too (``Delivery``); closing settles the call-off at what was delivered and gives the rest
of the ceiling back.

What counts against the ceilings is kept on each line (``consumed``): the amount while the call-off is
ordered or delivered, the delivered amount once closed, nothing once cancelled (or still a draft). The
counters on the agreement, the beneficiary and the contract line are always the sums of these.

For the open-data export (``opendata.calloffs``) a call-off is its own contracting process: it has its
``contract`` (the framework agreement), ``organisation`` (the buyer), ``state``, ``total``, ``ordered_at``
and ``lines`` with ``item``, ``quantity`` and ``unit_price``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from core import formatting
from core.fsm import Guard, permission
from procurement import permissions
from procurement.models import Item, Organisation, Role

from .agreements import ZERO, Beneficiary, Contract, ContractState


class CallOffState(models.TextChoices):
    DRAFT = "draft", _("draft")
    ORDERED = "ordered", _("ordered")
    DELIVERED = "delivered", _("delivered")
    CLOSED = "closed", _("closed")
    CANCELLED = "cancelled", _("cancelled")


S = CallOffState
# The states in which a call-off holds part of the ceilings.
OPEN_STATES = (S.ORDERED, S.DELIVERED)


class CallOffQuerySet(models.QuerySet):
    def visible_to(self, user) -> "CallOffQuerySet":
        """The ordering organisation's members see its call-offs; the lead's procurement officers see every
        call-off of the agreements of the initiatives their organisation leads. Anyone else: 404."""
        if user.is_superuser:
            return self.all()
        return self.filter(
            Q(organisation__in=permissions.organisation_ids(user))
            | Q(contract__initiative__lead_organisation__in=permissions.organisation_ids(user, Role.PROCUREMENT))
        )


def exhausted_message(contract: Contract) -> str:
    return gettext("The framework agreement is exhausted: its overall maximum of %(ceiling)s has been ordered in full "
                   "(%(consumed)s ordered by all beneficiaries, %(remaining)s remain); no more call-offs can be "
                   "ordered.") % {"ceiling": formatting.money(contract.ceiling or 0),
                                  "consumed": formatting.money(contract.consumed),
                                  "remaining": formatting.money(contract.remaining or 0)}


def _agreement_refusal(call_off: "CallOff") -> str | None:
    contract = call_off.contract
    if contract.state != ContractState.ACTIVE:
        return gettext("The framework agreement is %(state)s: no more call-offs can be ordered.") % {
            "state": contract.get_state_display()}
    return None


def _period_refusal(call_off: "CallOff") -> str | None:
    contract = call_off.contract
    today = timezone.localdate()
    if today < contract.starts_on:
        return gettext("The framework agreement runs from %(start)s; a call-off cannot be ordered before (today is "
                 "%(today)s).") % {"start": formatting.day(contract.starts_on), "today": formatting.day(today)}
    if contract.ends_on is not None and today > contract.ends_on:
        return gettext("The framework agreement ran until %(end)s; a call-off cannot be ordered after (today is "
                 "%(today)s).") % {"end": formatting.day(contract.ends_on), "today": formatting.day(today)}
    return None


def _beneficiary_refusal(call_off: "CallOff") -> str | None:
    if not Beneficiary.objects.filter(contract_id=call_off.contract_id, organisation_id=call_off.organisation_id).exists():
        return gettext("%(organisation)s is not a beneficiary of this framework agreement: only the participants frozen "
                 "when the participants were confirmed can call off.") % {"organisation": call_off.organisation}
    return None


not_exhausted = Guard(lambda c: c.contract.state != ContractState.EXHAUSTED, lambda c: exhausted_message(c.contract),
                      "agreement_exhausted")
agreement_active = Guard(lambda c: _agreement_refusal(c) is None, lambda c: _agreement_refusal(c) or "",
                         "agreement_not_active")
inside_period = Guard(lambda c: _period_refusal(c) is None, lambda c: _period_refusal(c) or "", "outside_period")
is_beneficiary = Guard(lambda c: _beneficiary_refusal(c) is None, lambda c: _beneficiary_refusal(c) or "",
                       "not_a_beneficiary")
has_outstanding = Guard(
    lambda c: any(line.quantity > line.delivered for line in c.lines.all()),
    _("Everything ordered has been delivered; close the call-off."),
    "nothing_to_deliver",
)


class CallOff(ConcurrentTransitionMixin, models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="call_offs",
                                 verbose_name=_("framework agreement"))
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="call_offs",
                                     verbose_name=_("ordering organisation"))
    number = models.PositiveIntegerField(_("number"), help_text=_("The call-off's number under its agreement."))
    state = FSMField(_("state"), default=S.DRAFT, choices=S.choices, protected=True, db_index=True)
    total = models.DecimalField(_("total excl. VAT"), max_digits=16, decimal_places=2, default=ZERO)
    delivery_address = models.CharField(_("delivery address"), max_length=300, blank=True)
    delivery_date = models.DateField(_("requested delivery date"), null=True, blank=True)
    ordered_on = models.DateField(_("order date"), null=True, blank=True)
    ordered_at = models.DateTimeField(_("ordered"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("last delivery recorded"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    reason = models.TextField(_("reason (cancelled)"), blank=True)
    # What remained of the ceilings just before and after the order (the order form shows them).
    participant_remaining_before = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    participant_remaining_after = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    overall_remaining_before = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    overall_remaining_after = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = CallOffQuerySet.as_manager()

    class Meta:
        verbose_name = _("call-off")
        verbose_name_plural = _("call-offs")
        ordering = ["contract_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "number"], name="one_call_off_number_per_contract"),
        ]

    def __str__(self) -> str:
        return gettext("Call-off %(number)s of %(organisation)s") % {"number": self.number, "organisation": self.organisation}

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    # --- lifecycle (DESIGN.md §3). The services call these; nothing else does. ---

    @transition(field=state, source=S.DRAFT, target=S.ORDERED, permission=permission("contracts.rules.may_act_for_call_off"),
                conditions=[not_exhausted, agreement_active, inside_period, is_beneficiary])
    def order(self) -> None:
        self.ordered_at = timezone.now()
        self.ordered_on = timezone.localdate()

    @transition(field=state, source=[S.ORDERED, S.DELIVERED], target=S.DELIVERED,
                permission=permission("contracts.rules.may_act_for_call_off"), conditions=[has_outstanding])
    def deliver(self) -> None:
        self.delivered_at = timezone.now()

    @transition(field=state, source=S.DELIVERED, target=S.CLOSED, permission=permission("contracts.rules.may_act_for_call_off"))
    def close(self) -> None:
        self.closed_at = timezone.now()

    @transition(field=state, source=[S.DRAFT, S.ORDERED], target=S.CANCELLED,
                permission=permission("contracts.rules.may_act_for_call_off"))
    def cancel(self) -> None:
        self.cancelled_at = timezone.now()


class CallOffLine(models.Model):
    call_off = models.ForeignKey(CallOff, on_delete=models.CASCADE, related_name="lines")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="call_off_lines")
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=2)
    unit_price = models.DecimalField(_("unit price excl. VAT"), max_digits=12, decimal_places=2)
    amount = models.DecimalField(_("amount excl. VAT"), max_digits=16, decimal_places=2)
    delivered = models.DecimalField(_("delivered quantity"), max_digits=14, decimal_places=2, default=ZERO)
    consumed = models.DecimalField(
        _("counted against the ceilings"), max_digits=16, decimal_places=2, default=ZERO,
        help_text=_("The amount while ordered; the delivered amount once closed; zero for a draft or cancelled."),
    )
    remaining_before = models.DecimalField(
        _("remaining maximum quantity before the order"), max_digits=14, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("call-off line")
        verbose_name_plural = _("call-off lines")
        ordering = ["call_off_id", "item__position", "item_id"]
        constraints = [
            models.UniqueConstraint(fields=["call_off", "item"], name="one_call_off_line_per_item"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="call_off_line_quantity_positive"),
            models.CheckConstraint(condition=Q(delivered__gte=0) & Q(delivered__lte=models.F("quantity")),
                                   name="call_off_line_delivered_within_quantity"),
        ]

    def __str__(self) -> str:
        return f"{self.item} × {self.quantity}"

    @property
    def outstanding(self):
        return self.quantity - self.delivered

    @property
    def remaining_after(self):
        return None if self.remaining_before is None else self.remaining_before - self.quantity


class Delivery(models.Model):
    """One delivery (or part of one) received against a call-off, recorded by the ordering organisation."""

    call_off = models.ForeignKey(CallOff, on_delete=models.CASCADE, related_name="deliveries")
    delivered_on = models.DateField(_("delivered on"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["call_off_id", "delivered_on", "id"]

    def __str__(self) -> str:
        return f"{self.call_off} · {self.delivered_on}"


class DeliveryLine(models.Model):
    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="lines")
    line = models.ForeignKey(CallOffLine, on_delete=models.CASCADE, related_name="deliveries")
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("delivery line")
        verbose_name_plural = _("delivery lines")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="delivery_line_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.line.item} × {self.quantity}"
