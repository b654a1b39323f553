"""The public open data page (``/open-data/``, no login): every published contracting process, with its
state, its latest release's date and value, and links to its OCDS release package and the paged package
of all latest releases (issue 16)."""

from decimal import Decimal

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from core import formatting

from . import ocds, releases


@require_safe
@cache_control(public=True, max_age=300)
def open_data_index(request: HttpRequest) -> HttpResponse:
    releases.ensure_recorded()
    rows = []
    for release in releases.latest().select_related("initiative"):
        if "-call-off-" in release.ocid:
            continue  # a framework's call-offs are in its own package
        tender = release.data.get("tender", {})
        amount = (tender.get("value") or {}).get("amount")
        rows.append({
            "initiative": release.initiative,
            "ocid": release.ocid,
            "date": release.date,
            "tag": ", ".join(release.tag),
            "value": formatting.money(Decimal(str(amount))) if amount is not None else "",
            "published": ocds.is_published(release.initiative),
        })
    return render(request, "opendata/index.html", {"rows": [r for r in rows if r["published"]]})
