"""Turning a concluded tender into contracts.

Why a signal sent inside the transaction, and not the conclude endpoint living in ``contracts``:
``tendering`` may not import ``contracts`` (DESIGN.md §8), yet conclusion must produce the contracts
whichever way it is triggered (the API, a page, a command). ``tendering.services.tender_conclude`` stays
the one service of the transition and sends ``events.tender_concluded`` before its transaction ends; this
receiver creates the contracts in that same transaction. If creating them fails, the exception propagates
and the conclusion is rolled back with them: there is never a concluded tender without its contracts, nor
contracts of a tender that was not concluded.
"""

from django.dispatch import receiver

from tendering import events

from . import services


@receiver(events.tender_concluded, dispatch_uid="contracts.create_contracts")
def _create_contracts(sender, tender, actor, **kwargs) -> None:
    services.contracts_for_tender(tender=tender, actor=actor)
