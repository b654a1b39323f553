"""Forms of the web pages. They only parse and present input: every change goes through a service, and
the service's InvalidInput errors are put back on the fields (``add_service_errors``)."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.errors import InvalidInput
from core.forms import DATE_FORMATS, DATETIME_FORMATS, BelgianDecimalField, DateInput, DateTimeInput
from core.pages import add_service_errors
from procurement.models import (
    Circle,
    DecidingBody,
    InitiativeKind,
    LegalBasis,
    Organisation,
    Unit,
)
from procurement.models.initiatives import VAT_RATES

# --- initiatives ---

class InitiativeForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=InitiativeKind.choices)
    title = forms.CharField(label=_("title"), max_length=200)
    description = forms.CharField(label=_("description"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    lead_organisation = forms.ModelChoiceField(label=_("lead organisation"), queryset=Organisation.objects.none())
    legal_basis = forms.ChoiceField(label=_("legal basis"), choices=LegalBasis.choices)
    circles = forms.ModelMultipleChoiceField(
        label=_("knowledge circles"), queryset=Circle.objects.all(), widget=forms.CheckboxSelectMultiple,
    )
    demand_deadline = forms.DateTimeField(
        label=_("demand deadline"), input_formats=DATETIME_FORMATS, widget=DateTimeInput(),
        help_text=_("Brussels time."),
    )
    decision_deadline = forms.DateTimeField(
        label=_("decision deadline"), input_formats=DATETIME_FORMATS, widget=DateTimeInput(),
        help_text=_("Brussels time; after the demand deadline."),
    )
    planned_procedure_start = forms.DateField(
        label=_("planned start of the procedure"), required=False, input_formats=DATE_FORMATS, widget=DateInput(),
        help_text=_("The thresholds in force on this date decide the procedure advice."),
    )
    framework_term_months = forms.IntegerField(
        label=_("framework term (months)"), required=False, min_value=1, max_value=96,
        help_text=_("Only for a framework contract."),
    )
    renewals = forms.IntegerField(label=_("renewals"), required=False, min_value=0, max_value=10, initial=0)
    term_exception_reason = forms.CharField(
        label=_("justification for a framework term beyond four years"), required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only when the term with its renewals exceeds four years (art. 43 §1 Wet 17 juni 2016)."),
    )

    def __init__(self, *args, lead_organisations=None, editable: set[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_organisation"].queryset = lead_organisations if lead_organisations is not None else (
            Organisation.objects.none()
        )
        self._disabled_names = set()
        if editable is not None:
            for name, field in self.fields.items():
                if name not in editable:
                    field.disabled = True
                    field.required = False
                    self._disabled_names.add(name)


class RowForm(forms.Form):
    """A formset row. An extra row counts as filled in only when one of its ``key_fields`` has a value,
    so that the preset choices of an empty row (unit, VAT rate) do not make it a row to validate."""

    key_fields: tuple[str, ...] = ()

    def has_changed(self) -> bool:
        if self.initial.get("id"):
            return super().has_changed()
        return any((self.data.get(self.add_prefix(name)) or "").strip() for name in self.key_fields)


class LotForm(RowForm):
    key_fields = ("number", "title", "description")

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    number = forms.IntegerField(label=_("number"), min_value=1, max_value=999)
    title = forms.CharField(label=_("title"), max_length=200)
    description = forms.CharField(label=_("description"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ItemForm(RowForm):
    key_fields = ("lot_number", "name", "estimated_unit_price", "cpv_code", "specification")

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    lot_number = forms.IntegerField(label=_("lot"), min_value=1, max_value=999)
    name = forms.CharField(label=_("name"), max_length=200)
    unit = forms.ChoiceField(label=_("unit"), choices=Unit.choices)
    estimated_unit_price = BelgianDecimalField(
        label=_("estimated unit price excl. VAT"), max_digits=10, decimal_places=2, min_value=Decimal("0"),
    )
    vat_rate = forms.TypedChoiceField(
        label=_("VAT rate (%)"), coerce=Decimal, initial="21",
        choices=[(str(rate), f"{rate} %") for rate in VAT_RATES],
    )
    cpv_code = forms.CharField(label=_("CPV code"), max_length=10, required=False)
    specification = forms.CharField(label=_("specification"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class BaseRowFormSet(forms.BaseFormSet):
    """Rows that exist can be locked (``frozen``) once their lot may no longer change."""

    def __init__(self, *args, frozen: bool = False, **kwargs):
        self.frozen = frozen
        super().__init__(*args, **kwargs)

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        if self.frozen and form.initial.get("id"):
            for name, field in form.fields.items():
                if name != "id":
                    field.disabled = True
            form.locked = True
        return form


LotFormSet = forms.formset_factory(LotForm, formset=BaseRowFormSet, extra=1, can_delete=True)
ItemFormSet = forms.formset_factory(ItemForm, formset=BaseRowFormSet, extra=2, can_delete=True)


class IdeaForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=InitiativeKind.choices)
    title = forms.CharField(label=_("title"), max_length=200)
    description = forms.CharField(label=_("description"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    proposing_organisation = forms.ModelChoiceField(label=_("proposed by organisation"),
                                                    queryset=Organisation.objects.none())
    circles = forms.ModelMultipleChoiceField(
        label=_("knowledge circles"), queryset=Circle.objects.none(), widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, organisations=None, circles=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposing_organisation"].queryset = organisations
        self.fields["circles"].queryset = circles


class InterestForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("organisation"), queryset=Organisation.objects.none())
    estimated_quantity = BelgianDecimalField(
        label=_("rough quantity or FTE share"), required=False, max_digits=10, decimal_places=2,
        min_value=Decimal("0"),
    )
    note = forms.CharField(label=_("note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class JoinForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("organisation"), queryset=Organisation.objects.none())

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if organisations is not None and organisations.count() == 1:
            self.fields["organisation"].initial = organisations.first()
            self.fields["organisation"].widget = forms.HiddenInput()


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Recorded in the audit trail and shown to the participants."),
    )


class AdoptForm(forms.Form):
    lead_organisation = forms.ModelChoiceField(label=_("lead organisation"), queryset=Organisation.objects.none())
    legal_basis = forms.ChoiceField(label=_("legal basis"), choices=LegalBasis.choices)
    demand_deadline = forms.DateTimeField(label=_("demand deadline"), input_formats=DATETIME_FORMATS,
                                          widget=DateTimeInput())
    decision_deadline = forms.DateTimeField(label=_("decision deadline"), input_formats=DATETIME_FORMATS,
                                            widget=DateTimeInput())
    planned_procedure_start = forms.DateField(label=_("planned start of the procedure"), required=False,
                                              input_formats=DATE_FORMATS, widget=DateInput())
    framework_term_months = forms.IntegerField(label=_("framework term (months)"), required=False, min_value=1,
                                               max_value=96)

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_organisation"].queryset = organisations


class ReopenPoolingForm(forms.Form):
    demand_deadline = forms.DateTimeField(
        label=_("new demand deadline"), required=False, input_formats=DATETIME_FORMATS, widget=DateTimeInput(),
        help_text=_("Required when the demand deadline has passed."),
    )
    decision_deadline = forms.DateTimeField(
        label=_("new decision deadline"), required=False, input_formats=DATETIME_FORMATS, widget=DateTimeInput(),
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("reason"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}))


# --- demand ---

class DemandForm(forms.Form):
    """One quantity field per item (``quantity_<id>``), and a maximum for a framework (``max_<id>``)."""

    def __init__(self, *args, items=(), framework: bool = False, lines=None, disabled: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        self.framework = framework
        lines = lines or {}
        for item in self.items:
            line = lines.get(item.pk)
            self.fields[f"quantity_{item.pk}"] = self._field(
                _("Quantity of %(item)s") % {"item": item.name}, line.quantity if line else None, disabled
            )
            if framework:
                self.fields[f"max_{item.pk}"] = self._field(
                    _("Maximum quantity over the term of %(item)s") % {"item": item.name},
                    line.max_quantity if line else None, disabled,
                )

    @staticmethod
    def _field(label, initial, disabled):
        return forms.CharField(
            label=label, required=False, disabled=disabled,
            initial="" if initial is None else f"{initial:.2f}".rstrip("0").rstrip(".").replace(".", ","),
            widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "size": 8,
                                          "class": "qty"}),
        )

    @staticmethod
    def _number(text: str):
        text = (text or "").strip().replace(" ", "").replace("\u00a0", "")
        if not text:
            return None
        if "," in text:
            text = text.replace(".", "").replace(",", ".")
        try:
            return Decimal(text)
        except InvalidOperation:
            raise ValidationError(_("Enter a number, like 12 or 2,5."), code="invalid")

    def clean(self):
        cleaned = super().clean()
        self.parsed_lines = []
        self.line_fields = []  # for each parsed line: (quantity field, max field)
        for item in self.items:
            qname, mname = f"quantity_{item.pk}", f"max_{item.pk}"
            try:
                quantity = self._number(cleaned.get(qname, ""))
            except ValidationError as error:
                self.add_error(qname, error)
                continue
            maximum = None
            if self.framework:
                try:
                    maximum = self._number(cleaned.get(mname, ""))
                except ValidationError as error:
                    self.add_error(mname, error)
                    continue
            if quantity is None and maximum is None:
                continue
            line = {"item": item.pk, "quantity": str(quantity if quantity is not None else Decimal("0"))}
            if maximum is not None:
                line["max_quantity"] = str(maximum)
            self.parsed_lines.append(line)
            self.line_fields.append((qname, mname))
        return cleaned

    def add_line_errors(self, error: InvalidInput) -> None:
        lines = (error.errors or {}).get("lines")
        if isinstance(lines, list):
            for (qname, mname), errors in zip(self.line_fields, lines, strict=False):
                for field, messages in (errors or {}).items():
                    target = mname if field == "max_quantity" and self.framework else qname
                    for message in messages:
                        self.add_error(target, message)
            if not self.errors:
                self.add_error(None, error.message or _("Check the quantities."))
        else:
            add_service_errors(self, error)


# --- decisions ---

class DecisionForm(forms.Form):
    APPROVE, DECLINE = "approve", "decline"

    decision = forms.ChoiceField(
        label=_("decision"), widget=forms.RadioSelect,
        choices=[(APPROVE, _("Approve the participation")), (DECLINE, _("Decline the participation"))],
    )
    deciding_body = forms.ChoiceField(label=_("deciding body"), choices=DecidingBody.choices)
    decision_date = forms.DateField(label=_("decision date"), input_formats=DATE_FORMATS, widget=DateInput())
    decision_reference = forms.CharField(
        label=_("decision reference"), max_length=100,
        help_text=_("The reference of the decision in the minutes, e.g. CBS/2026/117."),
    )
    reason = forms.CharField(
        label=_("reason for declining"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you decline."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == self.DECLINE and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("Give the reason for declining."))
        return cleaned
