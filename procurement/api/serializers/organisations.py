"""Who is asking, and the organisations and knowledge circles they work in."""

from django.contrib.auth import get_user_model
from rest_framework import serializers

from procurement.models import Circle, Membership, Organisation


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True)


class MembershipSerializer(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)

    class Meta:
        model = Membership
        fields = ["organisation", "organisation_name", "role"]
        read_only_fields = fields


class MeSerializer(serializers.ModelSerializer):
    memberships = MembershipSerializer(many=True, read_only=True)

    class Meta:
        model = get_user_model()
        fields = ["username", "memberships"]
        read_only_fields = fields


class OrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name", "kind", "nis_code", "enterprise_number", "enterprise_number_confirmed",
                  "reference_note"]
        read_only_fields = fields


class CircleSerializer(serializers.ModelSerializer):
    class Meta:
        model = Circle
        fields = ["id", "name", "description", "organisations"]
        read_only_fields = fields
