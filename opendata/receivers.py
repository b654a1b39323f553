"""Audit entries → OCDS releases. Every state change writes an audit entry in the service's transaction
(DESIGN.md §4), whichever way it was triggered (API, page, task, command), so listening to the audit log
misses none; the release itself is recorded after the commit (``releases.schedule``)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from audit.models import AuditEntry

from . import releases

# The participation states that publish the initiative anew: a council decided, or the organisation left.
DECIDED = {"approved", "declined", "withdrawn"}


@receiver(post_save, sender=AuditEntry, dispatch_uid="opendata.release_on_state_change")
def _state_changed(sender, instance: AuditEntry, created: bool, raw: bool = False, **kwargs) -> None:
    # Only state changes (a creation counts: a contract is born active); other entries change nothing that
    # a release publishes between two milestones.
    if not created or raw or not instance.to_state or instance.to_state == instance.from_state:
        return
    content_type = instance.content_type
    if (content_type.app_label, content_type.model) == ("procurement", "participation") \
            and instance.to_state not in DECIDED:
        return  # a draft, a submission or a reopening is not yet a council's decision: nothing to publish
    process = releases.process_of(content_type.app_label, content_type.model, instance.object_id)
    if process is not None:
        releases.schedule(*process)
