"""Who takes part: organisations (besturen), knowledge circles and people's roles in them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from procurement.validators import normalise_enterprise_number, validate_nis_code


class OrganisationKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("municipality")
    OCMW = "ocmw", _("OCMW (public social welfare centre)")
    POLICE_ZONE = "police_zone", _("police zone")
    INTERMUNICIPAL = "intermunicipal", _("intermunicipal body")
    CENTRAL_PURCHASING_BODY = "central_purchasing_body", _("central purchasing body")
    OTHER = "other", _("other")


class DecidingBody(models.TextChoices):
    COLLEGE = "college", _("college of mayor and aldermen")
    COUNCIL = "council", _("municipal council")
    VAST_BUREAU = "vast_bureau", _("permanent bureau (vast bureau)")
    RMW = "rmw", _("council for social welfare")
    POLICE_COLLEGE = "police_college", _("police college")
    POLICE_COUNCIL = "police_council", _("police council")
    BOARD = "board", _("board of directors")
    OTHER = "other", _("other body")


# The body that usually decides on participation, per kind of organisation.
DEFAULT_DECIDING_BODY = {
    OrganisationKind.MUNICIPALITY: DecidingBody.COLLEGE,
    OrganisationKind.OCMW: DecidingBody.VAST_BUREAU,
    OrganisationKind.POLICE_ZONE: DecidingBody.POLICE_COLLEGE,
    OrganisationKind.INTERMUNICIPAL: DecidingBody.BOARD,
    OrganisationKind.CENTRAL_PURCHASING_BODY: DecidingBody.BOARD,
    OrganisationKind.OTHER: DecidingBody.OTHER,
}


class NormalisedEnterpriseNumber:
    """For models with an ``enterprise_number``: stored as ``0xxx.xxx.xxx`` whatever way it was typed, so
    that uniqueness means what it should, and normalised before the field checks ("BE 0207 447 366" is a
    valid way to type a 12-character number, which max_length would refuse as typed)."""

    def clean_fields(self, exclude=None) -> None:
        errors: dict = {}
        if self.enterprise_number and not (exclude and "enterprise_number" in exclude):
            try:
                self.enterprise_number = normalise_enterprise_number(self.enterprise_number)
            except ValidationError as error:
                errors["enterprise_number"] = error.error_list
                exclude = {*(exclude or ()), "enterprise_number"}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        if self.enterprise_number:
            self.enterprise_number = normalise_enterprise_number(self.enterprise_number)
        super().save(*args, **kwargs)


class Organisation(NormalisedEnterpriseNumber, models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=OrganisationKind.choices)
    nis_code = models.CharField(
        _("NIS code"), max_length=5, blank=True, validators=[validate_nis_code],
        help_text=_("Five digits, for municipalities and their OCMW (Statbel REFNIS)."),
    )
    enterprise_number = models.CharField(
        _("enterprise number"), max_length=12, unique=True,
        help_text=_("KBO number, stored as 0xxx.xxx.xxx."),
    )
    enterprise_number_confirmed = models.BooleanField(
        _("enterprise number confirmed"), default=True,
        help_text=_("Untick while the reference data does not confirm the number (e.g. after a merger): every "
                    "page, API answer and document then says it is not confirmed."),
    )
    reference_note = models.TextField(_("note on the reference data"), blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=4, blank=True)
    email = models.EmailField(_("general e-mail"), blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    @property
    def printed_enterprise_number(self) -> str:
        """The enterprise number as pages and documents print it: flagged when it is not confirmed."""
        if not self.enterprise_number or self.enterprise_number_confirmed:
            return self.enterprise_number
        return f"{self.enterprise_number} ({gettext('not confirmed')})"

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.kind in (OrganisationKind.MUNICIPALITY, OrganisationKind.OCMW) and not self.nis_code:
            raise ValidationError({"nis_code": _("A municipality or OCMW needs its NIS code.")})

    @property
    def default_deciding_body(self) -> str:
        return DEFAULT_DECIDING_BODY.get(self.kind, DecidingBody.OTHER)


class Circle(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    organisations = models.ManyToManyField(Organisation, related_name="circles", verbose_name=_("organisations"))

    class Meta:
        verbose_name = _("knowledge circle")
        verbose_name_plural = _("knowledge circles")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    ICT = "ict", _("ICT staff")
    ALDERMAN = "alderman", _("alderman")
    PROCUREMENT = "procurement", _("procurement officer")
    VIEWER = "viewer", _("viewer")


class Membership(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "role"], name="unique_membership"),
        ]
        ordering = ["organisation__name", "role"]

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation} · {self.get_role_display()}"
