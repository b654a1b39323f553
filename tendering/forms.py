"""Forms of the tender pages. They only parse and present input: every change is a service call, and the
service's InvalidInput errors are put back on the fields."""

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.forms import DATE_FORMATS, DATETIME_FORMATS, BelgianDecimalField, DateInput, DateTimeInput
from procurement.models import BidPeriodReduction, Lot
from tendering.models import MAX_STANDSTILL_DAYS, Procedure, Supplier, Tender


class TenderForm(forms.Form):
    procedure = forms.ChoiceField(
        label=gettext_lazy("procedure"), required=False,
        choices=[("", gettext_lazy("as advised"))] + [c for c in Procedure.choices if c[0] != "recruitment"],
        help_text=gettext_lazy("A stricter procedure than the advice is allowed, a less strict one is not."),
    )
    procedure_reason = forms.CharField(
        label=gettext_lazy("reason for the procedure"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("For a competitive procedure with negotiation or a competitive dialogue: which case "
                               "of art. 38 §1 applies and why."))
    bid_deadline = forms.DateTimeField(label=gettext_lazy("bid deadline"), input_formats=DATETIME_FORMATS,
                                       widget=DateTimeInput(), help_text=gettext_lazy("Brussels time."))
    standstill_days = forms.IntegerField(label=gettext_lazy("standstill period (calendar days)"), initial=15,
                                         min_value=0, max_value=MAX_STANDSTILL_DAYS)
    bid_period_reduction = forms.ChoiceField(
        label=gettext_lazy("shorter bid period"), choices=BidPeriodReduction.choices, initial=BidPeriodReduction.NONE,
        required=False,
        help_text=gettext_lazy("Only where the law allows a shorter minimum time limit for bids; give the reason."))
    bid_period_reduction_reason = forms.CharField(label=gettext_lazy("reason for the shorter bid period"),
                                                  required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CriterionForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("criterion"), max_length=200, required=False)
    weight = forms.IntegerField(label=gettext_lazy("weight"), min_value=1, max_value=100, required=False)
    is_price = forms.BooleanField(label=gettext_lazy("price"), required=False)


CriterionFormSet = formset_factory(CriterionForm, extra=0, max_num=10)


class PublishForm(forms.Form):
    publication_reference = forms.CharField(
        label=gettext_lazy("publication reference"), max_length=100,
        help_text=gettext_lazy("The e-Notification or TED number, or the reference of the invitation to bid."),
    )


class ConcludeForm(forms.Form):
    contract_start = forms.DateField(label=gettext_lazy("the contracts start on"), required=False,
                                     input_formats=DATE_FORMATS, widget=DateInput(),
                                     help_text=gettext_lazy("Today when empty; for a shared hire the start date."))


class OptionalReasonForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("reason"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}))


class BidForm(forms.Form):
    """A bid for one lot: one unit price per item of the lot, one score per quality criterion."""

    supplier = forms.ModelChoiceField(label=gettext_lazy("supplier"), queryset=Supplier.objects.all(), required=False)
    candidate = forms.CharField(label=gettext_lazy("candidate"), max_length=200, required=False)
    regular = forms.BooleanField(label=gettext_lazy("the bid is regular"), required=False, initial=True)
    irregular_reason = forms.CharField(label=gettext_lazy("why the bid is irregular"), required=False,
                                       widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, tender: Tender, lot: Lot, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(lot.items.all())
        self.criteria = list(tender.criteria.filter(is_price=False))
        if tender.is_recruitment:
            del self.fields["supplier"]
        else:
            del self.fields["candidate"]
        for item in self.items:
            self.fields[f"price_{item.pk}"] = BelgianDecimalField(
                label=_("unit price of %(item)s (excl. VAT)") % {"item": item.name}, decimal_places=2, min_value=0)
        for criterion in self.criteria:
            self.fields[f"score_{criterion.pk}"] = BelgianDecimalField(
                label=_("%(criterion)s (0 to %(weight)s)") % {"criterion": criterion.name, "weight": criterion.weight},
                decimal_places=2, min_value=0, max_value=criterion.weight, required=False)

    def service_input(self) -> dict:
        data = self.cleaned_data
        return {
            "supplier": data.get("supplier"), "candidate": data.get("candidate") or "",
            "regular": data["regular"], "irregular_reason": data.get("irregular_reason") or "",
            "unit_prices": [{"item": i.pk, "unit_price": data[f"price_{i.pk}"]} for i in self.items],
            "quality_scores": [{"criterion": c.pk, "score": data[f"score_{c.pk}"]} for c in self.criteria
                               if data.get(f"score_{c.pk}") is not None],
        }


class SupplierForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("name"), max_length=200)
    enterprise_number = forms.CharField(label=gettext_lazy("enterprise number"), max_length=30)
    email = forms.EmailField(label=gettext_lazy("e-mail"), required=False)
    address = forms.CharField(label=gettext_lazy("address"), max_length=300, required=False)
