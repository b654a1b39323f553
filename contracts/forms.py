"""Forms of the contracts' pages. They only parse and present input; the services decide (and their
InvalidInput errors are put back on the fields with ``procurement.forms.add_service_errors``)."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import InvalidInput
from core.forms import DATE_FORMATS, BelgianDecimalField, DateInput
from procurement.models import Organisation

from .models import CallOff, ShareBasis, SharedHire


def _quantity_field(label: str, initial=None) -> BelgianDecimalField:
    return BelgianDecimalField(label=label, required=False, decimal_places=2, min_value=0, initial=initial)


class CallOffForm(forms.Form):
    """A new call-off: the ordering organisation (one of the user's beneficiaries) and a quantity per item."""

    organisation = forms.ModelChoiceField(label=gettext_lazy("ordering organisation"),
                                          queryset=Organisation.objects.none())
    delivery_address = forms.CharField(label=gettext_lazy("delivery address"), max_length=300, required=False,
                                       help_text=gettext_lazy("The organisation's address when empty."))
    delivery_date = forms.DateField(label=gettext_lazy("requested delivery date"), required=False,
                                    input_formats=DATE_FORMATS, widget=DateInput())

    def __init__(self, *args, organisations, prices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if organisations.count() == 1:
            self.fields["organisation"].initial = organisations.first()
            self.fields["organisation"].widget = forms.HiddenInput()
        self.prices = list(prices.values())
        for price in self.prices:
            self.fields[f"qty_{price.item_id}"] = _quantity_field(
                _("quantity of %(item)s") % {"item": price.item.name})

    def rows(self) -> list[dict]:
        return [{"price": price, "field": self[f"qty_{price.item_id}"]} for price in self.prices]

    def add_line_errors(self, error: InvalidInput) -> None:
        line_errors(self, error, self.service_input()["lines"])

    def service_input(self) -> dict:
        data = self.cleaned_data
        return {
            "organisation": data["organisation"],
            "lines": [{"item": p.item_id, "quantity": data[f"qty_{p.item_id}"]} for p in self.prices
                      if data.get(f"qty_{p.item_id}")],
            "delivery_address": data.get("delivery_address") or "",
            "delivery_date": data.get("delivery_date"),
        }


class OrderForm(forms.Form):
    delivery_address = forms.CharField(label=gettext_lazy("delivery address"), max_length=300, required=False)
    delivery_date = forms.DateField(label=gettext_lazy("requested delivery date"), required=False,
                                    input_formats=DATE_FORMATS, widget=DateInput())

    def __init__(self, *args, call_off: CallOff, **kwargs):
        kwargs.setdefault("initial", {"delivery_address": call_off.delivery_address,
                                      "delivery_date": call_off.delivery_date})
        super().__init__(*args, **kwargs)

    def service_input(self) -> dict:
        return {"delivery_address": self.cleaned_data.get("delivery_address") or None,
                "delivery_date": self.cleaned_data.get("delivery_date")}


class DeliverForm(forms.Form):
    """A delivery: the quantity received now of every line (the outstanding quantity by default)."""

    delivered_on = forms.DateField(label=gettext_lazy("delivered on"), required=False, input_formats=DATE_FORMATS,
                                   widget=DateInput(), help_text=gettext_lazy("Today when empty."))
    note = forms.CharField(label=gettext_lazy("note"), max_length=300, required=False)

    def __init__(self, *args, call_off: CallOff, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = list(call_off.lines.select_related("item"))
        for line in self.lines:
            self.fields[f"qty_{line.item_id}"] = _quantity_field(
                _("delivered now of %(item)s") % {"item": line.item.name}, initial=line.outstanding)

    def rows(self) -> list[dict]:
        return [{"line": line, "field": self[f"qty_{line.item_id}"]} for line in self.lines]

    def add_line_errors(self, error: InvalidInput) -> None:
        line_errors(self, error, self.service_input()["lines"])

    def service_input(self) -> dict:
        data = self.cleaned_data
        return {"lines": [{"item": line.item_id, "quantity": data.get(f"qty_{line.item_id}") or Decimal(0)}
                          for line in self.lines],
                "delivered_on": data.get("delivered_on"), "note": data.get("note") or ""}


class CancelForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("reason"), max_length=2000, required=False,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=gettext_lazy("Required once the call-off is ordered: the supplier is told."))

    def service_input(self) -> dict:
        return {"reason": self.cleaned_data.get("reason") or ""}


class TerminateForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    terminated_on = forms.DateField(label=gettext_lazy("last day"), required=False, input_formats=DATE_FORMATS,
                                    widget=DateInput(), help_text=gettext_lazy("Today when empty."))

    def service_input(self) -> dict:
        return {"reason": self.cleaned_data["reason"], "terminated_on": self.cleaned_data.get("terminated_on")}


class RenewForm(forms.Form):
    months = forms.IntegerField(label=gettext_lazy("renewal (months)"), required=False, min_value=1, max_value=96,
                                help_text=gettext_lazy("The initial term when empty."))

    def service_input(self) -> dict:
        return {"months": self.cleaned_data.get("months")}


class CostModelForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("position"), max_length=200)
    annual_salary_cost = BelgianDecimalField(label=gettext_lazy("annual salary cost incl. employer contributions"),
                                             decimal_places=2, min_value=0)
    operating_costs = BelgianDecimalField(label=gettext_lazy("annual operating costs"), decimal_places=2, min_value=0)
    overhead_percentage = BelgianDecimalField(label=gettext_lazy("overhead (%)"), decimal_places=2, min_value=0)
    subsidies = BelgianDecimalField(label=gettext_lazy("annual subsidies"), decimal_places=2, min_value=0)
    indexation_percentage = BelgianDecimalField(label=gettext_lazy("yearly indexation (%)"), decimal_places=2,
                                                min_value=0)
    base_year = forms.IntegerField(label=gettext_lazy("base year of the amounts"), min_value=1900, max_value=2999)
    notice_months = forms.IntegerField(label=gettext_lazy("notice period (months)"), min_value=0, max_value=36)

    @classmethod
    def for_hire(cls, hire: SharedHire, data=None) -> "CostModelForm":
        return cls(data, initial={name: getattr(hire, name) for name in cls.base_fields})


class AllocationKeyForm(forms.Form):
    """A new version of the key: from a date, each sharing organisation's FTE or percentage (empty: none)."""

    valid_from = forms.DateField(label=gettext_lazy("valid from"), input_formats=DATE_FORMATS, widget=DateInput())
    basis = forms.ChoiceField(label=gettext_lazy("shares as"), choices=ShareBasis.choices)
    reason = forms.CharField(label=gettext_lazy("reason"), max_length=300, required=False,
                             help_text=gettext_lazy("For example: Lede joins, Laarne leaves."))

    def __init__(self, *args, organisations, current: dict[int, Decimal] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = list(organisations)
        current = current or {}
        for organisation in self.organisations:
            self.fields[f"share_{organisation.pk}"] = BelgianDecimalField(
                label=organisation.name, required=False, decimal_places=4, min_value=0,
                initial=current.get(organisation.pk))

    def rows(self) -> list[dict]:
        return [{"organisation": o, "field": self[f"share_{o.pk}"]} for o in self.organisations]

    def service_input(self) -> dict:
        data = self.cleaned_data
        return {"valid_from": data["valid_from"], "basis": data["basis"], "reason": data.get("reason") or "",
                "shares": [{"organisation": o.pk, "value": data[f"share_{o.pk}"]} for o in self.organisations
                           if data.get(f"share_{o.pk}")]}


def line_errors(form, error: InvalidInput, lines: list[dict]) -> None:
    """Put the service's errors by position (``{"lines": [{}, {"quantity": [..]}]}``) on the item's field."""
    rows = (error.errors or {}).get("lines")
    if not isinstance(rows, list):
        return
    for row, line in zip(rows, lines, strict=False):
        if isinstance(row, dict):
            for messages_ in row.values():
                for message in messages_:
                    form.add_error(f"qty_{line['item']}", message)
