"""The API's filter backend: django-filter's, except that a filter given without a value (``?kind=``) is
refused instead of silently ignored — a client that sends it meant something (issue 16)."""

from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError


class StrictFilterBackend(DjangoFilterBackend):
    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is not None:
            blank = {name: [_("Give a value, or leave %(name)s out.") % {"name": name}]
                     for name in filterset.filters if name in request.query_params
                     and not request.query_params.get(name, "").strip()}
            if blank:
                raise ValidationError(blank)
        return filterset
