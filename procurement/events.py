"""Domain events, sent after the transaction that caused them commits.

``procurement`` may not import ``workflows`` (DESIGN.md §8), yet a submission must reach the alderman's
inbox and a closed round must reach the ICT staff. Services announce what happened through these signals
(ids only, never objects); ``workflows`` listens, queues the mails and moves the human-task flows.
"""

from django.dispatch import Signal

idea_proposed = Signal()  # initiative_id
pooling_opened = Signal()  # initiative_id
pooling_closed = Signal()  # initiative_id, by_deadline
participants_confirmed = Signal()  # initiative_id
initiative_cancelled = Signal()  # initiative_id
participation_submitted = Signal()  # participation_id
participation_decided = Signal()  # participation_id, approved
participation_ended = Signal()  # participation_id, reason: reopened | withdrawn | lapsed
threshold_crossed = Signal()  # initiative_id, before: dict, after: dict, actor_id
