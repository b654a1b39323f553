"""factory_boy factories for the domain; tests build exactly what they need with these."""

from datetime import timedelta
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from procurement import services
from procurement.models import (
    Circle,
    DemandLine,
    Initiative,
    InitiativeKind,
    InitiativeState,
    Item,
    LegalBasis,
    Lot,
    Membership,
    Organisation,
    OrganisationKind,
    Participation,
    Role,
)


def kbo(n: int) -> str:
    """A valid enterprise number derived from ``n`` (mod-97 check digits)."""
    base = 2_000_000 + n  # eight digits with the leading 0: 0200.000.1xx
    check = 97 - base % 97
    digits = f"{base:08d}{check:02d}"
    return f"{digits[:4]}.{digits[4:7]}.{digits[7:]}"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.be")
    password = factory.django.Password("demo")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Gemeente {n}")
    kind = OrganisationKind.MUNICIPALITY
    nis_code = factory.Sequence(lambda n: f"{40000 + n:05d}")
    enterprise_number = factory.Sequence(kbo)


class CircleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Circle

    name = factory.Sequence(lambda n: f"Kenniskring {n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.ICT


class InitiativeFactory(factory.django.DjangoModelFactory):
    """A draft led by ``lead_organisation``, offered to no circle unless ``circles`` is given."""

    class Meta:
        model = Initiative
        skip_postgeneration_save = True

    kind = InitiativeKind.JOINT_PURCHASE
    title = factory.Sequence(lambda n: f"Laptops {n}")
    state = InitiativeState.DRAFT
    lead_organisation = factory.SubFactory(OrganisationFactory)
    legal_basis = LegalBasis.CENTRAL_PURCHASING_BODY
    demand_deadline = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))
    decision_deadline = factory.LazyFunction(lambda: timezone.now() + timedelta(days=45))

    @factory.post_generation
    def circles(self, create, extracted, **kwargs):
        if create and extracted:
            self.circles.set(extracted)


class LotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lot

    initiative = factory.SubFactory(InitiativeFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Perceel {n + 1}")


class ItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Item

    lot = factory.SubFactory(LotFactory)
    name = factory.Sequence(lambda n: f"Laptop model {n}")
    unit = "piece"
    estimated_unit_price = Decimal("900.00")
    vat_rate = Decimal("21")


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participation

    initiative = factory.SubFactory(InitiativeFactory)
    organisation = factory.SubFactory(OrganisationFactory)


class DemandLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DemandLine

    participation = factory.SubFactory(ParticipationFactory)
    item = factory.SubFactory(ItemFactory)
    quantity = Decimal("10")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        line = super()._create(model_class, *args, **kwargs)
        # A line made here bypasses services.demand_set, which keeps the participation's demand value.
        services.demand_values_refresh(initiative=line.participation.initiative)
        return line
