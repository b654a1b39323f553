"""Initiatives: the list, the page of one initiative, its transitions, joining, ideas and interest."""


from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit import log as audit
from core.errors import DomainError
from core.pages import action_page, attempt, report
from procurement import actions, initiative_page, permissions, services
from procurement.forms import (
    IdeaForm,
    InterestForm,
    JoinForm,
)
from procurement.models import (
    Circle,
    Initiative,
    InitiativeState,
    Item,
    Organisation,
    Role,
)
from procurement.services.initiatives import EDITABLE_IN
from procurement.tasklist import task_list, visible_tender_of

from . import listing
from .base import visible_initiative
from .consequences import consequences

S = InitiativeState

def _adopt_organisations(user, initiative):
    ids = permissions.organisation_ids(user, Role.PROCUREMENT)
    return Organisation.objects.filter(pk__in=ids).order_by("name")


@login_required
def initiative_list(request):
    visible = permissions.visible_initiatives(request.user)
    filters = listing.parse(request.GET)
    return render(request, "procurement/initiative_list.html", {
        "initiatives": listing.apply(visible.select_related("lead_organisation"), filters),
        "states": S.choices,
        "filters": filters,
        **listing.choices(visible),
        "may_create": bool(permissions.organisation_ids(request.user, Role.PROCUREMENT)),
        "may_propose": bool(permissions.organisation_ids(request.user, Role.ICT, Role.PROCUREMENT)),
    })


def _detail_context(request, initiative: Initiative, **extra) -> dict:
    user = request.user
    lots = initiative.lots.prefetch_related(Prefetch("items", queryset=Item.objects.order_by("position", "id")))
    summary = initiative_page.figures(initiative, user)
    rows = initiative_page.participant_rows(initiative, user, summary["totals"])
    joinable = initiative_page.joinable_organisations(user, initiative)
    interest_orgs = initiative_page.interest_organisations(user, initiative)
    editable = permissions.may_manage_initiative(user, initiative) and initiative.state in EDITABLE_IN
    context = {
        "initiative": initiative,
        "lots": lots,
        "participants": rows,
        "actions": actions.INITIATIVE.buttons(initiative, actor=user),
        "join_form": JoinForm(organisations=joinable) if joinable.exists() else None,
        "interest_form": extra.pop("interest_form", None) or (
            InterestForm(organisations=interest_orgs) if interest_orgs.exists() else None),
        "interests": initiative.interests.select_related("organisation").order_by("organisation__name")
        if initiative.state in (S.IDEA, S.SHELVED) or permissions.may_manage_initiative(user, initiative) else [],
        "may_edit": editable,
        "trail": audit.trail(initiative)[:50],
        "can_download": permissions.may_manage_initiative(user, initiative),
        "stages": task_list(initiative, user),
        "tender": visible_tender_of(initiative, user),
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
                                                                     **initiative_page.figures(initiative, request.user)})


@login_required
def initiative_transition(request, pk: int, name: str):
    """Confirm and carry out one action of the initiative's table: GET asks, POST calls the service."""
    user = request.user
    initiative = visible_initiative(user, pk)
    form_kwargs, initial = {}, None
    if name == "adopt":
        organisations = _adopt_organisations(user, initiative)
        form_kwargs, initial = {"organisations": organisations}, {"lead_organisation": organisations.first()}
    return action_page(request, table=actions.INITIATIVE, name=name, obj=initiative,
                       template="procurement/initiative_transition.html", context={"initiative": initiative,
                                                      "consequences": consequences(initiative, name)},
                       success_url=reverse("initiative-detail", args=[initiative.pk]), form_kwargs=form_kwargs,
                       form_initial=initial)


@login_required
@require_POST
def initiative_join(request, pk: int):
    user = request.user
    initiative = visible_initiative(user, pk)
    form = JoinForm(request.POST, organisations=initiative_page.joinable_organisations(user, initiative))
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
    form = InterestForm(request.POST, organisations=initiative_page.interest_organisations(user, initiative))
    status = 400
    if form.is_valid():
        _result, status = attempt(request, lambda: services.interest_register(
            initiative=initiative, actor=user, **form.cleaned_data), form=form)
        if status == 200:
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
            initiative, status = attempt(request, lambda: services.idea_propose(
                actor=user, kind=data["kind"], title=data["title"], description=data["description"],
                circles=list(data["circles"]), proposing_organisation=data["proposing_organisation"],
            ), form=form)
            if status == 200:
                messages.success(request, _("Your idea is proposed to the knowledge circles."))
                return redirect("initiative-detail", pk=initiative.pk)
    if len(organisations) == 1 and not form.is_bound:
        form.initial["proposing_organisation"] = organisations[0]
    return render(request, "procurement/idea_form.html", {"form": form}, status=status)

