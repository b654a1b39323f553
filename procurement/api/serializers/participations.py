"""Participations and their demand lines."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.fields import MoneyField, QuantityField, StrictIntegerField, StrictPrimaryKeyRelatedField, money
from procurement import actions
from procurement.models import MAX_QUANTITY, DemandLine, Organisation, Participation


class DemandLineSerializer(serializers.ModelSerializer):
    quantity = QuantityField(read_only=True)
    max_quantity = QuantityField(read_only=True, allow_null=True)

    class Meta:
        model = DemandLine
        fields = ["item", "quantity", "max_quantity"]
        read_only_fields = fields


class ParticipationSerializer(serializers.ModelSerializer):
    """A participation with its demand and what that demand is worth (the value it keeps, whatever its
    state: read with the row, so a list of 500 costs no query more)."""

    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    available_transitions = serializers.SerializerMethodField()
    demand = DemandLineSerializer(source="lines", many=True, read_only=True)
    subtotal = serializers.SerializerMethodField()

    class Meta:
        model = Participation
        fields = [
            "id", "initiative", "organisation", "organisation_name", "state", "available_transitions", "contact",
            "deciding_body", "decision_date", "decision_reference", "decision_reason", "withdraw_reason",
            "submitted_at", "decided_at", "demand", "subtotal", "created_at", "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(
        serializers.ListField(child=serializers.ChoiceField(choices=actions.PARTICIPATION.names))
    )
    def get_available_transitions(self, instance: Participation) -> list[str]:
        return actions.PARTICIPATION.available_names(instance, actor=self.context["request"].user)

    @extend_schema_field(MoneyField(read_only=True))
    def get_subtotal(self, instance: Participation) -> str | None:
        return money(instance.demand_value)


def participation_queryset(queryset):
    """What the participation answer reads, fetched in a fixed number of queries."""
    return queryset.select_related("initiative", "organisation").prefetch_related("lines")


class JoinSerializer(serializers.Serializer):
    organisation = StrictPrimaryKeyRelatedField(queryset=Organisation.objects.all())


class DemandLineInputSerializer(serializers.Serializer):
    """One demand line, for the documentation: ``DemandLinesField`` passes the lines on as they came."""

    item = StrictIntegerField(help_text="An item of this initiative.")
    quantity = QuantityField(min_value=0, max_value=MAX_QUANTITY)
    max_quantity = QuantityField(
        required=False, allow_null=True, min_value=0, max_value=MAX_QUANTITY,
        help_text="Framework contracts only: the maximum over the whole term; not below the quantity.",
    )


@extend_schema_field(DemandLineInputSerializer(many=True))
class DemandLinesField(serializers.ListField):
    """A list, and nothing more is checked here: ``services.demand_set`` checks every line and answers
    with all the errors at once by position (``{"lines": [{}, {"quantity": ["…"]}]}``), after the
    permission and state checks; it also takes a decimal comma ("2,5") the way people type it here."""

    def to_internal_value(self, data):
        if not isinstance(data, list):
            self.fail("not_a_list", input_type=type(data).__name__)
        return data


class DemandInputSerializer(serializers.Serializer):
    lines = DemandLinesField(help_text="Replaces all demand lines; [] clears them.")
