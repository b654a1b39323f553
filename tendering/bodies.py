"""The bodies of ``POST /api/tenders/<id>/transitions/<name>/``. Each field is named after the service's keyword
argument, so that the view passes ``validated_data`` on unchanged."""

from rest_framework import serializers

from core.api.fields import LineField, StrictIntegerField, TextField


class TenderPublishSerializer(serializers.Serializer):
    publication_reference = LineField(required=False, allow_blank=True, default="", max_length=100,
                                                  help_text="The e-Notification or TED number (required).")


class TenderAwardEntrySerializer(serializers.Serializer):
    lot = StrictIntegerField()
    bid = StrictIntegerField(allow_null=True, required=False, default=None,
                                   help_text="Empty: the lot is declared unsuccessful (give a reason).")
    reason = TextField(required=False, allow_blank=True, default="", max_length=2000,
                                   help_text="Required for an unsuccessful lot with regular bids, or a bid not "
                                             "ranked first.")


class TenderAwardSerializer(serializers.Serializer):
    awards = TenderAwardEntrySerializer(many=True, required=False, default=list)


class TenderConcludeSerializer(serializers.Serializer):
    contract_start = serializers.DateField(required=False, allow_null=True, default=None,
                                           help_text="The contracts' start (a shared hire: the start date); today "
                                                     "by default.")


class TenderReasonSerializer(serializers.Serializer):
    reason = TextField(required=False, allow_blank=True, default="", max_length=2000)
