"""``POST …/<prefix>/<pk>/transitions/<name>/``: one path per action of an action table (``core.actions``),
each documented with its own body.

A transition is a service call: the view checks the body's shape, calls the service with the validated fields
as keyword arguments, and answers with the object as it is after the transition. An unknown name is a 404,
as for any path that does not exist.
"""

from collections.abc import Callable
from typing import Any

from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.actions import Action, ActionTable
from core.api.schema import errors


class TransitionView(APIView):
    """One action's endpoint; ``table``, ``transition``, ``fetch`` and ``answer`` are set per generated view
    (not ``action``: DRF and drf-spectacular read that name on a view)."""

    table: ActionTable
    transition: Action
    fetch: Callable[[Request, int], Any]  # the object, or a 404 when the user may not see it
    answer: Callable[[Request, int], dict]  # the object's API form after the transition

    def post(self, request: Request, pk: int) -> Response:
        obj = type(self).fetch(request, pk)
        fields = {}
        if self.transition.body is not None:
            body = self.transition.body(data=request.data)
            body.is_valid(raise_exception=True)
            fields = body.validated_data
        self.table.call(self.transition, obj, actor=request.user, **fields)
        return Response(type(self).answer(request, pk))


@extend_schema(exclude=True)
class UnknownTransitionView(APIView):
    def post(self, request: Request, pk: int, name: str) -> Response:
        raise NotFound(_("There is no transition %(name)r.") % {"name": name})


def transition_urls(
    *,
    prefix: str,
    table: ActionTable,
    fetch: Callable[[Request, int], Any],
    answer: Callable[[Request, int], dict],
    serializer: type,
    tag: str,
    operation: str,
    url_name: str,
    examples: dict[str, OpenApiExample] | None = None,
    answer_example: OpenApiExample | None = None,
) -> list[URLPattern]:
    """The transition endpoints of ``table`` under ``<prefix>/<pk>/transitions/``, named ``<url_name>-<action>``,
    each an OpenAPI operation ``<operation>_transition_<action>``."""
    examples = examples or {}
    patterns: list[URLPattern] = []
    for action in table:
        view = type(f"{operation}_{action.name}", (TransitionView,), {
            "table": table, "transition": action, "fetch": staticmethod(fetch), "answer": staticmethod(answer)})
        view = extend_schema_view(post=extend_schema(
            tags=[tag], summary=action.summary, description=action.description or action.summary,
            operation_id=f"{operation}_transition_{action.name}", request=action.body or OpenApiTypes.NONE,
            responses={200: serializer, **errors(400, 403, 404, 409)},
            examples=[e for e in (examples.get(action.name), answer_example) if e is not None],
        ))(view)
        patterns.append(path(f"{prefix}/<int:pk>/transitions/{action.name}/", view.as_view(),
                             name=f"{url_name}-{action.name}"))
    patterns.append(path(f"{prefix}/<int:pk>/transitions/<str:name>/", UnknownTransitionView.as_view()))
    return patterns
