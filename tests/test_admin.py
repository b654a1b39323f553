"""The admin site: every page answers, states are read-only, the audit trail is on the object's page."""

from io import StringIO

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from procurement.demo.initiatives import GIS_TITLE, IDEA_TITLE, LAPTOPS_TITLE, PRINTERS_TITLE
from procurement.models import (
    Circle,
    DemandLine,
    Initiative,
    Interest,
    Item,
    Lot,
    Membership,
    Organisation,
    Participation,
    ParticipationState,
    Threshold,
)
from workflows.models import DeadlineReminder, DecisionProcess, InitiativeProcess

User = get_user_model()
OURS = [Organisation, Circle, Membership, Initiative, Lot, Item, Participation, Interest, Threshold, DeadlineReminder,
        DecisionProcess, InitiativeProcess, AuditEntry, User]


@pytest.fixture
def site(db, settings, client, django_capture_on_commit_callbacks):
    """The demo data (with its events, so that the flows have processes and tasks), a few rows for the
    models the demo does not fill, and the superuser logged in."""
    with django_capture_on_commit_callbacks(execute=True):
        call_command("demo", stdout=StringIO())
    laptops = Initiative.objects.get(title=LAPTOPS_TITLE)
    DeadlineReminder.objects.create(initiative=laptops, days_before=3, deadline=laptops.demand_deadline, recipients=4)
    Group.objects.create(name="Functioneel beheer")
    client.force_login(User.objects.get(username="admin"))
    return client


def _url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_every_registered_model_has_a_working_changelist_and_change_page(site):
    checked = []
    for model, model_admin in admin.site._registry.items():
        response = site.get(_url(model, "changelist"))
        assert response.status_code == 200, model
        response = site.get(_url(model, "changelist"), {"q": "wetteren"})
        assert response.status_code == 200, model
        obj = model_admin.get_queryset(response.wsgi_request).first()
        if obj is None:
            assert model not in OURS, f"no {model.__name__} to show"
            continue
        response = site.get(_url(model, "change", obj.pk))
        assert response.status_code == 200, (model, obj.pk)
        checked.append(model)
        if model_admin.has_add_permission(response.wsgi_request):
            assert site.get(_url(model, "add")).status_code == 200, model
    assert set(OURS) <= set(checked)
    assert {DemandLine} & set(admin.site._registry) == set()  # demand lines live on the participation's page


def test_every_change_page_of_every_demo_object(site):
    """Each state of the demo has its own read-only rules: all of them render."""
    for model in (Initiative, Participation, Lot, Item, Interest):
        for obj in model.objects.all():
            assert site.get(_url(model, "change", obj.pk)).status_code == 200, (model, obj)


def test_our_admin_classes_pass_the_system_checks(db):
    for model in OURS:
        assert admin.site._registry[model].check() == [], model


def _request(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def test_state_fields_are_read_only(site):
    request = _request(User.objects.get(username="admin"))
    for model, title in ((Initiative, LAPTOPS_TITLE), (Participation, None)):
        model_admin = admin.site._registry[model]
        obj = model.objects.get(title=title) if title else Participation.objects.first()
        assert "state" in model_admin.get_readonly_fields(request, obj)
        assert "state" not in model_admin.get_form(request, obj).base_fields
    laptops = Initiative.objects.get(title=LAPTOPS_TITLE)
    response = site.get(_url(Initiative, "change", laptops.pk))
    assert 'name="state"' not in response.content.decode()


def test_posting_a_state_changes_nothing(site):
    """A crafted POST with a state field is ignored: the form has no such field."""
    idea = Initiative.objects.get(title=IDEA_TITLE)
    response = site.post(_url(Initiative, "change", idea.pk), {
        "title": "Gedeelde informatieveiligheidsconsulent (DPO)", "description": idea.description,
        "circles": [c.pk for c in idea.circles.all()], "state": "draft",
        "lots-TOTAL_FORMS": "0", "lots-INITIAL_FORMS": "0", "lots-MIN_NUM_FORMS": "0", "lots-MAX_NUM_FORMS": "1000",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    idea.refresh_from_db()
    assert idea.title == "Gedeelde informatieveiligheidsconsulent (DPO)"
    assert idea.state == "idea"


def test_initiative_fields_are_editable_only_as_the_state_allows(site):
    request = _request(User.objects.get(username="admin"))
    model_admin = admin.site._registry[Initiative]
    pooling = Initiative.objects.get(title=LAPTOPS_TITLE)
    ready = Initiative.objects.get(title=GIS_TITLE)
    assert "title" not in model_admin.get_readonly_fields(request, pooling)
    assert "lead_organisation" in model_admin.get_readonly_fields(request, pooling)
    assert "title" in model_admin.get_readonly_fields(request, ready)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_delete_permission(request, pooling)
    assert model_admin.has_delete_permission(request, Initiative.objects.get(title=IDEA_TITLE))


def test_deadlines_edited_in_the_admin_follow_the_service_rules(site):
    pooling = Initiative.objects.get(title=LAPTOPS_TITLE)
    data = {
        "title": pooling.title, "description": pooling.description, "circles": [c.pk for c in pooling.circles.all()],
        "demand_deadline_0": "2020-01-01", "demand_deadline_1": "17:00:00",
        "decision_deadline_0": timezone.localtime(pooling.decision_deadline).strftime("%Y-%m-%d"),
        "decision_deadline_1": "17:00:00",
        "planned_procedure_start": "",
        "lots-TOTAL_FORMS": "2", "lots-INITIAL_FORMS": "2", "lots-MIN_NUM_FORMS": "0", "lots-MAX_NUM_FORMS": "1000",
    }
    for index, lot in enumerate(pooling.lots.all()):
        data.update({f"lots-{index}-id": lot.pk, f"lots-{index}-initiative": pooling.pk})
    response = site.post(_url(Initiative, "change", pooling.pk), data)
    assert response.status_code == 200  # the form again, with the error
    assert "Choose a moment in the future." in response.content.decode()
    before = pooling.demand_deadline
    pooling.refresh_from_db()
    assert pooling.demand_deadline == before


def test_lots_and_demand_lock_as_the_services_do(site):
    request = _request(User.objects.get(username="admin"))
    initiative_admin = admin.site._registry[Initiative]
    lot_inline = next(i for i in initiative_admin.get_inline_instances(request, None) if i.model is Lot)
    pooling, ready = Initiative.objects.get(title=LAPTOPS_TITLE), Initiative.objects.get(title=GIS_TITLE)
    assert lot_inline.has_add_permission(request, pooling)
    assert not lot_inline.has_change_permission(request, pooling)  # changing a lot is for drafts only
    assert not lot_inline.has_add_permission(request, ready)

    participation_admin = admin.site._registry[Participation]
    lines = next(i for i in participation_admin.get_inline_instances(request, None) if i.model is DemandLine)
    draft = Participation.objects.get(initiative=pooling, organisation__name="Zele")
    # Demand is entered by the organisation (services.demand_set: guards, audit, threshold): read-only here,
    # even for a draft.
    for permission in (lines.has_add_permission, lines.has_change_permission, lines.has_delete_permission):
        assert not permission(request, draft)
    page = site.get(_url(Participation, "change", draft.pk)).content.decode()
    assert 'name="lines-TOTAL_FORMS"' in page and 'name="lines-0-quantity"' not in page
    assert not participation_admin.has_add_permission(request)
    assert not participation_admin.has_delete_permission(request, draft)


def test_the_audit_trail_is_on_the_page_and_links_to_the_log(site):
    printers = Initiative.objects.get(title=PRINTERS_TITLE)
    page = site.get(_url(Initiative, "change", printers.pk)).content.decode()
    assert "procurement.initiative.pooling_closed" in page
    # The page shows the newest entries: the printers' value (renewal included) crossed three thresholds.
    assert "procurement.initiative.threshold_crossed" in page
    trail = AuditEntry.objects.for_object(printers)
    link = reverse("admin:audit_auditentry_changelist") + "?content_type__id__exact="  # not the sidebar's link
    assert link in page
    start = page.index(link)
    href = page[start:page.index('"', start)].replace("&amp;", "&")
    response = site.get(href)
    assert response.status_code == 200
    assert response.context["cl"].result_count == trail.count()

    participation = Participation.objects.filter(state=ParticipationState.APPROVED).first()
    page = site.get(_url(Participation, "change", participation.pk)).content.decode()
    assert "procurement.participation.approved" in page
    assert "procurement.participation.submitted" in page


def test_autocomplete_finds_organisations_and_people(site):
    response = site.get(reverse("admin:autocomplete"), {
        "app_label": "procurement", "model_name": "membership", "field_name": "organisation", "term": "wetter"})
    assert response.status_code == 200
    assert {r["text"] for r in response.json()["results"]} == {"Wetteren", "OCMW Wetteren"}
    response = site.get(reverse("admin:autocomplete"), {
        "app_label": "procurement", "model_name": "membership", "field_name": "user", "term": "ict.wetteren"})
    assert [r["text"] for r in response.json()["results"]] == ["ict.wetteren"]


def test_the_users_page_shows_their_roles(site):
    ict = User.objects.get(username="ict.wetteren")
    page = site.get(reverse("admin:auth_user_change", args=[ict.pk])).content.decode()
    assert "OCMW Wetteren" in page


def test_not_for_anyone_but_staff(site, client):
    client.force_login(User.objects.get(username="procurement.destelbergen"))
    response = client.get(_url(Initiative, "changelist"))
    assert response.status_code == 302 and "/login/" in response["Location"]
