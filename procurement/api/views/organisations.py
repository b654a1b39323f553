"""The organisations (besturen) and knowledge circles (kenniskringen): readable by every logged-in user."""

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics

from core.api.schema import errors
from procurement.models import Circle, Organisation

from .. import examples
from ..serializers.organisations import CircleSerializer, OrganisationSerializer


class OrganisationFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label="Part of the name")

    class Meta:
        model = Organisation
        fields = ["search", "kind"]


@extend_schema_view(get=extend_schema(tags=["organisations"], summary="List organisations", responses={
    200: OrganisationSerializer(many=True), **errors(400)}, examples=[examples.ORGANISATION_EXAMPLE]))
class OrganisationListView(generics.ListAPIView):
    queryset = Organisation.objects.all()
    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilter


@extend_schema_view(get=extend_schema(tags=["organisations"], summary="List knowledge circles", responses={
    200: CircleSerializer(many=True), **errors()}, examples=[examples.CIRCLE_EXAMPLE]))
class CircleListView(generics.ListAPIView):
    queryset = Circle.objects.prefetch_related("organisations")
    serializer_class = CircleSerializer
