"""The bodies of ``POST …/transitions/<name>/``. Each field is named after the service's keyword argument,
so that the view passes ``validated_data`` on unchanged."""

from rest_framework import serializers

from core.api.fields import LineField, StrictIntegerField, StrictPrimaryKeyRelatedField, TextField
from procurement.models import DecidingBody, LegalBasis, Organisation

# --- initiatives ---


class AdoptSerializer(serializers.Serializer):
    lead_organisation = StrictPrimaryKeyRelatedField(queryset=Organisation.objects.all())
    legal_basis = serializers.ChoiceField(choices=LegalBasis.choices)
    demand_deadline = serializers.DateTimeField()
    decision_deadline = serializers.DateTimeField()
    planned_procedure_start = serializers.DateField(required=False, allow_null=True, default=None)
    framework_term_months = StrictIntegerField(required=False, allow_null=True, default=None, min_value=1)
    renewals = StrictIntegerField(required=False, allow_null=True, default=None, min_value=0)
    term_exception_reason = TextField(required=False, allow_null=True, allow_blank=True, default=None,
                                      max_length=4000)


class ReasonSerializer(serializers.Serializer):
    """``shelve`` and ``cancel``: the reason is recorded and shown to the participants."""

    reason = TextField(max_length=2000)


class ReopenPoolingSerializer(serializers.Serializer):
    """Both optional; a new demand deadline is needed when the old one has passed."""

    demand_deadline = serializers.DateTimeField(required=False, allow_null=True, default=None)
    decision_deadline = serializers.DateTimeField(required=False, allow_null=True, default=None)


# --- participations ---


class WithdrawSerializer(serializers.Serializer):
    reason = TextField(required=False, allow_blank=True, default="", max_length=2000)


class ApproveSerializer(serializers.Serializer):
    decision_date = serializers.DateField(help_text="The date of the deciding body's decision; not in the future.")
    decision_reference = LineField(max_length=100)
    deciding_body = serializers.ChoiceField(
        choices=DecidingBody.choices, required=False, allow_null=True, default=None,
        help_text="Defaults to the body that usually decides for this kind of organisation.",
    )


class DeclineSerializer(ApproveSerializer):
    reason = TextField(max_length=2000)
