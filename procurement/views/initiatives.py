"""Initiatives: the list, the page of one initiative, its transitions, joining, ideas and interest."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from audit import log as audit
from procurement import permissions, selectors, services
from procurement.errors import DomainError, InvalidInput, NotAllowed
from procurement.forms import (
    AdoptForm,
    IdeaForm,
    InterestForm,
    JoinForm,
    ReasonForm,
    ReopenPoolingForm,
    add_service_errors,
)
from procurement.models import (
    Circle,
    Initiative,
    InitiativeState,
    Item,
    Organisation,
    ParticipationState,
    Role,
)
from procurement.services.base import refusal
from procurement.services.initiatives import EDITABLE_IN

from .base import document_fragments, report, visible_initiative

S = InitiativeState

# What each button says and asks; the service decides whether it is allowed.
TRANSITIONS = {
    "adopt": {
        "label": gettext_lazy("Adopt the idea"),
        "question": gettext_lazy("Adopt this idea as an initiative led by your organisation?"),
        "form": AdoptForm,
    },
    "shelve": {
        "label": gettext_lazy("Shelve the idea"),
        "question": gettext_lazy("Shelve this idea? Give the reason; the people who showed interest can read it."),
        "form": ReasonForm,
        "danger": True,
    },
    "open_pooling": {
        "label": gettext_lazy("Open pooling"),
        "question": gettext_lazy("Open demand pooling? The ICT staff of the circles' organisations are told and "
                                 "can join until the demand deadline."),
    },
    "close_pooling": {
        "label": gettext_lazy("Close pooling"),
        "question": gettext_lazy("Close demand pooling now? Nobody can join or change demand any more; the "
                                 "aldermen decide on the submitted participations."),
    },
    "reopen_pooling": {
        "label": gettext_lazy("Reopen pooling"),
        "question": gettext_lazy("Reopen demand pooling? Give a later demand deadline when the current one "
                                 "has passed."),
        "form": ReopenPoolingForm,
    },
    "confirm_participants": {
        "label": gettext_lazy("Confirm participants"),
        "question": gettext_lazy("Confirm the participants? Undecided participations lapse, and the participants "
                                 "and maximum quantities are frozen from now on."),
    },
    "cancel": {
        "label": gettext_lazy("Cancel the initiative"),
        "question": gettext_lazy("Cancel this initiative? This cannot be undone. Give the reason; it is shown "
                                 "to the participants."),
        "form": ReasonForm,
        "danger": True,
    },
    "close": {
        "label": gettext_lazy("Close the initiative"),
        "question": gettext_lazy("Close this initiative? Do this once its contracts are done; it stays readable."),
    },
}
DONE = {
    "adopt": gettext_lazy("The idea was adopted; it is now a draft initiative."),
    "shelve": gettext_lazy("The idea was shelved."),
    "open_pooling": gettext_lazy("Pooling is open."),
    "close_pooling": gettext_lazy("Pooling is closed."),
    "reopen_pooling": gettext_lazy("Pooling is open again."),
    "confirm_participants": gettext_lazy("The participants are confirmed."),
    "cancel": gettext_lazy("The initiative was cancelled."),
    "close": gettext_lazy("The initiative is closed."),
}


def _adopt_organisations(user, initiative):
    ids = permissions.organisation_ids(user, Role.PROCUREMENT)
    return Organisation.objects.filter(pk__in=ids).order_by("name")


def _call(name: str, initiative: Initiative, user, data: dict) -> Initiative:
    if name == "adopt":
        return services.initiative_adopt(initiative=initiative, actor=user, **data)
    if name == "shelve":
        return services.initiative_shelve(initiative=initiative, actor=user, reason=data["reason"])
    if name == "open_pooling":
        return services.initiative_open_pooling(initiative=initiative, actor=user)
    if name == "close_pooling":
        return services.initiative_close_pooling(initiative=initiative, actor=user)
    if name == "reopen_pooling":
        return services.initiative_reopen_pooling(initiative=initiative, actor=user, **data)
    if name == "confirm_participants":
        return services.initiative_confirm_participants(initiative=initiative, actor=user)
    if name == "cancel":
        return services.initiative_cancel(initiative=initiative, actor=user, reason=data["reason"])
    if name == "close":
        return services.initiative_close(initiative=initiative, actor=user)
    raise Http404


@login_required
def initiative_list(request):
    state = request.GET.get("state", "")
    initiatives = permissions.visible_initiatives(request.user).select_related("lead_organisation")
    if state in S.values:
        initiatives = initiatives.filter(state=state)
    return render(request, "procurement/initiative_list.html", {
        "initiatives": initiatives.order_by("-created_at"),
        "states": S.choices,
        "state": state,
        "may_create": bool(permissions.organisation_ids(request.user, Role.PROCUREMENT)),
        "may_propose": bool(permissions.organisation_ids(request.user, Role.ICT, Role.PROCUREMENT)),
    })


def _summary(initiative: Initiative, user) -> dict:
    """What the live part of the page shows: pooled value, advice, progress (refreshed with htmx)."""
    totals = selectors.demand_totals(initiative)
    counts = selectors.participation_counts(initiative)
    return {
        "totals": totals,
        "advice": selectors.advice_for(initiative, demand=totals.pooled_value_exact),
        "counts": counts,
        "participant_count": sum(counts[s] for s in (ParticipationState.DRAFT, ParticipationState.SUBMITTED,
                                                     ParticipationState.APPROVED)),
        "invited": Organisation.objects.filter(circles__initiatives=initiative).distinct().count(),
        "may_manage": permissions.may_manage_initiative(user, initiative),
    }


def _joinable_organisations(user, initiative: Initiative):
    if initiative.state != S.POOLING:
        return Organisation.objects.none()
    ids = [org for org in permissions.organisation_ids(user, Role.ICT) if permissions.is_invited(initiative, org)]
    return Organisation.objects.filter(pk__in=ids).exclude(participations__initiative=initiative).order_by("name")


def _interest_organisations(user, initiative: Initiative):
    if initiative.state != S.IDEA:
        return Organisation.objects.none()
    ids = [org for org in permissions.organisation_ids(user, Role.ICT, Role.PROCUREMENT)
           if permissions.is_invited(initiative, org)]
    return Organisation.objects.filter(pk__in=ids).order_by("name")


def _detail_context(request, initiative: Initiative, **extra) -> dict:
    user = request.user
    lots = initiative.lots.prefetch_related(Prefetch("items", queryset=Item.objects.order_by("position", "id")))
    participations = (
        permissions.visible_participations(user)
        .filter(initiative=initiative)
        .select_related("organisation", "contact", "decided_by")
        .order_by("organisation__name")
    )
    summary = _summary(initiative, user)
    subtotals = summary["totals"].subtotals
    subtotals_incl = summary["totals"].subtotals_incl_vat
    # What the participations that do not count (declined, withdrawn…) were worth: one aggregate for all of
    # them, not one query per row (the page must not make more queries for more organisations).
    uncounted = selectors.demand_totals(
        initiative, states=tuple(set(ParticipationState.values) - set(selectors.counting_states(initiative)))
    ).subtotals
    rows = []
    for participation in participations:
        value = subtotals.get(participation.pk)
        if value is None:  # not counted in the pooled value: show what it was worth
            value = uncounted.get(participation.pk, Decimal("0.00"))
        rows.append({"participation": participation, "subtotal": value,
                     "subtotal_incl": subtotals_incl.get(participation.pk)})
    actions = services.available(initiative, services.INITIATIVE_TRANSITIONS, actor=user)
    joinable = _joinable_organisations(user, initiative)
    interest_orgs = _interest_organisations(user, initiative)
    editable = permissions.may_manage_initiative(user, initiative) and initiative.state in EDITABLE_IN
    context = {
        "initiative": initiative,
        "lots": lots,
        "participants": rows,
        "actions": [{"name": name, **TRANSITIONS[name]} for name in actions if name in TRANSITIONS],
        "join_form": JoinForm(organisations=joinable) if joinable.exists() else None,
        "interest_form": extra.pop("interest_form", None) or (
            InterestForm(organisations=interest_orgs) if interest_orgs.exists() else None),
        "interests": initiative.interests.select_related("organisation").order_by("organisation__name")
        if initiative.state in (S.IDEA, S.SHELVED) or permissions.may_manage_initiative(user, initiative) else [],
        "may_edit": editable,
        "trail": audit.trail(initiative)[:50],
        "document_fragments": document_fragments(),
        "can_download": permissions.may_manage_initiative(user, initiative),
        **summary,
        **extra,
    }
    return context


@login_required
def initiative_detail(request, pk: int):
    initiative = visible_initiative(request.user, pk)
    return render(request, "procurement/initiative_detail.html", _detail_context(request, initiative))


@login_required
def initiative_summary(request, pk: int):
    """The live part of the initiative page (htmx polls it)."""
    initiative = visible_initiative(request.user, pk)
    return render(request, "procurement/_initiative_summary.html", {"initiative": initiative,
                                                                     **_summary(initiative, request.user)})


@login_required
def initiative_transition(request, pk: int, name: str):
    """Confirm and carry out one lifecycle transition. GET asks; POST calls the service."""
    if name not in TRANSITIONS:
        raise Http404
    user = request.user
    initiative = visible_initiative(user, pk)
    spec = TRANSITIONS[name]
    form_class = spec.get("form")
    kwargs = {"organisations": _adopt_organisations(user, initiative)} if form_class is AdoptForm else {}
    status = 200
    if request.method == "POST":
        form = form_class(request.POST, **kwargs) if form_class else None
        if form is None or form.is_valid():
            data = {k: v for k, v in (form.cleaned_data.items() if form else []) if v not in (None, "")}
            try:
                _call(name, initiative, user, data)
            except InvalidInput as error:
                if form is not None:
                    add_service_errors(form, error)
                status = report(request, error)
            except DomainError as error:
                status = report(request, error)
            else:
                messages.success(request, DONE[name])
                return redirect("initiative-detail", pk=initiative.pk)
        else:
            status = 400
    else:
        form = form_class(**kwargs) if form_class else None
        if form_class is AdoptForm:
            form.initial.update({"lead_organisation": kwargs["organisations"].first()})
        error = refusal(initiative, name, actor=user)
        if error is not None:
            messages.error(request, error.message)
            status = 403 if isinstance(error, NotAllowed) else 409
    return render(request, "procurement/initiative_transition.html", {
        "initiative": initiative, "name": name, "spec": spec, "form": form,
    }, status=status)


@login_required
@require_POST
def initiative_join(request, pk: int):
    user = request.user
    initiative = visible_initiative(user, pk)
    form = JoinForm(request.POST, organisations=_joinable_organisations(user, initiative))
    if not form.is_valid():
        messages.error(request, _("Choose the organisation that joins."))
        return redirect("initiative-detail", pk=initiative.pk)
    try:
        participation = services.participation_join(initiative=initiative, actor=user,
                                                    organisation=form.cleaned_data["organisation"])
    except DomainError as error:
        report(request, error)
        return redirect("initiative-detail", pk=initiative.pk)
    messages.success(request, _("%(organisation)s takes part. Enter its demand below.")
                     % {"organisation": participation.organisation})
    return redirect("participation-detail", pk=participation.pk)


@login_required
@require_POST
def initiative_interest(request, pk: int):
    user = request.user
    initiative = visible_initiative(user, pk)
    form = InterestForm(request.POST, organisations=_interest_organisations(user, initiative))
    status = 400
    if form.is_valid():
        try:
            services.interest_register(initiative=initiative, actor=user, **form.cleaned_data)
        except InvalidInput as error:
            add_service_errors(form, error)
            status = report(request, error)
        except DomainError as error:
            status = report(request, error)
        else:
            messages.success(request, _("The interest of %(organisation)s is registered.")
                             % {"organisation": form.cleaned_data["organisation"]})
            return redirect("initiative-detail", pk=initiative.pk)
    context = _detail_context(request, initiative, interest_form=form)
    return render(request, "procurement/initiative_detail.html", context, status=status)


@login_required
def idea_propose(request):
    user = request.user
    organisations = Organisation.objects.filter(
        pk__in=permissions.organisation_ids(user, Role.ICT, Role.PROCUREMENT)).order_by("name")
    if not organisations.exists():
        raise PermissionDenied(_("Only ICT staff and procurement officers can propose an idea."))
    circles = Circle.objects.filter(organisations__in=organisations).distinct().order_by("name")
    form = IdeaForm(request.POST or None, organisations=organisations, circles=circles)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                initiative = services.idea_propose(
                    actor=user, kind=data["kind"], title=data["title"], description=data["description"],
                    circles=list(data["circles"]), proposing_organisation=data["proposing_organisation"],
                )
            except InvalidInput as error:
                add_service_errors(form, error)
                status = report(request, error)
            except DomainError as error:
                status = report(request, error)
            else:
                messages.success(request, _("Your idea is proposed to the knowledge circles."))
                return redirect("initiative-detail", pk=initiative.pk)
    if len(organisations) == 1 and not form.is_bound:
        form.initial["proposing_organisation"] = organisations[0]
    return render(request, "procurement/idea_form.html", {"form": form}, status=status)

