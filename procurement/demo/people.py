"""The reference part of the demo: organisations and circles from the CSV, people and their roles.

The CSV (``procurement/data/municipalities.csv``) is the project's own copy of the shared reference
list: real NIS codes, enterprise numbers and addresses of the municipalities of the knowledge circles
Scheldeland and Midwest and their OCMWs. A municipality and its OCMW share their staff since the
integration of 2019, so every demo person holds the same role in both.

The people are invented. Their e-mail addresses use the reserved ``.example`` top-level domain
(RFC 2606), so that the demo can never mail a real town hall, whatever mail server is configured.
"""

import csv
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password, make_password
from django.db import models

from procurement import permissions
from procurement.models import Circle, Membership, Organisation, OrganisationKind, Role

CSV_PATH = Path(__file__).resolve().parent.parent / "data" / "municipalities.csv"
DEFAULT_PASSWORD = "demo"
ADMIN_USERNAME = "admin"
EMAIL_DOMAIN = "example"  # reserved TLD: <first>.<last>@<municipality>.example
DEMO_ROLES = (Role.ICT, Role.ALDERMAN, Role.PROCUREMENT)
CIRCLE_DESCRIPTIONS = {
    "Scheldeland": "Regionale ICT-kenniskring van de besturen langs de Schelde tussen Gent en Dendermonde.",
    "Midwest": "Regionale ICT-kenniskring van de besturen in de regio Midden-West-Vlaanderen rond Roeselare.",
}

# Invented Flemish names. 24 first and 25 last names: coprime lengths give every person a distinct pair.
FIRST_NAMES = [
    "Sofie", "Pieter", "An", "Koen", "Els", "Bart", "Katrien", "Tom", "Lies", "Wouter", "Griet", "Jan",
    "Nathalie", "Dirk", "Evelien", "Stijn", "Hilde", "Jeroen", "Ilse", "Maarten", "Veerle", "Kristof",
    "Leen", "Geert",
]
LAST_NAMES = [
    "Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens", "Wouters",
    "De Smet", "Vermeulen", "Van Damme", "De Clercq", "Verhaeghe", "Desmet", "Van de Velde", "Declercq",
    "Vandenberghe", "De Backer", "Coppens", "Lambrecht", "Verstraete", "De Wilde", "Martens", "Van Acker",
]


@dataclass
class Tally:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def add(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)


@dataclass
class ReferenceCounts:
    organisations: Tally = field(default_factory=Tally)
    circles: Tally = field(default_factory=Tally)
    users: Tally = field(default_factory=Tally)
    memberships: Tally = field(default_factory=Tally)
    password: str = DEFAULT_PASSWORD


@dataclass
class Directory:
    """Look-ups for the initiative builders: organisations by name, people by role and municipality."""

    organisations: dict[str, Organisation] = field(default_factory=dict)
    circles: dict[str, Circle] = field(default_factory=dict)
    users: dict[str, Any] = field(default_factory=dict)  # username -> user

    def org(self, name: str) -> Organisation:
        return self.organisations[name]

    def ocmw(self, municipality: str) -> Organisation:
        return self.organisations[f"OCMW {municipality}"]

    def person(self, role: str, municipality: str):
        return self.users[username(role, municipality)]


def username(role: str, municipality: str) -> str:
    return f"{role}.{municipality.lower()}"


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower().replace(" ", "")


def upsert(model: type[models.Model], lookup: dict[str, Any], values: dict[str, Any]) -> tuple[models.Model, str]:
    """Get or create by ``lookup``; write ``values`` only when they differ, so a second run changes nothing.

    Returns the object and ``created``, ``updated`` or ``unchanged``."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        obj.full_clean()
        obj.save()
        return obj, "created"
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if not changed:
        return obj, "unchanged"
    for name in changed:
        setattr(obj, name, values[name])
    obj.full_clean()
    obj.save(update_fields=changed)
    return obj, "updated"


def read_municipalities(path: Path = CSV_PATH) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


class _Password:
    """Hash the demo password once and recognise it again cheaply: hashing 49 users one by one would
    take the better part of a minute with Django's default hasher, twice when the command reruns."""

    def __init__(self, raw: str) -> None:
        self.raw = raw
        self._encoded: str | None = None
        self._known_good: set[str] = set()

    def matches(self, encoded: str) -> bool:
        if encoded in self._known_good:
            return True
        if encoded and check_password(self.raw, encoded):
            self._known_good.add(encoded)
            return True
        return False

    def encoded(self) -> str:
        if self._encoded is None:
            self._encoded = make_password(self.raw)
            self._known_good.add(self._encoded)
        return self._encoded


def _upsert_user(name: str, values: dict[str, Any], password: _Password, counts: ReferenceCounts):
    User = get_user_model()
    existing = User.objects.filter(username=name).first()
    if existing is None or not password.matches(existing.password):
        # Also when the command runs again with another --password: the printed hint must be true.
        values = {**values, "password": password.encoded()}
    user, outcome = upsert(User, {"username": name}, values)
    counts.users.add(outcome)
    return user


def load_reference_data(*, password: str = DEFAULT_PASSWORD) -> tuple[ReferenceCounts, Directory]:
    counts = ReferenceCounts(password=password)
    directory = Directory()
    secret = _Password(password)
    rows = read_municipalities()

    members: dict[str, list[Organisation]] = {}
    for row in rows:
        organisation, outcome = upsert(Organisation, {"name": row["name"]}, {
            "kind": row["kind"],
            "nis_code": row["nis_code"],
            "enterprise_number": row["enterprise_number"],
            # The reference data says in its note when a number is not confirmed (Lochristi after its merger).
            "enterprise_number_confirmed": "not confirmed" not in row.get("note", "").lower(),
            "reference_note": row.get("note", ""),
            "address": row["address"],
            "postal_code": row["postal_code"],
        })
        counts.organisations.add(outcome)
        directory.organisations[organisation.name] = organisation
        members.setdefault(row["circle"], []).append(organisation)

    for name, organisations in members.items():
        circle, outcome = upsert(Circle, {"name": name}, {"description": CIRCLE_DESCRIPTIONS.get(name, "")})
        missing = {o.pk for o in organisations} - set(circle.organisations.values_list("pk", flat=True))
        if missing:
            circle.organisations.add(*missing)
            outcome = "updated" if outcome == "unchanged" else outcome
        counts.circles.add(outcome)
        directory.circles[name] = circle

    municipalities = [row["name"] for row in rows if row["kind"] == OrganisationKind.MUNICIPALITY]
    index = 0
    for municipality in municipalities:
        for role in DEMO_ROLES:
            first, last = FIRST_NAMES[index % len(FIRST_NAMES)], LAST_NAMES[index % len(LAST_NAMES)]
            index += 1
            user = _upsert_user(username(role, municipality), {
                "first_name": first,
                "last_name": last,
                "email": f"{_ascii(first)}.{_ascii(last)}@{_ascii(municipality)}.{EMAIL_DOMAIN}",
                "is_active": True,
            }, secret, counts)
            for organisation in (directory.org(municipality), directory.ocmw(municipality)):
                _membership, outcome = upsert(
                    Membership, {"user": user, "organisation": organisation, "role": role}, {}
                )
                counts.memberships.add(outcome)
            permissions.forget(user)  # roles may have been read before this run added some
            directory.users[user.username] = user

    # The functional administrator for the admin site; no role in any organisation.
    _upsert_user(ADMIN_USERNAME, {
        "first_name": "Functioneel", "last_name": "Beheerder", "email": f"beheer@samenaankoop.{EMAIL_DOMAIN}",
        "is_active": True, "is_staff": True, "is_superuser": True,
    }, secret, counts)
    return counts, directory
