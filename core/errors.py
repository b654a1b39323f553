"""Domain errors: what a service raises when it refuses, with a message a person can act on.

The API maps them to status codes (``core.api.errors``), pages to form errors and messages. A refused
call changes nothing: services raise before writing, inside ``transaction.atomic()``.
"""

from typing import Any


class DomainError(Exception):
    status = 400
    default_code = "invalid"

    def __init__(self, message: str = "", *, code: str | None = None, errors: dict[str, Any] | None = None):
        super().__init__(str(message))
        self.message = str(message)
        self.code = code or self.default_code
        self.errors = errors  # field -> [messages], for input errors

    def __str__(self) -> str:
        return self.message


class InvalidInput(DomainError):
    """400: the input is wrong; ``errors`` names the fields (and rows) to fix."""

    status = 400
    default_code = "invalid"

    def __init__(self, errors: dict[str, Any], *, code: str | None = None):
        first = next(iter(errors.values()), "")
        super().__init__(first[0] if isinstance(first, list) and first and isinstance(first[0], str) else "",
                         code=code, errors=errors)


class NotAllowed(DomainError):
    """403: the actor may see this but may not do this."""

    status = 403
    default_code = "permission_denied"


class NotFound(DomainError):
    """404: the object does not exist or is not visible to the actor (another organisation's data)."""

    status = 404
    default_code = "not_found"


class TransitionRefused(DomainError):
    """409: the current state or a deadline does not allow this transition."""

    status = 409
    default_code = "transition_not_allowed"
