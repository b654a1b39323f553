"""Side effects after commit (DESIGN.md §4): a service announces what happened once its transaction commits.

Each app declares its own signals; receivers in other apps (mails, human-task flows, contracts, open data)
listen, so that an app never imports the apps that build on it.
"""

from functools import partial

from django.db import transaction
from django.dispatch import Signal


def on_commit(signal: Signal, **ids) -> None:
    """Send ``signal`` once the current transaction has committed (at once outside a transaction). Pass ids,
    never objects: the receivers run after the transaction and read what was committed."""
    transaction.on_commit(partial(signal.send, sender=None, **ids))
