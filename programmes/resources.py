"""Import and export of networks, memberships and pairings (CSV, XLSX, JSON).

Natural keys only: a network is its slug; a membership is its network and its member
(a city or an organisation); a pairing is its programme, stream and set of cities, with
participants written "city-slug:role;city-slug:role". Pairings are written through
``programmes.services`` so every participant rule holds; a row that breaks one is an
error row carrying the rule's message.
"""

from django.core.exceptions import ValidationError
from import_export import fields, widgets

from cities.resources import CityMatchingResource, CityReferenceWidget
from core.dates import DatePrecision
from core.resources import (
    LIST_SEPARATOR,
    RegistryResource,
    SlugWidget,
    choice_field,
    column,
    date_field,
    flag_field,
    split_list,
    text_field,
)
from programmes.choices import (
    MemberType,
    NetworkKind,
    PairingKind,
    PairingStatus,
    ParticipantRole,
)
from programmes.models import Membership, Network, Pairing, Programme, ThematicStream
from programmes.services import (
    ParticipantSpec,
    default_title,
    pairing_create,
    pairing_find_duplicate,
    pairing_set_participants,
    pairing_set_status,
    validate_participants,
)


def clean_or_error(field, row):
    """Return a column's cleaned value, or raise ValidationError on that column."""
    try:
        return field.clean(row)
    except ValueError as error:
        raise ValidationError({field.column_name: str(error)}) from error


class NetworkResource(CityMatchingResource):
    slug = text_field("slug")
    name = text_field("name")
    acronym = text_field("acronym")
    kind = choice_field("kind", NetworkKind, NetworkKind.CITY_NETWORK)
    parent = column("parent", SlugWidget(Network))
    city = column("city", CityReferenceWidget())
    website = text_field("website")
    description = text_field("description")
    checked_first = ("parent", "city")

    class Meta(RegistryResource.Meta):
        model = Network
        name = "Networks"
        fields = ["slug", "name", "acronym", "kind", "parent", "city", "website", "description"]
        import_id_fields = ["slug"]

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("parent", "city")


class MembershipResource(CityMatchingResource):
    network = column("network", SlugWidget(Network))
    city = column("city", CityReferenceWidget())
    member_network = column("member_network", SlugWidget(Network))
    member_type = choice_field("member_type", MemberType, MemberType.FULL)
    regional_group = text_field("regional_group")
    joined_on = date_field("joined_on")
    joined_precision = choice_field("joined_precision", DatePrecision, DatePrecision.YEAR)
    checked_first = ("network", "city", "member_network")

    class Meta(RegistryResource.Meta):
        model = Membership
        name = "Memberships"
        fields = [
            "network",
            "city",
            "member_network",
            "member_type",
            "regional_group",
            "joined_on",
            "joined_precision",
        ]
        import_id_fields = ["network"]

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("network", "city", "member_network")

    def get_instance(self, instance_loader, row):
        network = clean_or_error(self.fields["network"], row)
        if network is None:
            raise ValidationError({"network": "Give the slug of the network."})
        city = clean_or_error(self.fields["city"], row) if "city" in row else None
        member = (
            clean_or_error(self.fields["member_network"], row) if "member_network" in row else None
        )
        if (city is None) == (member is None):
            raise ValidationError(
                {"city": "Give either a city or a member organisation (member_network), not both."}
            )
        if city is not None:
            return Membership.objects.filter(network=network, city=city).first()
        return Membership.objects.filter(network=network, member_network=member).first()


class ParticipantsWidget(widgets.Widget):
    """A pairing's cities with their roles: "taichung:pilot;prato:partner".

    The role may be left out (partner); a city may be written as its slug or
    "name|country" as everywhere else.
    """

    resource = None

    def clean(self, value, row=None, **kwargs):
        specs, problems = [], []
        for item in split_list(value):
            reference, role = item, ParticipantRole.PARTNER
            head, sep, tail = item.rpartition(":")
            if sep and tail.strip():
                if tail.strip() not in ParticipantRole.values:
                    problems.append(
                        f"“{tail.strip()}” is not a role (one of: "
                        f"{', '.join(ParticipantRole.values)})"
                    )
                    continue
                reference, role = head, tail.strip()
            try:
                city = self.resource.city_for(reference)
            except ValueError as error:
                problems.append(str(error))
                continue
            specs.append((city, role))
        if problems:
            raise ValueError("; ".join(problems))
        if len(specs) < 2:
            raise ValueError(
                "A pairing needs at least two cities: write them as "
                "“city-slug:role;city-slug:role”."
            )
        return specs

    def render(self, value, obj=None, **kwargs):
        return value or ""


class PairingResource(CityMatchingResource):
    programme = column("programme", SlugWidget(Programme))
    stream = column("stream", SlugWidget(ThematicStream))
    participants = fields.Field(column_name="participants", widget=ParticipantsWidget())
    title = text_field("title")
    kind = choice_field("kind", PairingKind, PairingKind.PROGRAMME_PAIRING)
    status = choice_field("status", PairingStatus, PairingStatus.PROPOSED)
    start_date = date_field("start_date")
    end_date = date_field("end_date")
    date_precision = choice_field("date_precision", DatePrecision, DatePrecision.MONTH)
    description = text_field("description")
    is_published = flag_field("is_published", default=True)
    is_verified = flag_field("is_verified", default=True)

    class Meta(RegistryResource.Meta):
        model = Pairing
        name = "Pairings"
        fields = [
            "programme",
            "stream",
            "participants",
            "title",
            "kind",
            "status",
            "start_date",
            "end_date",
            "date_precision",
            "description",
            "is_published",
            "is_verified",
        ]
        import_id_fields = ["programme", "participants"]

    def filter_export(self, queryset, **kwargs):
        return queryset.with_participants()

    def dehydrate_participants(self, pairing):
        return LIST_SEPARATOR.join(
            f"{p.city.slug}:{p.role}"
            for p in sorted(pairing.participants.all(), key=lambda p: (p.role, p.city.slug))
        )

    def get_instance(self, instance_loader, row):
        errors = {}
        values = {}
        for name in ("programme", "stream", "participants"):
            if name == "stream" and name not in row:
                values[name] = None
                continue
            try:
                values[name] = self.fields[name].clean(row)
            except ValueError as error:
                errors[name] = ValidationError(str(error))
        if not errors and values["programme"] is None:
            errors["programme"] = ValidationError("Give the slug of the pairing's programme.")
        if errors:
            raise ValidationError(errors)
        self._cities = [city for city, _ in values["participants"]]
        self._participants = [
            ParticipantSpec(city_id=city.pk, role=role) for city, role in values["participants"]
        ]
        stream = values["stream"]
        return pairing_find_duplicate(
            programme_id=values["programme"].pk,
            stream_id=stream.pk if stream else None,
            city_ids=[spec.city_id for spec in self._participants],
        )

    def import_instance(self, instance, row, **kwargs):
        old_title = instance.title
        super().import_instance(instance, row, **kwargs)
        if not instance.title:
            instance.title = old_title or default_title(self._cities)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if not super().skip_row(instance, original, row, import_validation_errors):
            return False
        return self._roles_unchanged(original)

    def _roles_unchanged(self, pairing) -> bool:
        if pairing.pk is None:
            return False
        current = {(p.city_id, p.role) for p in pairing.participants.all()}
        return current == {(s.city_id, s.role) for s in self._participants}

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        if instance.pk is None:
            try:
                validate_participants(
                    programme_id=instance.programme_id,
                    stream_id=instance.stream_id,
                    participants=self._participants,
                )
            except ValidationError as error:
                errors = error.update_error_dict(errors)
        super().validate_instance(instance, errors, validate_unique)

    def do_instance_save(self, instance, is_create):
        if is_create:
            created = pairing_create(
                programme=instance.programme,
                stream=instance.stream,
                participants=self._participants,
                title=instance.title,
                status=instance.status,
                kind=instance.kind,
                start_date=instance.start_date,
                end_date=instance.end_date,
                date_precision=instance.date_precision,
                description=instance.description,
                is_published=instance.is_published,
                is_verified=instance.is_verified,
            )
            instance.pk, instance.title = created.pk, created.title
            instance.created, instance.modified = created.created, created.modified
            instance._state.adding = False
            return
        wanted_status = instance.status
        instance.status = Pairing.objects.values_list("status", flat=True).get(pk=instance.pk)
        instance.save()
        if not self._roles_unchanged(instance):
            pairing_set_participants(pairing=instance, participants=self._participants)
        pairing_set_status(pairing=instance, status=wanted_status)
