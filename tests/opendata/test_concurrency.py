"""Two recorders of the same process at once (PostgreSQL: real row locks, several connections): the
initiative's row lock makes the second see the first's release, so the sequence is numbered once and the
same content is not published twice."""

import threading

import pytest
from django.db import connection

from opendata import releases
from opendata.models import Release

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_concurrent_recorders_publish_one_release(round_):
    start = threading.Barrier(4)
    outcomes, errors = [], []

    def record():
        try:
            start.wait()
            outcomes.append(releases.record_initiative(round_.initiative.pk))
        except Exception as error:  # noqa: BLE001  (reported below)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=record) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors
    assert sum(outcome is not None for outcome in outcomes) == 1
    assert list(Release.objects.values_list("sequence", flat=True)) == [1]
