"""The audit log is append-only: an entry is written once and the ORM refuses to change or delete it."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.db.models import ProtectedError

from audit import log
from audit.models import AppendOnlyError, AuditEntry
from tests import factories as f

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def entry():
    initiative = f.InitiativeFactory(title="Laptops 2027")
    return log.record(action="procurement.initiative.pooling_opened", obj=initiative, actor=f.UserFactory(),
                      organisation=initiative.lead_organisation, from_state="draft", to_state="pooling",
                      data={"amount": Decimal("1234.50"), "on": date(2026, 1, 1)})


def stored(entry) -> dict:
    return AuditEntry.objects.filter(pk=entry.pk).values().get()


def test_record(entry):
    entry = AuditEntry.objects.get(pk=entry.pk)
    assert (entry.action, entry.object_repr, entry.from_state, entry.to_state) == (
        "procurement.initiative.pooling_opened", "Laptops 2027", "draft", "pooling")
    assert entry.subject.title == "Laptops 2027"
    assert entry.data == {"amount": "1234.50", "on": "2026-01-01"}  # Decimal and date as JSON text
    assert entry.created_at is not None


@pytest.mark.parametrize("actor", [None, AnonymousUser()])
def test_the_system_acts_without_an_actor(actor):
    entry = log.record(action="x", obj=f.InitiativeFactory(), actor=actor)
    assert (entry.actor, entry.organisation, entry.from_state, entry.data) == (None, None, "", {})


def test_save_of_an_existing_entry(entry):
    before = stored(entry)
    entry.action = "procurement.initiative.cancelled"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.save(update_fields=["action"])
    fetched = AuditEntry.objects.get(pk=entry.pk)
    fetched.to_state = "cancelled"
    with pytest.raises(AppendOnlyError):
        fetched.save(force_update=True)
    assert stored(entry) == before


def test_delete_of_an_entry(entry):
    with pytest.raises(AppendOnlyError):
        entry.delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.parametrize(
    "operation",
    [
        lambda qs: qs.update(action="changed"),
        lambda qs: qs.filter(action__startswith="procurement").update(to_state="cancelled"),
        lambda qs: qs.delete(),
        lambda qs: qs.filter(pk__gt=0).delete(),
        lambda qs: qs.all().exclude(action="").delete(),
        lambda qs: qs.bulk_update([qs.first()], ["action"]),
        lambda qs: qs.update_or_create(pk=qs.first().pk, defaults={"action": "changed"}),
    ],
    ids=["update", "filtered update", "delete", "filtered delete", "excluded delete", "bulk_update",
         "update_or_create"],
)
def test_queryset_update_and_delete(entry, operation):
    before = stored(entry)
    # In a savepoint: bulk_update raises inside its own atomic block, which breaks the test's transaction.
    with pytest.raises(AppendOnlyError), transaction.atomic():
        operation(AuditEntry.objects)
    assert stored(entry) == before


def test_manager_update_and_delete(entry):
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.update(action="changed")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.count() == 1


def test_appending_stays_possible(entry):
    initiative = entry.subject
    log.record(action="procurement.initiative.pooling_closed", obj=initiative, actor=None)
    AuditEntry.objects.bulk_create([AuditEntry(action="bulk", content_type=entry.content_type,
                                               object_id=initiative.pk, object_repr="x")])
    assert AuditEntry.objects.count() == 3


def test_the_people_and_organisations_in_the_log_cannot_be_deleted(entry):
    with pytest.raises(ProtectedError):
        entry.actor.delete()
    with pytest.raises(ProtectedError):
        entry.organisation.delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_trail_is_per_object_newest_first():
    initiative = f.InitiativeFactory()
    participation = f.ParticipationFactory(pk=initiative.pk)  # same id, other model
    first = log.record(action="one", obj=initiative, actor=None)
    log.record(action="other object", obj=participation, actor=None)
    second = log.record(action="two", obj=initiative, actor=None)
    assert list(log.trail(initiative)) == [second, first]
    assert [e.action for e in AuditEntry.objects.for_object(participation)] == ["other object"]


def test_the_admin_is_read_only(rf, admin_user):
    model_admin = admin.site._registry[AuditEntry]
    request = rf.get("/")
    request.user = admin_user
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
