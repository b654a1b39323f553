"""Search, filters and sort of the initiatives list: one small parser of the query string, so that a bad value
(an unknown state, a circle that is not offered) is ignored, never an error page."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from procurement.models import Circle, InitiativeKind, InitiativeState, Organisation

SORTS = {
    "new": ("-created_at", _("newest first")),
    "title": ("title", _("title A–Z")),
    "deadline": ("demand_deadline", _("demand deadline, soonest first")),
    "state": ("state", _("state")),
}


@dataclass
class Filters:
    q: str = ""
    state: str = ""
    kind: str = ""
    circle: int | None = None
    lead: int | None = None
    sort: str = "new"

    @property
    def active(self) -> bool:
        return bool(self.q or self.state or self.kind or self.circle or self.lead)


def _id(value: str) -> int | None:
    return int(value) if value.isdigit() else None


def parse(get) -> Filters:
    sort = get.get("sort", "new")
    return Filters(
        q=get.get("q", "").strip()[:100],
        state=get.get("state", "") if get.get("state", "") in InitiativeState.values else "",
        kind=get.get("kind", "") if get.get("kind", "") in InitiativeKind.values else "",
        circle=_id(get.get("circle", "")), lead=_id(get.get("lead", "")),
        sort=sort if sort in SORTS else "new",
    )


def apply(initiatives: QuerySet, filters: Filters) -> QuerySet:
    if filters.q:
        initiatives = initiatives.filter(Q(title__icontains=filters.q) | Q(description__icontains=filters.q))
    if filters.state:
        initiatives = initiatives.filter(state=filters.state)
    if filters.kind:
        initiatives = initiatives.filter(kind=filters.kind)
    if filters.circle:
        initiatives = initiatives.filter(circles=filters.circle)
    if filters.lead:
        initiatives = initiatives.filter(lead_organisation=filters.lead)
    field = SORTS[filters.sort][0]
    return initiatives.order_by(field, "-created_at", "-id") if filters.sort != "new" else initiatives.order_by(
        "-created_at", "-id")


def choices(visible: QuerySet) -> dict:
    """The circles and lead organisations that occur among the initiatives the user may see."""
    return {
        "circles": Circle.objects.filter(initiatives__in=visible).distinct().order_by("name"),
        "leads": Organisation.objects.filter(led_initiatives__in=visible).distinct().order_by("name"),
        "kinds": InitiativeKind.choices,
        "sorts": [(key, label) for key, (_field, label) in SORTS.items()],
    }
