"""Domain events → queued work and the viewflow flows. Events arrive after commit, so the tasks and
flows see committed rows.

Mails go through Celery. The flows move at once, in the request that caused the event: an alderman's
inbox must show the task as soon as the submission is saved, and the flows only write a few rows. A
failing flow never undoes the domain change that already committed; it is logged, and the pages catch
up (``flows.sync_initiative``, ``views.decide_participation``).
"""

import logging

from django.dispatch import receiver

from procurement import events

from . import flows, tasks

logger = logging.getLogger(__name__)


def _safely(action, *args) -> None:
    try:
        action(*args)
    except Exception:  # the domain change is committed; the flow is a follower that can catch up
        logger.exception("Workflow step %s%s failed", action.__name__, args)


@receiver(events.pooling_opened)
def _pooling_opened(sender, initiative_id: int, **kwargs) -> None:
    tasks.mail_pooling_opened.delay(initiative_id)


@receiver(events.pooling_closed)
def _pooling_closed(sender, initiative_id: int, **kwargs) -> None:
    tasks.mail_pooling_closed.delay(initiative_id)


@receiver(events.participation_submitted)
def _participation_submitted(sender, participation_id: int, **kwargs) -> None:
    _safely(flows.start_decision, participation_id)
    tasks.mail_participation_submitted.delay(participation_id)


@receiver(events.participation_decided)
def _participation_decided(sender, participation_id: int, **kwargs) -> None:
    # Decided through the task page, the task is already done; decided through the API, close it here.
    _safely(flows.finish_decided, participation_id)
    tasks.mail_participation_decided.delay(participation_id)


@receiver(events.participation_ended)
def _participation_ended(sender, participation_id: int, **kwargs) -> None:
    """Reopened, withdrawn or lapsed: nobody has to decide any more, so the open task goes."""
    _safely(flows.end_decision, participation_id)


@receiver(events.idea_proposed)
@receiver(events.pooling_opened)
@receiver(events.pooling_closed)
@receiver(events.participants_confirmed)
@receiver(events.initiative_cancelled)
def _initiative_moved(sender, initiative_id: int, **kwargs) -> None:
    _safely(flows.sync_initiative, initiative_id)


@receiver(events.threshold_crossed)
def _threshold_crossed(sender, initiative_id: int, before: dict, after: dict, **kwargs) -> None:
    tasks.mail_threshold_crossed.delay(initiative_id, before, after)
