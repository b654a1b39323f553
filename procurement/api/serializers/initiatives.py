"""Initiatives, their lots and items, ideas and interest: what the API shows and what it accepts."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.fields import (
    LineField,
    MoneyField,
    QuantityField,
    StrictDecimalField,
    StrictIntegerField,
    StrictPrimaryKeyRelatedField,
    TextField,
)
from procurement import actions, selectors
from procurement.models import (
    Circle,
    Initiative,
    InitiativeKind,
    Interest,
    Item,
    LegalBasis,
    Lot,
    Organisation,
    ParticipationState,
    Unit,
)
from procurement.models.initiatives import MAX_PRICE
from procurement.models.participations import MAX_QUANTITY

# --- answers ---


class ItemSerializer(serializers.ModelSerializer):
    estimated_unit_price = MoneyField(read_only=True)
    vat_rate = StrictDecimalField(max_digits=4, decimal_places=2, read_only=True)

    class Meta:
        model = Item
        fields = ["id", "lot", "name", "unit", "estimated_unit_price", "vat_rate", "cpv_code", "specification",
                  "position"]
        read_only_fields = fields


class LotSerializer(serializers.ModelSerializer):
    items = ItemSerializer(many=True, read_only=True)

    class Meta:
        model = Lot
        fields = ["id", "number", "title", "description", "items"]
        read_only_fields = fields


class AllowedProcedureSerializer(serializers.Serializer):
    """One procedure the estimated value allows (``procedures.allowed_procedures``)."""

    procedure = serializers.CharField(source="code")
    label = serializers.CharField()
    publication = serializers.CharField()
    conditions = serializers.CharField(help_text="Empty, or the conditions whose case the tender must record.")


class ProcedureAdviceSerializer(serializers.Serializer):
    """``selectors.advice_for``: the procedure and publication that the pooled value requires, and why."""

    procedure = serializers.CharField()
    publication = serializers.CharField()
    threshold = MoneyField(allow_null=True)
    reasons = serializers.ListField(child=serializers.CharField())
    warnings = serializers.ListField(child=serializers.CharField())
    allowed_procedures = AllowedProcedureSerializer(source="allowed", many=True, read_only=True)


class EstimatedValueSerializer(serializers.Serializer):
    """What ``pooled_value`` is made of (``selectors.estimated_value``); null for a shared hire."""

    demand = MoneyField(help_text="The counted demand over the initial term, without renewals.")
    renewals = serializers.IntegerField()
    renewals_value = MoneyField(help_text="What the renewals add (each repeats the initial term).")
    total = MoneyField(help_text="The estimated value: equal to `pooled_value`.")


# ``{state: n}`` for every participation state, so that a client never has to guess a missing key.
ParticipationCountsSerializer = type(
    "ParticipationCountsSerializer",
    (serializers.Serializer,),
    {state: StrictIntegerField() for state in ParticipationState.values},
)

INITIATIVE_FIELDS = [
    "id", "kind", "title", "description", "state", "circles", "proposing_organisation", "lead_organisation",
    "legal_basis", "demand_deadline", "decision_deadline", "planned_procedure_start", "framework_term_months",
    "renewals", "term_exception_reason", "reason", "created_at", "updated_at",
]


class InitiativeSerializer(serializers.ModelSerializer):
    """An initiative in a list: its own fields only, so that a page costs a fixed number of queries."""

    # "" until the initiative is adopted (an idea has no legal basis yet): the schema's enum says so too.
    legal_basis = serializers.ChoiceField(choices=LegalBasis.choices, allow_blank=True, read_only=True)

    class Meta:
        model = Initiative
        fields = INITIATIVE_FIELDS
        read_only_fields = fields


class InitiativeDetailSerializer(InitiativeSerializer):
    """One initiative with what is computed for it: the transitions this user may call, the pooled
    value and the procedure advice, the lots with their items, and how many participations are in each state."""

    available_transitions = serializers.SerializerMethodField()
    pooled_value = MoneyField(source="api_advice.value", read_only=True, help_text=(
        "The estimated value excl. VAT (art. 7 KB plaatsing 18 April 2017): the counted demand of all lots and "
        "participants (a framework's maximum quantities) plus its renewals; it decides the procedure."))
    estimated_value = EstimatedValueSerializer(source="api_advice.estimate", read_only=True, allow_null=True)
    procedure_advice = ProcedureAdviceSerializer(source="api_advice", read_only=True)
    lots = LotSerializer(many=True, read_only=True)
    participation_counts = ParticipationCountsSerializer(source="api_participation_counts", read_only=True)

    class Meta(InitiativeSerializer.Meta):
        fields = [*INITIATIVE_FIELDS, "available_transitions", "pooled_value", "estimated_value", "procedure_advice",
                  "lots",
                  "participation_counts"]
        read_only_fields = fields

    def to_representation(self, instance: Initiative):
        # The advice carries the pooled value: one aggregate query serves both fields.
        instance.api_advice = selectors.advice_for(instance)
        instance.api_participation_counts = selectors.participation_counts(instance)
        return super().to_representation(instance)

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=actions.INITIATIVE.names)))
    def get_available_transitions(self, instance: Initiative) -> list[str]:
        return actions.INITIATIVE.available_names(instance, actor=self.context["request"].user)


def initiative_detail_queryset(queryset):
    """What the detail answer reads, fetched in a fixed number of queries."""
    return queryset.prefetch_related(
        "circles", Prefetch("lots", queryset=Lot.objects.prefetch_related("items"))
    )


class InterestSerializer(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    estimated_quantity = QuantityField(read_only=True, allow_null=True)

    class Meta:
        model = Interest
        fields = ["id", "initiative", "organisation", "organisation_name", "estimated_quantity", "note",
                  "created_at", "updated_at"]
        read_only_fields = fields


# --- input ---


class IdeaInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=InitiativeKind.choices)
    title = LineField(max_length=200)
    description = TextField(required=False, allow_blank=True, default="")
    circles = StrictPrimaryKeyRelatedField(many=True, queryset=Circle.objects.all())
    proposing_organisation = StrictPrimaryKeyRelatedField(queryset=Organisation.objects.all())


class InitiativeInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=InitiativeKind.choices)
    title = LineField(max_length=200)
    description = TextField(required=False, allow_blank=True, default="")
    lead_organisation = StrictPrimaryKeyRelatedField(queryset=Organisation.objects.all())
    legal_basis = serializers.ChoiceField(choices=LegalBasis.choices)
    circles = StrictPrimaryKeyRelatedField(many=True, queryset=Circle.objects.all())
    demand_deadline = serializers.DateTimeField()
    decision_deadline = serializers.DateTimeField()
    planned_procedure_start = serializers.DateField(required=False, allow_null=True, default=None)
    framework_term_months = StrictIntegerField(
        required=False, allow_null=True, default=None, min_value=1,
        help_text="Required for a framework contract.",
    )
    renewals = StrictIntegerField(required=False, default=0, min_value=0)
    term_exception_reason = TextField(
        required=False, allow_blank=True, default="", max_length=4000,
        help_text="Why a framework runs more than four years with its renewals (art. 43 §1 Wet 17 juni 2016); "
                  "required only then.")


class InterestInputSerializer(serializers.Serializer):
    organisation = StrictPrimaryKeyRelatedField(queryset=Organisation.objects.all())
    estimated_quantity = QuantityField(required=False, allow_null=True, default=None, min_value=0,
                                       max_value=MAX_QUANTITY)
    note = TextField(required=False, allow_blank=True, default="", max_length=2000)


class LotInputSerializer(serializers.Serializer):
    number = StrictIntegerField(min_value=1, max_value=999)
    title = LineField(max_length=200)
    description = TextField(required=False, allow_blank=True, default="")


class ItemInputSerializer(serializers.Serializer):
    lot = StrictPrimaryKeyRelatedField(queryset=Lot.objects.none(), help_text="A lot of this initiative.")
    name = LineField(max_length=200)
    unit = serializers.ChoiceField(choices=Unit.choices)
    estimated_unit_price = MoneyField(max_digits=10, min_value=0, max_value=MAX_PRICE)
    vat_rate = StrictDecimalField(max_digits=4, decimal_places=2, coerce_to_string=True,
                                        help_text="0, 6, 12 or 21 (%).")
    cpv_code = LineField(required=False, allow_blank=True, default="", max_length=10)
    specification = TextField(required=False, allow_blank=True, default="")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only this initiative's lots: another initiative's lot reads as unknown, not as "elsewhere".
        initiative = self.context.get("initiative")
        if initiative is not None:
            self.fields["lot"].queryset = Lot.objects.filter(initiative=initiative)
