"""Domain events → queued work. Events arrive after commit, so the tasks see committed rows."""

from django.dispatch import receiver

from procurement import events

from . import tasks


@receiver(events.pooling_opened)
def _pooling_opened(sender, initiative_id: int, **kwargs) -> None:
    tasks.mail_pooling_opened.delay(initiative_id)


@receiver(events.pooling_closed)
def _pooling_closed(sender, initiative_id: int, **kwargs) -> None:
    tasks.mail_pooling_closed.delay(initiative_id)


@receiver(events.participation_submitted)
def _participation_submitted(sender, participation_id: int, **kwargs) -> None:
    tasks.mail_participation_submitted.delay(participation_id)


@receiver(events.participation_decided)
def _participation_decided(sender, participation_id: int, **kwargs) -> None:
    tasks.mail_participation_decided.delay(participation_id)


@receiver(events.threshold_crossed)
def _threshold_crossed(sender, initiative_id: int, before: dict, after: dict, **kwargs) -> None:
    tasks.mail_threshold_crossed.delay(initiative_id, before, after)
