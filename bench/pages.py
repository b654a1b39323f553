"""Pages at scale: render time (median, p95) and SQL queries with Django's test client.

The query count of a page must not grow with the number of organisations: each page is measured on
the small world (N = 60) and the big one (N = 600) and the counts are compared.
"""

from dataclasses import dataclass

from .common import Timing, timed

REPEAT = 20
TARGET_P95_SECONDS = 1.0  # our own budget for a page at the size of Flanders
# Pages measured without a time budget: 500 participations with 60 demand lines each is 1.7 MB of JSON,
# what a client asks for only when it wants everything at once.
NO_TIME_BUDGET = {"participants list (API, page_size=500)"}


@dataclass
class PageResult:
    page: str
    organisations: int
    timing: Timing
    queries: int
    status: int
    size_kb: float


def page_specs(world) -> list[tuple[str, int, str]]:
    """(page, user id, URL) for a world: the procurement officer's pages and an ICT officer's demand."""
    from procurement.models import Participation, ParticipationState

    draft = (Participation.objects.filter(initiative_id=world.initiative_id, state=ParticipationState.DRAFT)
             .order_by("organisation__name").first())
    return [
        ("initiative detail", world.officer_id, f"/initiatives/{world.initiative_id}/"),
        ("participants list (API, first page of 50)", world.officer_id,
         f"/api/initiatives/{world.initiative_id}/participations/"),
        ("participants list (API, page_size=500)", world.officer_id,
         f"/api/initiatives/{world.initiative_id}/participations/?page_size=500"),
        ("procurement officer's dashboard", world.officer_id, "/"),
        ("demand entry (ICT officer)", world.ict_user_ids[draft.pk], f"/participations/{draft.pk}/"),
    ]


def measure(world, *, repeat: int = REPEAT) -> list[PageResult]:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    User = get_user_model()
    results = []
    for page, user_id, url in page_specs(world):
        client = Client()
        client.force_login(User.objects.get(pk=user_id))
        response = client.get(url)  # warm-up (templates, translations)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        count = len(queries)  # now: the next request clears the connection's query log
        timing = timed(lambda c=client, u=url: c.get(u), repeat=repeat, warmup=0)
        results.append(PageResult(page=page, organisations=world.organisations, timing=timing,
                                  queries=count, status=response.status_code,
                                  size_kb=len(response.content) / 1024))
    return results


def query_log(world, page: str) -> list[str]:
    """The SQL of one page, for finding what grows (``python -m bench --explain-page 'initiative detail'``)."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    for name, user_id, url in page_specs(world):
        if name == page:
            client = Client()
            client.force_login(get_user_model().objects.get(pk=user_id))
            client.get(url)
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            return [q["sql"] for q in queries.captured_queries]
    raise KeyError(page)
