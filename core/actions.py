"""One action table per model: each transition declared once, used by the API, the pages and the schema.

An ``Action`` says everything the product needs to offer one transition: the service that carries it out (the
only place a state changes, DESIGN.md §4), what the API takes (a serializer), what the page asks (a form), the
button's label, the confirmation question, the message when it is done, and whether it is a dangerous step.
The API transition endpoints (``core.api.transitions``), the page buttons and the confirmation pages
(``core.pages.action_page``) and the OpenAPI schema are all generated from these tables, so a transition
cannot be offered in one place and forgotten in another.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise

from core.services import refusal

Text = str | Promise


@dataclass(frozen=True)
class Action:
    name: str  # the transition's name: the django-fsm method, the API path and the page path
    service: Callable[..., Any]  # called as service(<subject>=obj, actor=user, **input)
    summary: str  # the API operation's summary (English, like the rest of the schema)
    label: Text  # the button
    question: Text = ""  # the confirmation page's question
    done: Text = ""  # the message once it is done
    body: type | None = None  # the API's input serializer, None when it takes no input
    form: type | None = None  # the page's input form, None when it takes no input
    description: str = ""  # more for the API documentation
    danger: bool = False  # shown as a dangerous step (red button, a reason asked)
    button: bool = True  # offered as a button on the object's page (False: a page of its own does it)


@dataclass(frozen=True)
class ActionTable:
    subject: str  # the services' keyword for the object: "initiative", "tender", "call_off", …
    actions: tuple[Action, ...]

    def __iter__(self) -> Iterator[Action]:
        return iter(self.actions)

    @property
    def names(self) -> list[str]:
        return [action.name for action in self.actions]

    def get(self, name: str) -> Action | None:
        return next((action for action in self.actions if action.name == name), None)

    def available(self, obj: Any, *, actor: Any) -> list[Action]:
        """The actions ``actor`` may take on ``obj`` now: the transition's own permission and guards decide."""
        return [action for action in self.actions if refusal(obj, action.name, actor=actor) is None]

    def available_names(self, obj: Any, *, actor: Any) -> list[str]:
        return [action.name for action in self.available(obj, actor=actor)]

    def buttons(self, obj: Any, *, actor: Any) -> list[Action]:
        return [action for action in self.available(obj, actor=actor) if action.button]

    def call(self, action: Action, obj: Any, *, actor: Any, **data: Any) -> Any:
        return action.service(**{self.subject: obj}, actor=actor, **data)
