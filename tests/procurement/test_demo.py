"""The demo data command (docs/API.md, "Demo data"): idempotent, realistic, built through the services."""

import csv
from datetime import time
from decimal import Decimal
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Sum
from django.utils import timezone

from audit.models import AuditEntry
from procurement import demo, selectors, services
from procurement.demo.initiatives import GIS_TITLE, IDEA_TITLE, LAPTOPS_TITLE, PRINTERS_TITLE
from procurement.demo.people import CSV_PATH
from procurement.models import (
    Circle,
    DemandLine,
    Initiative,
    InitiativeKind,
    InitiativeState,
    Interest,
    Item,
    Lot,
    Membership,
    Organisation,
    Participation,
    ParticipationState,
    Role,
)

User = get_user_model()
BRUSSELS = ZoneInfo("Europe/Brussels")
SCHELDELAND = ["Destelbergen", "Wetteren", "Laarne", "Lochristi", "Wichelen", "Berlare", "Lede", "Zele"]
MIDWEST = ["Roeselare", "Izegem", "Oostrozebeke", "Ingelmunster", "Ardooie", "Lichtervelde", "Hooglede", "Staden"]
COUNTED = [Organisation, Circle, Circle.organisations.through, User, Membership, Initiative, Initiative.circles.through,
           Lot, Item, Participation, DemandLine, Interest, AuditEntry]


def run_demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in COUNTED}


def snapshot() -> dict:
    """Rows that a second run must leave exactly as they are (timestamps and password hashes included)."""
    return {
        "organisations": list(Organisation.objects.order_by("pk").values()),
        "users": list(User.objects.order_by("pk").values()),
        "initiatives": list(Initiative.objects.order_by("pk").values()),
        "participations": list(Participation.objects.order_by("pk").values()),
        "lines": list(DemandLine.objects.order_by("pk").values()),
    }


@pytest.fixture
def loaded(db):
    run_demo()
    return {i.title: i for i in Initiative.objects.all()}


def test_a_second_run_creates_and_changes_nothing(loaded):
    before, rows = counts(), snapshot()
    output = run_demo()
    assert counts() == before
    assert snapshot() == rows
    assert "Users: 49 (0 new, 0 updated, 49 unchanged)" in output
    assert "already there, left as it is" in output


@pytest.mark.django_db(transaction=True)
def test_runs_twice_with_real_commits_and_events(mailoutbox):
    """As on the command line: every service call commits, the events run (mails, decision tasks,
    process charts), and the second run still adds nothing."""
    from viewflow.workflow.models import Process, Task

    first = run_demo()
    assert "pooling (new)" in first
    assert mailoutbox, "the events after each commit sent mails"
    assert all(message.to[0].endswith(".example") for message in mailoutbox)
    before = {**counts(), "processes": Process.objects.count(), "tasks": Task.objects.count()}
    run_demo()
    assert {**counts(), "processes": Process.objects.count(), "tasks": Task.objects.count()} == before


def test_organisations_and_circles_come_from_the_csv(loaded):
    with CSV_PATH.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 32
    for row in rows:
        organisation = Organisation.objects.get(name=row["name"])
        assert (organisation.kind, organisation.nis_code, organisation.enterprise_number, organisation.postal_code,
                organisation.address) == (row["kind"], row["nis_code"], row["enterprise_number"],
                                          row["postal_code"], row["address"])
        assert organisation.circles.filter(name=row["circle"]).exists()
    wetteren, ocmw = Organisation.objects.get(name="Wetteren"), Organisation.objects.get(name="OCMW Wetteren")
    assert (wetteren.nis_code, wetteren.enterprise_number) == ("42025", "0207.447.366")
    assert (ocmw.nis_code, ocmw.enterprise_number, ocmw.kind) == ("42025", "0212.182.649", "ocmw")
    for circle, names in (("Scheldeland", SCHELDELAND), ("Midwest", MIDWEST)):
        members = set(Circle.objects.get(name=circle).organisations.values_list("name", flat=True))
        assert members == {*names, *(f"OCMW {n}" for n in names)}


def test_the_csv_is_the_projects_own_copy():
    """A fresh clone has no ../shared: the product reads the file inside the package."""
    assert CSV_PATH.is_file()
    assert "procurement" in CSV_PATH.parts and "shared" not in CSV_PATH.parts


def test_every_municipality_has_its_three_people_in_both_organisations(loaded):
    for municipality in SCHELDELAND + MIDWEST:
        for role in (Role.ICT, Role.ALDERMAN, Role.PROCUREMENT):
            user = User.objects.get(username=f"{role}.{municipality.lower()}")
            assert user.check_password("demo")
            assert user.first_name and user.last_name
            assert user.email.endswith(f"@{municipality.lower()}.example")
            assert not user.is_staff
            assert set(Membership.objects.filter(user=user).values_list("organisation__name", "role")) == {
                (municipality, role), (f"OCMW {municipality}", role)}
    ict = User.objects.get(username="ict.wetteren")
    assert set(ict.memberships.values_list("organisation__name", "role")) == {
        ("Wetteren", "ict"), ("OCMW Wetteren", "ict")}
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff and admin.check_password("demo")
    assert not admin.memberships.exists()
    assert User.objects.count() == 16 * 3 + 1


def test_password_option_sets_and_changes_the_password(db):
    run_demo("--password", "kenniskring")
    assert User.objects.get(username="alderman.zele").check_password("kenniskring")
    assert User.objects.get(username="admin").check_password("kenniskring")
    output = run_demo("--password", "andere")
    assert User.objects.get(username="alderman.zele").check_password("andere")
    assert "Users: 49 (0 new, 49 updated, 0 unchanged)" in output
    assert "'andere'" in output


def test_the_idea_has_interest_from_three_organisations(loaded):
    idea = loaded[IDEA_TITLE]
    assert (idea.state, idea.kind) == (InitiativeState.IDEA, InitiativeKind.SHARED_HIRE)
    assert list(idea.circles.values_list("name", flat=True)) == ["Scheldeland"]
    assert idea.interests.count() == 3
    assert idea.interests.aggregate(total=Sum("estimated_quantity"))["total"] == Decimal("1.00")


def test_the_laptop_round_pools_and_waits_for_wetteren_and_laarne(loaded):
    laptops = loaded[LAPTOPS_TITLE]
    assert (laptops.state, laptops.kind, laptops.lead_organisation.name) == (
        InitiativeState.POOLING, InitiativeKind.JOINT_PURCHASE, "Destelbergen")
    now = timezone.now()
    assert laptops.demand_deadline > now and laptops.decision_deadline > laptops.demand_deadline
    assert laptops.demand_deadline.astimezone(BRUSSELS).time() == time(17, 0)
    assert 20 <= (laptops.demand_deadline - now).days <= 21
    assert {lot.title for lot in laptops.lots.all()} == {"Laptops en docking", "Schermen"}
    laptop = Item.objects.get(lot__initiative=laptops, name__icontains="laptop")
    assert laptop.estimated_unit_price == Decimal("900.00")
    states = list(laptops.participations.values_list("state", flat=True))
    assert states.count(ParticipationState.APPROVED) == 1
    assert states.count(ParticipationState.SUBMITTED) >= 2
    assert ParticipationState.DRAFT in states
    joined = set(laptops.participations.values_list("organisation__name", flat=True))
    assert not joined & {"Wetteren", "Laarne", "OCMW Wetteren", "OCMW Laarne"}
    # What the browser tests do next: ict.wetteren joins and enters demand.
    ict = User.objects.get(username="ict.wetteren")
    participation = services.participation_join(initiative=laptops, actor=ict,
                                                 organisation=Organisation.objects.get(name="Wetteren"))
    services.demand_set(participation=participation, actor=ict, lines=[{"item": laptop.pk, "quantity": "40"}])


def test_the_printer_framework_is_deciding(loaded):
    printers = loaded[PRINTERS_TITLE]
    assert (printers.state, printers.kind, printers.lead_organisation.name) == (
        InitiativeState.DECIDING, InitiativeKind.FRAMEWORK_CONTRACT, "Roeselare")
    assert (printers.framework_term_months, printers.renewals) == (24, 1)  # four years in all (art. 43)
    assert list(printers.circles.values_list("name", flat=True)) == ["Midwest"]
    units = set(Item.objects.filter(lot__initiative=printers).values_list("unit", flat=True))
    assert units == {"page", "piece"}
    lines = DemandLine.objects.filter(participation__initiative=printers)
    assert lines.exists() and not lines.filter(max_quantity__isnull=True).exists()
    states = set(printers.participations.values_list("state", flat=True))
    assert {ParticipationState.SUBMITTED, ParticipationState.APPROVED} <= states


def test_the_gis_coordinator_is_ready_with_shares_summing_to_one(loaded):
    gis = loaded[GIS_TITLE]
    assert (gis.state, gis.kind) == (InitiativeState.READY, InitiativeKind.SHARED_HIRE)
    item = Item.objects.get(lot__initiative=gis)
    assert (item.unit, item.estimated_unit_price, item.vat_rate) == ("fte", Decimal("95000.00"), Decimal("0"))
    approved = DemandLine.objects.filter(participation__initiative=gis, participation__state=ParticipationState.APPROVED)
    assert approved.aggregate(total=Sum("quantity"))["total"] == Decimal("1.00")
    assert approved.count() == 5
    # Whoever had not submitted lapsed when the participants were confirmed.
    assert set(gis.participations.exclude(state=ParticipationState.APPROVED).values_list("state", flat=True)) == {
        ParticipationState.LAPSED}


def test_every_state_was_reached_through_audited_transitions(loaded):
    def actions(obj) -> list[str]:
        return list(AuditEntry.objects.for_object(obj).order_by("id").values_list("action", flat=True))

    assert actions(loaded[IDEA_TITLE]) == ["procurement.initiative.proposed"] + ["procurement.interest.registered"] * 3
    for title, walk in (
        (LAPTOPS_TITLE, ["created", "pooling_opened"]),
        (PRINTERS_TITLE, ["created", "pooling_opened", "pooling_closed"]),
        (GIS_TITLE, ["created", "pooling_opened", "pooling_closed", "participants_confirmed"]),
    ):
        initiative = loaded[title]
        transitions = [a.rsplit(".", 1)[1] for a in actions(initiative)
                       if a.startswith("procurement.initiative.") and a != "procurement.initiative.threshold_crossed"]
        assert transitions == walk, title
        last = AuditEntry.objects.for_object(initiative).exclude(to_state="").order_by("id").last()
        assert last.to_state == initiative.state
        assert last.actor.username == f"procurement.{initiative.lead_organisation.name.lower()}"
    for participation in Participation.objects.all():
        entries = AuditEntry.objects.for_object(participation).order_by("id")
        assert entries.first().action == "procurement.participation.joined"
        assert entries.exclude(to_state="").last().to_state == participation.state
    approved = AuditEntry.objects.filter(action="procurement.participation.approved")
    assert approved.count() == Participation.objects.filter(state=ParticipationState.APPROVED).count()
    assert all(entry.actor.username.startswith("alderman.") for entry in approved)


def test_an_initiative_that_moved_on_is_left_as_it_is(loaded):
    laptops = loaded[LAPTOPS_TITLE]
    services.initiative_close_pooling(initiative=laptops, actor=User.objects.get(username="procurement.destelbergen"))
    run_demo()
    assert Initiative.objects.filter(title=LAPTOPS_TITLE).count() == 1
    assert Initiative.objects.get(title=LAPTOPS_TITLE).state == InitiativeState.DECIDING


def test_load_reports_what_it_did(db):
    summary = demo.load(password="demo")
    assert [(o.title, o.state, o.created) for o in summary.initiatives] == [
        (IDEA_TITLE, "idea", True), (LAPTOPS_TITLE, "pooling", True), (PRINTERS_TITLE, "deciding", True),
        (GIS_TITLE, "ready", True),
    ]
    assert (summary.reference.organisations.created, summary.reference.memberships.created) == (32, 96)


def test_the_printer_framework_is_advised_on_its_value_with_the_renewal(loaded):
    """Issue 15: the demand over the initial term alone was advised as a negotiated procedure; with the
    renewal the estimated value (art. 7 KB plaatsing) is twice that, above the EU threshold of 216 000 €.
    Submitted and approved demand alone is 108 470 € (216 940 € with the renewal); Staden's draft counts too
    until the participants are confirmed."""
    printers = loaded[PRINTERS_TITLE]
    estimate = selectors.estimated_value(printers)
    assert (estimate.demand, estimate.renewals, estimate.total) == (Decimal("115530.00"), 1, Decimal("231060.00"))
    assert estimate.demand == selectors.pooled_value(printers)
    shown = selectors.demand_totals(printers, states=(ParticipationState.SUBMITTED, ParticipationState.APPROVED))
    assert shown.pooled_value * 2 == Decimal("216940.00")
    advice = selectors.advice_for(printers)
    assert (advice.procedure, advice.publication, advice.value) == ("open", "european", Decimal("231060.00"))
    assert any("115.530,00 €" in r and "231.060,00 €" in r and "art. 7 KB plaatsing" in r for r in advice.reasons)
