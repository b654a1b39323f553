"""Guards for django-fsm transitions that carry the message a person can act on.

django-fsm conditions are plain predicates; a ``Guard`` is a predicate that also knows how to say why it
refuses. The service base (``core.services``) asks the transition's own guards, so the model stays
the single source of truth for what is allowed, and every refusal names its reason.
"""

from collections.abc import Callable
from typing import Any

from django.utils.functional import Promise
from django.utils.module_loading import import_string


class Guard:
    def __init__(
        self,
        check: Callable[[Any], bool],
        message: Callable[[Any], str] | str | Promise,
        code: str,
    ) -> None:
        self.check = check
        self._message = message
        self.code = code
        self.__name__ = code  # django-fsm and debuggers like a name

    def __call__(self, instance: Any) -> bool:
        return bool(self.check(instance))

    def message(self, instance: Any) -> str:
        return str(self._message(instance) if callable(self._message) else self._message)


def guard(code: str, message: Callable[[Any], str] | str | Promise) -> Callable[[Callable], Guard]:
    """Decorator form: ``@guard("deadline_passed", lambda obj: ...)`` over a predicate."""

    def wrap(check: Callable[[Any], bool]) -> Guard:
        return Guard(check, message, code)

    return wrap


def permission(rule: Callable[[Any, Any], bool] | str) -> Callable[[Any, Any], bool]:
    """A django-fsm ``permission`` from an app's rule ``rule(user, instance) -> bool``.

    Each app keeps its own rules (``procurement.permissions``, ``tendering.rules``); the rules read the
    models, so a model names its rule by dotted path (``"procurement.permissions.may_submit"``), imported
    when first asked. django-fsm passes the instance first, the rules take the user first."""
    resolved: list[Callable[[Any, Any], bool]] = [] if isinstance(rule, str) else [rule]

    def check(instance: Any, user: Any) -> bool:
        if not resolved:
            resolved.append(import_string(rule))
        return bool(resolved[0](user, instance))

    check.__name__ = rule.rpartition(".")[2] if isinstance(rule, str) else getattr(rule, "__name__", "permission")
    return check
