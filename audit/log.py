"""Writing the audit log: the one function every service calls after a state change."""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import AuditEntry


def record(
    *,
    action: str,
    obj: models.Model,
    actor: AbstractBaseUser | None,
    organisation: models.Model | None = None,
    from_state: str = "",
    to_state: str = "",
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry. ``actor`` is None when the system acted (deadline task, beat)."""
    return AuditEntry.objects.create(
        action=action,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=obj.pk,
        object_repr=str(obj)[:300],
        actor=actor if actor is not None and actor.is_authenticated else None,
        organisation=organisation,
        from_state=from_state or "",
        to_state=to_state or "",
        data=data or {},
    )


def trail(obj: models.Model):
    """The entries about one object, newest first."""
    return AuditEntry.objects.for_object(obj).select_related("actor", "organisation")
