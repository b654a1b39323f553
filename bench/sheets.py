"""The demand sheet (XLSX) of the big initiative, against the raw baseline measured in the same run."""

import tracemalloc
from dataclasses import dataclass

from .common import Timing, timed

REPEAT = 3
TARGET_SECONDS = 3.0
TARGET_RATIO = 2.0


@dataclass
class SheetResult:
    organisations: int
    lines: int
    product: Timing  # the whole request: GET /api/initiatives/<id>/demand-sheet.xlsx
    baseline: Timing
    product_peak_mb: float
    baseline_peak_mb: float
    size_kb: float
    cells: int
    baseline_cells: int
    same_dimensions: bool

    @property
    def ratio(self) -> float:
        return self.product.median / self.baseline.median

    @property
    def ok(self) -> bool:
        return self.product.median <= TARGET_SECONDS and self.ratio <= TARGET_RATIO


def _peak_mb(work) -> float:
    tracemalloc.start()
    try:
        work()
        return tracemalloc.get_traced_memory()[1] / 1024 / 1024
    finally:
        tracemalloc.stop()


def run(world) -> SheetResult:
    from django.contrib.auth import get_user_model
    from django.test import Client

    from procurement.models import DemandLine, Initiative
    from procurement.sheets.states import shown_states

    from .baseline import count_cells, sheet_dimensions, write_baseline

    client = Client()
    client.force_login(get_user_model().objects.get(pk=world.officer_id))
    url = f"/api/initiatives/{world.initiative_id}/demand-sheet.xlsx"
    initiative = Initiative.objects.get(pk=world.initiative_id)
    states = tuple(shown_states(initiative))
    got: dict[str, bytes] = {}

    def product():
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        got["product"] = response.content

    def baseline():
        got["baseline"] = write_baseline(world.initiative_id, states)

    product_timing = timed(product, repeat=REPEAT)
    baseline_timing = timed(baseline, repeat=REPEAT)
    return SheetResult(
        organisations=world.organisations,
        lines=DemandLine.objects.filter(participation__initiative_id=world.initiative_id,
                                        participation__state__in=states).count(),
        product=product_timing, baseline=baseline_timing,
        product_peak_mb=_peak_mb(product), baseline_peak_mb=_peak_mb(baseline),
        size_kb=len(got["product"]) / 1024,
        cells=count_cells(got["product"]), baseline_cells=count_cells(got["baseline"]),
        same_dimensions=sheet_dimensions(got["product"]) == sheet_dimensions(got["baseline"]),
    )
