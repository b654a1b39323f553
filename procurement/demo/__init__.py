"""Demo data: two real knowledge circles, their people, and initiatives in several states (docs/API.md).

``load`` is idempotent: reference data is keyed on natural keys (organisation and circle names, user
names, membership triples) and only written when it differs; an initiative is keyed on its title and,
once it exists, left as it is. The reference data is written in one transaction. The initiatives are
built through the services, step by step as the people would take them, each step committing on its
own: so the audit trail is real, and the events after each commit (mails, the alderman's decision
task, the initiative's process chart) see the state of that moment, as they would in use.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from .initiatives import InitiativeOutcome, load_initiatives
from .people import DEFAULT_PASSWORD, ReferenceCounts, load_reference_data

__all__ = ["DEFAULT_PASSWORD", "DemoSummary", "load"]


@dataclass
class DemoSummary:
    reference: ReferenceCounts
    initiatives: list[InitiativeOutcome] = field(default_factory=list)


def load(*, password: str = DEFAULT_PASSWORD, now: datetime | None = None) -> DemoSummary:
    """Load (or complete) the demo data; deadlines are placed relative to ``now``."""
    now = now or timezone.now()
    with transaction.atomic():
        reference, directory = load_reference_data(password=password)
    outcomes = load_initiatives(directory, now=now)
    return DemoSummary(reference=reference, initiatives=outcomes)
