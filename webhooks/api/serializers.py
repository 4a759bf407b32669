from rest_framework import serializers

from programmes.models import Network, Programme
from webhooks.addresses import UnsafeAddress, check_url
from webhooks.models import Delivery, Subscription


class SubscriptionSerializer(serializers.ModelSerializer):
    kinds = serializers.ListField(
        child=serializers.CharField(max_length=100),
        required=False,
        max_length=50,
        help_text="Kinds of record to send (`app.model`, e.g. `programmes.pairing`); "
        "empty for all.",
    )
    programme = serializers.PrimaryKeyRelatedField(
        queryset=Programme.objects.none(),
        required=False,
        allow_null=True,
        error_messages={
            "does_not_exist": "No programme you may see has the id {pk_value}: give the id "
            "of a programme listed at /api/v1/programmes/."
        },
    )
    network = serializers.PrimaryKeyRelatedField(
        queryset=Network.objects.all(),
        required=False,
        allow_null=True,
        error_messages={
            "does_not_exist": "No network has the id {pk_value}: give the id of a network "
            "listed at /api/v1/networks/."
        },
    )
    secret = serializers.CharField(
        min_length=16,
        max_length=200,
        required=False,
        help_text="Signs each delivery; made for you when left out (shown to you only).",
    )
    owner = serializers.CharField(source="owner.get_username", read_only=True)

    class Meta:
        model = Subscription
        fields = [
            "id",
            "url",
            "secret",
            "kinds",
            "programme",
            "network",
            "is_active",
            "failure_count",
            "disabled_reason",
            "owner",
            "created",
            "modified",
        ]
        read_only_fields = ["failure_count", "disabled_reason", "created", "modified"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["programme"].queryset = Programme.objects.visible_to(request.user)

    def validate_url(self, value):
        try:
            check_url(value)
        except UnsafeAddress as error:
            raise serializers.ValidationError(str(error)) from error
        return value

    def validate_kinds(self, value):
        from webhooks.services import kinds

        known = kinds()
        chosen = [kind.strip().lower() for kind in value]
        unknown = [kind for kind in chosen if kind not in known]
        if unknown:
            raise serializers.ValidationError(
                f"Unknown kind “{unknown[0]}”: give some of {', '.join(known)}."
            )
        return list(dict.fromkeys(chosen))


class DeliverySerializer(serializers.ModelSerializer):
    class Meta:
        model = Delivery
        fields = [
            "id",
            "event_id",
            "event_at",
            "model",
            "object_id",
            "status",
            "attempts",
            "response_status",
            "error",
            "created",
            "last_attempt_at",
            "delivered_at",
        ]
