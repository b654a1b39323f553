"""The tender pages: set-up, the tender with its standstill countdown, bid entry per lot, the ranking per lot,
the award with confirmation and the other transitions. Participants read the tender and its outcome (and
their own contracts, through the fragment the ``contracts`` app provides). Every change is a service call.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.forms import formset_factory
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import select_template
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from procurement import formatting, permissions, selectors, services
from procurement import tender_selectors as tendering
from procurement.errors import DomainError, InvalidInput
from procurement.forms import (
    DATE_FORMATS,
    DATETIME_FORMATS,
    BelgianDecimalField,
    DateInput,
    DateTimeInput,
    ReasonForm,
    add_service_errors,
)
from procurement.models import BidPeriodReduction, Lot, Procedure, Publication, Supplier, Tender
from procurement.models.tenders import MAX_STANDSTILL_DAYS
from procurement.services.base import refusal

from .base import report, visible_initiative

CONTRACT_FRAGMENT = "contracts/_tender_contracts.html"

# --- forms (they only parse; the services decide) ---


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


# --- helpers ---


def visible_tender(user, pk: int) -> Tender:
    return get_object_or_404(permissions.visible_tenders(user).select_related("initiative__lead_organisation"), pk=pk)


def _manager(user, tender: Tender) -> None:
    if not permissions.may_manage_tender(user, tender):
        raise PermissionDenied(_("Only procurement officers of the lead organisation can run this tender."))


def _fragment(name: str) -> str | None:
    try:
        select_template([name])
    except TemplateDoesNotExist:
        return None
    return name


DONE = {
    "publish": gettext_lazy("The tender is published."),
    "close_bids": gettext_lazy("The bids are closed."),
    "evaluate": gettext_lazy("The bids are ranked."),
    "conclude": gettext_lazy("The contracts are concluded."),
    "cancel": gettext_lazy("The tender is cancelled."),
    "fail": gettext_lazy("The tender is declared unsuccessful."),
}
STEPS = {
    "publish": (gettext_lazy("Publish the tender"), gettext_lazy("Publish now? Bids can then be entered until the "
                                                                 "bid deadline."), PublishForm, services.tender_publish),
    "close_bids": (gettext_lazy("Close the bids"), gettext_lazy("Close the bids? No bid can be added afterwards."),
                   None, services.tender_close_bids),
    "evaluate": (gettext_lazy("Evaluate"), gettext_lazy("Rank the regular bids of every lot? Regularity and scores "
                                                        "can no longer change."), None, services.tender_evaluate),
    "conclude": (gettext_lazy("Conclude the contracts"), gettext_lazy("Conclude now? The contracts are created and "
                                                                      "the initiative becomes active."),
                 ConcludeForm, services.tender_conclude),
    "cancel": (gettext_lazy("Cancel the tender"), gettext_lazy("Cancel the tender and the initiative? This cannot be "
                                                               "undone."), ReasonForm, services.tender_cancel),
    "fail": (gettext_lazy("Declare unsuccessful"), gettext_lazy("No lot has a regular bid. Declare the tender and the "
                                                                "initiative unsuccessful?"),
             OptionalReasonForm, services.tender_fail),
}

# --- pages ---


@login_required
def tender_create(request, pk: int):
    initiative = visible_initiative(request.user, pk)
    if not permissions.may_manage_initiative(request.user, initiative):
        raise PermissionDenied(_("Only procurement officers of the lead organisation can start the tender."))
    advice = selectors.advice_for(initiative)
    status = 200
    if request.method == "POST":
        form = TenderForm(request.POST)
        criteria = CriterionFormSet(request.POST, prefix="criteria")
        if form.is_valid() and criteria.is_valid():
            rows = [c for c in criteria.cleaned_data if c and (c.get("name") or c.get("weight"))]
            try:
                tender = services.tender_create(initiative=initiative, actor=request.user,
                                                award_criteria=rows, procedure=form.cleaned_data["procedure"] or None,
                                                bid_deadline=form.cleaned_data["bid_deadline"],
                                                standstill_days=form.cleaned_data["standstill_days"],
                                                bid_period_reduction=form.cleaned_data["bid_period_reduction"] or "none",
                                                procedure_reason=form.cleaned_data["procedure_reason"],
                                                bid_period_reduction_reason=form.cleaned_data[
                                                    "bid_period_reduction_reason"])
            except InvalidInput as error:
                add_service_errors(form, error)
                status = report(request, error)
            except DomainError as error:
                status = report(request, error)
            else:
                messages.success(request, _("The tender is set up as a draft; publish it when the notice is out."))
                return redirect("tender-detail", pk=tender.pk)
        else:
            status = 400
    else:
        form = TenderForm()
        criteria = CriterionFormSet(prefix="criteria", initial=[
            {"name": _("Price"), "weight": 60, "is_price": True}, {"name": _("Quality"), "weight": 40},
            {}, {},
        ])
        error = refusal(initiative, "start_tender", actor=request.user)
        if error is not None:
            messages.error(request, error.message)
            status = 409
    return render(request, "procurement/tender_form.html", {
        "initiative": initiative, "form": form, "criteria": criteria, "advice": advice,
        "advice_label": dict(Procedure.choices).get(advice.procedure, advice.procedure),
        "publication_label": dict(Publication.choices).get(advice.publication, advice.publication),
    }, status=status)


@login_required
def tender_detail(request, pk: int):
    tender = visible_tender(request.user, pk)
    user = request.user
    actions = [{"name": name, "label": STEPS[name][0], "danger": name in ("cancel", "fail")}
               for name in services.available(tender, services.TENDER_TRANSITIONS, actor=user) if name != "award"]
    manager = permissions.may_manage_tender(user, tender)
    may_award = "award" in services.available(tender, ["award"], actor=user)
    return render(request, "procurement/tender_detail.html", {
        "tender": tender, "initiative": tender.initiative, "actions": actions, "manager": manager,
        "may_award": may_award, "may_see_bids": permissions.may_see_bids(user, tender),
        "bids_open": tender.state == "published", "lots": tender.initiative.lots.order_by("number"),
        "criteria": tender.criteria.all(), "bids": tender.bids.select_related("supplier", "lot"),
        "awards": tender.awards.select_related("lot", "bid", "bid__supplier"),
        "contract_fragment": _fragment(CONTRACT_FRAGMENT),
    })


@login_required
def tender_transition(request, pk: int, name: str):
    if name not in STEPS:
        raise Http404
    tender = visible_tender(request.user, pk)
    label, question, form_class, service = STEPS[name]
    status = 200
    if request.method == "POST":
        form = form_class(request.POST) if form_class else None
        if form is None or form.is_valid():
            data = {k: v for k, v in (form.cleaned_data.items() if form else []) if v not in (None, "")}
            try:
                service(tender=tender, actor=request.user, **data)
            except InvalidInput as error:
                if form is not None:
                    add_service_errors(form, error)
                status = report(request, error)
            except DomainError as error:
                status = report(request, error)
            else:
                messages.success(request, DONE[name])
                return redirect("tender-detail", pk=tender.pk)
        else:
            status = 400
    else:
        form = form_class() if form_class else None
        error = refusal(tender, name, actor=request.user)
        if error is not None:
            messages.error(request, error.message)
            status = 403 if error.status == 403 else 409
    return render(request, "procurement/tender_transition.html", {
        "tender": tender, "initiative": tender.initiative, "label": label, "question": question, "form": form,
        "danger": name in ("cancel", "fail"),
    }, status=status)


@login_required
def bid_create(request, pk: int, lot_pk: int):
    tender = visible_tender(request.user, pk)
    _manager(request.user, tender)
    lot = get_object_or_404(tender.initiative.lots, pk=lot_pk)
    quantities = tendering.pooled_quantities(tender.initiative, lot=lot)
    status = 200
    form = BidForm(request.POST or None, tender=tender, lot=lot)
    if request.method == "POST":
        if form.is_valid():
            try:
                bid = services.bid_submit(tender=tender, actor=request.user, lot=lot, **form.service_input())
            except InvalidInput as error:
                add_service_errors(form, error)
                status = report(request, error)
            except DomainError as error:
                status = report(request, error)
            else:
                messages.success(request, _("Bid of %(bidder)s recorded: %(total)s excl. VAT.")
                                 % {"bidder": bid.bidder, "total": bid.total})
                return redirect("tender-detail", pk=tender.pk)
        else:
            status = 400
    rows = [{"item": item, "quantity": quantities.get(item.pk), "field": form[f"price_{item.pk}"]}
            for item in form.items]
    return render(request, "procurement/tender_bid_form.html", {
        "tender": tender, "initiative": tender.initiative, "lot": lot, "form": form, "rows": rows,
        "score_fields": [form[f"score_{c.pk}"] for c in form.criteria],
    }, status=status)


@login_required
def tender_ranking(request, pk: int):
    tender = visible_tender(request.user, pk)
    if not permissions.may_see_bids(request.user, tender):
        raise PermissionDenied(_("Bids and scores are confidential until the tender has been evaluated."))
    return render(request, "procurement/tender_ranking.html", {
        "tender": tender, "initiative": tender.initiative, "ranking": tendering.ranking(tender),
        "criteria": list(tender.criteria.all()),
    })


@login_required
def tender_award(request, pk: int):
    """Choose a bid per lot (the first ranked by default) or declare the lot unsuccessful, then confirm."""
    tender = visible_tender(request.user, pk)
    _manager(request.user, tender)
    ranking = tendering.ranking(tender)
    status = 200
    chosen = {}
    if request.method == "POST":
        awards = []
        for lot_ranking in ranking:
            value = request.POST.get(f"lot_{lot_ranking.lot.pk}", "")
            chosen[lot_ranking.lot.pk] = value
            awards.append({"lot": lot_ranking.lot.pk, "bid": int(value) if value.isdigit() else None,
                           "reason": request.POST.get(f"reason_{lot_ranking.lot.pk}", "")})
        try:
            services.tender_award(tender=tender, actor=request.user, awards=awards)
        except DomainError as error:
            status = report(request, error)
            if isinstance(error, InvalidInput):
                for row in error.errors.get("awards", []):
                    for messages_ in (row.values() if isinstance(row, dict) else [[row]]):
                        for message in messages_:
                            messages.error(request, message)
        else:
            tender.refresh_from_db()
            messages.success(request, _("Awarded. The standstill period runs until %(end)s.")
                             % {"end": formatting.deadline(tender.standstill_ends)})
            return redirect("tender-detail", pk=tender.pk)
    else:
        error = refusal(tender, "award", actor=request.user)
        if error is not None:
            messages.error(request, error.message)
            status = 409
    lots = []
    for lot_ranking in ranking:
        ranked = [(bid, scored) for bid, scored in lot_ranking.rows if scored.rank is not None]
        default = str(ranked[0][0].pk) if ranked else ""
        lots.append({"lot": lot_ranking.lot, "ranked": ranked, "chosen": chosen.get(lot_ranking.lot.pk, default),
                     "reason": request.POST.get(f"reason_{lot_ranking.lot.pk}", "")})
    return render(request, "procurement/tender_award.html", {
        "tender": tender, "initiative": tender.initiative, "lots": lots,
        "standstill_ends": tendering.standstill_end(timezone.now(), tender.standstill_days),
    }, status=status)


@login_required
def supplier_create(request):
    status = 200
    form = SupplierForm(request.POST or None)
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    if request.method == "POST":
        if form.is_valid():
            try:
                supplier = services.supplier_register(actor=request.user, **form.cleaned_data)
            except InvalidInput as error:
                add_service_errors(form, error)
                status = report(request, error)
            except DomainError as error:
                status = report(request, error)
            else:
                messages.success(request, _("%(supplier)s is registered.") % {"supplier": supplier})
                if next_url:
                    return redirect(next_url)
                return redirect("dashboard")
        else:
            status = 400
    return render(request, "procurement/tender_supplier_form.html", {"form": form, "next": next_url}, status=status)
