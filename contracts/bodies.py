"""The bodies of the contracts' API transitions (``POST /api/call-offs|contracts/<id>/transitions/<name>/``)
and of the call-off's lines. Each field is named after the service's keyword argument."""

from rest_framework import serializers


class ItemQuantitySerializer(serializers.Serializer):
    item = serializers.IntegerField()
    quantity = serializers.DecimalField(max_digits=14, decimal_places=2, help_text="A decimal string, like \"3\" or "
                                                                                  "\"2.5\".")


class OrderSerializer(serializers.Serializer):
    delivery_address = serializers.CharField(required=False, allow_blank=True, allow_null=True, default=None)
    delivery_date = serializers.DateField(required=False, allow_null=True, default=None)


class DeliverInputSerializer(serializers.Serializer):
    lines = ItemQuantitySerializer(many=True, required=False, default=None, allow_null=True,
                                   help_text="What was delivered now, per line; omitted: everything still outstanding.")
    delivered_on = serializers.DateField(required=False, allow_null=True, default=None,
                                         help_text="Today by default.")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="",
                                   help_text="Required once the call-off is ordered.")


class TerminateSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", help_text="Required.")
    terminated_on = serializers.DateField(required=False, allow_null=True, default=None,
                                          help_text="The contract's last day; today by default.")
