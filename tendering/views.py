"""The tender pages: set-up, the tender with its standstill countdown, bid entry per lot, the ranking per lot,
the award with confirmation and the other transitions. Participants read the tender and its outcome (and
their own contracts, through the fragment the ``contracts`` app provides). Every change is a service call.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from core import formatting
from core.errors import DomainError, InvalidInput
from core.pages import action_page, attempt, report
from core.services import refusal
from procurement import permissions, selectors
from procurement.views.base import visible_initiative
from tendering import actions, rules, services
from tendering import selectors as tendering
from tendering.forms import (
    BidForm,
    CriterionFormSet,
    SupplierForm,
    TenderForm,
)
from tendering.models import Procedure, Publication, Tender

# --- helpers ---


def visible_tender(user, pk: int) -> Tender:
    return get_object_or_404(rules.visible_tenders(user).select_related("initiative__lead_organisation"), pk=pk)


def _manager(user, tender: Tender) -> None:
    if not rules.may_manage_tender(user, tender):
        raise PermissionDenied(_("Only procurement officers of the lead organisation can run this tender."))


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
            data = form.cleaned_data
            tender, status = attempt(request, lambda: services.tender_create(
                initiative=initiative, actor=request.user, award_criteria=rows, procedure=data["procedure"] or None,
                bid_deadline=data["bid_deadline"], standstill_days=data["standstill_days"],
                bid_period_reduction=data["bid_period_reduction"] or "none",
                bid_period_reduction_reason=data["bid_period_reduction_reason"],
                procedure_reason=data["procedure_reason"]), form=form)
            if status == 200:
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
    return render(request, "tendering/tender_form.html", {
        "initiative": initiative, "form": form, "criteria": criteria, "advice": advice,
        "advice_label": dict(Procedure.choices).get(advice.procedure, advice.procedure),
        "publication_label": dict(Publication.choices).get(advice.publication, advice.publication),
    }, status=status)


@login_required
def tender_detail(request, pk: int):
    tender = visible_tender(request.user, pk)
    user = request.user
    buttons = actions.TENDER.buttons(tender, actor=user)
    manager = rules.may_manage_tender(user, tender)
    may_award = refusal(tender, "award", actor=user) is None
    return render(request, "tendering/tender_detail.html", {
        "tender": tender, "initiative": tender.initiative, "actions": buttons, "manager": manager,
        "may_award": may_award, "may_see_bids": rules.may_see_bids(user, tender),
        "bids_open": tender.state == "published" and tender.bid_deadline > timezone.now(), "lots": tender.initiative.lots.order_by("number"),
        "criteria": tender.criteria.all(), "bids": tender.bids.select_related("supplier", "lot"),
        "awards": tender.awards.select_related("lot", "bid", "bid__supplier"),
    })


@login_required
def tender_transition(request, pk: int, name: str):
    tender = visible_tender(request.user, pk)
    return action_page(request, table=actions.TENDER, name=name, obj=tender, template="tendering/tender_transition.html",
                       context={"tender": tender, "initiative": tender.initiative},
                       success_url=reverse("tender-detail", args=[tender.pk]))


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
            bid, status = attempt(request, lambda: services.bid_submit(
                tender=tender, actor=request.user, lot=lot, **form.service_input()), form=form)
            if status == 200:
                messages.success(request, _("Bid of %(bidder)s recorded: %(total)s excl. VAT.")
                                 % {"bidder": bid.bidder, "total": formatting.money(bid.total)})
                return redirect("tender-detail", pk=tender.pk)
        else:
            status = 400
    rows = [{"item": item, "quantity": quantities.get(item.pk), "field": form[f"price_{item.pk}"]}
            for item in form.items]
    return render(request, "tendering/tender_bid_form.html", {
        "tender": tender, "initiative": tender.initiative, "lot": lot, "form": form, "rows": rows,
        "score_fields": [form[f"score_{c.pk}"] for c in form.criteria],
    }, status=status)


@login_required
def tender_ranking(request, pk: int):
    tender = visible_tender(request.user, pk)
    if not rules.may_see_bids(request.user, tender):
        raise PermissionDenied(_("Bids and scores are confidential until the tender has been evaluated."))
    return render(request, "tendering/tender_ranking.html", {
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
    return render(request, "tendering/tender_award.html", {
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
            supplier, status = attempt(request, lambda: services.supplier_register(
                actor=request.user, **form.cleaned_data), form=form)
            if status == 200:
                messages.success(request, _("%(supplier)s is registered.") % {"supplier": supplier})
                if next_url:
                    return redirect(next_url)
                return redirect("dashboard")
        else:
            status = 400
    return render(request, "tendering/tender_supplier_form.html", {"form": form, "next": next_url}, status=status)
