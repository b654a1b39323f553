"""Moving the tender models from ``procurement`` into ``tendering`` changed Django's state, not the database.

A database with a concluded tender (suppliers, criteria, bids, prices, scores, awards, the contracts that point
at them and the audit entries about them) is taken back to the schema before the move, and forward again:
every row is still there, the contracts still reach their tender, and the audit log's entries about the tender
follow its content type."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from audit.models import AuditEntry
from contracts.models import Contract
from tendering.models import AwardCriterion, QualityScore, Tender
from tests.contracts.conftest import NOW
from tests.contracts.helpers import framework_agreement

BEFORE_THE_MOVE = [
    ("procurement", "0004_participation_demand_value"),
    ("contracts", "0002_calloffs_and_cost_sharing"),
    ("tendering", None),
]
TABLES = ["procurement_supplier", "procurement_tender", "procurement_awardcriterion", "procurement_bid",
          "procurement_bidprice", "procurement_qualityscore", "procurement_award", "contracts_contract",
          "audit_auditentry"]


def _rows() -> dict[str, list[dict]]:
    with connection.cursor() as cursor:
        rows = {}
        for table in TABLES:
            cursor.execute(f"SELECT * FROM {table} ORDER BY id")  # noqa: S608 (names from the list above)
            names = [column[0] for column in cursor.description]
            rows[table] = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    return rows


def _same(now: dict[str, list[dict]], before: dict[str, list[dict]]) -> bool:
    """Every row is still there with the same values in the columns both schemas have (later migrations add
    columns that the schema before the move does not have, and SQLite appends re-added columns at the end)."""
    def shared(rows, other):
        keys = set(rows[0]) & set(other[0]) if rows and other else set()
        return [{k: row[k] for k in keys} for row in rows]
    return all(shared(now[t], before[t]) == shared(before[t], now[t]) for t in TABLES) and \
        {t: len(r) for t, r in now.items()} == {t: len(r) for t, r in before.items()}


def _migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)


@pytest.fixture
def fixed_clock(clock):
    clock.set(NOW)  # before the round exists: its deadlines and the tender's dates follow this moment
    return clock


@pytest.mark.django_db(transaction=True)
def test_the_move_keeps_every_row_and_the_audit_trail(fixed_clock, round_):
    clock = fixed_clock
    contract = framework_agreement(round_, clock)
    tender = contract.tender
    # The price-only tender has no quality score; one row written straight to the table, so that every
    # table of the move holds data.
    criterion = AwardCriterion.objects.create(tender=tender, name="Dienstverlening", weight=1, position=9)
    QualityScore.objects.create(bid=tender.bids.first(), criterion=criterion, score=7)
    before = _rows()
    counts = {table: len(rows) for table, rows in before.items()}
    assert all(counts.values()), counts
    tender_entries = AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(Tender)).count()
    assert tender_entries > 0

    _migrate(BEFORE_THE_MOVE)
    assert _same(_rows(), before)
    assert ContentType.objects.filter(app_label="procurement", model="tender").exists()
    assert not ContentType.objects.filter(app_label="tendering", model="tender").exists()

    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    _migrate(leaves)
    ContentType.objects.clear_cache()
    assert _same(_rows(), before)
    assert not ContentType.objects.filter(app_label="procurement", model__in=["tender", "bid", "supplier"]).exists()
    assert Contract.objects.get(pk=contract.pk).tender == Tender.objects.get(pk=tender.pk)
    entries = AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(Tender))
    assert entries.count() == tender_entries
    assert {entry.subject for entry in entries} == {Tender.objects.get(pk=tender.pk)}
