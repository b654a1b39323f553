"""Initiatives (samenwerkingsinitiatieven), their lots (percelen) and items (posten)."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from core import formatting
from core.fsm import Guard, permission
from procurement import valuation
from procurement.validators import validate_cpv_code

from .organisations import Circle, Organisation


class InitiativeKind(models.TextChoices):
    JOINT_PURCHASE = "joint_purchase", _("joint purchase")
    FRAMEWORK_CONTRACT = "framework_contract", _("framework contract")
    SHARED_HIRE = "shared_hire", _("shared hire")


class LegalBasis(models.TextChoices):
    CENTRAL_PURCHASING_BODY = "central_purchasing_body", _(
        "central purchasing body (art. 47 Public Procurement Act of 17 June 2016)"
    )
    JOINT_PROCUREMENT = "joint_procurement", _("joint procurement (art. 48 Public Procurement Act of 17 June 2016)")


class InitiativeState(models.TextChoices):
    IDEA = "idea", _("idea")
    SHELVED = "shelved", _("shelved")
    DRAFT = "draft", _("draft")
    POOLING = "pooling", _("pooling demand")
    DECIDING = "deciding", _("awaiting decisions")
    READY = "ready", _("ready for tender")
    TENDERING = "tendering", _("tendering")
    AWARDED = "awarded", _("awarded")
    ACTIVE = "active", _("active")
    CLOSED = "closed", _("closed")
    UNSUCCESSFUL = "unsuccessful", _("unsuccessful")
    CANCELLED = "cancelled", _("cancelled")


S = InitiativeState
# From `ready` on, participants and maximum quantities are frozen (CJEU C-216/17).
FROZEN_STATES = {S.READY, S.TENDERING, S.AWARDED, S.ACTIVE, S.CLOSED, S.UNSUCCESSFUL}
BEFORE_ACTIVE = [S.IDEA, S.DRAFT, S.POOLING, S.DECIDING, S.READY, S.TENDERING, S.AWARDED]


def _demand_deadline_ahead(initiative: "Initiative") -> bool:
    return initiative.demand_deadline is not None and initiative.demand_deadline > timezone.now()


demand_deadline_ahead = Guard(
    _demand_deadline_ahead,
    lambda i: _("The demand deadline (%(deadline)s) has passed; set a later demand deadline first.")
    % {"deadline": formatting.deadline(i.demand_deadline)}
    if i.demand_deadline
    else _("Set a demand deadline first."),
    "demand_deadline_passed",
)
deadlines_in_order = Guard(
    lambda i: i.decision_deadline is not None
    and i.demand_deadline is not None
    and i.decision_deadline > i.demand_deadline,
    _("The decision deadline must come after the demand deadline."),
    "deadlines_out_of_order",
)
has_items = Guard(
    lambda i: Item.objects.filter(lot__initiative=i).exists(),
    _("Add at least one lot with one item before opening pooling."),
    "no_items",
)
no_running_tender = Guard(
    # A tender has its own cancel (with the bidders to inform); it cancels the initiative with it.
    lambda i: i.state not in (S.TENDERING, S.AWARDED),
    _("A tender is running for this initiative: cancel the tender; the initiative is cancelled with it."),
    "tender_running",
)
has_approved_participant = Guard(
    lambda i: i.participations.filter(state="approved").exists(),
    _("No participation has been approved yet; an initiative needs at least one approved participant."),
    "no_approved_participant",
)


class Initiative(ConcurrentTransitionMixin, models.Model):
    kind = models.CharField(_("kind"), max_length=30, choices=InitiativeKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    state = FSMField(_("state"), default=S.DRAFT, choices=S.choices, protected=True, db_index=True)
    circles = models.ManyToManyField(Circle, related_name="initiatives", verbose_name=_("knowledge circles"))
    proposing_organisation = models.ForeignKey(
        Organisation, verbose_name=_("proposed by organisation"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="proposed_initiatives",
    )
    lead_organisation = models.ForeignKey(
        Organisation, verbose_name=_("lead organisation"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="led_initiatives",
    )
    legal_basis = models.CharField(_("legal basis"), max_length=30, choices=LegalBasis.choices, blank=True)
    demand_deadline = models.DateTimeField(_("demand deadline"), null=True, blank=True)
    decision_deadline = models.DateTimeField(_("decision deadline"), null=True, blank=True)
    planned_procedure_start = models.DateField(
        _("planned start of the procedure"), null=True, blank=True,
        help_text=_("The thresholds in force on this date decide the procedure advice."),
    )
    framework_term_months = models.PositiveSmallIntegerField(
        _("framework term (months)"), null=True, blank=True, validators=[MaxValueValidator(96)]
    )
    renewals = models.PositiveSmallIntegerField(_("renewals"), default=0, validators=[MaxValueValidator(10)])
    term_exception_reason = models.TextField(
        _("justification for a framework term beyond four years"), blank=True,
        help_text=_("Art. 43 §1 Wet 17 juni 2016: a framework agreement runs at most four years, renewals "
                    "included, except in duly justified exceptional cases. Record the reason here."),
    )
    reason = models.TextField(_("reason (shelved or cancelled)"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        message = valuation.framework_term_refusal(
            is_framework=self.is_framework, term_months=self.framework_term_months, renewals=self.renewals,
            exception_reason=self.term_exception_reason)
        if message:
            raise ValidationError({"framework_term_months": [message]})

    @property
    def is_frozen(self) -> bool:
        return self.state in FROZEN_STATES

    @property
    def is_framework(self) -> bool:
        return self.kind == InitiativeKind.FRAMEWORK_CONTRACT

    # --- lifecycle (DESIGN.md §3). Services call these; nothing else does. ---

    @transition(field=state, source=S.IDEA, target=S.DRAFT, permission=permission("procurement.permissions.may_adopt"))
    def adopt(self) -> None:
        pass

    @transition(field=state, source=S.IDEA, target=S.SHELVED, permission=permission("procurement.permissions.may_shelve"))
    def shelve(self) -> None:
        pass

    @transition(
        field=state, source=S.DRAFT, target=S.POOLING, permission=permission("procurement.permissions.may_manage_initiative"),
        conditions=[has_items, demand_deadline_ahead, deadlines_in_order],
    )
    def open_pooling(self) -> None:
        pass

    @transition(field=state, source=S.POOLING, target=S.DECIDING, permission=permission("procurement.permissions.may_manage_initiative"))
    def close_pooling(self) -> None:
        pass

    @transition(
        field=state, source=S.DECIDING, target=S.POOLING, permission=permission("procurement.permissions.may_manage_initiative"),
        conditions=[demand_deadline_ahead, deadlines_in_order],
    )
    def reopen_pooling(self) -> None:
        pass

    @transition(
        field=state, source=S.DECIDING, target=S.READY, permission=permission("procurement.permissions.may_manage_initiative"),
        conditions=[has_approved_participant],
    )
    def confirm_participants(self) -> None:
        pass

    @transition(field=state, source=S.READY, target=S.TENDERING, permission=permission("procurement.permissions.may_manage_initiative"))
    def start_tender(self) -> None:
        pass

    @transition(field=state, source=S.TENDERING, target=S.AWARDED, permission=permission("procurement.permissions.may_manage_initiative"))
    def award(self) -> None:
        pass

    @transition(field=state, source=S.TENDERING, target=S.UNSUCCESSFUL, permission=permission("procurement.permissions.may_manage_initiative"))
    def fail(self) -> None:
        pass

    @transition(field=state, source=S.AWARDED, target=S.ACTIVE, permission=permission("procurement.permissions.may_manage_initiative"))
    def conclude(self) -> None:
        pass

    @transition(field=state, source=S.ACTIVE, target=S.CLOSED, permission=permission("procurement.permissions.may_manage_initiative"))
    def close(self) -> None:
        pass

    @transition(field=state, source=BEFORE_ACTIVE, target=S.CANCELLED, permission=permission("procurement.permissions.may_cancel"),
                conditions=[no_running_tender])
    def cancel(self) -> None:
        pass

    @transition(field=state, source=[S.TENDERING, S.AWARDED], target=S.CANCELLED)
    def cancel_with_tender(self) -> None:
        """The system's side of a tender cancel: no person calls this on the initiative itself."""


class Lot(models.Model):
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="lots")
    number = models.PositiveSmallIntegerField(_("number"), validators=[MinValueValidator(1), MaxValueValidator(999)])
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("lot")
        verbose_name_plural = _("lots")
        ordering = ["initiative_id", "number"]
        constraints = [models.UniqueConstraint(fields=["initiative", "number"], name="unique_lot_number")]

    def __str__(self) -> str:
        return _("Lot %(number)s: %(title)s") % {"number": self.number, "title": self.title}


class Unit(models.TextChoices):
    PIECE = "piece", _("piece")
    LICENCE_YEAR = "licence_year", _("licence-year")
    FTE = "fte", _("FTE")
    DAY = "day", _("day")
    HOUR = "hour", _("hour")
    MONTH = "month", _("month")
    PAGE = "page", _("page")
    SET = "set", _("set")

    def label_in(self, language: str) -> str:
        """The unit's name in ``language`` (documents are written in their own language, not the request's)."""
        with translation.override(language):
            return str(self.label)


# Belgian VAT rates in percent.
VAT_RATES = (Decimal("0"), Decimal("6"), Decimal("12"), Decimal("21"))
MAX_PRICE = Decimal("99999999.99")


def validate_vat_rate(value: Decimal) -> None:
    if Decimal(value) not in VAT_RATES:
        raise ValidationError(_("The VAT rate must be 0, 6, 12 or 21 %."), code="invalid_vat_rate")


class Item(models.Model):
    lot = models.ForeignKey(Lot, on_delete=models.CASCADE, related_name="items")
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=20, choices=Unit.choices)
    estimated_unit_price = models.DecimalField(
        _("estimated unit price excl. VAT"), max_digits=10, decimal_places=2,
        validators=[MinValueValidator(Decimal("0.00")), MaxValueValidator(MAX_PRICE)],
    )
    vat_rate = models.DecimalField(
        _("VAT rate (%)"), max_digits=4, decimal_places=2, default=Decimal("21.00"),
        validators=[validate_vat_rate],
    )
    specification = models.TextField(_("specification"), blank=True)
    cpv_code = models.CharField(_("CPV code"), max_length=10, blank=True, validators=[validate_cpv_code])
    position = models.PositiveSmallIntegerField(pgettext_lazy("sort order", "position"), default=0)

    class Meta:
        verbose_name = _("item")
        verbose_name_plural = _("items")
        ordering = ["lot__number", "position", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def initiative_id(self) -> int:
        return self.lot.initiative_id
