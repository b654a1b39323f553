"""The scale data generator: a round that all of Flanders joins.

``generate(organisations=600, items=60)`` builds, on the database Django is configured with:

- a lead organisation (a central purchasing body) with one procurement officer, and a knowledge circle
  holding it and ``organisations`` local governments (municipalities, OCMWs, police zones,
  intermunicipal bodies), each with an ICT officer (with an API token) and an alderman;
- one initiative with ``items`` items in lots of ten, created, filled and opened for pooling through the
  services (audit entries, viewflow process, the mails queued on commit);
- every organisation's participation with a demand line for every item (600 × 60 = 36 000 lines).

Organisations, people, participations and demand lines are bulk-created: thousands of rows through the
services would take minutes and prove nothing. Where the product's own path matters, the generator
walks it: nine in ten participations are submitted through ``participation_submit`` (viewflow decision
tasks, audit entries, subtotals), and one in fifty is withdrawn through ``participation_withdraw``, so
that pages and sheets meet every state they have to show.

Run on its own (it migrates nothing; ``python -m bench`` prepares the database)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/samenaankoop_bench \\
        .venv/bin/python -m bench.generate --organisations 600 --items 60
"""

import json
import random
import tempfile
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

KINDS = ["municipality", "ocmw", "police_zone", "intermunicipal"]
UNITS = ["piece", "piece", "piece", "licence_year", "set", "day"]
VAT = [Decimal("21"), Decimal("21"), Decimal("21"), Decimal("6"), Decimal("0")]
ITEMS_PER_LOT = 10
DRAFT_EVERY = 10  # every 10th participation stays a draft; the others are submitted through the service
WITHDRAWN_EVERY = 50  # every 50th withdrawn through the service
PASSWORD = "bench"


def enterprise_number(n: int) -> str:
    """A valid KBO number (mod-97 check) for sequence number ``n``; unique per ``n``."""
    base = 3_000_000 + n
    check = 97 - base % 97
    digits = f"{base:08d}{check:02d}"
    return f"{digits[:4]}.{digits[4:7]}.{digits[7:]}"


@dataclass
class World:
    """What the benchmarks need to find again: ids, the officer, the ICT officers and their tokens."""

    label: str
    organisations: int
    items: int
    initiative_id: int
    lead_id: int
    officer_id: int
    participation_ids: list[int] = field(default_factory=list)  # ordered by organisation name
    ict_user_ids: dict[int, int] = field(default_factory=dict)  # participation id -> ICT user id
    tokens: dict[int, str] = field(default_factory=dict)  # participation id -> API token of its ICT officer
    item_ids: list[int] = field(default_factory=list)


def _bulk_users(User, usernames: list[str], password_hash: str) -> list:
    User.objects.bulk_create(
        [User(username=name, email=f"{name}@bench.example.be", password=password_hash) for name in usernames],
        batch_size=1000,
    )
    by_name = dict(User.objects.filter(username__in=usernames).values_list("username", "id"))
    return [by_name[name] for name in usernames]


def generate(*, organisations: int = 600, items: int = 60, label: str = "", seed: int = 2027,
             offset: int = 0) -> World:
    """Build one world. ``label`` keeps names unique when several worlds share a database; ``offset``
    keeps enterprise numbers unique (give each world its own range of ``organisations + 1`` numbers)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from procurement import services
    from procurement.models import (
        Circle,
        DemandLine,
        Item,
        Membership,
        Organisation,
        Participation,
        Role,
    )
    from procurement.models.organisations import DEFAULT_DECIDING_BODY

    rng = random.Random(seed)
    User = get_user_model()
    password_hash = make_password(PASSWORD)  # one hash for every generated person: hashing is slow on purpose
    tag = f"{label} " if label else ""
    slug = label.lower().replace(" ", "") or "w"

    with transaction.atomic():
        lead = Organisation.objects.create(
            name=f"{tag}Aankoopcentrale Vlaanderen", kind="central_purchasing_body",
            enterprise_number=enterprise_number(offset),
        )
        [officer_id] = _bulk_users(User, [f"{slug}.procurement"], password_hash)
        Membership.objects.create(user_id=officer_id, organisation=lead, role=Role.PROCUREMENT)
        circle = Circle.objects.create(name=f"{tag}Alle besturen", description="Every local government in Flanders")

        orgs = []
        for n in range(organisations):
            kind = KINDS[n % len(KINDS)]
            orgs.append(Organisation(
                name=f"{tag}Bestuur {n + 1:04d}", kind=kind,
                nis_code=f"{10000 + n:05d}" if kind in ("municipality", "ocmw") else "",
                enterprise_number=enterprise_number(offset + 1 + n),
                address=f"Marktplein {n % 90 + 1}", postal_code=f"{1000 + n % 8999:04d}",
                email=f"info{n}@{slug}.bestuur.example.be",
            ))
        Organisation.objects.bulk_create(orgs, batch_size=1000)
        orgs = list(Organisation.objects.filter(name__startswith=f"{tag}Bestuur ").order_by("name"))
        circle.organisations.add(lead, *orgs)

        ict_ids = _bulk_users(User, [f"{slug}.ict.{n + 1:04d}" for n in range(organisations)], password_hash)
        alderman_ids = _bulk_users(User, [f"{slug}.alderman.{n + 1:04d}" for n in range(organisations)],
                                   password_hash)
        Membership.objects.bulk_create(
            [Membership(user_id=u, organisation=o, role=Role.ICT) for u, o in zip(ict_ids, orgs, strict=True)]
            + [Membership(user_id=u, organisation=o, role=Role.ALDERMAN)
               for u, o in zip(alderman_ids, orgs, strict=True)],
            batch_size=2000,
        )
        Token.objects.bulk_create([Token(user_id=u, key=Token.generate_key()) for u in ict_ids], batch_size=1000)

    officer = User.objects.get(pk=officer_id)
    now = timezone.now()
    initiative = services.initiative_create(
        actor=officer, kind="joint_purchase", title=f"{tag}ICT-hardware voor alle Vlaamse besturen 2027",
        description="Laptops, schermen, docking stations, netwerk en licenties voor elk lokaal bestuur.",
        lead_organisation=lead, legal_basis="central_purchasing_body", circles=[circle],
        demand_deadline=now + timedelta(days=21), decision_deadline=now + timedelta(days=60),
    )
    lots = []
    for number in range(1, (items + ITEMS_PER_LOT - 1) // ITEMS_PER_LOT + 1):
        lots.append(services.lot_add(initiative=initiative, actor=officer, number=number,
                                     title=f"Perceel {number}"))
    for n in range(items):
        services.item_add(
            initiative=initiative, actor=officer, lot=lots[n // ITEMS_PER_LOT], name=f"Artikel {n + 1:02d}",
            unit=UNITS[n % len(UNITS)], estimated_unit_price=Decimal(rng.randrange(1500, 250000)) / 100,
            vat_rate=VAT[n % len(VAT)],
        )
    initiative = services.initiative_open_pooling(initiative=initiative, actor=officer)
    item_ids = list(Item.objects.filter(lot__initiative=initiative)
                    .order_by("lot__number", "position", "id").values_list("id", flat=True))

    with transaction.atomic():
        Participation.objects.bulk_create([
            Participation(initiative=initiative, organisation=org, contact_id=ict,
                          deciding_body=DEFAULT_DECIDING_BODY.get(org.kind, "other"))
            for org, ict in zip(orgs, ict_ids, strict=True)
        ], batch_size=1000)
        participations = list(Participation.objects.filter(initiative=initiative).order_by("organisation__name"))
        DemandLine.objects.bulk_create(
            (DemandLine(participation=p, item_id=item_id, quantity=Decimal(rng.randrange(1, 80)))
             for p in participations for item_id in item_ids),
            batch_size=5000,
        )
        # Bulk-created lines bypass services.demand_set, which keeps each participation's demand value.
        services.demand_values_refresh(initiative=initiative)

    world = World(label=label, organisations=organisations, items=items, initiative_id=initiative.pk,
                  lead_id=lead.pk, officer_id=officer_id, item_ids=item_ids)
    tokens = dict(Token.objects.filter(user_id__in=ict_ids).values_list("user_id", "key"))
    for p, ict in zip(participations, ict_ids, strict=True):
        world.participation_ids.append(p.pk)
        world.ict_user_ids[p.pk] = ict
        world.tokens[p.pk] = tokens[ict]

    # The product's own path where it matters: submissions (decision tasks, audit) and withdrawals.
    users = User.objects.in_bulk(ict_ids)
    for n, p in enumerate(participations):
        actor = users[world.ict_user_ids[p.pk]]
        if n % WITHDRAWN_EVERY == WITHDRAWN_EVERY - 1:
            services.participation_withdraw(participation=p, actor=actor, reason="Budget niet goedgekeurd.")
        elif n % DRAFT_EVERY != 0:
            services.participation_submit(participation=p, actor=actor)
    return world


WORLDS_FILE = Path(tempfile.gettempdir()) / "samenaankoop-bench-worlds.json"


def save_worlds(*worlds: World) -> None:
    """Remember the worlds of this run, for ``python -m bench --reuse``."""
    WORLDS_FILE.write_text(json.dumps([asdict(w) for w in worlds]))


def load_worlds() -> list[World]:
    worlds = []
    for data in json.loads(WORLDS_FILE.read_text()):
        for key in ("ict_user_ids", "tokens"):
            data[key] = {int(k): v for k, v in data[key].items()}
        worlds.append(World(**data))
    return worlds


def main() -> None:
    import argparse

    import django

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--organisations", type=int, default=600)
    parser.add_argument("--items", type=int, default=60)
    parser.add_argument("--label", default="")
    args = parser.parse_args()
    django.setup()
    world = generate(organisations=args.organisations, items=args.items, label=args.label)
    print(f"initiative {world.initiative_id}: {world.organisations} organisations × {world.items} items")


if __name__ == "__main__":
    main()
