"""The pooled value's own lock; the rest of the service base (lock, guard, transition, audit) is
``core.services``."""

from django.db import connection

# The first key of the PostgreSQL advisory locks of this project (the second is the row's id).
_POOLED_VALUE_LOCK = 7301


def lock_pooled_value(initiative_id: int) -> None:
    """Take, until the end of the transaction, the lock under which an initiative's pooled value changes
    one change at a time: a change that reads the value after taking it sees every earlier change
    committed, so each threshold crossing is seen by exactly one change. Take it as late as possible (after
    writing the lines, just before reading the value): everything from here to the commit is serialised.
    A PostgreSQL advisory lock, because the initiative's row is only share-locked by the participation
    services (upgrading a shared row lock in two transactions at once would deadlock); on SQLite the
    immediate transaction already serialises writers."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s::integer, %s::integer)", [_POOLED_VALUE_LOCK, initiative_id])
