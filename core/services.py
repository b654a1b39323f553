"""The one way a state changes (DESIGN.md §4), for every app.

A service opens ``transaction.atomic()``, locks the row (``locked``), then ``apply_transition`` checks the
actor's permission and the transition's guards, transitions, saves with ``update_fields`` and writes the
audit entry. Side effects are queued by the service with ``core.events.on_commit``.
"""

from typing import Any, TypeVar

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import connection, models
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition

from audit import log as audit
from core.errors import NotAllowed, NotFound, TransitionRefused

M = TypeVar("M", bound=models.Model)
# Who acts in a service: a signed-in user, an anonymous one (refused by the permissions), or None when the
# system acts (a deadline, a scheduled task: only transitions without a permission allow that).
Actor = AbstractBaseUser | AnonymousUser | None


def locked(model: type[M], pk: Any) -> M:
    """Fetch ``model`` row ``pk`` under a row lock (``SELECT … FOR UPDATE``; on SQLite the immediate
    transaction already serialises writers). Must run inside ``transaction.atomic()``."""
    try:
        return model.objects.select_for_update().get(pk=pk)
    except model.DoesNotExist as error:
        raise _not_found(model, pk) from error


def _not_found(model: type[models.Model], pk: Any) -> NotFound:
    return NotFound(_("%(model)s %(pk)s does not exist.") % {"model": model._meta.verbose_name, "pk": pk})


def locked_shared(model: type[M], pk: Any) -> M:
    """Fetch ``model`` row ``pk`` under a shared row lock (``SELECT … FOR SHARE``): any number of
    transactions may hold it at once, but none while another holds ``locked`` on the row, and ``locked``
    waits until they are all done. The participation services take it on their initiative: organisations
    submit side by side, and closing pooling (which takes ``locked``) still sees every submission before
    it or refuses it after. On SQLite the immediate transaction already serialises writers."""
    if connection.vendor != "postgresql":
        return locked(model, pk)
    table = connection.ops.quote_name(model._meta.db_table)
    column = connection.ops.quote_name(model._meta.pk.column)
    # Django's select_for_update has no shared mode. Table and column come quoted from the model; pk is a
    # query parameter.
    rows = list(model.objects.raw(f"SELECT * FROM {table} WHERE {column} = %s FOR SHARE", [pk]))  # noqa: S608
    if not rows:
        raise _not_found(model, pk)
    return rows[0]


def _meta(obj: models.Model, name: str):
    method = getattr(type(obj), name, None)
    meta = getattr(method, "_django_fsm", None)
    if meta is None:
        raise ValueError(f"{type(obj).__name__}.{name} is not a transition")
    return meta


def refusal(obj: models.Model, name: str, *, actor: Actor, system: bool = False) -> Exception | None:
    """Why ``actor`` may not call transition ``name`` on ``obj`` now, or None when allowed.

    Order matters: a person who may not act is told so before learning about states and deadlines."""
    meta = _meta(obj, name)
    state = meta.field.get_state(obj)
    if not system:
        permission = next(iter(meta.transitions.values())).permission
        if permission is None or not permission(obj, actor):
            # A transition without a permission is for the system only (lapse).
            return NotAllowed(_("You are not allowed to do this for %(obj)s.") % {"obj": obj})
    if not meta.has_transition(state):
        return TransitionRefused(
            _("This is not possible while the %(model)s is %(state)s.")
            % {"model": obj._meta.verbose_name, "state": getattr(obj, "get_state_display", lambda: state)()},
            code="invalid_state",
        )
    for condition in meta.get_transition(state).conditions:
        if not condition(obj):
            message = condition.message(obj) if hasattr(condition, "message") else _("A condition is not met.")
            return TransitionRefused(message, code=getattr(condition, "code", "condition_not_met"))
    return None


def check(obj: models.Model, name: str, *, actor: Actor, system: bool = False) -> None:
    error = refusal(obj, name, actor=actor, system=system)
    if error is not None:
        raise error


def available(obj: models.Model, names: list[str], *, actor: Actor) -> list[str]:
    """The transitions among ``names`` that ``actor`` may call on ``obj`` right now."""
    return [name for name in names if refusal(obj, name, actor=actor) is None]


def apply_transition(
    obj: models.Model,
    name: str,
    *,
    actor: Actor,
    action: str,
    organisation: models.Model | None,
    system: bool = False,
    update_fields: tuple[str, ...] = (),
    data: dict[str, Any] | None = None,
) -> None:
    """Check, transition, save and audit. The caller holds the row lock inside ``transaction.atomic()``."""
    check(obj, name, actor=actor, system=system)
    from_state = obj.state
    getattr(obj, name)()
    fields = {"state", *update_fields}
    if any(f.name == "updated_at" for f in obj._meta.fields):
        fields.add("updated_at")
    try:
        obj.save(update_fields=sorted(fields))
    except ConcurrentTransition as error:  # someone else moved it first; nothing of ours is kept
        raise TransitionRefused(
            _("Someone else changed this %(model)s at the same moment; reload and try again.")
            % {"model": obj._meta.verbose_name},
            code="concurrent_change",
        ) from error
    audit.record(
        action=action,
        obj=obj,
        actor=actor,
        organisation=organisation,
        from_state=from_state,
        to_state=obj.state,
        data=data,
    )
